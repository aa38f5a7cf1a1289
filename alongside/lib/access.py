"""Who may see and change what. Every organiser view starts with one of these helpers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from alongside.surgeries.models import Session, Surgery


def _require_organiser(request: HttpRequest, surgery_id: int) -> None:
    # Anonymous visitors get the same 403 as other organisers; the 403 page offers sign-in.
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    if not user.organised_surgeries.filter(pk=surgery_id).exists():
        raise PermissionDenied


def surgery_for_organiser(request: HttpRequest, slug: str) -> Surgery:
    surgery = get_object_or_404(Surgery, slug=slug)
    _require_organiser(request, surgery.pk)
    return surgery


def session_for_organiser(request: HttpRequest, session_id: int) -> Session:
    session = get_object_or_404(Session.objects.select_related("surgery", "venue"), pk=session_id)
    _require_organiser(request, session.surgery_id)
    return session
