"""The volunteers' hub: the planning checklist, announcements, resources and stories.

Every change is audited under the person who made it. No email nags anyone about the
checklist: the only email here is an announcement the team chose to send.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from alongside.accounts.models import audit
from alongside.campaigns import tasks
from alongside.campaigns.models import (
    Announcement,
    Campaign,
    Chapter,
    ChapterStatus,
    ChapterStory,
    ChapterTask,
    PlanStep,
    Resource,
    StoryStatus,
)
from alongside.campaigns.models.hub import SUGGESTED_PLAN
from alongside.guidance.models import Sheet


def chapter_today(chapter: Chapter) -> dt.date:
    """Today where the chapter is: Honolulu's Monday is still London's Sunday night."""
    return timezone.localtime(timezone.now(), chapter.zone).date()


# --- The planning template ----------------------------------------------------------------


def plan_step_add(
    *, campaign: Campaign, title: str, detail: str, weeks_before: int, actor: User
) -> PlanStep:
    with transaction.atomic():
        step = PlanStep.objects.create(
            campaign=campaign, title=title, detail=detail, weeks_before=weeks_before
        )
        audit("hub.plan_step_add", step, actor=actor, title=title, weeks_before=weeks_before)
    return step


def plan_suggested_use(*, campaign: Campaign, actor: User) -> int:
    """Start an empty template from the suggested plan; a template with steps is left alone."""
    with transaction.atomic():
        if PlanStep.objects.select_for_update().filter(campaign=campaign).exists():
            return 0
        for weeks, title, detail in SUGGESTED_PLAN:
            plan_step_add(
                campaign=campaign,
                title=str(title),
                detail=str(detail),
                weeks_before=weeks,
                actor=actor,
            )
    return len(SUGGESTED_PLAN)


def plan_step_remove(*, step: PlanStep, actor: User) -> None:
    """Off the template and off every chapter's list, except where a chapter has done it."""
    with transaction.atomic():
        ChapterTask.objects.filter(step=step, done_at__isnull=True).delete()
        audit("hub.plan_step_remove", step, actor=actor, title=step.title)
        step.delete()


def _task_from(step: PlanStep, chapter: Chapter, campaign: Campaign, today: dt.date):
    due = step.due_on(campaign)
    return ChapterTask(
        chapter=chapter,
        step=step,
        title=step.title,
        detail=step.detail,
        due_on=due,
        if_you_can=due < today,
    )


def checklist_copy(*, chapter: Chapter) -> int:
    """Give the chapter its copy of every step of the template it does not have yet.

    Safe to call again and at the same time: one task per step per chapter (a unique
    constraint). A step whose date had passed when the chapter joined is offered "if you
    can", never counted as overdue: a chapter approved three weeks out is not behind.
    """
    campaign = chapter.campaign
    have = ChapterTask.objects.filter(chapter=chapter, step__isnull=False).values("step_id")
    missing = list(PlanStep.objects.filter(campaign=campaign).exclude(pk__in=have))
    if not missing:
        return 0
    today = chapter_today(chapter)
    tasks_ = [_task_from(step, chapter, campaign, today) for step in missing]
    ChapterTask.objects.bulk_create(tasks_, ignore_conflicts=True)
    return len(tasks_)


def checklists_copy(*, campaign: Campaign) -> int:
    """The same for every approved chapter at once, in a few queries however many there are."""
    steps = list(PlanStep.objects.filter(campaign=campaign))
    chapters = list(campaign.chapters.filter(status=ChapterStatus.APPROVED))
    have = set(
        ChapterTask.objects.filter(chapter__campaign=campaign, step__isnull=False).values_list(
            "chapter_id", "step_id"
        )
    )
    tasks_ = []
    for chapter in chapters:
        chapter.campaign = campaign
        today = chapter_today(chapter)
        tasks_ += [
            _task_from(step, chapter, campaign, today)
            for step in steps
            if (chapter.pk, step.pk) not in have
        ]
    if tasks_:
        ChapterTask.objects.bulk_create(tasks_, ignore_conflicts=True)
    return len(tasks_)


