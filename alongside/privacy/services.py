"""A person's data: download it, erase it, and anonymise what we no longer need.

A person is an email address, lower-cased, as the impact figures count people. Erasing or
anonymising never deletes a row a figure counts: names become "Anonymised", the address
becomes a pseudonym (the same address always gives the same pseudonym, and two addresses
never share one), and free text about the person is blanked. Counts, dates, topics, groups
and links stay, so every figure comes out exactly the same. See docs/retention.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
import json
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Max, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts import consents
from alongside.accounts.consents import by_email, person_key
from alongside.accounts.models import ConsentRecord, audit
from alongside.bookings import services as booking_services
from alongside.bookings.models import ANONYMISED, Booking
from alongside.campaigns.models import Chapter, ChapterInvitation, ChapterStory, ChapterVolunteer
from alongside.helprecords.models import FollowUp, HelpRecord, Story
from alongside.impact import people
from alongside.interest.models import Interest
from alongside.network.models import Coordinator, Invitation
from alongside.organisations.models import (
    Acknowledgement,
    Membership,
    MentorMeeting,
    MentorPairing,
    Rating,
    Report,
)
from alongside.organisations.models import Invitation as MemberInvitation
from alongside.outbox import emails
from alongside.outbox.models import Claim, Undeliverable, Unsubscribe
from alongside.privacy import tasks
from alongside.surgeries import changelog
from alongside.surgeries.models import Organiser, Surgery
from alongside.webhooks.models import Delivery

ANONYMISED_DOMAIN = "anonymised.invalid"


# --- Consents: where each stands, and withdrawing one everywhere at once --------------------


def current(email: str) -> dict[str, bool]:
    """Which consents stand for this address now, read from the rows they switch on."""
    bookings = by_email(Booking.objects.all(), email)
    records = HelpRecord.objects.filter(booking__in=bookings.values("pk"))
    unsubscribed = by_email(Unsubscribe.objects.filter(kind=consents.CALLOUTS), email).exists()
    no_group_news = by_email(Unsubscribe.objects.filter(kind=emails.GROUP_NEWS), email).exists()
    return {
        consents.CONTACT: bookings.filter(consent_contact=True).exists(),
        consents.PUBLIC: records.filter(public=True).exists()
        or Story.objects.filter(consent=True, help_records__in=records.values("pk")).exists(),
        consents.CALLOUTS: bookings.filter(consent_callouts=True).exists() and not unsubscribed,
        consents.INTEREST: by_email(Interest.objects.filter(consent_contact=True), email).exists(),
        consents.GROUP_NEWS: bookings.filter(consent_group_news=True).exists()
        and not no_group_news,
        consents.INTRODUCTIONS: bookings.filter(consent_introductions=True).exists(),
    }


def consent_withdraw(*, email: str, kind: str, actor=None, source: str = "choices") -> None:
    """Withdraw one consent from every booking, record and interest of this address."""
    email = email.strip().lower()
    with transaction.atomic():
        bookings = by_email(Booking.objects.all(), email)
        if kind == consents.CONTACT:
            bookings.update(consent_contact=False)
        elif kind == consents.CALLOUTS:
            bookings.update(consent_callouts=False)
            if not by_email(Unsubscribe.objects.filter(kind=consents.CALLOUTS), email).exists():
                Unsubscribe.objects.create(email=email, kind=consents.CALLOUTS)
        elif kind == consents.PUBLIC:
            records = HelpRecord.objects.filter(booking__in=bookings.values("pk"))
            stories = Story.objects.filter(help_records__in=records.values("pk"))
            Story.objects.filter(pk__in=stories.values("pk")).update(consent=False)
            records.update(public=False)
            # Off the public pages at once: bulk updates send no signals, so say so here.
            changelog.changed()
        elif kind == consents.INTEREST:
            by_email(Interest.objects.all(), email).update(consent_contact=False)
        elif kind == consents.GROUP_NEWS:
            bookings.update(consent_group_news=False)
            if not by_email(Unsubscribe.objects.filter(kind=emails.GROUP_NEWS), email).exists():
                Unsubscribe.objects.create(email=email, kind=emails.GROUP_NEWS)
        elif kind == consents.INTRODUCTIONS:
            bookings.update(consent_introductions=False)
            # The day's console says who is happy to be introduced.
            changelog.changed()
        else:
            raise ValueError(f"Unknown consent {kind!r}")
        row = ConsentRecord.objects.create(
            email=email, kind=kind, given=False, version=consents.version(kind), source=source
        )
        # The audit says what and who, never the address: the consent row links the two.
        audit("consent.withdraw", row, actor=actor, kind=kind, source=source)


def pseudonym(email: str) -> str:
    """A stable stand-in for an address: the same person stays one person in the figures."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), email.strip().lower().encode(), hashlib.sha256
    ).hexdigest()
    return f"anon-{digest[:24]}@{ANONYMISED_DOMAIN}"


