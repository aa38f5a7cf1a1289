"""What changed, for the audit log: recorded by the services, read by the organisers' page.

Services call `snapshot()` before a change and `changes()` after it, and pass the result to
`audit(..., changes=...)`. A change is stored as {field: [before, after]}. Free text about
a person (their name, what they want to achieve, their access needs) and long text are
stored as {field: None}: the log says they changed, never what they said, so the log does
not become a second copy of personal details that outlives their erasure.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

# Named in the log, never copied into it.
PERSONAL = {
    "name",
    "email",
    "goal",
    "access_needs",
    "got_done",
    "note",
    "decline_message",
    "message",
    "phone",
}


def _plain(value: object) -> object:
    """A value JSON can hold, readable in the log."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat(timespec="minutes") if isinstance(value, dt.time) else str(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return sorted(str(v) for v in value)
    return str(value)


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, object]:
    """The fields' values now; a foreign key by its name (str), not its id."""
    values: dict[str, object] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            continue
        if field.is_relation and field.many_to_one and isinstance(field, models.Field):
            values[name] = None if getattr(obj, field.attname) is None else getattr(obj, name)
        else:
            values[name] = getattr(obj, name)
    return values


def _hidden(model: type[models.Model] | None, name: str) -> bool:
    if name in PERSONAL:
        return True
    if model is None:
        return False
    try:
        return isinstance(model._meta.get_field(name), models.TextField)
    except Exception:  # noqa: BLE001 - not a model field (topics as a list): show it
        return False


def changes(
    before: dict[str, object], after: dict[str, object], model: type[models.Model] | None = None
) -> dict[str, list | None]:
    """{field: [before, after]} for the fields whose values differ."""
    found: dict[str, list | None] = {}
    for name, old in before.items():
        new = after.get(name)
        old_v, new_v = _plain(old), _plain(new)
        if old_v == new_v:
            continue
        found[name] = None if _hidden(model, name) else [old_v, new_v]
    return found


# --- Reading the log ---------------------------------------------------------------------

