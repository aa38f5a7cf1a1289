"""The demo's campaigns: last year's night in twelve cities, and the next one signing up."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db.models import Count, Q
from django.test import Client
from django.utils import timezone

from alongside.campaigns.demo import NEXT, PAST, add_demo
from alongside.campaigns.models import (
    Announcement,
    Campaign,
    ChapterStatus,
    ChapterStory,
    ChapterTask,
    ChapterVolunteer,
    Donation,
    DonationImport,
    PlanStep,
    Rate,
    Resource,
    Stream,
    VolunteerRole,
)
from alongside.campaigns.models.hub import SUGGESTED_PLAN
from alongside.demo.build import build_demo_network

pytestmark = pytest.mark.django_db
CENT = Decimal("0.01")


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def counts(today) -> dict[str, int]:
    return add_demo(today=today)


def _raised(campaign: Campaign) -> dict[str, dict[str, Decimal]]:
    """Each chapter's gross and net, in its own currency, counted from the rows."""
    found: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for d in Donation.objects.filter(chapter__campaign=campaign).select_related("chapter"):
        found[d.chapter.city]["gross"] += d.gross
        found[d.chapter.city]["net"] += d.net
    return found


def test_the_past_campaign_has_twelve_chapters_in_four_countries_and_three_currencies(counts):
    past = Campaign.objects.get(slug=PAST)
    chapters = list(past.chapters.all())
    assert len(chapters) == 12
    assert all(c.status == ChapterStatus.APPROVED for c in chapters)
    assert len({c.country for c in chapters}) >= 4
    assert len({c.currency for c in chapters}) >= 3
    assert {"Birmingham", "Dudley", "Toronto", "Honolulu", "Berlin"} <= {c.city for c in chapters}
    # One night, about nine months ago; money kept moving after it.
    assert past.is_over and past.starts_on == past.ends_on
    assert past.money_version > 0
    # Each chapter has one lead and one to four volunteers, with example addresses.
    roles = ChapterVolunteer.objects.filter(chapter__campaign=past).values("chapter")
    per = roles.annotate(
        leads=Count("pk", filter=Q(role=VolunteerRole.LEAD)),
        others=Count("pk", filter=Q(role=VolunteerRole.VOLUNTEER)),
    )
    assert all(p["leads"] == 1 and 1 <= p["others"] <= 4 for p in per)
    toronto = past.chapters.get(city="Toronto")
    lead = toronto.chapter_volunteers.get(role=VolunteerRole.LEAD).user
    assert lead.email == "lead.toronto@example.org"
    assert toronto.currency == "CAD" and toronto.time_zone == "America/Toronto"
    assert past.team_members.filter(user__email="campaigns@alongside.example").exists()


def test_money_came_from_four_streams_with_references_fees_imports_and_refunds(counts):
    past = Campaign.objects.get(slug=PAST)
    donations = Donation.objects.filter(chapter__campaign=past)
    assert set(donations.values_list("stream", flat=True)) == set(Stream.values)
    providers = set(donations.exclude(provider="").values_list("provider", flat=True))
    assert providers == {"TicketTree", "PayFriend", "GiveNow"}
    # Cash says who counted it; every provider's row has its reference, once.
    by_hand = [Stream.CASH, Stream.CHEQUE]
    assert not donations.filter(stream__in=by_hand, counted_by="").exists()
    assert not donations.exclude(stream__in=by_hand).filter(reference="").exists()
    assert not donations.filter(created_at__gt=timezone.now()).exists()
    assert donations.filter(reference__startswith="TT-").exists()
    assert donations.filter(provider__in=["TicketTree", "PayFriend"], fees__gt=0).exists()
    # Every imported row came in a file, and each file counts its rows.
    imported = donations.filter(stream=Stream.IMPORT, refund_of__isnull=True)
    assert not imported.filter(source_import__isnull=True).exists()
    files = DonationImport.objects.filter(chapter__campaign=past)
    assert set(files.values_list("provider", flat=True)) == {"TicketTree", "PayFriend"}
    for f in files.annotate(n=Count("donations")):
        assert f.added == f.n and f.rows == f.added + f.already_counted
    assert files.filter(already_counted__gt=0).exists()  # an overlapping export
    # Refunds are negative entries pointing at what they give back.
    refunds = donations.filter(refund_of__isnull=False).select_related("refund_of")
    assert refunds.count() == 2
    for refund in refunds:
        assert refund.gross < 0 and refund.gross == -refund.refund_of.gross
    # Net is always gross less fees.
    assert all(d.net == d.gross - d.fees for d in donations)


def test_one_chapter_is_over_its_target_and_one_far_below(counts):
    past = Campaign.objects.get(slug=PAST)
    raised = _raised(past)
    targets = {c.city: c.target for c in past.chapters.all()}
    over = [city for city, t in targets.items() if raised[city]["net"] >= t]
    far_below = [city for city, t in targets.items() if raised[city]["gross"] < t / 4]
    assert "Honolulu" in over and "Birmingham" in over
    assert far_below == ["Sydney"]
    # Birmingham's night, as in the seed: £1,519 raised.
    assert raised["Birmingham"]["net"] == Decimal("1519.00")


