from django.contrib import admin

from alongside.guidance.models import Sheet


@admin.register(Sheet)
class SheetAdmin(admin.ModelAdmin):
    list_display = ["title", "author", "published", "updated_at"]
    list_filter = ["published", "topics"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    raw_id_fields = ["author"]
