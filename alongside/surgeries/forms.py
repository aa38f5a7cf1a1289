from __future__ import annotations

import datetime as dt
from typing import cast

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alongside.lib import geo
from alongside.lib.fields import check_sensible_date
from alongside.lib.prepared import Prepared
from alongside.lib.zones import network_time_zone, time_zone_choices
from alongside.surgeries.models import (
    Area,
    Audience,
    Organisation,
    Organiser,
    PlaceRole,
    PlaceStatus,
    Session,
    SessionSeries,
    Surgery,
    Topic,
    Venue,
)


class SurgeryForm(forms.ModelForm):
    class Meta:
        model = Surgery
        fields = [
            "name",
            "place_name",
            "description",
            "who_for",
            "host_organisation",
            "contact_name",
            "contact_email",
            "postcode",
            "time_zone",
            "reminder_time",
            "heard_about_options",
            "decline_message",
            "clash_miles",
            "languages",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "who_for": forms.Textarea(attrs={"rows": 2}),
            "reminder_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "heard_about_options": forms.Textarea(attrs={"rows": 5}),
            "decline_message": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "name": _("For example: Stourbridge Social Media Surgery."),
            "contact_email": _("Shown on the surgery's page so people can ask questions."),
        }

    # These have sensible defaults; leaving one empty puts the default back.
    OPTIONAL_WITH_DEFAULTS = (
        "reminder_time",
        "heard_about_options",
        "decline_message",
        "clash_miles",
        "languages",
    )

    # A plain select, the network's zone first: most surgeries never change it, and it
    # works without JavaScript (type a letter to jump through the list).
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        required=False,
        help_text=_(
            "Session times are in this time zone. For a surgery abroad, choose the nearest "
            "big city in the same time zone."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.OPTIONAL_WITH_DEFAULTS:
            self.fields[name].required = False

    def clean_time_zone(self) -> str:
        return self.cleaned_data.get("time_zone") or network_time_zone()

    def _or_default(self, name: str):
        value = self.cleaned_data.get(name)
        field = Surgery._meta.get_field(name)
        assert isinstance(field, models.Field)  # a column of the surgery, not a relation
        return value if value not in (None, "") else field.default

    def clean_reminder_time(self):
        return self._or_default("reminder_time")

    def clean_heard_about_options(self):
        return self._or_default("heard_about_options")

    def clean_decline_message(self):
        return self._or_default("decline_message")

    def clean_clash_miles(self):
        return self._or_default("clash_miles")

    def clean_languages(self):
        return self._or_default("languages")


class SessionForm(forms.ModelForm):
    new_venue_name = forms.CharField(label=_("New venue name"), max_length=120, required=False)
    new_venue_address = forms.CharField(
        label=_("New venue address"), max_length=250, required=False
    )
    new_venue_postcode = forms.CharField(
        label=_("New venue postcode"), max_length=10, required=False
    )
    # A session that brings groups together: which kinds, and from how far.
    for_kinds = forms.MultipleChoiceField(
        label=_("Is this session for particular kinds of group?"),
        choices=Organisation.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Tick any kinds of group you want to bring together. We will list the groups "
            "near you so you can invite them. Leave them all empty for an ordinary session."
        ),
    )

    class Meta:
        model: type[models.Model] = Session  # SeriesForm's is a SessionSeries
        fields = [
            "title",
            "date",
            "start_time",
            "end_time",
            "venue",
            "online_url",
            "help_places",
            "member_places",
            "surgeon_places",
            "notes",
            "suggested_donation",
            "for_kinds",
            "for_miles",
        ]
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "venue": _("Pick a venue you have used before, or add a new one below."),
            "online_url": _("For sessions held online, the link people use to join."),
            "for_miles": _("Leave empty for groups from anywhere."),
            "help_places": _("How many people wanting help you can welcome."),
            "surgeon_places": _("How many volunteer surgeons you would like."),
            "member_places": _(
                "Only your organisation's members can book these. Anyone else can book the rest."
            ),
        }
        labels = {"for_miles": _("Within how many miles of the venue?")}

    def __init__(self, *args, surgery, **kwargs):
        super().__init__(*args, **kwargs)
        venue = cast(forms.ModelChoiceField, self.fields["venue"])
        venue.queryset = Venue.objects.filter(surgery=surgery)
        venue.required = False
        venue.empty_label = _("A new venue, or online")
        self.surgery = surgery
        # A repeating series brings nobody together: only one dated session invites groups.
        if not isinstance(self.instance, Session):
            del self.fields["for_kinds"]
        for name in ("date", "first_date", "last_date"):
            if name in self.fields:
                self.fields[name].validators.append(check_sensible_date)
        help_places = cast(forms.IntegerField, self.fields["help_places"])
        help_places.min_value = 1
        help_places.widget.attrs["min"] = 1
        # Places are kept for members only at a surgery for both them and anyone else.
        if surgery.audience != Audience.BOTH:
            del self.fields["member_places"]
        # A campaign chapter's event has a name and may suggest a donation; it asks for no
        # surgeons. Any other session has none of these.
        if "title" in self.fields:
            if surgery.is_event_host:
                self.fields["title"].required = True
                del self.fields["surgeon_places"]
                self.fields["help_places"].help_text = _(
                    "When they are all taken, people can join a waiting list."
                )
            else:
                del self.fields["title"], self.fields["suggested_donation"]

    def clean(self):
        data = super().clean() or self.cleaned_data
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The end time must be after the start time."))
        kept, places = data.get("member_places"), data.get("help_places")
        if kept is not None and places is not None and kept > places:
            self.add_error(
                "member_places",
                _("You can keep at most %(places)s places: there are only that many.")
                % {"places": places},
            )
        if data.get("new_venue_name") and not data.get("new_venue_address"):
            self.add_error("new_venue_address", _("Enter the new venue's address."))
        if self.instance.pk:
            # Lowering places never drops someone who is booked: they would not know.
            for role, name in (
                (PlaceRole.HELP, "help_places"),
                (PlaceRole.SURGEON, "surgeon_places"),
            ):
                booked = self.instance.bookings.filter(role=role, status=PlaceStatus.BOOKED)
                count = booked.count()
                if data.get(name) is not None and data[name] < count:
                    self.add_error(
                        name,
                        _(
                            "%(count)s people are booked, so there must be at least %(count)s "
                            "places. Cancel or decline bookings first if you need fewer."
                        )
                        % {"count": count},
                    )
        if not (data.get("venue") or data.get("new_venue_name") or data.get("online_url")):
            self.add_error("venue", _("Choose a venue, add a new one, or give an online link."))
        if "for_kinds" in self.fields:
            self._clean_for_groups(data)
        return data

    def _clean_for_groups(self, data: dict) -> None:
        miles = data.get("for_miles")
        if miles is None:
            return
        if not data.get("for_kinds"):
            self.add_error(
                "for_miles", _("Tick the kinds of group first, or leave the miles empty.")
            )
            return
        venue = data.get("venue")
        if venue is not None:
            placed = venue.latitude is not None and venue.longitude is not None
        elif data.get("new_venue_name"):
            placed = geo.postcode_position(data.get("new_venue_postcode") or "") is not None
        else:
            placed = False
        if not placed and self.surgery.latitude is None:
            self.add_error(
                "for_miles",
                _(
                    "We don't know where the venue is, so we can't measure miles from it. "
                    "Give the venue a postcode or a map point first."
                ),
            )


