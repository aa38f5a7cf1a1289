"""The retention schedule, as the tests read it.

Personal fields are listed, with what happens to them and when, in docs/retention.md. Every
other field that can hold text is listed here with the reason it holds nothing about a
person. A field in neither place fails alongside/privacy/tests/test_retention.py.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models

# In the repository, not the wheel: only the tests read it (schedule()), never the site.
SCHEDULE = Path(settings.BASE_DIR) / "docs" / "retention.md"

# Fields that can hold text but hold nothing about a person, and why.
NOT_PERSONAL = {
    # API tokens go with their owner's account (erasing a person deletes it).
    "api.ApiToken.name": "what the organiser named a token for, such as “Our CRM”",
    "api.ApiToken.digest": "the sha256 of a random secret",
    # Framework bookkeeping.
    "admin.LogEntry.object_id": "a row's id",
    "auth.Permission.name": "framework",
    "auth.Permission.codename": "framework",
    "auth.Group.name": "framework",
    "contenttypes.ContentType.app_label": "framework",
    "contenttypes.ContentType.model": "framework",
    "account.EmailConfirmation.key": "a random key",
    "django_tasks_database.DBTaskResult.args_kwargs": "tasks take row ids, never addresses",
    "django_tasks_database.DBTaskResult.task_path": "a dotted path",
    "django_tasks_database.DBTaskResult.worker_ids": "worker ids",
    "django_tasks_database.DBTaskResult.queue_name": "framework",
    "django_tasks_database.DBTaskResult.backend_name": "framework",
    "django_tasks_database.DBTaskResult.return_value": "tasks return counts or nothing",
    "django_tasks_database.DBTaskResult.exception_class_path": "a dotted path",
    "django_tasks_database.DBTaskResult.traceback": "code and row ids",
    # Ours, with no person in them.
    "accounts.AuditEntry.action": "a verb",
    "accounts.AuditEntry.object_type": "a model name",
    "accounts.AuditEntry.details": "by rule, counts and choices: never an address or name",
    "outbox.Unsubscribe.kind": "a kind of email",
    "webhooks.Endpoint.url": "an address on an organiser's own server",
    "webhooks.Endpoint.events": "kinds of event",
    "webhooks.Endpoint.secret": "a random key",
    "webhooks.Delivery.event": "a kind of event",
    "webhooks.Delivery.state": "a state",
    "webhooks.Delivery.last_error": "the organiser's server's answer: a status or a network error",
    "outbox.Undeliverable.source": "how we learnt of it: refused, bounced or complained",
    "accounts.ConsentRecord.kind": "a kind of consent",
    "accounts.ConsentRecord.version": "a wording version",
    "accounts.ConsentRecord.source": "a form's name",
    "accounts.PersonKey.key": "a random key",
    "outbox.Message.key": "a message key of row ids",
    "outbox.Message.message_id": "a random message id",
    "network.Invitation.nonce": "a random key",
    "organisations.Invitation.nonce": "a random key",
    "organisations.Team.name": "a team in an organisation",
    "organisations.OwnTopic.name": "a topic, such as the organisation's Flickr account",
    "organisations.MaturityScore.area": "an area of the organisation-wide check",
    "organisations.Platform.name": "an organisation's account, such as its Facebook page",
    "organisations.Platform.url": "an organisation's account",
    "organisations.Platform.purpose": "what an organisation uses an account for",
    "organisations.DocumentVersion.body": "an organisation's policy or procedure",
    "organisations.Course.title": "a training course",
    "organisations.Course.provider": "who runs a course",
    "organisations.Course.url": "a course's page",
    "organisations.Course.cost": "a course's price",
    "organisations.Course.length": "a course's length",
    "organisations.Course.notes": "about a course, for line managers",
    "impact.Snapshot.key": "a scope",
    "impact.Snapshot.surgery_ids": "ids",
    "impact.Snapshot.stamp": "versions",
    "impact.Snapshot.data": "counts only",
    # Surgeries, venues and sessions: about places and groups, published on purpose.
    "surgeries.Topic.slug": "a topic",
    "surgeries.Topic.name": "a topic",
    "surgeries.Organisation.name": "a group's name, not a person's",
    "surgeries.Organisation.slug": "made from the group's name",
    "surgeries.Area.name": "a place",
    "surgeries.Area.slug": "a place",
    "surgeries.Surgery.name": "a surgery",
    "surgeries.Surgery.slug": "a surgery",
    "surgeries.Surgery.languages": "a choice of language",
    "surgeries.Surgery.place_name": "a town",
    "surgeries.Surgery.description": "a surgery",
    "surgeries.Surgery.who_for": "a surgery",
    "surgeries.Surgery.host_organisation": "an organisation",
    "surgeries.Surgery.postcode": "a venue's postcode area, public",
    "surgeries.Surgery.heard_about_options": "a list of options",
    "surgeries.Surgery.decline_message": "a template message",
    "surgeries.Surgery.how_often": "a schedule",
    "surgeries.Surgery.time_zone": "a place's time zone name, public",
    "surgeries.Venue.name": "a café or library",
    "surgeries.Venue.address": "a public venue",
    "surgeries.Venue.postcode": "a public venue",
    "surgeries.Venue.access_notes": "about the building",
    "surgeries.Venue.directions": "how to find a public venue",
    "surgeries.Venue.weather_note": "about an outdoor venue",
    "surgeries.Venue.wet_weather_plan": "about an outdoor venue",
    "surgeries.Session.for_kinds": "kinds of group a session is for",
    "groups.Profile.postcode_district": "where a group meets, to a district",
    "groups.Profile.interests": "what a group is interested in",
    "groups.Profile.website": "a group's public website",
    "groups.SocialAccount.url": "a group's public account",
    "groups.GroupInvitation.note": "an organiser's note to groups about a session",
    "groups.CheckBatch.kind": "a kind of group",
    "groups.WebCheck.url": "a group's public website",
    "groups.WebCheck.broken_links": "addresses on a group's public website",
    "groups.WebCheck.quick_wins": "codes of what a website could improve",
    "groups.WebCheck.details": "what a group's public website showed",
    "surgeries.SessionSeries.online_url": "a meeting link",
    "surgeries.SessionSeries.notes": "about the session",
    "surgeries.Session.online_url": "a meeting link",
    "surgeries.Session.notes": "about the session",
    "surgeries.Session.title": "a campaign chapter's event's name",
    "bookings.Booking.heard_about": "one of the surgery's options",
    "bookings.Booking.language": "a choice of English or Welsh",
    "bookings.SessionMessage.key": "a random key",
    "bookings.SessionMessage.text": "an organiser's message about a session, to everyone booked",
    "bookings.SessionMessage.recipients": "booking ids",
    "helprecords.HelpLink.url": "a group's site or page, counted in the figures",
    "helprecords.ConsoleAction.kind": "a kind of tap on the console",
    "helprecords.ConsoleAction.status_before": "a booking's status",
    "guidance.Sheet.title": "guidance",
    "guidance.Sheet.slug": "guidance",
    "guidance.Sheet.summary": "guidance",
    "guidance.Sheet.body": "guidance",
    # A campaign's money: amounts, codes and providers' column names, never a donor.
    # A campaign and its chapters: a cause and places, written for the public.
    "campaigns.Campaign.name": "a campaign's name",
    "campaigns.Campaign.slug": "from the name",
    "campaigns.Campaign.cause": "what the money is for",
    "campaigns.Campaign.beneficiary": "a charity's name",
    "campaigns.Campaign.currency": "a currency code",
    "campaigns.Chapter.city": "a city",
    "campaigns.Chapter.country": "a country code",
    "campaigns.Chapter.slug": "from the city",
    "campaigns.Chapter.time_zone": "a time zone",
    "campaigns.Chapter.currency": "a currency code",
    "campaigns.Chapter.webhook_secret": "a random key",
    "campaigns.ChapterInvitation.nonce": "a random key",
    "campaigns.PlanStep.title": "a step in the team's plan",
    "campaigns.PlanStep.detail": "a step in the team's plan",
    "campaigns.ChapterTask.title": "a task on a chapter's checklist",
    "campaigns.ChapterTask.detail": "a task on a chapter's checklist",
    "campaigns.Announcement.subject": "the team's message to all chapters",
    "campaigns.Announcement.body": "the team's message to all chapters",
    "campaigns.Resource.title": "a guidance sheet or link for volunteers",
    "campaigns.Resource.url": "a guidance sheet or link for volunteers",
    "campaigns.Rate.currency": "a currency code",
    "campaigns.Rate.source": "where a rate was published",
    "campaigns.DonationImport.provider": "a payment provider's name",
    "campaigns.DonationImport.sha256": "a file's checksum",
    "campaigns.Donation.provider": "a payment provider's name",
    "campaigns.Donation.reference": "a payment provider's transaction id",
    "campaigns.Donation.currency": "a currency code",
    "campaigns.ProviderMapping.provider": "a payment provider's name",
    "campaigns.ProviderMapping.date_column": "a column heading",
    "campaigns.ProviderMapping.date_format": "a date format",
    "campaigns.ProviderMapping.amount_column": "a column heading",
    "campaigns.ProviderMapping.currency_column": "a column heading",
    "campaigns.ProviderMapping.currency": "a currency code",
    "campaigns.ProviderMapping.reference_column": "a column heading",
    "campaigns.ProviderMapping.fees_column": "a column heading",
    "campaigns.ProviderMapping.refund_column": "a column heading",
    "campaigns.ProviderMapping.refund_value": "a status word",
    "campaigns.ImportDraft.provider": "a payment provider's name",
    "campaigns.ImportDraft.sha256": "a file's checksum",
}

TEXT_FIELDS = (
    models.CharField,
    models.TextField,
    models.JSONField,
    models.GenericIPAddressField,
    models.BinaryField,
)


def field_name(model: type[models.Model], field: models.Field) -> str:
    return f"{model._meta.app_label}.{model.__name__}.{field.name}"


def text_fields() -> list[tuple[str, models.Field]]:
    """Every stored field that could hold something a person typed or is called.

    Fields with fixed choices (statuses, roles) cannot, and are left out.
    """
    found: list[tuple[str, models.Field]] = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, TEXT_FIELDS) and not field.choices and not field.primary_key:
                found.append((field_name(model, field), field))
    return found


def schedule() -> dict[str, list[str]]:
    """The table in docs/retention.md: field -> its other columns."""
    rows = {}
    for line in SCHEDULE.read_text().splitlines():
        if match := re.match(r"^\|\s*`([\w.]+)`\s*\|(.*)\|\s*$", line):
            rows[match.group(1)] = [cell.strip() for cell in match.group(2).split("|")]
    return rows
