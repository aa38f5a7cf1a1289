from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from alongside.lib import language
from alongside.lib.choices import choice_label
from alongside.lib.money import money_text
from alongside.lib.prepared import Counted, Prepared
from alongside.lib.rows import QuickRows
from alongside.lib.times import uk_time
from alongside.lib.zones import check_time_zone, network_time_zone, zone_label


class PlaceRole(models.TextChoices):
    """The two kinds of place a session has: for people wanting help, and for surgeons."""

    HELP = "help", _("Getting help")
    SURGEON = "surgeon", _("Helping others")


class PlaceStatus(models.TextChoices):
    """Where one person's place at a session stands (a booking's status)."""

    BOOKED = "booked", _("Booked")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Came")
    NO_SHOW = "no_show", _("Did not come")
    DECLINED = "declined", _("Declined")


# Statuses that hold one of the session's places.
TAKES_A_PLACE = (PlaceStatus.BOOKED, PlaceStatus.ATTENDED, PlaceStatus.NO_SHOW)
# Statuses of people still expecting to come: booked, or waiting for a place.
ACTIVE = (PlaceStatus.BOOKED, PlaceStatus.WAITING)


class Topic(QuickRows, models.Model):
    """One of the shared list of things people come for help with."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return gettext(self.name)  # the shared names are marked in topics.py


class Organisation(QuickRows, models.Model):
    """A group, charity or club that people come to a surgery for."""

    class Kind(models.TextChoices):
        CHARITY = "charity", _("Charity")
        COMMUNITY_GROUP = "community", _("Community group")
        SPORTS_CLUB = "sports", _("Sports club")
        FRIENDS_GROUP = "friends", _("Friends of a park or nature reserve")
        HEALTH_GROUP = "health", _("Health and activity group")
        RESIDENTS = "residents", _("Residents' association")
        FAITH_GROUP = "faith", _("Faith group")
        ARTS_GROUP = "arts", _("Arts group")
        YOUTH_GROUP = "youth", _("Youth group")
        OLDER_PEOPLE = "older", _("Older people's group")
        SOCIAL_ENTERPRISE = "social_enterprise", _("Social enterprise")
        OTHER = "other", _("Other")

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    # The address of the organisation's own space (/organisations/<slug>/). Never only
    # digits: /organisations/<number>/ is a group's history for organisers. Rows put in with
    # bulk_create (the demo, synthetic networks) get one when they are next saved.
    slug = models.SlugField(max_length=80, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="organisation_name_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = organisation_slug(self.name, taken=Organisation.objects.exclude(pk=self.pk))
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "slug"}
        super().save(*args, **kwargs)

    def get_kind_display(self) -> str:  # type: ignore[no-redef]  # Django's (lib/choices.py)
        return choice_label(self.Kind, self.kind)


# Each kind of group as it reads in a list, for "For sports clubs and arts groups".
KIND_PLURALS = {
    Organisation.Kind.CHARITY: _("charities"),
    Organisation.Kind.COMMUNITY_GROUP: _("community groups"),
    Organisation.Kind.SPORTS_CLUB: _("sports clubs"),
    Organisation.Kind.FRIENDS_GROUP: _("Friends of a park or nature reserve groups"),
    Organisation.Kind.HEALTH_GROUP: _("health and activity groups"),
    Organisation.Kind.RESIDENTS: _("residents' associations"),
    Organisation.Kind.FAITH_GROUP: _("faith groups"),
    Organisation.Kind.ARTS_GROUP: _("arts groups"),
    Organisation.Kind.YOUTH_GROUP: _("youth groups"),
    Organisation.Kind.OLDER_PEOPLE: _("older people's groups"),
    Organisation.Kind.SOCIAL_ENTERPRISE: _("social enterprises"),
    Organisation.Kind.OTHER: _("other groups"),
}


# Words that follow /groups/ in other addresses: a group called "Add" is /groups/group-add/.
RESERVED_SLUGS = {"add", "reply", "in-touch"}


def organisation_slug(name: str, *, taken: models.QuerySet) -> str:
    """A free slug for an organisation's name: "dudley-cvs", then "dudley-cvs-2"."""
    base = slugify(name)[:70] or "group"
    if base.isdigit() or base in RESERVED_SLUGS:
        base = f"group-{base}"
    slug, n = base, 1
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


class Area(QuickRows, models.Model):
    """A place surgeries belong to, inside a larger one: West Midlands, then Dudley borough."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(unique=True, max_length=80)
    parent = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("the larger area it is in"),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("area", args=[self.slug])

    def ids_within(self) -> set[int]:
        """This area's id and those of every area below it, at any depth, in one query."""
        return _ids_within(self.pk, _children())

    def surgeries_within(self) -> SurgeryQuerySet:
        return Surgery.objects.filter(area_id__in=self.ids_within())

    @staticmethod
    def surgery_counts() -> dict[int, int]:
        """How many surgeries each area holds, its own and those of every area inside it.

        Two queries, whatever the number of areas and surgeries.
        """
        children = _children()
        here = dict(
            Surgery.objects.filter(area__isnull=False)
            .order_by()
            .values_list("area_id")
            # COUNT(*), not of ids: the index on area answers it without reading the table.
            .annotate(n=models.Count("*"))
        )
        return {
            pk: sum(here.get(inner, 0) for inner in _ids_within(pk, children))
            for pk in {pk for ids in children.values() for pk in ids}
        }