def is_anonymised(email: str) -> bool:
    return email.lower().endswith(f"@{ANONYMISED_DOMAIN}")


def months_before(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 - months
    year, month = day.year + month // 12, month % 12 + 1
    # 31 March less one month is the end of February, not 3 March.
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _users(email: str):
    User = get_user_model()  # noqa: N806
    ids = by_email(EmailAddress.objects.all(), email).values("user_id")
    return User.objects.filter(Q(pk__in=ids) | Q(pk__in=by_email(User.objects.all(), email)))


def holds_anything(email: str) -> bool:
    """Whether we keep any row about this address (for sending a link, never shown)."""
    return any(
        rows.exists()
        for rows in (
            by_email(Booking.objects.all(), email),
            by_email(Interest.objects.all(), email),
            _users(email),
            ConsentRecord.objects.filter(email=email.strip().lower()),
        )
    )


# --- Anonymising and erasing ------------------------------------------------------------------


class SoleOrganiser(Exception):
    """Erasing this account would leave a surgery with nobody to run it."""

    def __init__(self, surgeries: list):
        super().__init__("sole organiser")
        self.surgeries = surgeries


def sole_organiser_of(email: str) -> list:
    users = _users(email)
    theirs = Surgery.objects.filter(organisers__in=users).values("pk")
    # Counted over every organiser: filtering on the same relation would count only theirs.
    return list(
        Surgery.objects.filter(pk__in=theirs, closed_at__isnull=True)
        .annotate(n=Count("organisers", distinct=True))
        .filter(n=1)
        .order_by("name")
    )


def _blank_help(records) -> None:
    stories = Story.objects.filter(help_records__in=records.values("pk")).values("pk")
    Story.objects.filter(pk__in=stories).update(consent=False)
    FollowUp.objects.filter(help_record__in=records.values("pk")).update(comment="")
    records.update(note="", public=False)


PERSONAL_BOOKING_TEXT = {
    "name": ANONYMISED,
    "phone": "",
    "goal": "",
    "access_needs": "",
    "got_done": "",
    "decline_message": "",
    "consent_contact": False,
    "consent_callouts": False,
    "consent_group_news": False,
    "consent_introductions": False,
}


@dataclass
class Anonymised:
    bookings: int = 0
    interest: int = 0
    accounts: int = 0


def _forget_elsewhere(email: str, booking_ids: list[int]) -> None:
    """Copies of the person in framework tables: the email outbox and the Django admin log."""
    if apps.is_installed("alongside.outbox"):
        by_email(apps.get_model("outbox", "Message").objects.all(), email, "to").delete()
    # A booking's name is its description in the admin's history.
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Booking),
        object_id__in=[str(pk) for pk in booking_ids],
    ).update(object_repr=ANONYMISED, change_message="")
    # Webhook payloads name the person (webhooks/events.py): the log of them goes.
    Delivery.objects.filter(booking_id__in=booking_ids).delete()


def anonymise_person(*, email: str, actor=None, reason: str) -> Anonymised:
    """Replace everything that identifies this address, keeping every row figures count."""
    email = email.strip().lower()
    done = Anonymised()
    if not email or is_anonymised(email):
        return done
    alias = pseudonym(email)
    with transaction.atomic():
        key = person_key(email)
        ids = list(by_email(Booking.objects.all(), email).values_list("pk", flat=True))
        typed = set(Booking.objects.filter(pk__in=ids).values_list("email", flat=True))
        done.bookings = Booking.objects.filter(pk__in=ids).update(
            email=alias, **PERSONAL_BOOKING_TEXT
        )
        _blank_help(HelpRecord.objects.filter(booking_id__in=ids))
        done.interest, _ = by_email(Interest.objects.all(), email).delete()
        invitations = by_email(Invitation.objects.all(), email)
        invitations.filter(accepted_at__isnull=True, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now()
        )
        invitations.update(email=alias)
        # Invitations to join an organisation's space; their memberships go with the account.
        joining = by_email(MemberInvitation.objects.all(), email)
        joining.filter(accepted_at__isnull=True, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now()
        )
        joining.update(email=alias, name=ANONYMISED)
        # Invitations to help run a campaign's chapter: one not taken up goes.
        chapters = by_email(ChapterInvitation.objects.all(), email)
        chapters.filter(accepted_at__isnull=True).delete()
        chapters.update(email=alias, name=ANONYMISED)
        ConsentRecord.objects.filter(email=email).delete()
        by_email(Unsubscribe.objects.all(), email).delete()
        by_email(Undeliverable.objects.all(), email).delete()
        # Call-outs are claimed once per address: "callout:<session>:<address>".
        Claim.objects.filter(key__endswith=f":{email}").delete()
        _forget_elsewhere(email, ids)
        # Names and addresses are not counted, but the rows are: say so to the snapshots,
        # as bulk updates send no signals. The network's roll-up of people forgets them at
        # once, and adds their help up again, under the pseudonym.
        changelog.changed()
        people.forget(list(typed))
        audit("person.anonymise", key, actor=actor, reason=reason, bookings=done.bookings)
        key.delete()
    return done


