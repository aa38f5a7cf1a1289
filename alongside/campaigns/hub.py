"""The volunteers' hub: each chapter's checklist, and the team's pages that feed every hub.

A chapter's hub is for its volunteers (and the campaign team); the team writes the planning
template, announcements and resources, and approves stories before anyone else sees them.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alongside.accounts.http import SignedInRequest
from alongside.campaigns import hub_services as services
from alongside.campaigns.access import (
    ChapterPlace,
    approved_chapter_for_volunteer,
    campaign_for_team,
)
from alongside.campaigns.hub_forms import (
    AnnouncementForm,
    LinkResourceForm,
    PlanStepForm,
    SheetResourceForm,
    StoryForm,
    TaskForm,
)
from alongside.campaigns.models import (
    Announcement,
    Campaign,
    Chapter,
    ChapterStatus,
    ChapterStory,
    ChapterTask,
    ChapterVolunteer,
    PlanStep,
    Resource,
    StoryStatus,
)

# --- A chapter's hub -----------------------------------------------------------------------


def _hub_page(request: HttpRequest, place: ChapterPlace, task_form: TaskForm | None = None):
    chapter = place.chapter
    campaign = place.campaign
    services.checklist_copy(chapter=chapter)
    today = services.chapter_today(chapter)
    tasks = list(ChapterTask.objects.filter(chapter=chapter))
    # Who ticked what, by the name they have in this chapter; the team as "the team".
    names = dict(ChapterVolunteer.objects.filter(chapter=chapter).values_list("user_id", "name"))
    for task in tasks:
        who = names.get(task.done_by_id or 0, _("the campaign team"))
        task.done_by_name = who  # type: ignore[attr-defined]
        task.overdue = task.is_overdue(today) and not task.if_you_can  # type: ignore[attr-defined]
    ctx = {
        "campaign": campaign,
        "chapter": chapter,
        "volunteer": place.volunteer,
        "today": today,
        "to_do": [t for t in tasks if not t.is_done and not t.if_you_can],
        "if_you_can": [t for t in tasks if not t.is_done and t.if_you_can],
        "done": [t for t in tasks if t.is_done],
        "task_form": task_form or TaskForm(),
        "announcements": Announcement.objects.filter(campaign=campaign)[:10],
        # A sheet taken back to draft is a 404 to readers: left off until it is published.
        "resources": Resource.objects.filter(campaign=campaign)
        .filter(Q(sheet__isnull=True) | Q(sheet__published=True))
        .select_related("sheet"),
        "stories": ChapterStory.objects.for_chapters()
        .filter(chapter__campaign=campaign)
        .select_related("chapter")[:20],
        "ours_waiting": ChapterStory.objects.filter(chapter=chapter, status=StoryStatus.WAITING),
    }
    return render(request, "campaigns/hub/chapter.html", ctx)


def chapter_hub(request: SignedInRequest, slug: str, chapter_slug: str) -> HttpResponse:
    place = approved_chapter_for_volunteer(request, slug, chapter_slug)
    return _hub_page(request, place)


@require_POST
def task_add(request: SignedInRequest, slug: str, chapter_slug: str) -> HttpResponse:
    place = approved_chapter_for_volunteer(request, slug, chapter_slug)
    form = TaskForm(request.POST)
    if not form.is_valid():
        return _hub_page(request, place, form)
    services.task_add(
        chapter=place.chapter,
        title=form.cleaned_data["title"],
        due_on=form.cleaned_data["due_on"],
        actor=request.user,
    )
    messages.success(request, _("It is on your checklist."))
    return redirect("chapter_hub", slug, chapter_slug)


@require_POST
def task_tick(request: SignedInRequest, slug: str, chapter_slug: str, task_id: int) -> HttpResponse:
    place = approved_chapter_for_volunteer(request, slug, chapter_slug)
    task = get_object_or_404(ChapterTask, pk=task_id, chapter=place.chapter)
    done = request.POST.get("action") != "undo"
    if services.task_tick(task=task, done=done, actor=request.user) and done:
        messages.success(request, _("Well done: “%(title)s” is done.") % {"title": task.title})
    return redirect("chapter_hub", slug, chapter_slug)


def story_new(request: SignedInRequest, slug: str, chapter_slug: str) -> HttpResponse:
    place = approved_chapter_for_volunteer(request, slug, chapter_slug)
    form = StoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.story_share(chapter=place.chapter, actor=request.user, **form.cleaned_data)
        messages.success(
            request,
            _("Thank you. The campaign team will read it before anyone else can see it."),
        )
        return redirect("chapter_hub", slug, chapter_slug)
    ctx = {"campaign": place.campaign, "chapter": place.chapter, "form": form}
    return render(request, "campaigns/hub/story_new.html", ctx)


# --- The campaign team's pages ---------------------------------------------------------------


def team_hub(request: SignedInRequest, slug: str) -> HttpResponse:
    """Every approved chapter's checklist at a glance, and the way to each of the team's pages."""
    campaign = campaign_for_team(request, slug)
    services.checklists_copy(campaign=campaign)
    chapters = (
        Chapter.objects.filter(campaign=campaign, status=ChapterStatus.APPROVED)
        .annotate(
            tasks_total=Count("tasks"),
            tasks_done=Count("tasks", filter=Q(tasks__done_at__isnull=False)),
        )
        .order_by("city")
    )
    waiting = ChapterStory.objects.filter(
        chapter__campaign=campaign, status=StoryStatus.WAITING
    ).count()
    ctx = {"campaign": campaign, "chapters": chapters, "waiting": waiting}
    return render(request, "campaigns/hub/team.html", ctx)


def plan_template(request: SignedInRequest, slug: str) -> HttpResponse:
    campaign = campaign_for_team(request, slug)
    form = PlanStepForm(request.POST or None)
    if request.method == "POST" and request.POST.get("action") == "suggested":
        if services.plan_suggested_use(campaign=campaign, actor=request.user):
            services.checklists_copy(campaign=campaign)
            messages.success(request, _("The suggested plan is in. Change it as you need."))
        return redirect("hub_template", slug)
    if request.method == "POST" and form.is_valid():
        step = services.plan_step_add(campaign=campaign, actor=request.user, **form.cleaned_data)
        services.checklists_copy(campaign=campaign)
        messages.success(request, _("“%(title)s” is in the plan.") % {"title": step.title})
        return redirect("hub_template", slug)
    steps = PlanStep.objects.filter(campaign=campaign)
    ctx = {"campaign": campaign, "form": form, "steps": steps}
    return render(request, "campaigns/hub/template.html", ctx)


@require_POST
def plan_step_remove(request: SignedInRequest, slug: str, step_id: int) -> HttpResponse:
    campaign = campaign_for_team(request, slug)
    step = get_object_or_404(PlanStep, pk=step_id, campaign=campaign)
    services.plan_step_remove(step=step, actor=request.user)
    messages.success(request, _("“%(title)s” is out of the plan.") % {"title": step.title})
    return redirect("hub_template", slug)


def announcements(request: SignedInRequest, slug: str) -> HttpResponse:
    """Write, preview, then send once. Going back from the preview keeps what was written."""
    campaign = campaign_for_team(request, slug)
    action = request.POST.get("action")
    form = AnnouncementForm(request.POST or None)
    preview = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if action == "send" and data["nonce"]:
            announcement, new = services.announcement_send(
                campaign=campaign,
                subject=data["subject"],
                body=data["body"],
                audience=data["audience"],
                nonce=str(data["nonce"]),
                actor=request.user,
            )
            if new:
                messages.success(request, _("Your announcement is on its way."))
            else:
                messages.info(request, _("This announcement was sent already: once is enough."))
            return redirect("hub_announcements", slug)
        if action != "edit":
            preview = True
            # A fresh nonce per preview: the send it leads to happens once.
            form = AnnouncementForm({**request.POST.dict(), "nonce": data["nonce"] or uuid.uuid4()})
            form.is_valid()
    sent = Announcement.objects.filter(campaign=campaign).select_related("written_by")
    ctx = {"campaign": campaign, "form": form, "preview": preview, "sent": sent}
    if preview:
        audience = form.cleaned_data["audience"]
        ctx["reaches"] = (
            Announcement.volunteers_for(campaign, audience).values("user").distinct().count()
        )
    return render(request, "campaigns/hub/announcements.html", ctx)


def resources(request: SignedInRequest, slug: str) -> HttpResponse:
    campaign = campaign_for_team(request, slug)
    kind = request.POST.get("kind")
    sheet_form = SheetResourceForm(
        request.POST if kind == "sheet" else None, campaign=campaign, prefix="sheet"
    )
    link_form = LinkResourceForm(request.POST if kind == "link" else None, prefix="link")
    if kind == "sheet" and sheet_form.is_valid():
        sheet = sheet_form.cleaned_data["sheet"]
        services.resource_sheet_add(campaign=campaign, sheet=sheet, actor=request.user)
        messages.success(request, _("“%(title)s” is on every hub.") % {"title": sheet.title})
        return redirect("hub_resources", slug)
    if kind == "link" and link_form.is_valid():
        services.resource_link_add(campaign=campaign, actor=request.user, **link_form.cleaned_data)
        messages.success(request, _("The link is on every hub."))
        return redirect("hub_resources", slug)
    chosen = Resource.objects.filter(campaign=campaign).select_related("sheet")
    ctx = {
        "campaign": campaign,
        "sheet_form": sheet_form,
        "link_form": link_form,
        "resources": chosen,
    }
    return render(request, "campaigns/hub/resources.html", ctx)


@require_POST
def resource_remove(request: SignedInRequest, slug: str, resource_id: int) -> HttpResponse:
    campaign = campaign_for_team(request, slug)
    resource = get_object_or_404(
        Resource.objects.select_related("sheet"), pk=resource_id, campaign=campaign
    )
    services.resource_remove(resource=resource, actor=request.user)
    messages.success(request, _("“%(title)s” is off the hubs.") % {"title": resource.label})
    return redirect("hub_resources", slug)


def stories_moderate(request: SignedInRequest, slug: str) -> HttpResponse:
    campaign = campaign_for_team(request, slug)
    stories = (
        ChapterStory.objects.filter(chapter__campaign=campaign)
        .select_related("chapter")
        .order_by("-created_at", "-pk")
    )
    waiting = [s for s in stories if s.status == StoryStatus.WAITING]
    decided = [s for s in stories if s.status != StoryStatus.WAITING]
    ctx = {"campaign": campaign, "waiting": waiting, "decided": decided}
    return render(request, "campaigns/hub/stories_moderate.html", ctx)


@require_POST
def story_moderate(request: SignedInRequest, slug: str, chapter_story_id: int) -> HttpResponse:
    campaign = campaign_for_team(request, slug)
    story = get_object_or_404(ChapterStory, pk=chapter_story_id, chapter__campaign=campaign)
    approve = request.POST.get("action") == "approve"
    services.story_moderate(story=story, approve=approve, actor=request.user)
    if approve:
        messages.success(request, _("“%(title)s” is shown.") % {"title": story.title})
    else:
        messages.success(request, _("“%(title)s” is hidden.") % {"title": story.title})
    return redirect("hub_stories", slug)


# --- Public --------------------------------------------------------------------------------


def public_stories(request: HttpRequest, slug: str) -> HttpResponse:
    """Stories their writers agreed anyone may read, once the team approved them."""
    campaign = get_object_or_404(Campaign, slug=slug)
    stories = ChapterStory.objects.public().filter(chapter__campaign=campaign)
    ctx = {"campaign": campaign, "stories": stories.select_related("chapter")}
    return render(request, "campaigns/hub/stories.html", ctx)
