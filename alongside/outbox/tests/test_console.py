"""Without a mail server, emails are printed for people to read, with every link whole."""

from __future__ import annotations

import io

from django.core.mail import EmailMultiAlternatives

from alongside.outbox.console import ReadableEmailBackend

LINK = "https://alongside.example/bookings/" + "AbC123xYz-" * 12 + "/"


def test_an_email_is_printed_as_it_would_be_read_with_its_links_whole():
    stream = io.StringIO()
    message = EmailMultiAlternatives(
        "Your place at Stourbridge", f"Hello Pat,\n\nYour booking: {LINK}\n", to=["pat@example.org"]
    )
    message.attach_alternative(f'<a href="{LINK}">Your booking</a>', "text/html")
    message.attach("session.ics", b"BEGIN:VCALENDAR", "text/calendar")
    assert ReadableEmailBackend(stream=stream).send_messages([message]) == 1
    printed = stream.getvalue()
    assert "To: pat@example.org" in printed
    assert "Subject: Your place at Stourbridge" in printed
    assert "Attached: session.ics" in printed
    assert LINK in printed
    assert "=\n" not in printed and "quoted-printable" not in printed
