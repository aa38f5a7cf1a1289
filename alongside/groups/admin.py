from django.contrib import admin

from alongside.groups.models import Connection, GroupInvitation, Profile, WebCheck


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["organisation", "postcode_district", "website", "listed_at"]
    search_fields = ["organisation__name", "postcode_district"]
    raw_id_fields = ["organisation", "area", "updated_by"]


@admin.register(GroupInvitation)
class GroupInvitationAdmin(admin.ModelAdmin):
    list_display = ["session", "organisation", "sent_at", "contacts", "reply"]
    raw_id_fields = ["session", "organisation", "sent_by"]


@admin.register(Connection)
class ConnectionAdmin(admin.ModelAdmin):
    list_display = ["first", "second", "session", "recorded_at"]
    raw_id_fields = ["first", "second", "session", "recorded_by", "recorded_from"]


@admin.register(WebCheck)
class WebCheckAdmin(admin.ModelAdmin):
    list_display = ["organisation", "url", "outcome", "created_at"]
    list_filter = ["outcome", "reason"]
    raw_id_fields = ["organisation", "batch"]