def test_every_other_currency_has_a_rate_and_every_amount_is_converted_at_it(counts):
    for campaign in Campaign.objects.filter(slug__in=[PAST, NEXT]):
        currencies = set(campaign.chapters.values_list("currency", flat=True))
        rated = set(Rate.objects.filter(campaign=campaign).values_list("currency", flat=True))
        assert currencies - {campaign.currency} <= rated
        assert all(
            "Bank of England" in r.source and r.on for r in Rate.objects.filter(campaign=campaign)
        )
        donations = Donation.objects.filter(chapter__campaign=campaign).select_related(
            "rate", "chapter"
        )
        for d in donations:
            if d.currency == campaign.currency:
                assert d.rate is None
                assert (d.campaign_gross, d.campaign_net) == (d.gross, d.net)
                continue
            assert d.rate.currency == d.currency and d.rate.campaign_id == campaign.pk
            assert d.rate.on <= d.received_on or d.rate.on == min(
                Rate.objects.filter(campaign=campaign, currency=d.currency).values_list(
                    "on", flat=True
                )
            )
            for amount, converted in ((d.gross, d.campaign_gross), (d.net, d.campaign_net)):
                assert converted == (amount * d.rate.per_unit).quantize(CENT, ROUND_HALF_UP)
                assert isinstance(converted, Decimal)


def test_the_chapters_add_up_to_the_campaign_in_pounds(counts):
    past = Campaign.objects.get(slug=PAST)
    # Added up in Python: SQLite's SUM() of a decimal column is a float (29480.6100000006).
    per_chapter: dict[int, Decimal] = defaultdict(Decimal)
    for chapter_id, net in Donation.objects.filter(chapter__campaign=past).values_list(
        "chapter", "campaign_net"
    ):
        per_chapter[chapter_id] += net
    total = sum(per_chapter.values(), Decimal(0))
    assert len(per_chapter) == 12
    assert total.as_tuple().exponent == -2
    assert Decimal("0.6") * past.target < total < past.target


def test_the_upcoming_campaign_has_chapters_waiting_for_the_team_and_first_tickets(counts, today):
    coming = Campaign.objects.get(slug=NEXT)
    assert coming.is_coming
    assert 35 <= (coming.starts_on - today).days <= 49
    statuses = list(coming.chapters.values_list("status", flat=True))
    assert statuses.count(ChapterStatus.APPROVED) == 5
    assert statuses.count(ChapterStatus.PROPOSED) == 3
    waiting = coming.chapters.filter(status=ChapterStatus.PROPOSED)
    assert not waiting.filter(decided_at__isnull=False).exists()
    assert all(c.proposed_by_id for c in waiting)
    assert Donation.objects.filter(chapter__campaign=coming).exists()
    assert not Donation.objects.filter(chapter__status=ChapterStatus.PROPOSED).exists()
    assert coming.money_version > 0


def test_running_the_demo_again_adds_nothing(counts, today):
    assert counts["campaigns"] == 2
    assert counts["campaign_chapters"] == 20
    assert add_demo(today=today) == counts


@pytest.mark.django_db
def test_the_demo_fills_the_hub_of_both_campaigns():
    today = timezone.localdate()
    build_demo_network(today=today)
    past = Campaign.objects.get(slug="one-night-for-wells")
    coming = Campaign.objects.get(slug="another-night-for-wells")
    for campaign in (past, coming):
        assert PlanStep.objects.filter(campaign=campaign).count() == len(SUGGESTED_PLAN)
        assert Announcement.objects.filter(campaign=campaign).exists()
        assert Resource.objects.filter(campaign=campaign).count() == 3
    past_tasks = ChapterTask.objects.filter(chapter__campaign=past)
    assert past_tasks.filter(done_at__isnull=False).count() >= 0.8 * past_tasks.count()
    assert not past_tasks.filter(if_you_can=True).exists()
    late = ChapterTask.objects.filter(chapter__campaign=coming, if_you_can=True)
    assert late.exists() and set(late.values_list("chapter__city", flat=True)) == {"Honolulu"}
    assert ChapterStory.objects.public().filter(chapter__campaign=past).count() == 1
    page = Client().get("/campaigns/one-night-for-wells/").content.decode()
    assert "A pub quiz with a round about water" in page
    again = add_demo(today=today)["checklist_tasks"]
    assert again == ChapterTask.objects.filter(chapter__campaign__in=[past, coming]).count()


def test_the_next_campaign_has_local_events_to_book(counts):
    from alongside.bookings.models import Booking
    from alongside.surgeries.models import Session, Surgery

    assert counts["chapter_events"] == 3
    coming = Campaign.objects.get(slug=NEXT)
    quiz = Session.objects.get(title="Quiz night at the Red Lion")
    birmingham = coming.chapters.get(city="Birmingham")
    assert quiz.surgery == birmingham.host and quiz.surgery.kind == Surgery.Kind.EVENT
    assert quiz.help_places == 40 and quiz.suggested_donation == Decimal("5")
    assert quiz.bookings.filter(status=Booking.Status.BOOKED).count() == 25
    lead = birmingham.chapter_volunteers.get(role=VolunteerRole.LEAD).user
    assert quiz.surgery.is_organiser(lead)
    supper = Session.objects.get(title="Pancake supper")
    assert supper.bookings.filter(status=Booking.Status.WAITING).count() == 4
    client = Client()
    page = client.get(f"/campaigns/{NEXT}/birmingham/").content.decode()
    assert "Quiz night at the Red Lion" in page and "15 places left." in page
    page = client.get(f"/campaigns/{NEXT}/toronto/").content.decode()
    assert "Full: join the waiting list" in page and "CA$10" in page
    # Never listed as a surgery.
    assert "Red Lion" not in client.get("/surgeries/").content.decode()
