"""Dudley CVS's own space in the demo: thirty people in three teams, and two rounds of the check.

Call add_demo() after alongside.demo.build.build_demo_network(), inside or outside its
transaction. Dudley CVS had 18 staff, 14 trustees and volunteers long-serving and short-term
when it drafted its approach; the demo has a smaller board and fewer staff signed up so far:

- Lorna Prescott (sign in as lorna@dudleycvs.example) is its admin: /organisations/dudley-cvs/
  lists the teams and members, and its results page shows both rounds and the change;
- round 1 of the skills and needs check was six months ago, round 2 opened a fortnight ago
  and is still open; confidence has grown where the surgeries and peer support helped;
- the admins answered for the organisation as a whole in both rounds;
- some people chose to share their answers with the admins, and one invitation is out;
- Lorna, Raj Kandola and Sue Hadley pick up escalation reports (Melissa, an admin, does
  not): one closed report (a volunteer's photo of a client posted without consent) and one
  open one, picked up (a scam message on Instagram). Sign in as raj.k@dudleycvs.example to
  see /organisations/dudley-cvs/reports/, or as priya.m@dudleycvs.example to see her report.
- four mentor pairings, each between someone who said they could help with a topic and
  someone who wanted to learn it: two done after round 1 with their meetings recorded (the
  mentors thanked, the learners more confident), one under way since round 2, one offered
  and waiting for the mentor's answer. Lorna's Mentors page lists them all.
- its approach pack (/organisations/dudley-cvs/approach/): see approach_demo.py.
- Dudley Council has a space too, with an internal staff surgery and one for both
  (alongside.organisations.demo_council).
- a few members got help at the network's surgeries this year, so the outcomes report
  (/organisations/dudley-cvs/outcomes/) counts members supported as well as confidence.

Rows go in directly, as in alongside.demo: the services would email every address.
"""

from __future__ import annotations

import datetime as dt
import random

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from alongside.bookings.models import Booking
from alongside.helprecords.models import HelpRecord
from alongside.organisations.approach_demo import add_approach
from alongside.organisations.demo_council import add_council_demo
from alongside.organisations.models import (
    Acknowledgement,
    Invitation,
    MaturityScore,
    Membership,
    MentorMeeting,
    MentorPairing,
    OwnTopic,
    Rating,
    Report,
    Responder,
    Response,
    Role,
    Round,
    Step,
    Team,
)
from alongside.organisations.skills import AREA_KEYS, check_topics
from alongside.surgeries.models import Organisation, Session

NAME = "Dudley CVS"
DOMAIN = "dudleycvs.example"
STAFF_TEAM, BOARD, VOLUNTEERS = "Staff", "Board of trustees", "Volunteers"

