from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from alongside.bookings.models import Booking


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    """Read only: a booking changes through the services, which audit the change, move
    people up from the waiting list and tell those concerned; the organiser's pages and the
    person's own links do that."""

    list_display = ["name", "email", "role", "status", "session", "organisation", "created_at"]
    list_filter = ["role", "status", "session__surgery"]
    search_fields = ["name", "email", "organisation__name"]
    list_select_related = ["session__surgery", "organisation"]
    raw_id_fields = ["session", "organisation"]
    filter_horizontal = ["topics"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Booking | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Booking | None = None) -> bool:
        return False
