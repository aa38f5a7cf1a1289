from django.contrib import admin

from alongside.interest.models import Interest, Introduction


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):
    list_display = ["place_name", "email", "would_come", "would_help", "would_organise"]
    list_filter = ["would_come", "would_help", "would_organise"]
    search_fields = ["place_name", "email", "name", "group"]


@admin.register(Introduction)
class IntroductionAdmin(admin.ModelAdmin):
    list_display = ["interest", "surgery", "introduced_by", "created_at"]
    raw_id_fields = ["interest", "surgery", "introduced_by"]