# (username, first, last, role, team). Lorna and Melissa have accounts from the demo network.
PEOPLE = [
    ("lorna", "Lorna", "Prescott", Role.ADMIN, STAFF_TEAM),
    ("melissa", "Melissa", "Guest", Role.ADMIN, STAFF_TEAM),
    ("andrew.b", "Andrew", "Bayliss", Role.STAFF, STAFF_TEAM),
    ("sue.h", "Sue", "Hadley", Role.STAFF, STAFF_TEAM),
    ("raj.k", "Raj", "Kandola", Role.STAFF, STAFF_TEAM),
    ("gemma.t", "Gemma", "Tromans", Role.STAFF, STAFF_TEAM),
    ("paul.w", "Paul", "Whitehouse", Role.STAFF, STAFF_TEAM),
    ("nasreen.a", "Nasreen", "Akhtar", Role.STAFF, STAFF_TEAM),
    ("dave.p", "Dave", "Plant", Role.STAFF, STAFF_TEAM),
    ("karen.m", "Karen", "Mole", Role.STAFF, STAFF_TEAM),
    ("tom.f", "Tom", "Fellows", Role.STAFF, STAFF_TEAM),
    ("jas.s", "Jaswinder", "Sangha", Role.STAFF, STAFF_TEAM),
    ("margaret.c", "Margaret", "Cartwright", Role.TRUSTEE, BOARD),
    ("brian.h", "Brian", "Homer", Role.TRUSTEE, BOARD),
    ("elaine.d", "Elaine", "Dunn", Role.TRUSTEE, BOARD),
    ("mohammed.i", "Mohammed", "Iqbal", Role.TRUSTEE, BOARD),
    ("jean.r", "Jean", "Rollason", Role.TRUSTEE, BOARD),
    ("keith.b", "Keith", "Bissell", Role.TRUSTEE, BOARD),
    ("pauline.g", "Pauline", "Guest", Role.TRUSTEE, BOARD),
    ("colin.w", "Colin", "Worton", Role.TRUSTEE, BOARD),
    ("barbara.n", "Barbara", "Nock", Role.VOLUNTEER, VOLUNTEERS),
    ("ken.h", "Ken", "Harper", Role.VOLUNTEER, VOLUNTEERS),
    ("chloe.b", "Chloe", "Baker", Role.VOLUNTEER, VOLUNTEERS),
    ("amir.h", "Amir", "Hussain", Role.VOLUNTEER, VOLUNTEERS),
    ("joan.p", "Joan", "Pearson", Role.VOLUNTEER, VOLUNTEERS),
    ("liam.o", "Liam", "O'Neill", Role.VOLUNTEER, VOLUNTEERS),
    ("sophie.g", "Sophie", "Green", Role.VOLUNTEER, VOLUNTEERS),
    ("derek.m", "Derek", "Millward", Role.VOLUNTEER, VOLUNTEERS),
    ("priya.m", "Priya", "Mistry", Role.VOLUNTEER, VOLUNTEERS),
    ("ron.t", "Ron", "Taylor", Role.MEMBER, None),
]
OWN_TOPICS = ["Our Flickr account", "Our e-newsletter"]

# How confident each team starts, topic by topic (staff use the tools most), on 1 to 5.
START = {STAFF_TEAM: 3.0, BOARD: 2.1, VOLUNTEERS: 2.6, None: 2.4}
# Six months of surgeries and peer support later: where confidence grew most.
GROWTH = {
    "Facebook": 0.6,
    "Online safety and privacy": 0.9,
    "Our Flickr account": 1.1,
    "Photos and video": 0.7,
    "Email newsletters": 0.4,
}
# The organisation as a whole: (now, aim) in round 1, then now in round 2.
MATRIX = {
    "leadership": (2, 3, 2),
    "skills": (1, 3, 2),
    "tools": (1, 3, 3),
    "communication": (2, 3, 2),
    "safety": (1, 3, 3),
    "learning": (2, 4, 3),
}


def _person(username: str, first: str, last: str):
    email = f"{username}@{DOMAIN}"
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults=dict(email=email, first_name=first, last_name=last)
    )
    if created:  # everyone signs in with a code sent by email; nobody has a password
        user.set_unusable_password()
        user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults=dict(verified=True, primary=True)
        )
    return user


def _answers(rng: random.Random, response: Response, topics, start: float, grown: bool):
    ratings = []
    for topic in topics:
        if rng.random() < 0.15:  # nobody answers everything
            continue
        mean = start + (GROWTH.get(topic.name, 0.2) if grown else 0)
        confidence = max(1, min(5, round(rng.gauss(mean, 0.9))))
        ratings.append(
            Rating(
                response=response,
                topic_id=topic.topic_id,
                own_topic_id=topic.own_topic_id,
                confidence=confidence,
                wants_to_learn=confidence <= 2
                and rng.random() < 0.8
                or confidence == 3
                and rng.random() < 0.4,
                could_help=confidence >= 4 and rng.random() < 0.7,
            )
        )
    return ratings


