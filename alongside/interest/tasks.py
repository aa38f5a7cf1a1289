"""Emails about interest, sent by the task worker once the service's transaction commits.

Each goes at most once (outbox.emails.send claims a key). None has an unsubscribe link: each
is about the person's own registration, and carries the link to withdraw it instead.
"""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone

from alongside.interest import places
from alongside.interest.models import Interest, Introduction
from alongside.lib import site
from alongside.outbox import emails
from alongside.surgeries.models import Organiser, Session, Surgery

# The start-a-surgery page.
START_PATH = "/start/"


def _interest_context(interest: Interest) -> dict:
    return {
        "interest": interest,
        "withdraw_url": site.absolute(interest.get_withdraw_url()),
    }


@task()
def send_registered(interest_id: int, day: str) -> None:
    interest = Interest.objects.filter(pk=interest_id).first()
    if interest is None or not interest.consent_contact:
        return
    ctx = _interest_context(interest)
    nearby = places.within(interest.latitude, interest.longitude, places.positioned_surgeries())
    ctx["nearby"] = [{"surgery": s, "miles": d} for s, d in nearby[:3]]
    ctx["page_url"] = site.absolute(interest.get_absolute_url())
    emails.send(
        "interest-registered", interest.email, ctx, key=f"interest-registered:{interest_id}:{day}"
    )


def next_session(surgery: Surgery) -> Session | None:
    return (
        Session.objects.public()
        .filter(surgery=surgery, date__gte=timezone.localdate(), cancelled_at__isnull=True)
        .select_related("surgery", "venue")
        .order_by("date", "start_time")
        .first()
    )


@task()
def send_introduction(introduction_id: int) -> None:
    """Tell one interested person about a surgery near them."""
    intro = (
        Introduction.objects.select_related("interest", "surgery")
        .filter(pk=introduction_id)
        .first()
    )
    # Withdrawn in the meantime (the introduction went with it), or no longer agreed.
    if intro is None or not intro.interest.consent_contact:
        return
    interest, surgery = intro.interest, intro.surgery
    session = next_session(surgery)
    ctx = {
        **_interest_context(interest),
        "surgery": surgery,
        "surgery_url": site.absolute(surgery.get_absolute_url()),
        "session": session,
        "session_url": site.absolute(session.get_absolute_url()) if session else "",
        "start_url": site.absolute(START_PATH) if interest.would_organise else "",
    }
    emails.send(
        "interest-introduction",
        interest.email,
        ctx,
        key=f"interest-introduction:{interest.pk}:{surgery.pk}",
    )


@task()
def send_introductions_to_organisers(introduction_ids: list[int]) -> None:
    """One email to each organiser: who would help or organise, and how many would come."""
    intros = list(
        Introduction.objects.filter(pk__in=introduction_ids, interest__consent_contact=True)
        .select_related("interest", "surgery")
        .order_by("pk")
    )
    if not intros:
        return
    surgery = intros[0].surgery
    people = [i.interest for i in intros]
    helpers = [p for p in people if p.would_help or p.would_organise]
    coming = sum(1 for p in people if p.would_come)
    links = Organiser.objects.filter(surgery=surgery).select_related("user")
    recipients = [(str(link.user_id), link.user.email) for link in links if link.user.email]
    if not recipients:
        recipients = [("contact", surgery.contact_email)]
    ctx = {
        "surgery": surgery,
        "helpers": helpers,
        "coming": coming,
        "places": sorted({p.place_name for p in people}),
        "surgery_url": site.absolute(surgery.get_absolute_url()),
    }
    # The first introduction's id names the batch: each introduction is in one batch only.
    batch = intros[0].pk
    for who, address in recipients:
        emails.send("interest-organisers", address, ctx, key=f"interest-organisers:{batch}:{who}")
