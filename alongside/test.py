"""The shared test base: a small network with the personas every test can use.

organiser        runs Stourbridge (the surgery most tests use)
other_organiser  runs Dudley, and must never see Stourbridge's bookings
surgeon          a volunteer who offers to help at a session (no account needed)
patient          a member of the public who books a place (no account needed)
admin            a network admin (a broker): `is_staff`, approves proposed surgeries
proposer         has an account and proposes surgeries (make_proposal), waiting for an admin
coordinator      coordinates an area once a test gives her one (make_areas, make_coordinator):
                 sees its surgeries, sessions and figures, never who booked
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.test import TestCase, override_settings
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from alongside.bookings import services as booking_services
from alongside.bookings.models import Booking
from alongside.network.models import Coordinator
from alongside.surgeries.models import Area, Session, Surgery, Topic, Venue
from alongside.surgeries.topics import ensure_topics


def run_due_tasks() -> int:
    """Run every queued task whose time has come, as `alongside worker` does.

    Tasks queue in the database in tests too, so a test controls when emails go out: call
    this (or use BaseTestCase.sending) and move the clock with time_machine for later ones.
    """
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while result := DBTaskResult.objects.ready().order_by("run_after", "enqueued_at").first():
        result.claim(worker.worker_id)
        worker.run_task(result)
        ran += 1
    return ran


def make_user(username: str, email: str) -> User:
    user = User.objects.create_user(username, email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def make_surgery(name: str, slug: str, organiser: User) -> Surgery:
    surgery = Surgery.objects.create(
        name=name,
        slug=slug,
        place_name=slug.title(),
        description="Free help with the web, over a cup of tea.",
        who_for="Community groups, charities, clubs and active citizens.",
        host_organisation="Dudley CVS",
        contact_email=f"{slug}@example.org",
        approved_at=timezone.now(),
    )
    surgery.organisers.add(organiser)
    return surgery


def make_proposal(name: str, slug: str, proposer: User, **fields) -> Surgery:
    """A surgery proposed at /start/: its proposer organises it; it waits for an admin."""
    fields = {
        "place_name": slug.title(),
        "description": "Free help with the web.",
        "who_for": "Everyone doing good locally.",
        "contact_email": f"{slug}@example.org",
        **fields,
    }
    surgery = Surgery.objects.create(name=name, slug=slug, proposed_by=proposer, **fields)
    surgery.organisers.add(proposer)
    return surgery


def make_coordinator(user: User, area: Area) -> Coordinator:
    return Coordinator.objects.create(user=user, area=area)


# For tests that pin what rendering a page costs: the page cache off, so every request renders
# (the cache itself is tested in alongside/lib/tests/test_pagecache.py).
RENDERED = override_settings(PAGE_CACHE_SECONDS=0)

PATIENT = {"name": "Pat Jones", "email": "pat@example.org"}
SURGEON = {"name": "Sam Hill", "email": "sam@example.org"}


class BaseTestCase(TestCase):
    patient = PATIENT
    surgeon = SURGEON

    @classmethod
    def setUpTestData(cls):
        ensure_topics(Topic)
        cls.organiser = make_user("melissa", "melissa@example.org")
        cls.other_organiser = make_user("omar", "omar@example.org")
        cls.admin = make_user("nadia", "nadia@example.org")
        cls.admin.is_staff = True
        cls.admin.save(update_fields=["is_staff"])
        cls.proposer = make_user("becky", "becky@example.org")
        cls.coordinator = make_user("lorna", "lorna@example.org")
        cls.surgery = make_surgery("Stourbridge Social Media Surgery", "stourbridge", cls.organiser)
        cls.other_surgery = make_surgery(
            "Dudley Social Media Surgery", "dudley", cls.other_organiser
        )
        cls.venue = Venue.objects.create(
            surgery=cls.surgery, name="The Lion Café", address="1 High Street, Stourbridge"
        )
        cls.session = cls.make_session(days=7)
        cls.facebook = Topic.objects.get(slug="facebook")
        cls.website = Topic.objects.get(slug="website")

    @classmethod
    def make_areas(cls) -> None:
        """West Midlands, with Dudley borough and Sandwell inside it (no surgery placed yet)."""
        cls.region = Area.objects.create(name="West Midlands", slug="west-midlands")
        cls.borough = Area.objects.create(
            name="Dudley borough", slug="dudley-borough", parent=cls.region
        )
        cls.sandwell = Area.objects.create(name="Sandwell", slug="sandwell", parent=cls.region)

    @classmethod
    def make_session(cls, *, days: int, surgery: Surgery | None = None, **fields) -> Session:
        surgery = surgery or cls.surgery
        fields = {
            "date": timezone.localdate() + dt.timedelta(days=days),
            "start_time": dt.time(18, 0),
            "end_time": dt.time(20, 0),
            "venue": cls.venue if surgery == cls.surgery else None,
            "online_url": "" if surgery == cls.surgery else "https://meet.example.org/dudley",
            "help_places": 8,
            "surgeon_places": 3,
            **fields,
        }
        return Session.objects.create(surgery=surgery, **fields)

    def book(self, session: Session | None = None, name: str = "Pat", **fields) -> Booking:
        """A booking through the service, as the booking form makes it.

        Each name gets its own email address, so several people can book one session.
        """
        role = fields.pop("role", Booking.Role.HELP)
        fields = {
            "email": f"{name.lower().replace(' ', '.')}@example.org",
            "goal": "Tell more people about our litter picks",
            "consent_contact": True,
            **fields,
        }
        return booking_services.booking_create(
            session=session or self.session,
            role=role,
            details=booking_services.BookingDetails(name=name, **fields),
        )

    def sent_to(self, address: str) -> list:
        """Emails sent to one address (organisers' digests go out at their own times)."""
        from django.core import mail

        return [m for m in mail.outbox if m.to == [address]]

    @contextmanager
    def sending(self):
        """Commit what the block does, then let the worker send what is due."""
        with self.captureOnCommitCallbacks(execute=True):
            yield
        run_due_tasks()

    def book_patient(self, session: Session | None = None, **fields) -> Booking:
        return self.book(session, **{**self.patient, **fields})

    def offer_help(self, session: Session | None = None, **fields) -> Booking:
        fields = {"role": Booking.Role.SURGEON, "topics": [self.website], **fields}
        return self.book(session, **{**self.surgeon, **fields})
