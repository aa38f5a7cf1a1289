"""Workflows and figures of the organisation's approach pack: platforms, its versioned
documents and who has read them, chosen guidance sheets, and external training."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.template.loader import render_to_string

from alongside.accounts.models import audit
from alongside.guidance.models import Sheet
from alongside.organisations import tasks
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
from alongside.surgeries.models import Organisation

# --- Documents and their versions -----------------------------------------------------------


def starting_text(organisation: Organisation, kind: str) -> str:
    """The template a document starts from, in the handbook's voice, ready to be edited."""
    return render_to_string(
        f"organisations/approach/starting/{kind}.md", {"organisation": organisation}
    ).strip()


def current_versions(organisation: Organisation) -> dict[str, DocumentVersion]:
    """The latest version of each document the organisation has written, in one query."""
    latest = (
        DocumentVersion.objects.filter(organisation=organisation, kind=OuterRef("kind"))
        .order_by("-number")
        .values("number")[:1]
    )
    found = DocumentVersion.objects.filter(
        organisation=organisation, number=Subquery(latest)
    ).select_related("organisation")
    return {v.kind: v for v in found}


def document_publish(
    *, organisation: Organisation, kind: str, body: str, actor: User, membership: Membership | None
) -> DocumentVersion:
    """Save the text as the document's next version; the same text again adds nothing.

    A new version of the policy or the procedure asks every member to read it again: each
    is emailed once about it, and the author has read it already.
    """
    body = body.strip()
    with transaction.atomic():
        # Two admins saving at once would otherwise both take the same next number.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        current = (
            DocumentVersion.objects.filter(organisation=organisation, kind=kind)
            .order_by("-number")
            .first()
        )
        if current is not None and current.body == body:
            return current  # a double submit, or saved without a change
        version = DocumentVersion.objects.create(
            organisation=organisation,
            kind=kind,
            number=(current.number + 1) if current else 1,
            body=body,
            written_by=actor,
        )
        audit(
            "approach.document_publish",
            version,
            actor=actor,
            organisation_id=organisation.pk,
            kind=kind,
            number=version.number,
        )
        if version.asks_acknowledgement:
            if membership is not None:
                Acknowledgement.objects.create(version=version, membership=membership)
            version_id = version.pk
            transaction.on_commit(lambda: tasks.send_document_version.enqueue(version_id))
    return version


def with_authors(organisation: Organisation, versions: Iterable[DocumentVersion]) -> None:
    """Set `author` on each version: the name its writer has in the organisation, in one query.

    The name is looked up, not kept on the version, so it goes when they leave or are erased;
    a version written by someone no longer a member (or a network admin) names nobody.
    """
    versions = list(versions)
    names = dict(
        Membership.objects.filter(
            organisation=organisation, user_id__in={v.written_by_id for v in versions}
        ).values_list("user_id", "name")
    )
    for v in versions:
        v.author = names.get(v.written_by_id, "")  # type: ignore[attr-defined,arg-type]


def version_changes(version: DocumentVersion) -> list[tuple[str, str]]:
    """The lines taken out of and put into the text since the version before, in order:
    ("removed", line) and ("added", line). Empty for a first version."""
    before = DocumentVersion.objects.filter(
        organisation_id=version.organisation_id, kind=version.kind, number=version.number - 1
    ).first()
    if before is None:
        return []
    lines = difflib.unified_diff(
        before.body.splitlines(), version.body.splitlines(), n=0, lineterm=""
    )
    return [
        ("removed" if line[0] == "-" else "added", line[1:])
        for line in lines
        if line[:1] in "-+" and not line.startswith(("---", "+++")) and line[1:].strip()
    ]


def document_acknowledge(*, version: DocumentVersion, membership: Membership) -> bool:
    """Record that the member has read this version. False if it is not the current one."""
    with transaction.atomic():
        newer = DocumentVersion.objects.filter(
            organisation_id=version.organisation_id, kind=version.kind, number__gt=version.number
        )
        if not version.asks_acknowledgement or newer.exists():
            return False
        try:
            with transaction.atomic():
                ack = Acknowledgement.objects.create(version=version, membership=membership)
        except IntegrityError:
            return True  # read already, perhaps in another tab
        audit(
            "approach.acknowledge",
            ack,
            actor=membership.user,
            organisation_id=version.organisation_id,
            kind=version.kind,
            number=version.number,
        )
    return True


def to_acknowledge(organisation: Organisation, membership: Membership) -> list[DocumentVersion]:
    """The current versions this member has not said they have read yet, in two queries."""
    versions = current_versions(organisation).values()
    wanted = [v for v in versions if v.asks_acknowledgement]
    if not wanted:
        return []
    read = set(
        Acknowledgement.objects.filter(membership=membership, version__in=wanted).values_list(
            "version_id", flat=True
        )
    )
    return sorted((v for v in wanted if v.pk not in read), key=lambda v: v.kind != "policy")


@dataclass(frozen=True)
class AcknowledgementFigures:
    """How many of the organisation's members have read the current version of a document."""

    kind: str
    title: str
    number: int
    acknowledged: int
    members: int


