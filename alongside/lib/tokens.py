"""Signed tokens: every link or cookie that must prove where it came from, in one table.

People without an account reach their booking, their interest, a follow-up or their data
through links in emails. Each kind of link has its own salt, so a token made for one can
never open another, and its own lifetime. A token without a timestamp never expires: the
row it opens decides how long it works, and deleting the row ends it.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db import models


@dataclass(frozen=True)
class Purpose:
    salt: str
    timestamped: bool
    # For timestamped tokens: refused once older than this (None: the row decides).
    max_age: dt.timedelta | None = None


DAY = dt.timedelta(days=1)

# A booking's links (show, change, cancel, "I'm still coming") never change.
BOOKING = Purpose("alongside.booking", timestamped=False)
# Withdrawing interest works for as long as the interest is kept.
INTEREST = Purpose("alongside.interest", timestamped=False)
# The six-week follow-up questions.
FOLLOW_UP = Purpose("alongside.follow-up", timestamped=False)
# "No more of these emails": an address and a kind of email.
UNSUBSCRIBE = Purpose("alongside.unsubscribe", timestamped=False)
# An invitation expires with its row (Invitation.expires_at); a resend changes its nonce.
INVITATION = Purpose("alongside.invitation", timestamped=True)
# An invitation to join an organisation's own space: expires with its row, like INVITATION.
MEMBER_INVITATION = Purpose("alongside.member-invitation", timestamped=True)
# An invitation to help run a campaign's chapter: expires with its row, like INVITATION.
CHAPTER_INVITATION = Purpose("alongside.chapter-invitation", timestamped=True)
# A surgeon's link to record a pairing: long enough to catch up after a busy session, short
# enough that an old email is not a key for ever.
RECORD = Purpose("alongside.record", timestamped=True, max_age=30 * DAY)
# A surgeon's link to a group's history: long enough to read it before and after a session,
# short enough that an old email is not a key for ever.
ORGANISATION = Purpose("alongside.organisation", timestamped=True, max_age=30 * DAY)
# A group's reply to a session's invitation ("Someone from our group will come"): good
# until the session, which the view checks; the invitation and the answer are signed.
GROUP_REPLY = Purpose("alongside.group-reply", timestamped=False)
# "We have been in touch with Halesowen Harriers", from a "who was in the room" email: the
# booking it was sent for and the other group. The session's connections are kept for ever.
GROUP_CONNECTION = Purpose("alongside.group-connection", timestamped=False)
# Download or erase someone's data: it proves they can read email sent to the address, and
# an old email lying in an inbox is not a key to their data.
PERSON_DATA = Purpose("alongside.person", timestamped=True, max_age=DAY)
# The cookie that keeps a regular's name and email on their own device, if they ask.
REMEMBER = Purpose("alongside.remember", timestamped=True, max_age=365 * DAY)
# When a public form was shown, to turn away forms sent back too fast (lib/antispam.py). A
# page left open longer is stamped afresh, so a robot cannot send an old copy for ever.
FORM_SHOWN = Purpose("alongside.antispam", timestamped=True, max_age=DAY)


def sign(purpose: Purpose, value: Any) -> str:
    if purpose.timestamped:
        return signing.TimestampSigner(salt=purpose.salt).sign_object(value)
    return signing.Signer(salt=purpose.salt).sign_object(value)


def unsign(purpose: Purpose, token: str) -> Any:
    """The value signed, or None for a token that was forged, altered or is too old."""
    try:
        if purpose.timestamped:
            signer = signing.TimestampSigner(salt=purpose.salt)
            return signer.unsign_object(token, max_age=purpose.max_age)
        return signing.Signer(salt=purpose.salt).unsign_object(token)
    except signing.BadSignature:
        return None


def sign_row(purpose: Purpose, pk: int, nonce: str) -> str:
    """A link to one row that a new nonce on the row revokes (a resent invitation, say)."""
    return sign(purpose, {"i": pk, "n": nonce})


def open_row[Row: models.Model](
    purpose: Purpose, token: str, rows: models.QuerySet[Row]
) -> Row | None:
    """The row sign_row() linked to, or None: forged, too old, or its nonce has changed."""
    try:
        data = unsign(purpose, token)
        pk, nonce = int(data["i"]), str(data["n"])
    except (KeyError, TypeError, ValueError):
        return None
    found = rows.filter(pk=pk).first()
    if found is None or not secrets.compare_digest(getattr(found, "nonce", ""), nonce):
        return None
    return found