def _cancel_places_to_come(email: str, *, actor=None) -> None:
    """Someone who has gone holds no place: waiting lists move up, as when they cancel.

    Their reminders and thank-yous, already queued, find the booking cancelled and send
    nothing. Past sessions keep their bookings as they were, so no figure changes.
    """
    upcoming = by_email(Booking.objects.all(), email).filter(
        status__in=booking_services.ACTIVE, session__date__gte=timezone.localdate()
    )
    for booking in upcoming.select_related("session").order_by("pk"):
        if booking.session.is_open:
            booking_services.booking_cancel(booking=booking, actor=actor)


def erase_person(*, email: str, actor=None, reason: str = "asked") -> Anonymised:
    """Anonymise everything about this address at once, and delete its account.

    Refused (SoleOrganiser) for the only organiser of a surgery still running: someone must
    take it on, or it must close, first.
    """
    if surgeries := sole_organiser_of(email):
        raise SoleOrganiser(surgeries)
    with transaction.atomic():
        _cancel_places_to_come(email, actor=actor)
        done = anonymise_person(email=email, actor=actor, reason=reason)
        users = list(_users(email))
        # What they wrote for other chapters goes with them; the chapter keeps its figures.
        ChapterStory.objects.filter(author__in=users).delete()
        Chapter.objects.filter(proposed_by__in=users).update(proposer_name="")
        for user in users:
            user.delete()
        done.accounts = len(users)
    return done


def anonymise_walk_ins(*, before: dt.date) -> int:
    """Walk-ins who gave no address: their names and notes go once their session is old."""
    with transaction.atomic():
        old = Booking.objects.filter(email="", session__date__lt=before).exclude(name=ANONYMISED)
        ids = list(old.values_list("pk", flat=True))
        Booking.objects.filter(pk__in=ids).update(**PERSONAL_BOOKING_TEXT)
        _blank_help(HelpRecord.objects.filter(booking_id__in=ids))
        if ids:  # notes leave the public pages at once: bulk updates send no signals
            changelog.changed()
    return len(ids)


def _day(moment: dt.date | dt.datetime) -> dt.date:
    return timezone.localdate(moment) if isinstance(moment, dt.datetime) else moment


def last_activity() -> dict[str, dt.date]:
    """The last day each address did anything here: booked, came, was helped, answered a
    follow-up, registered interest, gave or withdrew a consent, or signed in. Six queries."""
    found: dict[str, dt.date] = {}

    def note(email: str, *moments) -> None:
        days = [_day(m) for m in moments if m is not None]
        if email and days and not is_anonymised(email):
            found[email] = max(found.get(email, dt.date.min), *days)

    def grouped(rows, field: str, *dates: str):
        rows = rows.annotate(person=Lower(field)).order_by().values("person")
        rows = rows.annotate(**{f"d{i}": Max(d) for i, d in enumerate(dates)})
        for row in rows:
            note(row["person"], *(row[f"d{i}"] for i in range(len(dates))))

    grouped(Booking.objects.exclude(email=""), "email", "session__date", "created_at")
    grouped(
        FollowUp.objects.all(),
        "help_record__booking__email",
        "answered_at",
        "help_record__created_at",
    )
    grouped(Interest.objects.all(), "email", "updated_at")
    grouped(ConsentRecord.objects.all(), "email", "created_at")
    User = get_user_model()  # noqa: N806
    for email, joined, login in User.objects.values_list("email", "date_joined", "last_login"):
        note(email.lower(), joined, login)
    for email, joined, login in EmailAddress.objects.values_list(
        "email", "user__date_joined", "user__last_login"
    ):
        note(email.lower(), joined, login)
    return found


