from django.contrib import admin
from django.db.models import Count
from django.http import HttpRequest

from alongside.surgeries.models import (
    Area,
    Organisation,
    Organiser,
    Session,
    Surgery,
    Topic,
    Venue,
)


class VenueInline(admin.TabularInline):
    model = Venue
    extra = 0


class OrganiserInline(admin.TabularInline):
    model = Organiser
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Surgery)
class SurgeryAdmin(admin.ModelAdmin):
    list_display = ["name", "place_name", "host_organisation", "contact_email", "session_count"]
    list_filter = ["area"]
    search_fields = ["name", "place_name", "host_organisation"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OrganiserInline, VenueInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(session_count=Count("sessions"))

    @admin.display(ordering="session_count", description="sessions")
    def session_count(self, obj):
        return obj.session_count


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    """Places, times and place are read only here: session_save, behind the organiser's
    session form, fills new places from the waiting list and tells people of a move."""

    list_display = ["date", "surgery", "start_time", "venue", "help_places", "surgeon_places"]
    list_filter = ["surgery"]
    date_hierarchy = "date"
    list_select_related = ["surgery", "venue"]
    raw_id_fields = ["venue"]
    readonly_fields = [
        "surgery", "date", "start_time", "end_time", "venue", "online_url", "help_places",
        "surgeon_places", "series", "cancelled_at", "moved_at",
    ]  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Session | None = None) -> bool:
        return False


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "surgery", "address", "postcode"]
    list_select_related = ["surgery"]
    search_fields = ["name", "address", "postcode"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent"]
    list_select_related = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