def task_add(*, chapter: Chapter, title: str, due_on: dt.date | None, actor: User) -> ChapterTask:
    # A double tap, or the back button and "Add it" again, adds it once.
    same = ChapterTask.objects.filter(chapter=chapter, title=title, done_at__isnull=True).first()
    if same is not None:
        return same
    with transaction.atomic():
        task = ChapterTask.objects.create(
            chapter=chapter, title=title, due_on=due_on, added_by=actor
        )
        audit("hub.task_add", task, actor=actor, chapter=chapter.slug, title=title)
    return task


def task_tick(*, task: ChapterTask, done: bool, actor: User) -> bool:
    """Mark a task done (who and when) or not done. False if it already was: a double tap,
    or two volunteers ticking it at once, records the first one only."""
    with transaction.atomic():
        rows = ChapterTask.objects.filter(pk=task.pk, done_at__isnull=done)
        if done:
            changed = rows.update(done_at=timezone.now(), done_by=actor)
        else:
            changed = rows.update(done_at=None, done_by=None)
        if changed:
            action = "hub.task_done" if done else "hub.task_undone"
            audit(action, task, actor=actor, chapter=task.chapter.slug, title=task.title)
    return bool(changed)


# --- Announcements -------------------------------------------------------------------------


def announcement_send(
    *,
    campaign: Campaign,
    subject: str,
    body: str,
    audience: str,
    nonce: str,
    actor: User,
) -> tuple[Announcement, bool]:
    """Make the announcement and email it once to each person. (It, whether it is new.)

    The preview's nonce makes a second press of "Send" find the first announcement.
    """
    existing = Announcement.objects.filter(campaign=campaign, nonce=nonce).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            announcement = Announcement.objects.create(
                campaign=campaign,
                subject=subject,
                body=body,
                audience=audience,
                nonce=nonce,
                written_by=actor,
            )
            audit("hub.announce", announcement, actor=actor, audience=audience)
            transaction.on_commit(lambda: tasks.send_announcement.enqueue(announcement.pk))
    except IntegrityError:
        # Two presses at the same moment: the other one made it.
        return Announcement.objects.get(nonce=nonce), False
    return announcement, True


# --- Resources -----------------------------------------------------------------------------


def resource_sheet_add(*, campaign: Campaign, sheet: Sheet, actor: User) -> Resource:
    with transaction.atomic():
        resource, _made = Resource.objects.get_or_create(campaign=campaign, sheet=sheet)
        audit("hub.resource_add", resource, actor=actor, sheet=sheet.slug)
    return resource


def resource_link_add(*, campaign: Campaign, title: str, url: str, actor: User) -> Resource:
    with transaction.atomic():
        resource = Resource.objects.create(campaign=campaign, title=title, url=url)
        audit("hub.resource_add", resource, actor=actor, title=title, url=url)
    return resource


def resource_remove(*, resource: Resource, actor: User) -> None:
    with transaction.atomic():
        audit("hub.resource_remove", resource, actor=actor, title=resource.label)
        resource.delete()


# --- What worked ---------------------------------------------------------------------------


def story_share(
    *,
    chapter: Chapter,
    title: str,
    text: str,
    link: str,
    for_chapters: bool,
    public: bool,
    actor: User,
) -> ChapterStory:
    """A story waits for the team; nobody but its chapter and the team sees it until then."""
    same = ChapterStory.objects.filter(chapter=chapter, author=actor, title=title, text=text)
    if (story := same.first()) is not None:
        return story  # sent twice
    with transaction.atomic():
        story = ChapterStory.objects.create(
            chapter=chapter,
            author=actor,
            title=title,
            text=text,
            link=link,
            for_chapters=for_chapters,
            public=public,
        )
        # The words are the writer's: the log names the story and the agreements given.
        audit(
            "hub.story_share",
            story,
            actor=actor,
            chapter=chapter.slug,
            for_chapters=for_chapters,
            public=public,
        )
    return story


def story_moderate(*, story: ChapterStory, approve: bool, actor: User) -> None:
    with transaction.atomic():
        story.status = StoryStatus.APPROVED if approve else StoryStatus.HIDDEN
        story.moderated_by = actor
        story.moderated_at = timezone.now()
        story.save(update_fields=["status", "moderated_by", "moderated_at"])
        audit("hub.story_approve" if approve else "hub.story_hide", story, actor=actor)
