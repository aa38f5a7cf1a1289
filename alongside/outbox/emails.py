"""Sending email: one template trio per message, each message sent at most once.

Every message renders emails/<name>-subject.txt, -body.txt and -body.html. Messages go out
from background tasks, never from a web request.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from alongside.accounts import consents
from alongside.lib import site, tokens
from alongside.outbox import bounces, delivery
from alongside.outbox.models import Claim, Unsubscribe

logger = logging.getLogger(__name__)

# Kinds of email a person can stop. Email about a booking the person made has no such link.
CALLOUTS = "callouts"
ORGANISER_UPDATES = "organiser"
# News from an organisation's own space to its members: a round of the check opening.
ORGANISATION_NEWS = "organisation"
# Announcements from a campaign's team to its chapters' volunteers.
CAMPAIGN_NEWS = "campaign"
# Invitations to sessions for groups like theirs, to a group's contacts.
GROUP_NEWS = "groups"


def unsubscribe_url(email: str, kind: str) -> str:
    token = tokens.sign(tokens.UNSUBSCRIBE, {"e": email.lower(), "k": kind})
    return site.absolute(reverse("unsubscribe", args=[token]))


def read_unsubscribe_token(token: str) -> tuple[str, str] | None:
    try:
        data = tokens.unsign(tokens.UNSUBSCRIBE, token)
        return data["e"], data["k"]
    except (KeyError, TypeError, ValueError):
        return None


def is_unsubscribed(email: str, kind: str) -> bool:
    return Unsubscribe.objects.filter(email__iexact=email, kind=kind).exists()


def resubscribe(email: str, kind: str) -> None:
    """Ticking the box again is asking for these emails again, after an earlier "stop"."""
    Unsubscribe.objects.filter(email__iexact=email.strip(), kind=kind).delete()


def claimed(keys: Iterable[str]) -> set[str]:
    """Which of these messages have gone already (or are in the outbox): `send` skips them."""
    return set(Claim.objects.filter(key__in=list(keys)).values_list("key", flat=True))


def send(
    name: str,
    to: str,
    ctx: dict,
    *,
    key: str,
    attachments: Iterable[tuple[str, bytes, str]] = (),
    unsubscribe_kind: str | None = None,
    language: str = "",
) -> bool:
    """Send one message unless the message with this key has gone already.

    `language` is the one to write in (a booking's, for messages about it); the site's own
    by default, whatever language the request or worker happens to have active.

    The key is claimed by inserting a Claim row in the same transaction that puts the
    message in the outbox: a second worker with the same message waits for the first, then
    finds the key taken. The outbox then sends it, and retries it if the send fails.
    True if the message was queued by this call (it may still be waiting for a retry).
    """
    # A withdrawn consent stops even messages queued before it was withdrawn.
    if not consents.may_email(to, name):
        return False
    # Mail to it bounced or was refused for good: sending again would only bounce again.
    if bounces.is_undeliverable(to):
        logger.info("Not sending %s (key %s): the address is undeliverable", name, key)
        return False
    ctx = {"site_name": settings.SITE_NAME, "site_root": settings.SITE_ROOT, **ctx}
    # "Your data and choices" at the foot of every email: a key, never the address.
    ctx.setdefault("choices_url", consents.choices_url(to))
    headers = {}
    if unsubscribe_kind:
        if is_unsubscribed(to, unsubscribe_kind):
            return False
        ctx["unsubscribe_url"] = unsubscribe_url(to, unsubscribe_kind)
        headers["List-Unsubscribe"] = f"<{ctx['unsubscribe_url']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"emails/{name}-subject.txt", ctx).split())
        text = render_to_string(f"emails/{name}-body.txt", ctx)
        html = render_to_string(f"emails/{name}-body.html", ctx)
    msg = EmailMultiAlternatives(subject, text, to=[to], headers=headers)
    msg.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        msg.attach(filename, content, mimetype)
    with transaction.atomic():
        try:
            with transaction.atomic():
                Claim.objects.create(key=key)
        except IntegrityError:
            return False
        message = delivery.store(msg, key=key)
    # Stored and committed first, then sent: a failure or a killed worker leaves the message
    # in the outbox to be tried again (outbox/delivery.py), never lost.
    delivery.deliver(message.pk)
    return True
