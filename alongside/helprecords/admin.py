from django.contrib import admin

from alongside.helprecords.models import HelpLink, HelpRecord


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