def anonymise_inactive(*, today: dt.date | None = None) -> int:
    """The daily job: anonymise everyone whose last activity is older than RETAIN_MONTHS.

    Network admins, and the only organisers of a running surgery, are left for a person to
    decide about. Safe to run twice: an anonymised address is never found again.
    """
    today = today or timezone.localdate()
    before = months_before(today, settings.RETAIN_MONTHS)
    staff = {
        e.lower()
        for e in get_user_model().objects.filter(is_staff=True).values_list("email", flat=True)
    }
    anonymised = 0
    for email, last in sorted(last_activity().items()):
        if last >= before or email in staff:
            continue
        try:
            erase_person(email=email, reason="retention")
        except SoleOrganiser:
            continue
        anonymised += 1
    anonymise_walk_ins(before=before)
    return anonymised


def retention_job() -> None:
    anonymise_inactive()


# --- Downloading ------------------------------------------------------------------------------


def _row(obj, fields: list[str]) -> dict:
    out = {}
    for name in fields:
        value = obj
        for part in name.split("__"):
            value = getattr(value, part, None) if value is not None else None
        if isinstance(value, dt.datetime | dt.date | dt.time):
            value = value.isoformat()
        out[name] = value
    return out


def export_person(email: str) -> dict:
    """Every row about this address, as plain data. The same number of queries however many."""
    email = email.strip().lower()
    bookings = list(
        by_email(Booking.objects.all(), email)
        .select_related("session__surgery", "organisation")
        .prefetch_related("topics")
        .order_by("created_at", "pk")
    )
    booking_ids = [b.pk for b in bookings]
    received = HelpRecord.objects.filter(booking_id__in=booking_ids)
    given = HelpRecord.objects.filter(surgeon_id__in=booking_ids)
    users = list(_users(email))
    help_fields = ["session__surgery__name", "session__date", "note", "minutes", "public"]
    data = {
        "email": email,
        "bookings": [
            {
                **_row(
                    b,
                    [
                        "session__surgery__name",
                        "session__date",
                        "role",
                        "status",
                        "name",
                        "email",
                        "phone",
                        "organisation__name",
                        "goal",
                        "web_use",
                        "heard_about",
                        "access_needs",
                        "consent_contact",
                        "consent_callouts",
                        "consent_group_news",
                        "consent_introductions",
                        "created_at",
                        "cancelled_at",
                        "checked_in_at",
                        "got_done",
                        "decline_message",
                    ],
                ),
                "topics": [t.name for t in b.topics.all()],
            }  # fmt: skip
            for b in bookings
        ],
        "help_received": [
            {**_row(r, help_fields), "links": [link.url for link in r.links.all()]}
            for r in received.select_related("session__surgery").prefetch_related("links")
        ],
        "help_given": [
            _row(r, help_fields[:2] + ["minutes"]) for r in given.select_related("session__surgery")
        ],
        "follow_ups": [
            _row(
                f,
                [
                    "help_record__session__date",
                    "still_using",
                    "confidence_before",
                    "confidence_now",
                    "comment",
                    "answered_at",
                ],
            )
            for f in FollowUp.objects.filter(help_record__in=received).select_related(
                "help_record__session"
            )
        ],  # fmt: skip
        "stories": [
            _row(s, ["surgery__name", "title", "text", "consent", "published_at"])
            for s in Story.objects.filter(help_records__in=received)
            .select_related("surgery")
            .distinct()
        ],
        "consents": [
            _row(c, ["kind", "given", "version", "source", "created_at"])
            for c in ConsentRecord.objects.filter(email=email)
        ],
        "interest": [
            _row(
                i,
                [
                    "place_name",
                    "name",
                    "group",
                    "would_come",
                    "would_help",
                    "would_organise",
                    "consent_contact",
                    "created_at",
                    "updated_at",
                ],
            )
            for i in by_email(Interest.objects.all(), email)
        ],  # fmt: skip
        "unsubscribed_from": [
            _row(u, ["kind", "created_at"]) for u in by_email(Unsubscribe.objects.all(), email)
        ],
        "emails_bounce": [
            _row(u, ["source", "reason", "created_at"])
            for u in by_email(Undeliverable.objects.all(), email)
        ],
        "invitations": [
            _row(i, ["kind", "surgery__name", "area__name", "created_at", "accepted_at"])
            for i in by_email(Invitation.objects.all(), email).select_related("surgery", "area")
        ],
        "account": [
            _row(u, ["username", "email", "first_name", "last_name", "date_joined", "last_login"])
            for u in users
        ],
        "organiser_of": [
            _row(o, ["surgery__name", "booking_emails"])
            for o in Organiser.objects.filter(user__in=users).select_related("surgery")
        ],
        "coordinator_of": [
            _row(c, ["area__name", "created_at"])
            for c in Coordinator.objects.filter(user__in=users).select_related("area")
        ],
        "member_of": [
            _row(m, ["organisation__name", "name", "role", "team__name", "created_at"])
            for m in Membership.objects.filter(user__in=users).select_related(
                "organisation", "team"
            )
        ],
        "campaign_chapters": [
            _row(v, ["chapter__campaign__name", "chapter__city", "name", "role", "created_at"])
            for v in ChapterVolunteer.objects.filter(user__in=users).select_related(
                "chapter__campaign"
            )
        ],
        "invitations_to_join": [
            _row(i, ["organisation__name", "name", "role", "created_at", "accepted_at"])
            for i in by_email(MemberInvitation.objects.all(), email).select_related("organisation")
        ],
        "skills_check_answers": [
            _row(
                r,
                [
                    "response__round__organisation__name",
                    "response__round__number",
                    "topic__name",
                    "own_topic__name",
                    "confidence",
                    "wants_to_learn",
                    "could_help",
                    "response__shared",
                ],
            )
            for r in Rating.objects.filter(response__user__in=users).select_related(
                "response__round__organisation", "topic", "own_topic"
            )
        ],
        # What they reported to their organisation's responders, and how it ended; the steps
        # are the responders' notes and may be about other people.
        "reports_made": [
            _row(
                r,
                [
                    "organisation__name",
                    "kind",
                    "what",
                    "where",
                    "link",
                    "urgency",
                    "created_at",
                    "acknowledged_at",
                    "closed_at",
                    "outcome",
                ],
            )
            for r in Report.objects.filter(reporter__user__in=users).select_related("organisation")
        ],
        # Both sides' names and the topic; how confident the learner felt after is the
        # learner's own, so it is only in theirs.
        "mentoring_given": [
            _row(p, [*MENTORING_FIELDS])
            for p in MentorPairing.objects.filter(mentor__user__in=users).select_related(
                *MENTORING_RELATED
            )
        ],
        "mentoring_received": [
            _row(p, [*MENTORING_FIELDS, "confidence_after"])
            for p in MentorPairing.objects.filter(learner__user__in=users).select_related(
                *MENTORING_RELATED
            )
        ],
        "mentoring_meetings": [
            _row(m, ["pairing__organisation__name", "met_on", "note", "minutes"])
            for m in MentorMeeting.objects.filter(
                Q(pairing__mentor__user__in=users) | Q(pairing__learner__user__in=users)
            ).select_related("pairing__organisation")
        ],
        "documents_read": [
            _row(
                a,
                [
                    "version__organisation__name",
                    "version__kind",
                    "version__number",
                    "acknowledged_at",
                ],
            )
            for a in Acknowledgement.objects.filter(membership__user__in=users).select_related(
                "version__organisation"
            )
        ],  # fmt: skip
    }
    return data