class SeriesForm(SessionForm):
    """A repeating session: the session's fields, how often, and from when to when."""

    class Meta(SessionForm.Meta):
        model = SessionSeries
        fields = [
            "rule",
            "week",
            "weekday",
            "day_of_month",
            "first_date",
            "last_date",
            "start_time",
            "end_time",
            "venue",
            "online_url",
            "help_places",
            "member_places",
            "surgeon_places",
            "notes",
        ]
        widgets = {
            **SessionForm.Meta.widgets,
            "rule": forms.RadioSelect,
            "first_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "last_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            **SessionForm.Meta.help_texts,
            "week": _("For monthly sessions on a weekday: the first Thursday, the last Friday…"),
            "weekday": _("For monthly sessions on a weekday."),
            "first_date": _("The first session is on this date or the first match after it."),
            "last_date": _("Leave empty to keep going until you stop it."),
        }

    day_of_month = forms.TypedChoiceField(
        label=_("Date in the month"),
        # Only days every month has, and "the last day": a series never skips a month.
        choices=[("", _("Choose a date"))]
        + [(n, str(n)) for n in range(1, 29)]
        + [(SessionSeries.LAST_DAY, _("The last day of the month"))],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("For monthly sessions on a date. The 29th to 31st are not in every month."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A choice is needed and one is always made (the view starts from the monthly rule):
        # no blank "---------" radio button among them.
        rule = cast(forms.ChoiceField, self.fields["rule"])
        rule.choices = SessionSeries.Rule.choices
        # The lists only monthly sessions need start with what to do, in words.
        for name, blank, choices in (
            ("week", _("Choose a week"), SessionSeries.Week.choices),
            ("weekday", _("Choose a day"), SessionSeries.Weekday.choices),
        ):
            cast(forms.ChoiceField, self.fields[name]).choices = [("", blank), *choices]

    def clean(self):
        data = super().clean() or self.cleaned_data
        Rule = SessionSeries.Rule
        rule = data.get("rule")
        if rule == Rule.MONTHLY_WEEKDAY:
            if data.get("week") is None:
                self.add_error("week", _("Choose which week of the month."))
            if data.get("weekday") is None:
                self.add_error("weekday", _("Choose the day of the week."))
        if rule == Rule.MONTHLY_DAY and data.get("day_of_month") is None:
            self.add_error("day_of_month", _("Choose the date in the month."))
        first, last = data.get("first_date"), data.get("last_date")
        if first and first < timezone.localdate():
            self.add_error("first_date", _("The first date must be today or later."))
        if first and last and last < first:
            self.add_error("last_date", _("The last date must be after the first."))
        return data


class OrganiserEmailsForm(forms.ModelForm):
    class Meta:
        model = Organiser
        fields = ["booking_emails"]
        widgets = {"booking_emails": forms.RadioSelect}


class _EveryRow(forms.models.ModelChoiceIterator):
    """A field's choices: every row, read with the field's prepared query (lib/prepared.py).

    Django reads them with .iterator(), which on PostgreSQL opens a cursor on the server and
    fetches from it: listing the topics took 0.9 ms on the large tier, 0.3 ms like this.
    """

    field: _EveryRowField

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for row in self.field.every.list():
            # A pair read as values is already a choice but for its label: no row made for it
            # (see areas and topics).
            yield self.field.pair(row) if type(row) is tuple else self.choice(row)

    def __len__(self) -> int:
        return len(self.field.every.list()) + (self.field.empty_label is not None)

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or bool(self.field.every.list())


class _EveryRowField(forms.ModelChoiceField):
    iterator = _EveryRow

    def __init__(self, every: Prepared, **kwargs) -> None:
        self.every = every
        super().__init__(**kwargs)

    def pair(self, row: tuple) -> tuple:
        """A choice from a row read as a pair: its value, and its label as it is shown."""
        return row


_chosen_topics = Prepared(lambda ids: Topic.objects.filter(pk__in=ids))
_topic_by_slug = Prepared(lambda slug: Topic.objects.filter(slug=slug))
# Each topic's id or slug and name, which is all its choice shows: the twenty topics of the
# booking form, the console and the directory were each made a row, then a choice.
_topic_ids = Prepared(lambda: Topic.objects.values_list("pk", "name"))
_topic_slugs = Prepared(lambda: Topic.objects.values_list("slug", "name"))
# Each area's slug and name, which is all its choice shows: the calendar's 344 areas on the
# large tier took 7 ms to list as rows, each made into an Area and then into a choice.
_every_area = Prepared(lambda: Area.objects.order_by("name").values_list("slug", "name"))


class _TopicPairs(_EveryRowField):
    def pair(self, row: tuple) -> tuple:
        return (row[0], gettext(row[1]))  # as Topic.__str__ names it


class TopicChoiceField(_TopicPairs):
    """One topic, named by its slug."""

    def __init__(self, **kwargs) -> None:
        super().__init__(_topic_slugs, queryset=Topic.objects.all(), to_field_name="slug", **kwargs)

    def to_python(self, value):
        """As Django's, the topic read by a prepared query: Django took longer to build the
        query than the database took to answer it (a search of the directory by topic)."""
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        if isinstance(value, Topic):
            value = value.slug
        found = _topic_by_slug.first(slug=str(value))
        if found is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return found


class TopicsField(_TopicPairs, forms.ModelMultipleChoiceField):
    """Any of the topics, as checkboxes."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(_topic_ids, queryset=Topic.objects.all(), **kwargs)

    def _check_values(self, value):
        # A huge number overflows the database's integer before Django can say "not one of
        # the choices" (found by alongside/accounts/tests/test_fuzz.py: a server error).
        for pk in value:
            try:
                small = 0 < int(str(pk)) < 2**63
            except ValueError:
                small = False
            if not small:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        # Read by a prepared query, in their order: Django builds a query for each one ticked,
        # then one for them all (0.4 ms of a booking).
        found = _chosen_topics.list(ids=tuple(int(str(pk)) for pk in value))
        known = {topic.pk for topic in found}
        for pk in value:
            if int(str(pk)) not in known:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return found


class DirectoryForm(forms.Form):
    """Search and filters for the surgery directory. All optional: empty lists everything."""

    q = forms.CharField(
        label=_("Town or postcode"),
        max_length=80,
        required=False,
        help_text=_("For example Stourbridge, DY8 or DY8 1DE. The nearest surgeries come first."),
    )
    topic = TopicChoiceField(label=_("Help with"), required=False, empty_label=_("Anything"))
    when = forms.ChoiceField(
        label=_("Has a session"),
        choices=[
            ("", _("At any time")),
            ("week", _("In the next 7 days")),
            ("month", _("In the next 30 days")),
        ],
        required=False,
    )
    online = forms.BooleanField(label=_("Only surgeries with sessions online"), required=False)
    # Filled by the "Use my location" button, from the browser's geolocation.
    lat = forms.FloatField(min_value=-90, max_value=90, required=False, widget=forms.HiddenInput)
    lng = forms.FloatField(min_value=-180, max_value=180, required=False, widget=forms.HiddenInput)

    def clean_q(self) -> geo.Place | None:
        query = " ".join(self.cleaned_data["q"].split())
        if not query:
            return None
        place = geo.place_for(query) or _surgery_place(query)
        if place is None:
            raise forms.ValidationError(
                _("We could not find “%(query)s”. Try a town, or a postcode area such as DY8."),
                params={"query": query},
            )
        return place

    def clean(self):
        data = super().clean() or self.cleaned_data
        place = data.get("q")
        if place is None and data.get("lat") is not None and data.get("lng") is not None:
            place = geo.Place(str(_("your location")), data["lat"], data["lng"])
        data["place"] = place
        return data


def _surgery_place(query: str) -> geo.Place | None:
    # A village too small for the gazetteer is still found when a surgery is there.
    row = (
        Surgery.objects.filter(place_name__iexact=query, latitude__isnull=False)
        .exclude(longitude=None)
        .values_list("place_name", "latitude", "longitude")
        .first()
    )
    # The filter leaves out rows without a position.
    return geo.Place(*cast("tuple[str, float, float]", row)) if row else None


# The month filter offers this many months from this one.
MONTHS = 6


def _months(today: dt.date) -> list[tuple[str, str]]:
    first = today.replace(day=1)
    months = []
    for n in range(MONTHS):
        year, month = divmod(first.month - 1 + n, 12)
        day = dt.date(first.year + year, month + 1, 1)
        months.append((day.strftime("%Y-%m"), date_format(day, "F Y")))
    return months


class CalendarForm(forms.Form):
    area = _EveryRowField(
        _every_area,
        label=_("Area"),
        queryset=Area.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All areas"),
    )
    month = forms.ChoiceField(label=_("Month"), required=False)

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["month"]).choices = [
            ("", _("All coming months")),
            *_months(today),
        ]


class VenueForm(forms.ModelForm):
    """A venue's details; for one outdoors, the spot on the map and what to expect."""

    map_point = forms.CharField(
        label=_("Map point"),
        required=False,
        max_length=60,
        help_text=_(
            "The exact spot, as latitude and longitude: for example 52.45, -2.05. You can "
            "copy it from most map apps. Leave empty to use the postcode."
        ),
    )

    class Meta:
        model = Venue
        fields = [
            "name",
            "address",
            "postcode",
            "outdoors",
            "directions",
            "weather_note",
            "wet_weather_plan",
            "access_notes",
        ]
        widgets = {
            "directions": forms.Textarea(attrs={"rows": 3}),
            "weather_note": forms.Textarea(attrs={"rows": 3}),
            "wet_weather_plan": forms.Textarea(attrs={"rows": 3}),
            "access_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        venue = self.instance
        if venue.latitude is not None and venue.longitude is not None and not self.is_bound:
            self.initial["map_point"] = f"{venue.latitude:.5f}, {venue.longitude:.5f}"

    def clean_map_point(self) -> tuple[float, float] | None:
        text = self.cleaned_data["map_point"].strip()
        if not text:
            return None
        point = geo.parse_point(text)
        if point is None and geo.POINT_RE.match(text):
            raise forms.ValidationError(
                _("That is not a place on Earth: check the two numbers are the right way round.")
            )
        if point is None:
            raise forms.ValidationError(
                _(
                    "Enter the map point as two numbers with a comma, latitude first: for "
                    "example 52.45, -2.05."
                )
            )
        return point
