from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from alongside.guidance import handbook as book
from alongside.guidance.access import (
    can_edit_sheet,
    can_write_sheets,
    require_sheet_writer,
    sheet_for_editor,
    sheet_for_reader,
)
from alongside.guidance.forms import SheetForm
from alongside.guidance.markdown import render as render_markdown
from alongside.guidance.models import Sheet
from alongside.guidance.services import sheet_save
from alongside.surgeries.access import is_network_admin
from alongside.surgeries.models import Topic

# --- The organiser's handbook ------------------------------------------------------------


def handbook(request: HttpRequest) -> HttpResponse:
    return render(request, "guidance/handbook.html", {"chapters": book.CHAPTERS})


def handbook_chapter(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = book.BY_SLUG.get(slug)
    if chapter is None:
        raise Http404("No such chapter.")
    i = book.CHAPTERS.index(chapter)
    ctx = {
        "chapter": chapter,
        "previous": book.CHAPTERS[i - 1] if i > 0 else None,
        "next": book.CHAPTERS[i + 1] if i + 1 < len(book.CHAPTERS) else None,
    }
    return render(request, "guidance/chapter.html", ctx)


def handbook_print(request: HttpRequest) -> HttpResponse:
    return render(request, "guidance/handbook_print.html", {"chapters": book.CHAPTERS})


# --- Guidance sheets -----------------------------------------------------------------------


def sheets(request: HttpRequest) -> HttpResponse:
    """Published sheets, by topic: three queries however many sheets and topics there are."""
    topics = list(Topic.objects.filter(sheets__published=True).distinct())
    wanted = request.GET.get("topic", "")
    topic = next((t for t in topics if t.slug == wanted), None)
    found = Sheet.objects.published().prefetch_related("topics")
    if wanted:
        found = found.filter(topics__slug=wanted)
    ctx: dict[str, object] = {"sheets": found, "topics": topics, "topic": topic, "wanted": wanted}
    if can_write_sheets(request):
        ctx["can_write"] = True
        drafts = Sheet.objects.filter(published=False)
        if not is_network_admin(request):
            drafts = drafts.filter(author_id=request.user.pk)
        ctx["drafts"] = drafts
    return render(request, "guidance/sheets.html", ctx)


def sheet(request: HttpRequest, slug: str) -> HttpResponse:
    found = sheet_for_reader(request, slug)
    ctx = {"sheet": found, "can_edit": can_edit_sheet(request, found)}
    return render(request, "guidance/sheet.html", ctx)


def _sheet_form(request: HttpRequest, sheet: Sheet) -> HttpResponse:
    form = SheetForm(request.POST or None, instance=sheet)
    preview = None
    if request.method == "POST":
        if request.POST.get("action") == "preview":
            preview = render_markdown(request.POST.get("body", ""))
        elif form.is_valid():
            sheet = sheet_save(
                sheet=form.instance, topics=form.cleaned_data["topics"], actor=request.user
            )
            if sheet.published:
                messages.success(request, _("Saved. Anyone can read the sheet now."))
            else:
                messages.success(
                    request, _("Saved as a draft. Only you and network admins see it.")
                )
            return redirect(sheet.get_absolute_url())
    ctx = {"form": form, "sheet": sheet, "preview": preview}
    return render(request, "guidance/sheet_form.html", ctx)


def sheet_new(request: HttpRequest) -> HttpResponse:
    require_sheet_writer(request)
    return _sheet_form(request, Sheet())


def sheet_edit(request: HttpRequest, slug: str) -> HttpResponse:
    return _sheet_form(request, sheet_for_editor(request, slug))
