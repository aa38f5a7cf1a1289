"""A group's profile: changing it, adding a group, and finding listed groups near a place.

Only a listed group (`Profile.listed_at`) is ever shown publicly: `listed()` is the one
query the public pages start from.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from alongside.accounts.models import audit
from alongside.groups import checkup_services
from alongside.groups.models import Profile, SocialAccount
from alongside.lib import geo
from alongside.surgeries import changelog
from alongside.surgeries.models import Area, Organisation, Topic


@dataclass
class ProfileDetails:
    """What a group says about itself on its profile page."""

    kind: str
    postcode_district: str = ""
    # A map point, when the group gave one: it wins over the district's centre.
    position: tuple[float, float] | None = None
    interests: str = ""
    topics: Iterable[Topic] = field(default_factory=list)
    website: str = ""
    socials: Sequence[str] = ()
    listed: bool = False


def profile_of(organisation: Organisation) -> Profile:
    """The group's profile, or an unsaved empty one: nothing is stored until it is changed."""
    try:
        return organisation.profile
    except Profile.DoesNotExist:
        return Profile(organisation=organisation)


def _place(profile: Profile, details: ProfileDetails) -> None:
    profile.postcode_district = details.postcode_district
    position = details.position
    if position is None and details.postcode_district:
        position = geo.postcode_position(details.postcode_district)
    profile.latitude, profile.longitude = position if position else (None, None)


def _set_socials(profile: Profile, urls: Sequence[str]) -> None:
    """The accounts become exactly these, in this order."""
    urls = list(dict.fromkeys(urls))
    profile.socials.exclude(url__in=urls).delete()
    kept = {s.url: s for s in profile.socials.all()}
    for position, url in enumerate(urls):
        if url in kept:
            if kept[url].position != position:
                kept[url].position = position
                kept[url].save(update_fields=["position"])
        else:
            SocialAccount.objects.create(profile=profile, url=url, position=position)


def profile_update(*, organisation: Organisation, actor, details: ProfileDetails) -> Profile:
    """Save what the group says about itself; list or unlist it publicly."""
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if organisation.kind != details.kind:
            organisation.kind = details.kind
            organisation.save(update_fields=["kind"])
        profile, _ = Profile.objects.get_or_create(organisation=organisation)
        was_listed = profile.is_listed
        old_website = profile.website
        _place(profile, details)
        profile.interests = details.interests
        profile.website = details.website
        if details.listed and not was_listed:
            profile.listed_at = timezone.now()
        elif not details.listed:
            profile.listed_at = None
        profile.updated_at = timezone.now()
        profile.updated_by = actor if actor is not None and actor.is_authenticated else None
        profile.save()
        profile.topics.set(details.topics)
        _set_socials(profile, details.socials)
        # Pages kept for visitors may name the group or link to its page: refresh them all.
        changelog.changed()
        audit(
            "group.update",
            organisation,
            actor=actor,
            # Listing is the change that matters most: it makes the group public.
            listed=profile.is_listed,
            **({"was_listed": was_listed} if was_listed != profile.is_listed else {}),
        )
        if profile.website and profile.website != old_website:
            checkup_services.website_changed(organisation=organisation, actor=actor)
    return profile


class NameTaken(Exception):
    """A group of this name is here already."""

    def __init__(self, organisation: Organisation) -> None:
        super().__init__(organisation.pk)
        self.organisation = organisation


def group_add(*, name: str, actor, area: Area | None, details: ProfileDetails) -> Organisation:
    """An organiser or coordinator adds a group they know of (say, one whose site they judged).

    It is not listed publicly: only the group itself should decide that. Raises NameTaken
    when a group of that name (in any case) exists.
    """
    name = " ".join(name.split())
    with transaction.atomic():
        existing = Organisation.objects.filter(name__iexact=name).first()
        if existing is not None:
            raise NameTaken(existing)
        organisation = Organisation.objects.create(name=name, kind=details.kind)
        profile = Profile(organisation=organisation, area=area)
        _place(profile, details)
        profile.website = details.website
        profile.updated_by = actor if actor is not None and actor.is_authenticated else None
        profile.save()
        _set_socials(profile, details.socials)
        audit("group.add", organisation, actor=actor, area_id=area.pk if area else None)
        if profile.website:
            checkup_services.website_changed(organisation=organisation, actor=actor)
    return organisation


# --- Listed groups, nearest first -------------------------------------------------------------


def listed() -> QuerySet[Profile]:
    """Profiles of the groups that chose to be listed publicly: where every public page starts."""
    return Profile.objects.filter(listed_at__isnull=False).select_related("organisation")


@dataclass
class Nearby:
    profile: Profile
    distance: float | None  # miles; None when either has no position


def nearest(profiles: Iterable[Profile], *, lat: float | None, lng: float | None) -> list[Nearby]:
    """Nearest first; those with no position after, by name. Sorted here: a borough's groups
    are a few hundred at most, and SQLite has no trigonometry."""
    found = []
    for profile in profiles:
        distance = None
        if lat is not None and lng is not None and profile.has_position:
            assert profile.latitude is not None and profile.longitude is not None
            distance = geo.distance_miles(lat, lng, profile.latitude, profile.longitude)
        found.append(Nearby(profile, distance))
    found.sort(
        key=lambda n: (
            n.distance is None,
            n.distance or 0.0,
            n.profile.organisation.name.lower(),
        )
    )
    return found


# How many "groups near you doing similar things" a group's page shows.
SIMILAR = 6


def similar_to(profile: Profile) -> list[Nearby]:
    """Listed groups of the same kind or sharing a topic with this one, nearest first."""
    organisation = profile.organisation
    topic_ids = [t.pk for t in profile.topics.all()]
    candidates = listed().exclude(pk=profile.pk)
    same_kind = candidates.filter(organisation__kind=organisation.kind)
    if organisation.kind == Organisation.Kind.OTHER:
        same_kind = candidates.none()
    sharing = candidates.filter(topics__in=topic_ids) if topic_ids else candidates.none()
    ids = set(same_kind.values_list("pk", flat=True)) | set(sharing.values_list("pk", flat=True))
    found = nearest(
        listed().filter(pk__in=ids).prefetch_related("socials"),
        lat=profile.latitude,
        lng=profile.longitude,
    )
    return found[:SIMILAR]
