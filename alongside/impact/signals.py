"""Every save or delete of a row the figures count, or a public page shows, marks its surgery
as changed: the snapshots and the page cache both read the log.

Signals, not calls in each service: a cache that is only invalidated where someone
remembered to is a cache that lies. Queryset updates and bulk inserts send no signals;
the services that use them call `changelog.changed()` themselves.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from alongside.bookings.models import Booking
from alongside.groups.models import Connection, Profile, WebCheck
from alongside.helprecords.models import FollowUp, HelpLink, HelpRecord, Pairing, Story
from alongside.network.models import Coordinator
from alongside.surgeries import changelog
from alongside.surgeries.models import (
    Area,
    Organisation,
    Organiser,
    Session,
    SessionSeries,
    Surgery,
    Topic,
    Venue,
)


def _session(sender, instance, **kwargs) -> None:
    changelog.changed(surgery_id=instance.surgery_id)


def _by_session(sender, instance, **kwargs) -> None:
    changelog.changed(session_id=instance.session_id)


def _by_record(sender, instance, **kwargs) -> None:
    changelog.changed_record(instance.help_record_id)


def _surgery(sender, instance, **kwargs) -> None:
    changelog.changed(surgery_id=instance.pk)


def _by_surgery(sender, instance, **kwargs) -> None:
    changelog.changed(surgery_id=instance.surgery_id)


def _everywhere(sender, instance, **kwargs) -> None:
    changelog.changed()


def _connection(sender, instance, **kwargs) -> None:
    # One recorded from elsewhere counts network-wide only.
    if instance.session_id is None:
        changelog.changed()
    else:
        changelog.changed(session_id=instance.session_id)


def _topics(sender, instance, action, reverse, **kwargs) -> None:
    if action.startswith("post_"):
        if reverse:  # a topic's records changed: which surgeries is not worth finding out
            changelog.changed()
        else:
            changelog.changed(session_id=instance.session_id)


def connect() -> None:
    receivers = [
        (Session, _session),
        (Booking, _by_session),
        (HelpRecord, _by_session),
        (Pairing, _by_session),
        (HelpLink, _by_record),
        (FollowUp, _by_record),
        (Organisation, _everywhere),
        (Connection, _connection),
        # A check is of a group, which may have been helped anywhere; a profile's listing
        # decides whether the figures name its group.
        (WebCheck, _everywhere),
        (Profile, _everywhere),
        # Not counted in the figures, but shown on public pages, which the page cache keeps
        # until the log says their surgery changed (alongside/lib/pagecache.py).
        (Surgery, _surgery),
        (Venue, _by_surgery),
        (SessionSeries, _by_surgery),
        (Organiser, _by_surgery),
        (Story, _by_surgery),
        (Area, _everywhere),
        (Topic, _everywhere),
        # Not public, but counted on the network's own pages, whose parts are kept until
        # the log moves (network/views.py).
        (Coordinator, _everywhere),
    ]
    for model, receiver in receivers:
        uid = f"impact-{model.__name__}"
        post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(_topics, sender=HelpRecord.topics.through, dispatch_uid="impact-topics")