def _children() -> dict[int | None, list[int]]:
    # Areas are few and shallow, so walking them in Python beats a recursive query.
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in _area_tree.list():
        children.setdefault(parent_id, []).append(pk)
    return children


# Every area's place in the tree, in no order, prepared (lib/prepared.py): a coordinator's
# every page reads it, and Django took longer to build the query than to read the rows.
_area_tree = Prepared(lambda: Area.objects.order_by().values_list("pk", "parent_id"))


def _ids_within(top: int, children: dict[int | None, list[int]]) -> set[int]:
    found, todo = set(), [top]
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.add(pk)
            todo.extend(children.get(pk, []))
    return found


HEARD_ABOUT_DEFAULT = "\n".join(
    [
        "A partner's newsletter",
        "A friend or someone in my group",
        "Social media",
        "A poster or leaflet",
        "A partner organisation",
    ]
)
DECLINE_DEFAULT = (
    "Thank you for booking. Surgeries are for community groups, charities, clubs and "
    "active citizens, so we can't offer you a place this time. If you would like to learn "
    "the basics of using a computer or the internet, your local library and adult "
    "education service run free courses."
)


# A surgery with nothing coming up and nothing held for this long is shown as dormant.
DORMANT_AFTER = dt.timedelta(days=183)


class Audience(models.TextChoices):
    """Who a surgery is for. An organisation runs surgeries "for insiders, for outsiders
    and for both"; one for its members only is never shown on a public page."""

    PUBLIC = "public", _("Anyone")
    MEMBERS = "members", _("Members of our organisation only")
    BOTH = "both", _("Anyone, with some places kept for our members")


class _Degrees(Coalesce):
    """A position's latitude or longitude, read as the database driver hands it back: a float
    or None on SQLite and PostgreSQL alike. Django turned each into a float again, which for
    the 5,000 surgeries ranked near a place took 2 ms of the directory's 13 on the large
    tier. Both databases' columns of these hold floats (a REAL on SQLite, double precision
    on PostgreSQL), and neither backend converts them (surgeries/tests/test_position.py)."""

    def get_db_converters(self, connection: BaseDatabaseWrapper) -> list:
        return []


class SurgeryQuerySet(models.QuerySet):
    def approved(self) -> SurgeryQuerySet:
        """Approved and open to the public, closed since or not: what they did stays public.

        A members-only surgery is never in it: its name, sessions and figures are the
        organisation's own (network totals count it without naming it).
        """
        return (
            self.filter(approved_at__isnull=False)
            .exclude(audience=Audience.MEMBERS)
            .exclude(kind=Surgery.Kind.EVENT)
        )

    def public(self) -> SurgeryQuerySet:
        """Surgeries anyone may see listed: approved by a network admin, not closed, and not
        for one organisation's members only."""
        return self.approved().filter(closed_at__isnull=True)

    def counted(self) -> SurgeryQuerySet:
        """Approved surgeries whose help counts in an area's or the network's totals: the
        public ones and those for one organisation's members, which are counted but never
        named (`approved()` is what may be named). A campaign's fundraising night is not help
        given, so an event host is never counted."""
        return self.filter(approved_at__isnull=False).exclude(kind=Surgery.Kind.EVENT)

    def with_position(self) -> SurgeryQuerySet:
        """Annotate `lat` and `lng`: the surgery's own, or else its first venue's that has one.

        A surgery listed without a postcode is placed at one of its venues.
        """
        venues = Venue.objects.filter(
            surgery=models.OuterRef("pk"), latitude__isnull=False, longitude__isnull=False
        ).order_by("pk")
        return self.annotate(
            lat=_Degrees("latitude", models.Subquery(venues.values("latitude")[:1])),
            lng=_Degrees("longitude", models.Subquery(venues.values("longitude")[:1])),
        )

    def with_activity(self, today: dt.date | None = None) -> SurgeryQuerySet:
        """Annotate the next session's date and the last one held, without a query per row.

        `today` for a prepared query (lib/prepared.py), which must be given it."""
        # One look each in the index on (surgery, date), rather than grouping every session
        # of every surgery: the directory of a national network took a second.
        today = today or timezone.localdate()
        sessions = Session.objects.filter(surgery=models.OuterRef("pk"), cancelled_at__isnull=True)
        upcoming = sessions.filter(date__gte=today).order_by("date").values("date")[:1]
        held = sessions.filter(date__lt=today).order_by("-date").values("date")[:1]
        return self.annotate(
            next_date=models.Subquery(upcoming, output_field=models.DateField()),
            last_date=models.Subquery(held, output_field=models.DateField()),
        )


