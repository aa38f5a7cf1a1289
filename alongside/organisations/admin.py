from django.contrib import admin

from alongside.organisations.models import (
    Course,
    DocumentVersion,
    Invitation,
    Membership,
    Platform,
    Round,
    Team,
)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "role", "team", "created_at"]
    list_filter = ["role"]
    search_fields = ["name", "user__email", "organisation__name"]
    raw_id_fields = ["user", "organisation", "team"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation"]
    raw_id_fields = ["organisation"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "sent_at", "accepted_at", "withdrawn_at"]
    search_fields = ["email"]
    raw_id_fields = ["organisation", "team", "invited_by", "accepted_by"]
    # The nonce is what makes a link work: nobody needs to read or change it here.
    exclude = ["nonce"]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    # Answers are not listed here: people's own answers are theirs unless they share them.
    list_display = ["organisation", "number", "opened_at", "closed_at"]
    raw_id_fields = ["organisation", "opened_by"]


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation"]
    raw_id_fields = ["organisation", "keepers"]


@admin.register(DocumentVersion)
class DocumentVersionAdmin(admin.ModelAdmin):
    # Versions are a record of what was agreed when: read here, changed only by a new version.
    list_display = ["organisation", "kind", "number", "written_at"]
    list_filter = ["kind"]
    readonly_fields = ["organisation", "kind", "number", "body", "written_by", "written_at"]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "cost"]
    raw_id_fields = ["organisation", "topic"]
