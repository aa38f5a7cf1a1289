"""Keeping spam robots off the public forms, without a third-party CAPTCHA.

Three checks, each with a kind message for a person who trips one, and nothing they typed
is lost (the form is shown again with their answers):

- a honeypot: a text box hidden from people (off-screen, out of the tab order) that
  robots fill in;
- a minimum fill time: each form carries a signed "shown at" time, and a form sent back
  within a few seconds of being shown was not filled in by a person;
- rate limits per IP address and per email address, counted in the "counts" cache.

The counts are in the database (Redis with REDIS_URL; see settings.CACHES and
lib/counting.py), shared by every web worker and every web server, so a limit counts a
visitor's posts wherever they land.
The address is the one allauth finds, which honours TRUSTED_PROXY_COUNT behind a balancer.

Tests relax the fill time and the rate limits (`alongside/testenv.py`); the tests of this
module turn them back on.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from allauth.account.adapter import get_adapter
from django import forms
from django.conf import settings
from django.http import HttpRequest, QueryDict
from django.middleware.csrf import get_token
from django.utils.translation import gettext_lazy as _

from alongside.lib import counting, tokens

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

HONEYPOT = "website"
STARTED = "form_started"


@dataclass(frozen=True)
class Limit:
    per_ip: int
    per_email: int
    seconds: int
    too_many_from_here: _StrOrPromise
    too_many_for_email: _StrOrPromise


# A person booking for a few people in a row, or a community group's office booking its
# members from one address, stays well inside these; a robot does not. Per address they are
# generous (an office, a library, a mobile network shares one); per email and per form shown
# they are tight.
LIMITS = {
    "booking": Limit(
        per_ip=60,
        per_email=8,
        seconds=3600,
        too_many_from_here=_(
            "Too many bookings from here in the last hour; please try later or contact the "
            "organiser."
        ),
        too_many_for_email=_(
            "Too many bookings with this email address in the last hour; please try later or "
            "contact the organiser."
        ),
    ),
    "help_out": Limit(
        per_ip=30,
        per_email=5,
        seconds=3600,
        too_many_from_here=_(
            "Too many offers to help from here in the last hour; please try later or contact "
            "the organiser."
        ),
        too_many_for_email=_(
            "Too many offers to help with this email address in the last hour; please try "
            "later or contact the organiser."
        ),
    ),
    "interest": Limit(
        per_ip=30,
        per_email=3,
        seconds=3600,
        too_many_from_here=_(
            "Too many people have registered from here in the last hour; please try again later."
        ),
        too_many_for_email=_(
            "This email address has been registered several times in the last hour; please "
            "try again later."
        ),
    ),
    # Asking for the link to your data: few people need it twice an hour.
    "privacy_link": Limit(
        per_ip=10,
        per_email=3,
        seconds=3600,
        too_many_from_here=_(
            "Too many links have been asked for from here in the last hour; please try again later."
        ),
        too_many_for_email=_(
            "A link for this email address has been asked for several times in the last hour; "
            "please look in your inbox, or try again later."
        ),
    ),
    "start": Limit(
        per_ip=5,
        per_email=3,
        seconds=24 * 3600,
        too_many_from_here=_(
            "Too many surgeries have been proposed from here today; please try again tomorrow "
            "or email the network."
        ),
        too_many_for_email=_(
            "You have proposed several surgeries today; please try again tomorrow or email "
            "the network."
        ),
    ),
}

# A form sent this many times from one showing is being replayed: a person sends a fresh one.
PER_FORM_SHOWN = 3
SENT_AGAIN = _(
    "This form has been sent several times already. Please reload the page and try again."
)
TOO_QUICK = _("That was quick — please check your details and send again.")
TRAP_FILLED = _(
    "Something filled in a box that should stay empty (a browser's autofill sometimes does). "
    "We have emptied it: please check your details and send again."
)
STALE = _(
    "This page was open for a long time, so we could not accept it as it was. Please check "
    "your details and send again."
)


class HoneypotInput(forms.TextInput):
    """A text box robots see and people do not: hidden off-screen by the stylesheet.

    It counts as a hidden field, so the shared form templates render it without a label
    and leave it out of the list of fields; its own aria-label says what it is.
    """

    @property
    def is_hidden(self) -> bool:
        return True


def visitor(request: HttpRequest) -> str:
    """Who a form is shown to: their CSRF secret, made now if they have none yet."""
    get_token(request)
    return str(request.META.get("CSRF_COOKIE", ""))


def _mark(who: str) -> str:
    return hashlib.sha256(who.encode()).hexdigest()[:16]


def stamp(who: str = "") -> str:
    """A signed "shown at" time for a form shown now to this visitor.

    Bound to the visitor: a stamp fetched once is no use to anyone else, so a robot cannot
    hand one stamp to many senders; and each one counts towards PER_FORM_SHOWN.
    """
    return tokens.sign(tokens.FORM_SHOWN, {"t": time.time(), "v": _mark(who)})


def _shown_at(value: str, who: str) -> float | None:
    shown = tokens.unsign(tokens.FORM_SHOWN, value)
    if not isinstance(shown, dict) or shown.get("v") != _mark(who):
        return None
    at = shown.get("t")
    return float(at) if isinstance(at, int | float) else None


# What the mixin may count on from the form it is mixed into, for the type checker alone.
if TYPE_CHECKING:
    _FormBase = forms.BaseForm
else:
    _FormBase = object


class SpamChecks(_FormBase):
    """Mix into a public form, before forms.Form or forms.ModelForm."""

    def __init__(self, *args, visitor: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.visitor = visitor
        if HONEYPOT not in self.fields:  # a form may declare its own, with its own message
            self.fields[HONEYPOT] = forms.CharField(
                label=_("Leave this empty"),
                required=False,
                widget=HoneypotInput(
                    attrs={
                        "class": "trap",
                        "tabindex": "-1",
                        "autocomplete": "off",
                        "aria-label": _("Leave this empty"),
                    }
                ),
            )
        self.fields[STARTED] = forms.CharField(
            required=False, widget=forms.HiddenInput, initial=lambda: stamp(self.visitor)
        )

    def _replace(self, name: str, value: str) -> None:
        # Shown again with the fix applied, so simply sending again works.
        data = cast("QueryDict | dict[str, Any]", self.data).copy()
        data[self.add_prefix(name)] = value
        self.data = data

    def clean(self):
        data = super().clean() or self.cleaned_data
        # Not part of what the form is about: views pass cleaned_data on to services.
        data.pop(HONEYPOT, None)
        started = data.pop(STARTED, "")
        if self.data.get(self.add_prefix(HONEYPOT)):
            self._replace(HONEYPOT, "")
            if not self.has_error(HONEYPOT):  # a form's own trap says so itself
                self.add_error(None, TRAP_FILLED)
            return data
        minimum = settings.ANTISPAM_MIN_SECONDS
        if minimum <= 0:
            return data
        shown = _shown_at(started or "", self.visitor)
        if shown is None:
            self._replace(STARTED, stamp(self.visitor))
            self.add_error(None, STALE if started else TOO_QUICK)
        elif time.time() - shown < minimum:
            self.add_error(None, TOO_QUICK)
        return data


def client_ip(request: HttpRequest) -> str:
    """The address a limit counts: allauth's reading of it, so that behind a proxy the
    forms, the API and sign-in agree on who is who (ALLAUTH_TRUSTED_PROXY_COUNT), and IPv6
    addresses are not one per device."""
    try:
        return get_adapter(request).get_client_ip(request)
    except Exception:  # noqa: BLE001 - no address at all: count them together
        return "unknown"


def _over(key: str, allowed: int, seconds: int) -> bool:
    """Count one more in a sliding window of `seconds`; True if that is over the limit.

    Two fixed windows, the one before weighted by how much of it the sliding window still
    covers: a count per clock hour let twice the limit through either side of the hour, and
    turned people away at 10:59 who would be welcome at 11:00.
    """
    window, into = divmod(time.time(), seconds)
    # Hashed: no email address is kept in a count, and any character is safe in a key.
    digest = hashlib.sha256(key.encode()).hexdigest()
    current, previous = (f"antispam:{digest}:{int(w)}" for w in (window, window - 1))
    count = counting.add_one(current, seconds * 2)
    before = counting.count(previous)
    return count + before * (1 - into / seconds) > allowed


def allow(request: HttpRequest, form: forms.BaseForm, *, action: str, email: str = "") -> bool:
    """Count a valid form sent by this address (and this email); False if over the limit.

    When it is over, the form gets a message saying so and can be shown again as it is.
    """
    if not settings.ANTISPAM_RATE_LIMITS:
        return True
    limit = LIMITS[action]
    ip = client_ip(request)
    if _over(f"{action}:ip:{ip}", limit.per_ip, limit.seconds):
        form.add_error(None, limit.too_many_from_here)
        return False
    email = email.strip().lower()
    if email and _over(f"{action}:email:{email}", limit.per_email, limit.seconds):
        form.add_error(None, limit.too_many_for_email)
        return False
    # One form shown, sent again and again (a robot replaying a page it fetched once).
    shown = str(form.data.get(form.add_prefix(STARTED), ""))
    if shown and _over(f"{action}:form:{shown}", PER_FORM_SHOWN, limit.seconds):
        form.add_error(None, SENT_AGAIN)
        return False
    return True
