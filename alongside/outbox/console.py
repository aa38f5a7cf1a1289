"""Emails printed for people to read, when no mail server is set (the demo, a first try).

Django's console backend prints the raw message: quoted-printable text, where long lines
are split with "=" and a link copied from the console is broken. This prints who it is to,
the subject and the plain-text body as it would be read, with every link whole.
"""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.core.mail.backends.console import EmailBackend


class ReadableEmailBackend(EmailBackend):
    def write_message(self, message: EmailMessage) -> None:
        attached = [a[0] for a in message.attachments if isinstance(a, tuple) and a[0]]
        lines = [
            f"To: {', '.join(message.to)}",
            f"Subject: {message.subject}",
            *([f"Attached: {', '.join(attached)}"] if attached else []),
            "",
            str(message.body).rstrip(),
            "-" * 79,
            "",
        ]
        self.stream.write("\n".join(lines))