def add_demo(*, today: dt.date, seed: int = 2011) -> dict[str, int]:
    rng = random.Random(seed)
    now = timezone.now()
    with transaction.atomic():
        organisation, _ = Organisation.objects.get_or_create(
            name=NAME, defaults={"kind": Organisation.Kind.CHARITY}
        )
        if not organisation.slug:
            organisation.save(update_fields=["slug"])
        if not Membership.objects.filter(organisation=organisation).exists():
            _fill(organisation, rng, now)
            _helped_at_surgeries(organisation, rng, today)
        if not Report.objects.filter(organisation=organisation).exists():
            _escalation(organisation, now)
        if not MentorPairing.objects.filter(organisation=organisation).exists():
            _mentoring(organisation, now)
        add_approach(organisation, now=now)
        return {
            "organisation_members": Membership.objects.filter(organisation=organisation).count(),
            "check_rounds": Round.objects.filter(organisation=organisation).count(),
            "check_answers": Response.objects.filter(round__organisation=organisation).count(),
            "escalation_reports": Report.objects.filter(organisation=organisation).count(),
            "mentor_pairings": MentorPairing.objects.filter(organisation=organisation).count(),
            "approach_acknowledgements": Acknowledgement.objects.filter(
                version__organisation=organisation
            ).count(),
            **add_council_demo(today=today),
        }


def _fill(organisation: Organisation, rng: random.Random, now: dt.datetime) -> None:
    joined = now - dt.timedelta(days=200)
    teams = {
        name: Team.objects.create(organisation=organisation, name=name, created_at=joined)
        for name in (STAFF_TEAM, BOARD, VOLUNTEERS)
    }
    members = []
    for username, given, family, role, team in PEOPLE:
        members.append(
            Membership.objects.create(
                organisation=organisation,
                user=_person(username, given, family),
                name=f"{given} {family}",
                role=role,
                team=teams[team] if team else None,
                created_at=joined + dt.timedelta(days=rng.randint(0, 10)),
            )
        )
    lorna = members[0].user
    for name in OWN_TOPICS:
        OwnTopic.objects.create(organisation=organisation, name=name, created_at=joined)
    topics = check_topics(organisation)

    first_opened = now - dt.timedelta(days=182)
    second_opened = now - dt.timedelta(days=14)
    first = Round.objects.create(
        organisation=organisation,
        number=1,
        opened_at=first_opened,
        opened_by=lorna,
        closed_at=first_opened + dt.timedelta(days=28),
    )
    second = Round.objects.create(
        organisation=organisation, number=2, opened_at=second_opened, opened_by=lorna
    )
    ratings = []
    sharing = set(rng.sample(range(len(members)), 11))
    for round_, grown, turnout in ((first, False, 0.85), (second, True, 0.9)):
        for i, membership in enumerate(members):
            if rng.random() > turnout:
                continue
            team = membership.team.name if membership.team else None
            response = Response.objects.create(
                round=round_,
                user=membership.user,
                team=membership.team,
                role=membership.role,
                shared=i in sharing,
                answered_at=round_.opened_at + dt.timedelta(days=rng.randint(0, 12), hours=3),
            )
            ratings += _answers(rng, response, topics, START[team], grown)
    Rating.objects.bulk_create(ratings)
    for key in AREA_KEYS:
        then, aim, later = MATRIX[key]
        MaturityScore.objects.create(
            round=first,
            area=key,
            now=then,
            ambition=aim,
            answered_by=lorna,
            answered_at=first_opened + dt.timedelta(days=3),
        )
        MaturityScore.objects.create(
            round=second,
            area=key,
            now=later,
            ambition=max(aim, later + 1 if later < 4 else 4),
            answered_by=lorna,
            answered_at=second_opened + dt.timedelta(days=2),
        )
    # A new short-term volunteer, invited last week.
    Invitation.objects.create(
        organisation=organisation,
        email="hannah.w@example.org",
        name="Hannah Wood",
        role=Role.VOLUNTEER,
        team=teams[VOLUNTEERS],
        invited_by=lorna,
        sent_at=now - dt.timedelta(days=5),
        created_at=now - dt.timedelta(days=5),
    )


# The escalation route: who picks reports up, one closed report and one being dealt with.
RESPONDERS = ["Lorna Prescott", "Raj Kandola", "Sue Hadley"]
PHOTO_STEPS = [
    (dt.timedelta(minutes=55), "Lorna Prescott", "Took the post down from our Facebook page"),
    (
        dt.timedelta(hours=3),
        "Sue Hadley",
        "Rang the person in the photo, apologised, and said how we will stop it happening again",
    ),
    (
        dt.timedelta(days=2),
        "Lorna Prescott",
        "Reminded all volunteers to ask before taking or posting anyone's photo, "
        "with the consent form attached",
    ),
]


