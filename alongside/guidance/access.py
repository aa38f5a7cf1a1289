"""Guidance sheets: anyone reads them; organisers and network admins write them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from alongside.guidance.models import Sheet
from alongside.surgeries.access import is_network_admin


def can_write_sheets(request: HttpRequest) -> bool:
    """Network admins, and anyone organising a surgery that is approved and not closed."""
    user = request.user
    if not user.is_authenticated or not user.is_active:
        return False
    if is_network_admin(request):
        return True
    return user.organised_surgeries.public().exists()


def require_sheet_writer(request: HttpRequest) -> None:
    if not can_write_sheets(request):
        raise PermissionDenied


def can_edit_sheet(request: HttpRequest, sheet) -> bool:
    """Network admins edit any sheet; organisers edit the sheets they wrote."""
    if is_network_admin(request):
        return True
    return (
        sheet.author_id is not None
        and sheet.author_id == request.user.pk
        and can_write_sheets(request)
    )


def sheet_for_editor(request: HttpRequest, slug: str):
    sheet = get_object_or_404(Sheet, slug=slug)
    if not can_edit_sheet(request, sheet):
        raise PermissionDenied
    return sheet


def sheet_for_reader(request: HttpRequest, slug: str):
    """A published sheet, for anyone. A draft is a 404 except to those who may edit it."""
    sheet = get_object_or_404(Sheet.objects.prefetch_related("topics"), slug=slug)
    if not sheet.published and not can_edit_sheet(request, sheet):
        raise Http404
    return sheet
