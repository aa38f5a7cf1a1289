"""Pages for money in: cash and cheques, refunds, imports with a preview, reconciliation,
rates and the chapter's live stream address."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alongside.campaigns import money
from alongside.campaigns.access import approved_chapter_for_volunteer, campaign_for_team
from alongside.campaigns.imports import mapping_for, providers, shipped_mappings
from alongside.campaigns.models import (
    Chapter,
    Donation,
    ImportDraft,
    ProviderMapping,
    Rate,
    Stream,
)
from alongside.campaigns.money_forms import (
    CashForm,
    ImportForm,
    MappingForm,
    RateForm,
    RatesPasteForm,
    RefundForm,
)
from alongside.campaigns.report import reconciliation

PAGE = 50


def _money_url(chapter: Chapter) -> str:
    return reverse("chapter_money", args=[chapter.campaign.slug, chapter.slug])


@login_required
def chapter_money(request: HttpRequest, slug: str, chapter_slug: str) -> HttpResponse:
    """Enter cash or a cheque, and the chapter's donations, newest first."""
    chapter = approved_chapter_for_volunteer(request, slug, chapter_slug).chapter
    form = CashForm(request.POST or None, initial={"currency": chapter.currency})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        saved = money.donation_enter(
            chapter=chapter,
            stream=d["stream"],
            amount=d["amount"],
            currency=d["currency"],
            received_on=d["received_on"],
            counted_by=d["counted_by"],
            note=d["note"],
            entry_key=d["entry_key"],
            actor=request.user,
        )
        if saved is None:
            messages.info(request, _("That was already saved: it is counted once."))
        else:
            messages.success(
                request,
                _("Saved %(amount)s %(currency)s, counted by %(who)s.")
                % {"amount": saved.gross, "currency": saved.currency, "who": saved.counted_by},
            )
        return redirect(_money_url(chapter))
    donations = Donation.objects.filter(chapter=chapter).select_related("refund_of")
    page = Paginator(donations, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "campaigns/money.html",
        {
            "chapter": chapter,
            "campaign": chapter.campaign,
            "form": form,
            "page": page,
            "today": timezone.localdate(),
        },
    )