def _escalation(organisation: Organisation, now: dt.datetime) -> None:
    people = {m.name: m for m in Membership.objects.filter(organisation=organisation)}
    for name in RESPONDERS:
        Responder.objects.create(
            organisation=organisation,
            membership=people[name],
            created_at=now - dt.timedelta(days=60),
        )
    made = now - dt.timedelta(days=23, hours=5)
    photo = Report.objects.create(
        organisation=organisation,
        reporter=people["Gemma Tromans"],
        kind="went_wrong",
        what=(
            "One of our volunteers has posted a photo from Tuesday's drop-in on our Facebook "
            "page. It shows one of the people we support clearly, and I don't think anyone "
            "asked her if that was all right."
        ),
        where="Our Facebook page",
        link="https://www.facebook.com/dudleycvs/",
        urgency="today",
        created_at=made,
        acknowledge_by=made + dt.timedelta(hours=2),
        acknowledged_at=made + dt.timedelta(minutes=40),
        acknowledged_by=people["Lorna Prescott"],
        closed_at=made + dt.timedelta(days=2, hours=1),
        closed_by=people["Lorna Prescott"],
        outcome=(
            "The photo was down within the hour and the person in it has had an apology; she "
            "was kind about it. Every volunteer has had a reminder about asking first."
        ),
    )
    Step.objects.bulk_create(
        Step(report=photo, note=note, by=people[who], at=made + after)
        for after, who, note in PHOTO_STEPS
    )
    made = now - dt.timedelta(days=1, hours=4)
    scam = Report.objects.create(
        organisation=organisation,
        reporter=people["Priya Mistry"],
        kind="arrived",
        what=(
            "A message came to our Instagram saying our account will be closed unless we "
            "confirm our details on a link. It says it is from Meta but it doesn't look right."
        ),
        where="Instagram messages",
        urgency="soon",
        created_at=made,
        acknowledge_by=made + dt.timedelta(hours=24),
        acknowledged_at=made + dt.timedelta(hours=3),
        acknowledged_by=people["Raj Kandola"],
    )
    Step.objects.create(
        report=scam,
        note="Checked: it is a scam. Reported the account to Instagram and did not click the link",
        by=people["Raj Kandola"],
        at=made + dt.timedelta(hours=3, minutes=20),
    )


# What each demo pairing was about, in order of preference, and the meetings it had.
MEETINGS = {
    "Online safety and privacy": [
        ("Went through the privacy settings on the page and on our own profiles.", 40),
        ("Turned on two-step sign-in for the shared accounts; wrote down who has which.", 30),
    ],
    "Photos and video": [
        ("Sorted last summer's photos into albums and agreed how to name them.", 45),
        ("Made a one-minute video of the fun day on a phone and trimmed it.", 35),
    ],
    "Facebook": [("Looked at what the page posts and when; planned next month's posts.", 30)],
    "Our Flickr account": [("Uploaded the fun day photos and checked everyone said yes.", 35)],
}
GENERAL = [("Worked through the basics together and wrote down the next steps.", 30)] * 2


def _willing(round_: Round) -> tuple[dict[str, list[Membership]], dict[str, list[Membership]]]:
    """Topic name: who said they could help, and who wanted to learn it, in that round."""
    members = {m.user_id: m for m in Membership.objects.filter(organisation=round_.organisation)}
    names = {t.key: t.name for t in check_topics(round_.organisation)}
    helpers: dict[str, list[Membership]] = {}
    learners: dict[str, list[Membership]] = {}
    ratings = Rating.objects.filter(response__round=round_, response__user__isnull=False)
    for r in ratings.select_related("response").order_by("pk"):
        member = members.get(r.response.user_id or 0)
        if member is None:
            continue
        name = names[f"t{r.topic_id}" if r.topic_id else f"o{r.own_topic_id}"]
        if r.could_help:
            helpers.setdefault(name, []).append(member)
        if r.wants_to_learn:
            learners.setdefault(name, []).append(member)
    return helpers, learners