def acknowledgement_figures(organisation: Organisation) -> list[AcknowledgementFigures]:
    """Per document that asks to be read (policy, then procedure), its current version and how
    many of today's members have acknowledged it. Documents not written yet are left out.
    Two queries, however many members and versions."""
    members = Membership.objects.filter(organisation=organisation).count()
    latest = (
        DocumentVersion.objects.filter(organisation=organisation, kind=OuterRef("kind"))
        .order_by("-number")
        .values("number")[:1]
    )
    versions = (
        DocumentVersion.objects.filter(
            organisation=organisation, kind__in=ACKNOWLEDGED_KINDS, number=Subquery(latest)
        )
        .annotate(
            read=Count(
                "acknowledgements",
                filter=Q(acknowledgements__membership__organisation=organisation),
            )
        )
        .values_list("kind", "number", "read")
    )
    found = {kind: (number, read) for kind, number, read in versions}
    return [
        AcknowledgementFigures(
            kind=kind,
            title=str(DocumentKind(kind).label),
            number=found[kind][0],
            acknowledged=found[kind][1],
            members=members,
        )
        for kind in ACKNOWLEDGED_KINDS
        if kind in found
    ]


# --- Platforms ---------------------------------------------------------------------------------


def platform_save(
    *,
    organisation: Organisation,
    platform: Platform | None,
    name: str,
    url: str,
    purpose: str,
    keepers: Iterable[Membership],
    actor: User,
) -> Platform:
    with transaction.atomic():
        if platform is None:
            platform = Platform.objects.create(
                organisation=organisation, name=name, url=url, purpose=purpose
            )
            action = "approach.platform_add"
        else:
            platform.name, platform.url, platform.purpose = name, url, purpose
            platform.save(update_fields=["name", "url", "purpose"])
            action = "approach.platform_update"
        platform.keepers.set([m for m in keepers if m.organisation_id == organisation.pk])
        audit(action, platform, actor=actor, organisation_id=organisation.pk, name=name)
    return platform


def platform_remove(*, platform: Platform, actor: User) -> None:
    with transaction.atomic():
        audit(
            "approach.platform_remove",
            platform,
            actor=actor,
            organisation_id=platform.organisation_id,
            name=platform.name,
        )
        platform.delete()


# --- Guidance sheets chosen for the organisation ---------------------------------------------


def sheet_choose(*, organisation: Organisation, sheet: Sheet, actor: User) -> ChosenSheet:
    """Add a published sheet at the end of the organisation's list; choosing it again is a no-op."""
    assert sheet.published  # the form offers published sheets only
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        chosen, created = ChosenSheet.objects.get_or_create(
            organisation=organisation,
            sheet=sheet,
            defaults={
                "position": (
                    ChosenSheet.objects.filter(organisation=organisation).aggregate(
                        top=Max("position")
                    )["top"]
                    or 0
                )
                + 1
            },
        )
        if created:
            audit(
                "approach.sheet_choose",
                chosen,
                actor=actor,
                organisation_id=organisation.pk,
                sheet_id=sheet.pk,
            )
    return chosen


def sheet_move(*, chosen: ChosenSheet, up: bool, actor: User) -> None:
    """Swap the sheet with the one above (or below) it in the organisation's list."""
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=chosen.organisation_id).first()
        ordered = list(ChosenSheet.objects.filter(organisation_id=chosen.organisation_id))
        i = next(i for i, c in enumerate(ordered) if c.pk == chosen.pk)
        j = i - 1 if up else i + 1
        if not 0 <= j < len(ordered):
            return
        ordered[i], ordered[j] = ordered[j], ordered[i]
        for position, c in enumerate(ordered, start=1):
            c.position = position
        ChosenSheet.objects.bulk_update(ordered, ["position"])
        audit(
            "approach.sheet_move",
            chosen,
            actor=actor,
            organisation_id=chosen.organisation_id,
            up=up,
        )


def sheet_unchoose(*, chosen: ChosenSheet, actor: User) -> None:
    with transaction.atomic():
        audit(
            "approach.sheet_unchoose",
            chosen,
            actor=actor,
            organisation_id=chosen.organisation_id,
            sheet_id=chosen.sheet_id,
        )
        chosen.delete()


# --- External training -------------------------------------------------------------------------


COURSE_FIELDS = ("title", "provider", "url", "cost", "length", "topic", "notes")


def course_save(
    *, organisation: Organisation, course: Course | None, data: dict, actor: User
) -> Course:
    values = {name: data[name] for name in COURSE_FIELDS}
    with transaction.atomic():
        if course is None:
            course = Course.objects.create(organisation=organisation, **values)
            action = "approach.course_add"
        else:
            for name, value in values.items():
                setattr(course, name, value)
            course.save(update_fields=list(COURSE_FIELDS))
            action = "approach.course_update"
        audit(action, course, actor=actor, organisation_id=organisation.pk, title=course.title)
    return course


def course_remove(*, course: Course, actor: User) -> None:
    with transaction.atomic():
        audit(
            "approach.course_remove",
            course,
            actor=actor,
            organisation_id=course.organisation_id,
            title=course.title,
        )
        course.delete()