@login_required
def donation_refund(
    request: HttpRequest, slug: str, chapter_slug: str, donation_id: int
) -> HttpResponse:
    """Give back cash or a cheque: a negative entry, the original left as it was."""
    chapter = approved_chapter_for_volunteer(request, slug, chapter_slug).chapter
    donation = get_object_or_404(
        Donation,
        pk=donation_id,
        chapter=chapter,
        stream__in=[Stream.CASH, Stream.CHEQUE],
        refund_of__isnull=True,
    )
    left = donation.gross - money.refunded_so_far(donation)
    form = RefundForm(
        request.POST or None, left=left, initial={"received_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            money.refund_record(
                donation=donation,
                amount=d["amount"],
                received_on=d["received_on"],
                note=d["note"],
                actor=request.user,
            )
        except ValueError:
            messages.error(request, _("That has already been given back."))
        else:
            messages.success(request, _("The refund is recorded."))
        return redirect(_money_url(chapter))
    return render(
        request,
        "campaigns/refund.html",
        {
            "chapter": chapter,
            "campaign": chapter.campaign,
            "donation": donation,
            "left": left,
            "form": form,
        },
    )


@login_required
def chapter_import(request: HttpRequest, slug: str, chapter_slug: str) -> HttpResponse:
    """Upload a provider's export: the preview says what importing it would do."""
    chapter = approved_chapter_for_volunteer(request, slug, chapter_slug).chapter
    form = ImportForm(
        request.POST or None, request.FILES or None, providers=providers(chapter.campaign)
    )
    if request.method == "POST" and form.is_valid():
        provider = form.cleaned_data["provider"]
        preview = money.import_preview(chapter=chapter, provider=provider, content=form.content)
        draft = None
        if not preview.problem and preview.new:
            draft = money.draft_save(
                chapter=chapter,
                provider=provider,
                file_name=form.file_name,
                content=form.content,
                actor=request.user,
            )
        return render(
            request,
            "campaigns/import_preview.html",
            {
                "chapter": chapter,
                "campaign": chapter.campaign,
                "preview": preview,
                "draft": draft,
                "provider": provider,
                "file_name": form.file_name,
            },
        )
    return render(
        request,
        "campaigns/import.html",
        {"chapter": chapter, "campaign": chapter.campaign, "form": form},
    )


@login_required
@require_POST
def chapter_import_confirm(
    request: HttpRequest, slug: str, chapter_slug: str, draft_id: int
) -> HttpResponse:
    chapter = approved_chapter_for_volunteer(request, slug, chapter_slug).chapter
    # Only the person who uploaded it imports it; a second "Import" finds it gone.
    draft = ImportDraft.objects.filter(
        pk=draft_id, chapter=chapter, uploaded_by_id=request.user.pk or 0
    ).first()
    if draft is None:
        messages.info(request, _("That file was already imported, or its preview is too old."))
        return redirect(reverse("chapter_reconcile", args=[slug, chapter_slug]))
    record = money.import_commit(draft=draft, actor=request.user)
    messages.success(
        request,
        _("Imported %(file)s: %(added)s added, %(already)s already counted.")
        % {"file": record.file_name, "added": record.added, "already": record.already_counted},
    )
    return redirect(reverse("chapter_reconcile", args=[slug, chapter_slug]))


@login_required
def chapter_reconcile(request: HttpRequest, slug: str, chapter_slug: str) -> HttpResponse:
    chapter = approved_chapter_for_volunteer(request, slug, chapter_slug).chapter
    return render(
        request,
        "campaigns/reconcile.html",
        {"chapter": chapter, "campaign": chapter.campaign, **reconciliation(chapter)},
    )


@login_required
def campaign_rates(request: HttpRequest, slug: str) -> HttpResponse:
    """The team's rates: one at a time, or many pasted at once."""
    campaign = campaign_for_team(request, slug)
    which = request.POST.get("form")
    one = RateForm(request.POST if which == "one" else None, prefix="one")
    many = RatesPasteForm(request.POST if which == "many" else None, prefix="many")
    form = one if which == "one" else many
    if request.method == "POST" and form.is_valid():
        rates = [one.rate()] if form is one else many.cleaned_data["lines"]
        added, moved = money.rates_save(campaign=campaign, rates=rates, actor=request.user)
        messages.success(
            request,
            _("%(added)s new rates saved; %(moved)s donations converted again.")
            % {"added": added, "moved": moved},
        )
        if added < len(rates):
            messages.info(
                request,
                _(
                    "A currency that already had a rate for that day kept it, "
                    "and the campaign's own currency needs none."
                ),
            )
        return redirect(reverse("campaign_rates", args=[slug]))
    waiting = (
        Donation.objects.filter(chapter__campaign=campaign, campaign_net__isnull=True)
        .values_list("currency", flat=True)
        .distinct()
    )
    return render(
        request,
        "campaigns/rates.html",
        {
            "campaign": campaign,
            "one": one,
            "many": many,
            "rates": Rate.objects.filter(campaign=campaign).select_related("entered_by"),
            "waiting": sorted(set(waiting)),
        },
    )


@login_required
def chapter_webhook(request: HttpRequest, slug: str, chapter_slug: str) -> HttpResponse:
    """The team's view of a chapter's live stream: its address, and a new secret on request.

    The secret is shown once, in the answer to the request that made it, never again.
    """
    campaign = campaign_for_team(request, slug)
    chapter = Chapter.objects.filter(
        campaign=campaign, slug=chapter_slug, status="approved"
    ).first()
    if chapter is None:
        raise Http404
    secret = ""
    if request.method == "POST":
        money.webhook_secret_rotate(chapter=chapter, actor=request.user)
        secret = chapter.webhook_secret
    address = request.build_absolute_uri(reverse("campaign_webhook", args=[chapter.pk]))
    response = render(
        request,
        "campaigns/webhook.html",
        {"campaign": campaign, "chapter": chapter, "address": address, "secret": secret},
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def campaign_providers(request: HttpRequest, slug: str) -> HttpResponse:
    """The team's payment providers: how each one's export is read, set once."""
    campaign = campaign_for_team(request, slug)
    for name in shipped_mappings():
        mapping_for(campaign, name)
    mappings = ProviderMapping.objects.filter(campaign=campaign)
    editing = mappings.filter(provider=request.GET.get("provider", "")).first()
    if request.method == "POST":
        editing = mappings.filter(pk=request.POST.get("mapping") or 0).first()
    form = MappingForm(request.POST or None, instance=editing or ProviderMapping(campaign=campaign))
    if request.method == "POST" and form.is_valid():
        if (
            mappings.exclude(pk=form.instance.pk)
            .filter(provider=form.cleaned_data["provider"])
            .exists()
        ):
            form.add_error("provider", _("There is already a provider with that name."))
        else:
            money.mapping_save(mapping=form.save(commit=False), actor=request.user)
            messages.success(request, _("Saved. Its next export will be read this way."))
            return redirect(reverse("campaign_providers", args=[slug]))
    return render(
        request,
        "campaigns/providers.html",
        {"campaign": campaign, "mappings": mappings, "form": form, "editing": editing},
    )
