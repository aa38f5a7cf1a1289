"""What the API sends and takes. Each output lists only what its web page shows."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class Paged(Schema):
    count: int
    next: str | None
    previous: str | None


class SurgeryOut(Schema):
    slug: str
    name: str
    place: str
    url: str
    latitude: float | None
    longitude: float | None
    distance_miles: float | None = Field(description="From the place searched for, if any.")
    next_session: dt.date | None
    dormant: bool


class SurgeryPage(Paged):
    results: list[SurgeryOut]


class SurgeryDetailOut(SurgeryOut):
    description: str
    who_for: str


class SessionOut(Schema):
    id: int
    surgery: str = Field(description="The surgery's slug.")
    surgery_name: str
    title: str
    date: dt.date
    # Local times as 18:00: JSON Schema's "time" format wants an offset, which a wall clock
    # time in the surgery's own place has none of.
    start_time: str = Field(pattern=r"^\d\d:\d\d$")
    end_time: str = Field(pattern=r"^\d\d:\d\d$")
    time_zone: str = Field(description="The surgery's time zone, e.g. Europe/London.")
    starts_at: dt.datetime = Field(description="When it starts, with the zone's offset.")
    ends_at: dt.datetime
    venue: str | None
    address: str | None
    online: bool
    help_places_left: int
    surgeon_places_left: int
    cancelled: bool
    url: str
    book_url: str


class SessionPage(Paged):
    results: list[SessionOut]


class FiguresOut(Schema):
    scope: str
    slug: str | None = None
    name: str | None = None
    date_from: dt.date | None = Field(None, alias="from")
    date_to: dt.date | None = Field(None, alias="to")
    being_counted: bool
    message: str | None = None
    counted_at: dt.datetime | None = None
    figures: dict[str, int | float | None] | None = None


class OrganisationOut(Schema):
    name: str
    kind: str


class BookingOut(Schema):
    id: int
    role: str = Field(description="help or surgeon")
    status: str
    name: str
    confirmed: bool = Field(description="Said they are still coming.")
    organisation: OrganisationOut | None
    goal: str
    web_use: str
    access_needs: str
    heard_about: str
    got_done: str
    topics: list[str]


class BookingPage(Paged):
    results: list[BookingOut]


class BookingIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    email: str = Field("", max_length=254, description="Empty if they have none.")
    phone: str = Field("", max_length=40)
    goal: str = Field("", max_length=1000)
    topics: list[str] = Field(default_factory=list, description="Topic slugs.", max_length=20)
    organisation_name: str = Field("", max_length=200)
    access_needs: str = Field("", max_length=1000)
    consent_contact: bool = Field(False, description="They agreed to be emailed about it.")


class BookingMadeOut(Schema):
    id: int
    status: str = Field(description="booked, or waiting when the session is full.")


class HelpRecordIn(Schema):
    booking: int = Field(description="The id of the booking of the person helped.")
    surgeon: int | None = Field(None, description="The id of the surgeon's booking.")
    topics: list[str] = Field(min_length=1, max_length=20, description="Topic slugs.")
    note: str = Field(min_length=1, max_length=2000)
    links: list[str] = Field(default_factory=list, max_length=20)
    minutes: int | None = Field(None, ge=1, le=600)
    public: bool = Field(False, description="They agreed this help may be shown publicly.")


class HelpRecordMadeOut(Schema):
    id: int


class HelpRowOut(Schema):
    """One record of help, with the fields of the organisers' CSV download."""

    date: dt.date
    surgery: str
    kind_of_group: str
    person: int = Field(description="A number: the same person has the same number in one list.")
    topics: list[str]
    minutes: int | None
    links: int
    public: bool


class HelpRowPage(Paged):
    results: list[HelpRowOut]
