from django.contrib import admin

from alongside.helprecords.models import HelpLink, HelpRecord, Story


class HelpLinkInline(admin.TabularInline):
    model = HelpLink
    extra = 0


@admin.register(HelpRecord)
class HelpRecordAdmin(admin.ModelAdmin):
    list_display = ["booking", "surgeon", "session", "public", "created_at"]
    list_filter = ["public", "session__surgery"]
    search_fields = ["note", "booking__name", "booking__organisation__name"]
    list_select_related = ["booking", "surgeon", "session__surgery"]
    raw_id_fields = ["session", "booking", "surgeon", "recorded_by"]
    filter_horizontal = ["topics"]
    inlines = [HelpLinkInline]


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ["title", "surgery", "consent", "published_at", "created_at"]
    list_filter = ["consent", "surgery"]
    search_fields = ["title", "text", "organisation__name"]
    list_select_related = ["surgery"]
    raw_id_fields = ["surgery", "organisation", "created_by"]
    filter_horizontal = ["help_records"]