class Surgery(QuickRows, models.Model):
    """A social media surgery: a place where sessions happen, run by its organisers."""

    class Languages(models.TextChoices):
        ENGLISH = language.ENGLISH, _("English")
        WELSH = language.WELSH, _("Welsh (Cymraeg)")
        BOTH = language.BOTH, _("English and Welsh: each visitor chooses")

    class Kind(models.TextChoices):
        SURGERY = "surgery", _("a surgery")
        # Made by the campaigns app for one chapter, so its local events are sessions that
        # people book as usual; never listed or counted as a surgery (see the querysets).
        EVENT = "event", _("a campaign chapter's events")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(unique=True, max_length=80)
    place_name = models.CharField(
        _("place"), max_length=80, help_text=_("The town or neighbourhood, e.g. Stourbridge.")
    )
    description = models.TextField(_("what happens at this surgery"))
    who_for = models.TextField(
        _("who it is for"),
        help_text=_("For example: community groups, charities, clubs and active citizens."),
    )
    host_organisation = models.CharField(_("host organisation"), max_length=120, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=80, blank=True)
    contact_email = models.EmailField(_("contact email"))
    postcode = models.CharField(
        _("postcode or postcode area"),
        max_length=10,
        blank=True,
        help_text=_("Used to show the surgery on the map and to people searching nearby."),
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    heard_about_options = models.TextField(
        _("ways people hear about this surgery"),
        default=HEARD_ABOUT_DEFAULT,
        help_text=_("One per line. The booking form asks people which one it was."),
    )
    # Its sessions' dates and times are the wall clock here; reminders and calendars follow.
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        validators=[check_time_zone],
        default=network_time_zone,
        help_text=_("Session times are in this time zone. Most surgeries keep the first one."),
    )
    reminder_time = models.TimeField(
        _("time of the reminder email"),
        default=dt.time(10, 0),
        help_text=_("People get a reminder the day before a session, at this time."),
    )
    decline_message = models.TextField(
        _("message when you decline a booking"),
        default=DECLINE_DEFAULT,
        help_text=_("Sent when a booking is not something a surgery can help with."),
    )
    area = models.ForeignKey(
        Area,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="surgeries",
        verbose_name=_("area"),
    )
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Organiser",
        related_name="organised_surgeries",
        blank=True,
    )
    how_often = models.CharField(
        _("how often"),
        max_length=120,
        blank=True,
        help_text=_("For example: first Thursday of the month, 6 to 8 pm."),
    )
    clash_miles = models.PositiveSmallIntegerField(
        _("warn about other surgeries within (miles)"),
        default=10,
        help_text=_(
            "When you add a session, we warn you about sessions at other surgeries this close, "
            "on the same day or the day before or after."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now)
    # A proposed surgery waits for a network admin; once approved, its organisers publish
    # sessions without asking again. Nothing about it is public until then.
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Who it is for; a surgery for members only, or for both, belongs to one organisation.
    audience = models.CharField(
        _("who can come"), max_length=10, choices=Audience.choices, default=Audience.PUBLIC
    )
    members_of = models.ForeignKey(
        Organisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="own_surgeries",
        verbose_name=_("organisation whose members it is for"),
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SURGERY)
    # Its pages speak this language until a visitor chooses one (lib/language.py).
    languages = models.CharField(
        _("language"),
        max_length=8,
        choices=Languages.choices,
        default=Languages.ENGLISH,
        help_text=_("The language of your surgery's pages, until a visitor chooses another."),
    )
    # Asked once per spell of dormancy whether to revive or close; cleared by a new session.
    dormant_asked_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = SurgeryQuerySet.as_manager()

    # Present on rows read through SurgeryQuerySet.with_activity().
    next_date: dt.date | None
    last_date: dt.date | None
    # Present on rows the directory and the places of interest read: the surgery's position,
    # or else its venue's (annotated as lat and lng), and its distance from a searched place.
    lat: float | None
    lng: float | None
    # None unless searched near a place: a template asks for it without a failed lookup
    # (three exceptions, 30 µs a surgery listed).
    distance: float | None = None

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "surgeries"
        indexes = [
            # Where each surgery is and whether it is open to all: counting surgeries, joining
            # sessions to their surgery and placing every surgery on a map read this narrow
            # index instead of every row (descriptions and all: 6.6 MB for 5,000 surgeries,
            # 6 ms a count on the large tier).
            models.Index(
                fields=[
                    "area",
                    "approved_at",
                    "closed_at",
                    "audience",
                    "kind",
                    "id",
                    "latitude",
                    "longitude",
                ],
                name="surgery_state_idx",
            ),
            # The public ones, as public() finds them: counted ("See all 4,750 surgeries", on
            # home and the directory) from this alone, 2.3 → 0.9 ms on the large tier, not
            # from every surgery's entry in surgery_state_idx. "event" is Kind.EVENT, which
            # Meta cannot name.
            models.Index(
                fields=["id"],
                condition=models.Q(approved_at__isnull=False, closed_at__isnull=True)
                & ~models.Q(audience=Audience.MEMBERS)
                & ~models.Q(kind="event"),
                name="surgery_public_idx",
            ),
            # The few surgeries for one organisation's members only, which the network's
            # recent help leaves out by id: found without reading every surgery's entry in
            # surgery_state_idx, which took 0.9 ms, twice, of each home page on the large tier.
            models.Index(
                fields=["id"],
                condition=models.Q(audience=Audience.MEMBERS),
                name="surgery_members_only_idx",
            ),
            # Proposals waiting for a network admin, oldest first: a handful among thousands,
            # found without reading the table.
            models.Index(
                fields=["created_at", "id"],
                condition=models.Q(approved_at__isnull=True, closed_at__isnull=True),
                name="surgery_waiting_idx",
            ),
            # The directory by name, a page at a time: walked in order, the twenty of a page
            # are found without sorting every open surgery (8.7 → 0.1 ms by topic on the
            # large tier, where the seventy-column rows of 5,000 were read to be sorted).
            models.Index(
                fields=["name", "id"],
                condition=models.Q(approved_at__isnull=False, closed_at__isnull=True),
                name="surgery_listed_idx",
            ),
        ]
        constraints = [
            # Places kept for members need an organisation whose members they are.
            models.CheckConstraint(
                condition=models.Q(audience="public") | models.Q(members_of__isnull=False),
                name="surgery_members_need_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("surgery", args=[self.slug])

    def is_organiser(self, user) -> bool:
        if not user.is_authenticated:
            return False
        return self.organisers.filter(pk=user.pk).exists()

    def is_for_member(self, user) -> bool:
        """A member of the organisation whose members this surgery is for (or keeps places
        for). Through the reverse relation: the core does not import the organisations app."""
        if not user.is_authenticated or self.members_of_id is None:
            return False
        return Organisation.objects.filter(pk=self.members_of_id, memberships__user=user).exists()

    @property
    def is_public(self) -> bool:
        return (
            self.approved_at is not None
            and self.closed_at is None
            and self.audience != Audience.MEMBERS
        )

    @property
    def is_members_only(self) -> bool:
        return self.audience == Audience.MEMBERS

    @property
    def is_event_host(self) -> bool:
        """Holds a campaign chapter's events: reached through `campaign_chapter`."""
        return self.kind == self.Kind.EVENT

    @property
    def is_dormant(self) -> bool:
        """Nothing coming up and nothing held lately. Reads with_activity()'s annotations."""
        if self.next_date is not None:
            return False
        # A surgery listed last week has held nothing yet, but is not asleep.
        last = max(self.last_date or dt.date.min, timezone.localdate(self.created_at))
        return last < timezone.localdate() - DORMANT_AFTER

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def zone_label(self) -> str:
        """ "Toronto time" for a surgery outside the network's zone, else empty."""
        return zone_label(self.time_zone)

    def local_today(self) -> dt.date:
        """Today's date on this surgery's clock."""
        return timezone.localtime(timezone.now(), self.zone).date()

    @property
    def heard_about_choices(self) -> list[str]:
        return [line.strip() for line in self.heard_about_options.splitlines() if line.strip()]


class Organiser(models.Model):
    """One person organising one surgery, with how they like to hear about new bookings."""

    class BookingEmails(models.TextChoices):
        EACH = "each", _("An email for each new booking")
        DIGEST = "digest", _("One email a day listing new bookings")
        NONE = "none", _("No emails about new bookings")

    surgery = models.ForeignKey(Surgery, models.CASCADE, related_name="organiser_links")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    booking_emails = models.CharField(
        _("emails about new bookings"),
        max_length=10,
        choices=BookingEmails.choices,
        default=BookingEmails.DIGEST,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["surgery", "user"], name="organiser_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} organises {self.surgery}"


class Venue(QuickRows, models.Model):
    """A café, library or community centre where a surgery meets."""

    surgery = models.ForeignKey(Surgery, models.CASCADE, related_name="venues")
    name = models.CharField(_("venue name"), max_length=120)
    address = models.CharField(_("address"), max_length=250)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    access_notes = models.TextField(
        _("access notes"),
        blank=True,
        help_text=_("For example: step-free entrance, accessible toilet, hearing loop."),
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # Held outdoors (a park, a nature reserve): a map point, how to find the spot, and what
    # happens if it rains.
    outdoors = models.BooleanField(_("this venue is outdoors"), default=False)
    directions = models.TextField(
        _("how to find it"),
        blank=True,
        help_text=_("For example: by the bandstand, 5 minutes' walk from the main gate."),
    )
    weather_note = models.TextField(
        _("what to bring or wear"),
        blank=True,
        help_text=_("For example: the grass can be wet, so bring boots."),
    )
    wet_weather_plan = models.TextField(
        _("if it rains"),
        blank=True,
        help_text=_("For example: we move to the café by the lake."),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SessionSeries(models.Model):
    """A repeating session ("first Thursday of the month, 6 to 8 pm") that makes dated ones.

    Every rule gives at most one date a month or a week, and never a date some months lack:
    monthly days run 1 to 28 or "the last day", weeks of the month first to fourth or
    "the last". So a series never skips a month without saying so.
    """

    class Rule(models.TextChoices):
        WEEKLY = "weekly", _("Every week")
        FORTNIGHTLY = "fortnightly", _("Every two weeks")
        MONTHLY_WEEKDAY = "monthly_weekday", _("Monthly, on a weekday (e.g. first Thursday)")
        MONTHLY_DAY = "monthly_day", _("Monthly, on a date (e.g. the 15th)")

    class Week(models.IntegerChoices):
        FIRST = 1, _("first")
        SECOND = 2, _("second")
        THIRD = 3, _("third")
        FOURTH = 4, _("fourth")
        LAST = -1, _("last")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    # -1 is the last day of the month.
    LAST_DAY = -1

    surgery = models.ForeignKey(Surgery, models.CASCADE, related_name="series")
    rule = models.CharField(_("how often"), max_length=20, choices=Rule.choices)
    week = models.SmallIntegerField(_("which week"), choices=Week.choices, null=True, blank=True)
    weekday = models.PositiveSmallIntegerField(
        _("day of the week"), choices=Weekday.choices, null=True, blank=True
    )
    day_of_month = models.SmallIntegerField(_("date in the month"), null=True, blank=True)
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    venue = models.ForeignKey(Venue, models.PROTECT, null=True, blank=True, related_name="+")
    online_url = models.URLField(_("online link"), blank=True)
    help_places = models.PositiveSmallIntegerField(_("places for people wanting help"))
    # At a surgery for both: how many of the help places are kept for the organisation's
    # members. Anyone else may take only the rest.
    member_places = models.PositiveSmallIntegerField(
        _("of these, places kept for our members"), default=0
    )
    surgeon_places = models.PositiveSmallIntegerField(_("places for surgeons"))
    notes = models.TextField(_("anything else people should know"), blank=True)
    first_date = models.DateField(_("first date"))
    last_date = models.DateField(_("last date"), null=True, blank=True)
    # Dates up to here have had their session made: one the organiser cancelled, moved or
    # deleted is never made again.
    made_until = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["first_date", "pk"]
        verbose_name_plural = "session series"

    def __str__(self) -> str:
        return f"{self.surgery}: {self.describe()}"

    def describe(self) -> str:
        """The rule in words: "Every other Tuesday, 18:00 to 20:00"."""

        kinds = self.Rule
        times = {"start": uk_time(self.start_time), "end": uk_time(self.end_time)}
        if self.rule == kinds.WEEKLY:
            text = _("Every %(weekday)s") % {"weekday": self._weekday(self.first_date.weekday())}
        elif self.rule == kinds.FORTNIGHTLY:
            text = _("Every other %(weekday)s") % {
                "weekday": self._weekday(self.first_date.weekday())
            }
        elif self.rule == kinds.MONTHLY_WEEKDAY:
            assert self.week is not None and self.weekday is not None  # the form requires them
            text = _("The %(week)s %(weekday)s of the month") % {
                "week": self.Week(self.week).label,
                "weekday": self._weekday(self.weekday),
            }
        elif self.day_of_month == self.LAST_DAY:
            text = str(_("The last day of the month"))
        else:
            text = _("Day %(day)s of the month") % {"day": self.day_of_month}
        return _("%(rule)s, %(start)s to %(end)s") % {"rule": text, **times}

    def _weekday(self, number: int) -> str:
        return str(self.Weekday(number).label)


# What a session's card reads: its times and places (is_past, places_left), who it is for
# (for_whom), its surgery's name, clock and audience, and its venue's name.
CARD_FIELDS = (
    "date",
    "start_time",
    "end_time",
    "online_url",
    "for_kinds",
    "for_miles",
    "venue_id",
    "cancelled_at",
    "help_places",
    "member_places",
    "surgeon_places",
    "surgery__name",
    "surgery__slug",
    "surgery__time_zone",
    "surgery__audience",
    "venue__name",
)


class SessionQuerySet(models.QuerySet):
    def public(self) -> SessionQuerySet:
        """Sessions of surgeries anyone may see (see SurgeryQuerySet.public)."""
        return (
            self.filter(surgery__approved_at__isnull=False, surgery__closed_at__isnull=True)
            .exclude(surgery__audience=Audience.MEMBERS)
            .exclude(surgery__kind=Surgery.Kind.EVENT)
        )

    def with_counts(self) -> SessionQuerySet:
        """Each session read with its places taken (`help_taken`, `surgeons_taken` and
        `members_taken`), so lists can show what is left without a query per row.

        Counted once the sessions are read, in one query for all of them, grouped on the
        bookings alone: as an annotation, Django took 1.3 to 2.7 ms of a public page to
        build the grouped query, and the database grouped every column of every session
        and its surgery. A list filtered or ordered on its places uses with_counts_each().
        """
        sessions = self.all()
        sessions._iterable_class = _PlacesCounted
        return sessions

    def with_counts_each(self) -> SessionQuerySet:
        """with_counts() in the query, each session's places counted on its own: for a list
        filtered on its places and cut in order (the API's sessions with a place left)."""
        return self.annotate(
            help_taken=self._places_taken(role=PlaceRole.HELP),
            surgeons_taken=self._places_taken(role=PlaceRole.SURGEON),
            members_taken=self._places_taken(role=PlaceRole.HELP, as_member=True),
        )

    def _places_taken(self, **where) -> Coalesce:
        counted = (
            _taking_places(session=models.OuterRef("pk"), **where)
            .order_by()
            .values("session")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return Coalesce(models.Subquery(counted), 0, output_field=models.IntegerField())

    def upcoming(self, today: dt.date | None = None) -> SessionQuerySet:
        # By id after the time, so that sessions at the same time keep one order: a list
        # cut into pages (the calendar, the API) shows each of them once, on one page.
        # `today` is for a prepared query (lib/prepared.py), which cannot read the clock.
        today = today or timezone.localdate()
        return self.filter(date__gte=today).order_by("date", "start_time", "pk")

    def for_cards(self) -> SessionQuerySet:
        """With its surgery and venue, reading only what a session's card shows
        (surgeries/templatetags/cards.py): a session with its surgery and venue is
        seventy columns, and Django takes time to build and fill each one."""
        return self.select_related("surgery", "venue").only(*CARD_FIELDS)

    def held(self) -> SessionQuerySet:
        """Sessions that took place: not cancelled, and either past or with help recorded.

        Help recorded at today's session counts its people as helped at once, so the session
        counts as held from then too: "0 sessions, 3 people helped" would not add up.
        """
        today = timezone.localdate()
        # By the relation's name: the records of help belong to an app above this one.
        helped_here = Session.objects.filter(date__gte=today, help_records__isnull=False)
        return self.filter(cancelled_at__isnull=True).filter(
            models.Q(date__lt=today) | models.Q(pk__in=helped_here.values("pk"))
        )


class _PlacesCounted(models.query.ModelIterable):
    """Sessions as Django reads them, then their places counted (with_counts()). values()
    and values_list() read with iterables of their own, so they count nothing."""

    def __iter__(self) -> Iterator[Session]:
        sessions = list(super().__iter__())
        if sessions:
            count_places(sessions, using=self.queryset.db)
        yield from sessions


# In SQL: the ORM took longer to build this query than the database took to answer it.
_COUNT_PLACES = """
    SELECT {session}, {role}, {as_member}, COUNT(*) FROM {table}
    WHERE {session} IN ({ids}) AND {status} IN ({taken}) GROUP BY {session}, {role}, {as_member}
"""
# Sessions counted in one query: far below either database's limit on parameters.
_COUNT_AT_ONCE = 2000


def count_places(sessions: list[Session], *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Set each session's places taken, as with_counts() reads them: one query."""
    counts = places_taken([s.pk for s in sessions], using=using)
    for session in sessions:
        set_places_taken(session, counts.get(session.pk, (0, 0, 0)))


def set_places_taken(session: Session, taken: tuple[int, int, int]) -> None:
    """Give a session its places taken, for help, by surgeons and by members, as
    with_counts() does: what places_taken() counts, or a row of them kept."""
    # What with_counts() adds to a session, as an annotation would.
    help_, surgeons, members = taken
    session.help_taken = help_  # type: ignore[attr-defined]
    session.surgeons_taken = surgeons  # type: ignore[attr-defined]
    session.members_taken = members  # type: ignore[attr-defined]


def places_taken(
    session_ids: Iterable[int], *, using: str = DEFAULT_DB_ALIAS
) -> dict[int, tuple[int, int, int]]:
    """The places taken at each of these sessions that has any: for help, by surgeons, and
    of those for help, by members. One query."""
    # By the relation's name: bookings belong to an app above this one.
    booking = Session._meta.get_field("bookings").related_model._meta
    column = {
        name: booking.get_field(name).column  # type: ignore[union-attr]  # fields, not relations
        for name in ("session", "role", "as_member", "status")
    }
    taken_marks = ", ".join(["%s"] * len(TAKES_A_PLACE))
    ids = sorted(set(session_ids))
    counts: dict[int, tuple[int, int, int]] = {}
    with connections[using].cursor() as cursor:
        for start in range(0, len(ids), _COUNT_AT_ONCE):
            chunk = ids[start : start + _COUNT_AT_ONCE]
            sql = _COUNT_PLACES.format(
                table=booking.db_table,
                ids=", ".join(["%s"] * len(chunk)),
                taken=taken_marks,
                **column,
            )
            cursor.execute(sql, [*chunk, *map(str, TAKES_A_PLACE)])
            for session_id, role, as_member, n in cursor.fetchall():
                help_, surgeons, members = counts.get(session_id, (0, 0, 0))
                if role == PlaceRole.HELP:
                    counts[session_id] = (help_ + n, surgeons, members + (n if as_member else 0))
                elif role == PlaceRole.SURGEON:
                    counts[session_id] = (help_, surgeons + n, members)
    return counts


class Session(QuickRows, models.Model):
    """One dated meeting of a surgery."""

    surgery = models.ForeignKey(Surgery, models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    venue = models.ForeignKey(Venue, models.PROTECT, null=True, blank=True, related_name="sessions")
    online_url = models.URLField(_("online link"), blank=True)
    help_places = models.PositiveSmallIntegerField(_("places for people wanting help"))
    # At a surgery for both: how many of the help places are kept for the organisation's
    # members. Anyone else may take only the rest.
    member_places = models.PositiveSmallIntegerField(
        _("of these, places kept for our members"), default=0
    )
    surgeon_places = models.PositiveSmallIntegerField(_("places for surgeons"))
    notes = models.TextField(_("anything else people should know"), blank=True)
    # A campaign chapter's event has a name ("Quiz night at the Red Lion") and may suggest a
    # donation, in the chapter's currency (`surgery.campaign_chapter.currency`).
    title = models.CharField(_("name of the event"), max_length=120, blank=True)
    # A session that brings groups together: the kinds of group it is for (Organisation.Kind
    # values) and how far from its venue they may be. Empty: any group, from anywhere.
    for_kinds = models.JSONField(_("kinds of group it is for"), default=list, blank=True)
    for_miles = models.PositiveSmallIntegerField(_("within how many miles"), null=True, blank=True)
    suggested_donation = models.DecimalField(
        _("suggested donation"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    # Made by a repeating series; still edited and cancelled on its own.
    series = models.ForeignKey(
        SessionSeries, models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Set when the date, time or place changes after people have booked.
    moved_at = models.DateTimeField(null=True, blank=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["date", "start_time"]
        indexes = [
            # In the order sessions are listed (upcoming()), so that the next few in the
            # network are read in order and no more (the home page: 242 read and sorted for
            # 12 on the large tier, 4.3 to 1.0 ms). With whether it was cancelled, so that
            # counting the sessions of some weeks reads only the index (the network's
            # dashboard: 18 ms to 3 ms on the large tier).
            models.Index(
                fields=["date", "start_time", "id", "surgery", "cancelled_at"],
                name="session_date_idx",
            ),
            # A surgery's next and last session (SurgeryQuerySet.with_activity).
            models.Index(fields=["surgery", "date"], name="session_surgery_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.surgery} – {self.date:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("session", args=[self.pk])

    @property
    def suggested_donation_text(self) -> str:
        """ "£5": in the currency of the campaign chapter whose event this is. Through the
        relation's name, as the campaigns app is above this one."""
        if self.suggested_donation is None:
            return ""
        chapter = getattr(self.surgery, "campaign_chapter", None)
        return money_text(self.suggested_donation, chapter.currency if chapter else "", whole=True)

    def _at(self, day: dt.date, time: dt.time) -> dt.datetime:
        """The instant a wall-clock time on the surgery's clock is. In a clock change's gap
        (1:30am on the day clocks go forward) it is the time an hour later, as zoneinfo
        reads it (fold=0); an hour that happens twice is its first time."""
        local = dt.datetime.combine(day, time, tzinfo=self.surgery.zone)
        # Through UTC, so the offset is the one in force then, and comparisons are exact.
        return local.astimezone(dt.UTC).astimezone(self.surgery.zone)

    @property
    def starts_at(self) -> dt.datetime:
        """When the session begins: aware, in the surgery's own zone."""
        return self._at(self.date, self.start_time)

    @property
    def ends_at(self) -> dt.datetime:
        return self._at(self.date, self.end_time)

    @property
    def zone_label(self) -> str:
        """Says whose clock the times are on for a surgery abroad: "Toronto time"."""
        return self.surgery.zone_label

    @property
    def is_past(self) -> bool:
        return self.ends_at <= timezone.now()

    @property
    def is_on_now(self) -> bool:
        """Begun and not yet over: lists say so rather than offer a place an hour in."""
        return self.starts_at <= timezone.now() < self.ends_at and not self.is_cancelled

    @property
    def reminder_at(self) -> dt.datetime:
        """The day before, at the surgery's reminder time."""
        day_before = self.date - dt.timedelta(days=1)
        return self._at(day_before, self.surgery.reminder_time)

    @property
    def cover_check_at(self) -> dt.datetime:
        """When organisers hear if there are too few surgeons: two days ahead."""
        return self.starts_at - dt.timedelta(days=2)

    @property
    def thank_you_at(self) -> dt.datetime:
        return self.ends_at + dt.timedelta(hours=1)

    @property
    def brings_groups_together(self) -> bool:
        return bool(self.for_kinds)

    @property
    def for_whom(self) -> str:
        """Who a session that brings groups together is for, in plain words: "For sports
        clubs and Friends of a park or nature reserve groups within 3 miles of Leasowes
        Park". Empty for an ordinary session."""
        kinds = [str(KIND_PLURALS[k]) for k in self.for_kinds if k in KIND_PLURALS]
        if not kinds:
            return ""
        if len(kinds) == 1:
            listed = kinds[0]
        else:
            listed = gettext("%(kinds)s and %(last)s") % {
                "kinds": ", ".join(kinds[:-1]),
                "last": kinds[-1],
            }
        if self.for_miles and self.venue_id is None:
            # Measured from the surgery, whose place name is one query away: no place named.
            return ngettext(
                "For %(kinds)s within %(miles)s mile",
                "For %(kinds)s within %(miles)s miles",
                self.for_miles,
            ) % {"kinds": listed, "miles": self.for_miles}
        if self.for_miles and self.venue:
            return ngettext(
                "For %(kinds)s within %(miles)s mile of %(place)s",
                "For %(kinds)s within %(miles)s miles of %(place)s",
                self.for_miles,
            ) % {"kinds": listed, "miles": self.for_miles, "place": self.venue.name}
        return gettext("For %(kinds)s") % {"kinds": listed}

    @property
    def is_short_of_surgeons(self) -> bool:
        """Fewer than one surgeon for every two people booked. A session with no places for
        surgeons (a campaign chapter's event) never asks for them."""
        if not self.surgeon_places:
            return False
        return self._taken(PlaceRole.SURGEON) * 2 < self._taken(PlaceRole.HELP)

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def is_open(self) -> bool:
        """People can still book, offer to help or cancel."""
        return not self.is_past and not self.is_cancelled

    def _taken(self, role: str) -> int:
        attr = "help_taken" if role == PlaceRole.HELP else "surgeons_taken"
        if hasattr(self, attr):
            return getattr(self, attr)
        return _places_taken.first(session_id=self.pk, role=role) or 0

    def places_for(self, role: str) -> int:
        return self.help_places if role == PlaceRole.HELP else self.surgeon_places

    @property
    def kept_places_left(self) -> int:
        """Help places still kept for the organisation's members, at a surgery for both."""
        if not self.member_places or self.surgery.audience != Audience.BOTH:
            return 0
        if hasattr(self, "members_taken"):
            members = self.members_taken
        else:
            members = _members_taken.first(session_id=self.pk) or 0
        return max(self.member_places - members, 0)

    def places_left(self, role: str) -> int:
        """Places anyone may still take: at a surgery for both, not those kept for members."""
        kept = self.kept_places_left if role == PlaceRole.HELP else 0
        return max(self.places_for(role) - self._taken(role) - kept, 0)

    def places_left_for(self, role: str, *, member: bool) -> int:
        """Places this person may still take: a member may take the kept ones too."""
        if member:
            return max(self.places_for(role) - self._taken(role), 0)
        return self.places_left(role)

    @property
    def member_help_places_left(self) -> int:
        return self.places_left_for(PlaceRole.HELP, member=True)

    @property
    def help_places_left(self) -> int:
        return self.places_left(PlaceRole.HELP)

    @property
    def surgeon_places_left(self) -> int:
        return self.places_left(PlaceRole.SURGEON)


def _taking_places(**where) -> models.QuerySet:
    """The bookings that hold one of their session's places, and match `where`."""
    # By the relation's name: bookings belong to an app above this one.
    booking = Session._meta.get_field("bookings").related_model
    return booking._default_manager.filter(status__in=TAKES_A_PLACE, **where)


def _taken_at(session_id: int, **where) -> models.QuerySet:
    return (
        _taking_places(session_id=session_id, **where)
        .order_by()
        .values_list(Counted("pk"), flat=True)
    )


# A session's places taken, counted when they were not read with it: as a booking takes a
# place, under the session's lock. Prepared (lib/prepared.py), as Django took three times
# the database's time to build the count.
_places_taken = Prepared(lambda session_id, role: _taken_at(session_id, role=role))
_members_taken = Prepared(
    lambda session_id: _taken_at(session_id, role=PlaceRole.HELP, as_member=True)
)


class Change(models.Model):
    """One row per transaction step that changed a surgery's figures: an append-only log.

    `surgery_id` 0 stands for changes that touch every surgery (a group's kind, say). A
    snapshot remembers how many rows there were for its surgeries, and the last one; when
    either differs it is out of date. Rows are only ever inserted, never updated, so writers
    never wait for each other here; a daily job keeps only the last row per surgery.
    """

    surgery_id = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["surgery_id", "id"], name="change_surgery_idx")]

    def __str__(self) -> str:
        return f"change #{self.pk} to surgery {self.surgery_id}"