ACTIONS = {
    "api_token.create": _("Made an API token"),
    "api_token.revoke": _("Revoked an API token"),
    "group.update": _("Changed the group's profile"),
    "group.add": _("Added the group"),
    "surgery.create": _("Listed the surgery"),
    "surgery.propose": _("Proposed the surgery"),
    "surgery.approve": _("Approved the surgery"),
    "surgery.decline": _("Declined the proposed surgery"),
    "surgery.update": _("Changed the surgery's details"),
    "surgery.close": _("Closed the surgery"),
    "surgery.reopen": _("Reopened the surgery"),
    "venue.update": _("Changed a venue's details"),
    "groups.invite": _("Invited groups to a session"),
    "groups.reply": _("A group replied to an invitation"),
    "groups.connect": _("Recorded that two groups got in touch"),
    "groups.introductions": _("Sent introductions to those who met at a session"),
    "booking.introductions": _("Recorded whether someone is happy to be introduced"),
    "session.create": _("Added a session"),
    "session.update": _("Changed a session"),
    "session.cancel": _("Cancelled a session"),
    "session.no_shows": _("Marked people who did not come"),
    "series.create": _("Set up repeating sessions"),
    "series.stop": _("Stopped repeating sessions"),
    "booking.create": _("Booked a place"),
    "booking.update": _("Changed a booking"),
    "booking.cancel": _("Cancelled a booking"),
    "booking.decline": _("Declined a booking"),
    "booking.confirm": _("Confirmed they are still coming"),
    "booking.remind": _("Sent a reminder straight away"),
    "booking.got_done": _("Said what they got done"),
    "booking.promote": _("Moved up from the waiting list"),
    "booking.check_in": _("Checked someone in"),
    "booking.walk_in": _("Added a walk-in"),
    "booking.move": _("Moved a booking to another session"),
    "session.message": _("Messaged everyone coming"),
    "session.contacts": _("Downloaded the contacts of who is coming"),
    "booking.give_place": _("Gave someone on the waiting list a place on the day"),
    "booking.check_in_undo": _("Undid a check-in"),
    "booking.give_place_undo": _("Undid a place given on the day"),
    "booking.walk_in_undo": _("Took a walk-in off the list"),
    "pairing.start": _("Paired someone with a surgeon"),
    "pairing.end": _("Finished a pairing"),
    "pairing.undo": _("Undid a pairing"),
    "pairing.end_undo": _("Undid finishing a pairing"),
    "help_record.add": _("Recorded the help given"),
    "help_record.update": _("Changed a help record"),
    "follow_up.answer": _("Answered the six-week follow-up"),
    "story.create": _("Added a story"),
    "story.update": _("Changed a story"),
    "interest.put_in_touch": _("Put people who registered interest in touch"),
    "consent.withdraw": _("Withdrew their consent"),
    "person.anonymise": _("Removed a person's details"),
    "person.export": _("Downloaded a person's details"),
    "invitation.create": _("Invited a co-organiser"),
    "invitation.resend": _("Sent an invitation again"),
    "invitation.withdraw": _("Withdrew an invitation"),
    "invitation.accept": _("Accepted an invitation"),
    "organiser.leave": _("Stopped organising"),
    # The escalation route: which report and what was done, never what anyone wrote.
    "escalation.report": _("Reported something that went wrong"),
    "escalation.acknowledge": _("Picked up a report"),
    "escalation.step": _("Recorded a step taken about a report"),
    "escalation.close": _("Closed a report"),
    "escalation.times": _("Changed how soon reports must be picked up"),
    # A campaign's money: every entry, import and live delivery, with who and when.
    "donation.cash": _("Entered cash given to a campaign chapter"),
    "donation.cheque": _("Entered a cheque given to a campaign chapter"),
    "donation.refund": _("Recorded a refund of a donation"),
    "donation.import": _("Imported a payment provider's export"),
    "donation.webhook": _("Received a donation from a chapter's live stream"),
    "rate.add": _("Recorded a currency rate for a campaign"),
    "campaign.provider_mapping": _("Said how a payment provider's export is read"),
    "chapter.webhook_secret": _("Made a new secret for a chapter's live stream"),
    "responder.add": _("Named someone to pick up reports"),
    "responder.remove": _("Stopped someone picking up reports"),
    "mentor_pairing.offer": _("Asked someone to be a mentor"),
    "mentor_pairing.accept": _("Agreed to be a mentor"),
    "mentor_pairing.decline": _("Said not this time to being a mentor"),
    "mentor_pairing.complete": _("Marked mentoring as done"),
    "mentor_pairing.confidence": _("Said how confident they feel after mentoring"),
    "mentor_meeting.add": _("Recorded a mentoring meeting"),
    "approach.document_publish": _("Saved a new version of a document"),
    "approach.acknowledge": _("Said they have read a document"),
    "approach.platform_add": _("Added a platform"),
    "approach.platform_update": _("Changed a platform"),
    "approach.platform_remove": _("Removed a platform"),
    "approach.sheet_choose": _("Chose a guidance sheet"),
    "approach.sheet_move": _("Moved a chosen guidance sheet"),
    "approach.sheet_unchoose": _("Took a guidance sheet off the list"),
    "approach.course_add": _("Added a training course"),
    "approach.course_update": _("Changed a training course"),
    "approach.course_remove": _("Removed a training course"),
    "hub.plan_step_add": _("Added a step to the campaign's plan"),
    "hub.plan_step_remove": _("Took a step out of the campaign's plan"),
    "hub.task_add": _("Added a task to a chapter's checklist"),
    "hub.task_done": _("Ticked off a task"),
    "hub.task_undone": _("Marked a task as not done"),
    "hub.announce": _("Sent an announcement to the chapters"),
    "hub.resource_add": _("Added a resource for the chapters"),
    "hub.resource_remove": _("Took a resource off the chapters' list"),
    "hub.story_share": _("Shared what worked"),
    "hub.story_approve": _("Showed a story of what worked"),
    "hub.story_hide": _("Hid a story of what worked"),
    # Campaigns: chapters and their volunteers.
    "chapter.propose": _("Proposed a campaign chapter"),
    "chapter.approve": _("Approved a campaign chapter"),
    "chapter.decline": _("Declined a proposed campaign chapter"),
    "chapter_invitation.create": _("Invited someone to help run a chapter"),
    "chapter_invitation.resend": _("Sent a chapter invitation again"),
    "chapter_volunteer.join": _("Joined a chapter's volunteers"),
    # Campaigns: a chapter's local events, held as sessions of its events host.
    "chapter.events_host": _("Set up a chapter's events so people can book them"),
    "chapter.event_add": _("Added a local event to a chapter"),
    # Groups: looking at their websites.
    "group.checkup_request": _("Asked for a look at a group's website"),
    "group.checkup_batch": _("Asked for a look at the websites of an area's groups"),
    "undeliverable.clear": _("Cleared the bounce marker on an email address"),
    "webhook.add": _("Added a webhook"),
    "webhook.roll_secret": _("Made a new webhook secret"),
    "webhook.remove": _("Removed a webhook"),
}

# Done by a person holding an emailed link, not signed in.
BY_LINK = {
    "booking.create",
    "booking.update",
    "booking.cancel",
    "booking.confirm",
    "booking.got_done",
    "follow_up.answer",
}
# Done by Alongside itself, as a consequence of something else.
AUTOMATIC = {"booking.promote"}

FIELD_NAMES = {
    "date": _("date"),
    "start_time": _("start time"),
    "end_time": _("end time"),
    "venue": _("venue"),
    "online_url": _("online link"),
    "help_places": _("places for people wanting help"),
    "surgeon_places": _("places for surgeons"),
    "notes": _("notes"),
    "status": _("status"),
    "name": _("name"),
    "goal": _("what they want to achieve"),
    "web_use": _("how they use the web"),
    "access_needs": _("access needs"),
    "organisation": _("group"),
    "topics": _("topics"),
    "got_done": _("what they got done"),
    "phone": _("phone number"),
    "session": _("session"),
    "checked_in_at": _("checked in at"),
    "promoted_at": _("given a place at"),
    "started_at": _("paired at"),
    "ended_at": _("finished at"),
    "booking": _("who was helped"),
    "surgeon": _("which surgeon helped"),
    "note": _("what was done"),
    "minutes": _("minutes spent"),
    "public": _("may be shown publicly"),
    "links": _("links"),
}


def action_label(action: str) -> str:
    return str(ACTIONS.get(action, action.replace(".", ": ").replace("_", " ")))


def field_label(name: str) -> str:
    return str(FIELD_NAMES.get(name, name.replace("_", " ")))
