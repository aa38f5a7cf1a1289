from django.contrib import admin

from alongside.campaigns.models import Campaign, Chapter, ProviderMapping, Rate, TeamMember


class TeamInline(admin.TabularInline):
    model = TeamMember
    raw_id_fields = ["user"]
    extra = 1


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "starts_on", "ends_on", "currency", "target"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [TeamInline]


@admin.register(Chapter)
class ChapterAdmin(admin.ModelAdmin):
    list_display = ["city", "country", "campaign", "status", "currency", "target"]
    list_filter = ["status", "campaign"]
    exclude = ["webhook_secret"]
    raw_id_fields = ["proposed_by", "decided_by"]


@admin.register(Rate)
class RateAdmin(admin.ModelAdmin):
    list_display = ["campaign", "currency", "per_unit", "on", "source"]
    raw_id_fields = ["entered_by"]


@admin.register(ProviderMapping)
class ProviderMappingAdmin(admin.ModelAdmin):
    list_display = ["provider", "campaign"]
    list_filter = ["campaign"]
