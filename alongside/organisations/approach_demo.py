"""Dudley CVS's approach pack in the demo: where it is online and who looks after each place,
its policy at version 2 and escalation procedure at version 1 with most members having read
them, five guidance sheets chosen, and four courses with the criteria for paying for one.

Rows go in directly, as in the rest of the demo: the services would email every member.
"""

from __future__ import annotations

import datetime as dt
import random

from alongside.guidance.models import Sheet
from alongside.organisations.approach_services import starting_text
from alongside.organisations.models import (
    ACKNOWLEDGED_KINDS,
    Acknowledgement,
    ChosenSheet,
    Course,
    DocumentKind,
    DocumentVersion,
    Membership,
    Platform,
)
from alongside.surgeries.models import Organisation, Topic

# (name, address, what for, usernames of who looks after it)
PLATFORMS = [
    ("Facebook page", "https://www.facebook.com/example-dudleycvs",
     "News, events and thanks to the groups we work with.", ["lorna", "gemma.t"]),
    ("X (Twitter)", "", "Quick news, and talking with partners and the council.", ["raj.k"]),
    ("Instagram", "", "Photos from events, with people's permission.", ["gemma.t", "nasreen.a"]),
    ("Our website", "https://dudleycvs.example/", "Everything people need to find us and "
     "our services; the place every post links back to.", ["melissa"]),
    ("Our Flickr account", "", "The photo library: events and volunteers, for groups and the "
     "local paper to use.", ["paul.w"]),
    ("Volunteers' WhatsApp group", "", "Shifts, swaps and reminders for volunteers. Not for "
     "anything private about the people we help.", ["sue.h", "andrew.b"]),
]  # fmt: skip

SHEETS = [
    "social-media-policy",
    "keeping-accounts-safe",
    "facebook-page-for-your-group",
    "newsletters",
    "simple-website",
]

# (title, provider, link, cost, length, topic slug, notes for line managers)
COURSES = [
    ("Top tips for staff: staying safe online", "National Cyber Security Centre", "",
     "Free", "30 minutes online", "safety",
     "Everyone should do this one in their first month, volunteers too."),
    ("Canva for charities", "Charity training online", "", "£45 a person",
     "Half a day online", "photos-video",
     "Worth it for whoever makes most of our posters. Ask Gemma first: she may show you."),
    ("Facebook adverts on a small budget", "Black Country business network", "",
     "£95", "One day in Brierley Hill", "facebook",
     "Only for staff running a paid campaign this year, and they share what they learn."),
    ("Making short videos on your phone", "Dudley adult learning", "", "Free",
     "Two mornings", "photos-video", "Good for volunteers. We pay bus fares."),
]  # fmt: skip

# The policy's second version: the volunteers' WhatsApp group needed a line of its own.
WHATSAPP = """

## Our volunteers' WhatsApp group

It is for shifts, swaps and reminders. Never share anything private about the people we
help in it, and never add someone without asking them first."""

READ_SHARE = 0.8


def add_approach(organisation: Organisation, *, now: dt.datetime, seed: int = 2011) -> None:
    if DocumentVersion.objects.filter(organisation=organisation).exists():
        return
    rng = random.Random(seed)
    members = list(Membership.objects.filter(organisation=organisation).select_related("user"))
    by_username = {m.user.username: m for m in members}
    lorna = by_username["lorna"]

    for name, url, purpose, keepers in PLATFORMS:
        platform = Platform.objects.create(
            organisation=organisation,
            name=name,
            url=url,
            purpose=purpose,
            created_at=now - dt.timedelta(days=170),
        )
        platform.keepers.set([by_username[u] for u in keepers if u in by_username])

    def version(kind, number, body, days_ago):
        return DocumentVersion.objects.create(
            organisation=organisation,
            kind=kind,
            number=number,
            body=body,
            written_by=lorna.user,
            written_at=now - dt.timedelta(days=days_ago),
        )

    policy = starting_text(organisation, DocumentKind.POLICY)
    first = version(DocumentKind.POLICY, 1, policy, 160)
    current = {
        DocumentKind.POLICY: version(DocumentKind.POLICY, 2, policy + WHATSAPP, 40),
        DocumentKind.ESCALATION: version(
            DocumentKind.ESCALATION, 1, starting_text(organisation, DocumentKind.ESCALATION), 150
        ),
    }
    version(
        DocumentKind.TRAINING_CRITERIA,
        1,
        starting_text(organisation, DocumentKind.TRAINING_CRITERIA),
        150,
    )
    acks = [
        Acknowledgement(
            version=first, membership=m, acknowledged_at=first.written_at + dt.timedelta(days=3)
        )
        for m in members
        if rng.random() < 0.9
    ]
    for kind in ACKNOWLEDGED_KINDS:
        v = current[kind]
        # About four in five have read the current versions; Lorna wrote them.
        readers = [lorna] + rng.sample(
            [m for m in members if m != lorna], round(len(members) * READ_SHARE) - 1
        )
        acks += [
            Acknowledgement(
                version=v,
                membership=m,
                acknowledged_at=v.written_at + dt.timedelta(days=rng.randint(0, 20), hours=2),
            )
            for m in readers
        ]
    Acknowledgement.objects.bulk_create(acks)

    sheets = Sheet.objects.published().in_bulk(SHEETS, field_name="slug")
    ChosenSheet.objects.bulk_create(
        ChosenSheet(organisation=organisation, sheet=sheets[slug], position=i)
        for i, slug in enumerate(SHEETS, start=1)
        if slug in sheets
    )
    topics = Topic.objects.in_bulk(field_name="slug")
    Course.objects.bulk_create(
        Course(
            organisation=organisation,
            title=title,
            provider=provider,
            url=url,
            cost=cost,
            length=length,
            topic=topics.get(topic),
            notes=notes,
            created_at=now - dt.timedelta(days=120),
        )
        for title, provider, url, cost, length, topic, notes in COURSES
    )
