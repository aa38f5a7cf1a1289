from django.contrib import admin

from alongside.network.models import Coordinator, Invitation


@admin.register(Coordinator)
class CoordinatorAdmin(admin.ModelAdmin):
    list_display = ["user", "area", "created_at"]
    list_filter = ["area"]
    raw_id_fields = ["user", "appointed_by"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "kind", "surgery", "area", "sent_at", "accepted_at", "withdrawn_at"]
    list_filter = ["kind"]
    search_fields = ["email"]
    raw_id_fields = ["surgery", "area", "invited_by", "accepted_by"]
    # The nonce is what makes a link work: nobody needs to read or change it here.
    exclude = ["nonce"]