MENTORING_FIELDS = [
    "organisation__name",
    "mentor__name",
    "learner__name",
    "topic_name",
    "status",
    "offered_at",
    "completed_at",
]
MENTORING_RELATED = ["organisation", "mentor", "learner", "topic", "own_topic"]


def export_json(email: str) -> str:
    return json.dumps(export_person(email), indent=2, ensure_ascii=False)


def _words(name: str) -> str:
    """A key of the JSON download as words for the CSV: "session__date" is "Session date"."""
    return name.replace("__", " ").replace("_", " ").capitalize()


def export_csv(email: str) -> str:
    """One value a line: what, which one, the field, the value. Opens in any spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("What it is"), _("Which one"), _("Detail"), _("Value")])
    for section, rows in export_person(email).items():
        if not isinstance(rows, list):
            writer.writerow([_words(section), "", "", rows])
            continue
        for n, row in enumerate(rows, start=1):
            for field, value in row.items():
                if isinstance(value, list):
                    value = "; ".join(str(v) for v in value)
                writer.writerow([_words(section), n, _words(field), "" if value is None else value])
    return out.getvalue()


def audit_export(*, email: str, actor=None, via: str) -> None:
    with transaction.atomic():
        audit("person.export", person_key(email), actor=actor, via=via)


def data_link_request(*, email: str) -> None:
    """Email a link to this address's data, if we hold any. Says nothing either way."""
    if not holds_anything(email):
        return
    with transaction.atomic():
        key = person_key(email)
        hour = timezone.now().strftime("%Y%m%d%H")
        transaction.on_commit(lambda: tasks.send_data_link.enqueue(key.pk, hour))