def _mentoring(organisation: Organisation, now: dt.datetime) -> None:
    first, second = Round.objects.filter(organisation=organisation).order_by("number")[:2]
    lorna = Membership.objects.get(organisation=organisation, user__username="lorna").user
    used: set[int] = set()
    topics = {t.name: t for t in check_topics(organisation)}
    # (round answered in, days ago offered, how far it got, the topics it might be about)
    plans = [
        (first, 170, MentorPairing.Status.COMPLETED, ["Online safety and privacy"]),
        (first, 165, MentorPairing.Status.COMPLETED, ["Photos and video", "Our Flickr account"]),
        (second, 10, MentorPairing.Status.ACCEPTED, ["Facebook", "Our Flickr account"]),
        (second, 2, MentorPairing.Status.OFFERED, ["Our Flickr account", "Photos and video"]),
    ]
    for round_, days, status, wanted in plans:
        helpers, learners = _willing(round_)
        found = next(
            (
                (name, mentor, learner)
                for name in [*wanted, *MEETINGS, *sorted(helpers)]
                for mentor in helpers.get(name, [])
                for learner in learners.get(name, [])
                if mentor.pk not in used and learner.pk not in used and mentor.pk != learner.pk
            ),
            None,
        )
        if found is None:
            continue
        name, mentor, learner = found
        used |= {mentor.pk, learner.pk}
        offered = now - dt.timedelta(days=days)
        done = status == MentorPairing.Status.COMPLETED
        pairing = MentorPairing.objects.create(
            organisation=organisation,
            mentor=mentor,
            learner=learner,
            topic_id=topics[name].topic_id,
            own_topic_id=topics[name].own_topic_id,
            status=status,
            offered_by=lorna,
            offered_at=offered,
            answered_at=offered + dt.timedelta(days=1) if days > 2 else None,
            completed_at=offered + dt.timedelta(days=30) if done else None,
            confidence_after=4 if done else None,
        )
        met = 2 if done else 1 if status == MentorPairing.Status.ACCEPTED else 0
        for week, (note, minutes) in enumerate((MEETINGS.get(name, []) + GENERAL)[:met]):
            MentorMeeting.objects.create(
                pairing=pairing,
                met_on=(offered + dt.timedelta(days=5 + 14 * week)).date(),
                note=note,
                minutes=minutes,
                recorded_by=mentor.user if week == 0 else learner.user,
                created_at=offered + dt.timedelta(days=5 + 14 * week, hours=2),
            )


# Members who came to a surgery for help this year: volunteers and trustees, mostly.
HELPED = ["barbara.n", "ken.h", "joan.p", "margaret.c", "brian.h", "jean.r", "raj.k"]


def _helped_at_surgeries(organisation: Organisation, rng: random.Random, today: dt.date) -> None:
    sessions = list(
        Session.objects.filter(
            date__gte=today - dt.timedelta(days=300),
            date__lt=today - dt.timedelta(days=7),
            cancelled_at__isnull=True,
            surgery__approved_at__isnull=False,
        ).order_by("date", "pk")
    )
    if not sessions:
        return
    members = Membership.objects.filter(
        organisation=organisation, user__username__in=HELPED
    ).select_related("user")
    for membership in members:
        session = rng.choice(sessions)
        at = timezone.make_aware(dt.datetime.combine(session.date, session.start_time))
        booking = Booking.objects.create(
            session=session,
            role=Booking.Role.HELP,
            status=Booking.Status.ATTENDED,
            name=membership.name,
            email=membership.user.email,
            organisation=organisation,
            goal="Feel more confident with our social media",
            consent_contact=True,
            created_at=at - dt.timedelta(days=6),
            checked_in_at=at,
        )
        HelpRecord.objects.create(
            session=session,
            booking=booking,
            note="Went through privacy settings and posting photos safely.",
            minutes=rng.randint(25, 50),
            created_at=at + dt.timedelta(hours=1),
        )
