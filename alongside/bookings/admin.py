from django.contrib import admin

from alongside.bookings.models import Booking


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "role", "status", "session", "organisation", "created_at"]
    list_filter = ["role", "status", "session__surgery"]
    search_fields = ["name", "email", "organisation__name"]
    list_select_related = ["session__surgery", "organisation"]
    raw_id_fields = ["session", "organisation"]
    filter_horizontal = ["topics"]
    date_hierarchy = "created_at"
