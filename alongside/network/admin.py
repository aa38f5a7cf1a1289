from django.contrib import admin
from django.contrib.admin.views.main import ChangeList

from alongside.accounts.admin import AuditEntryAdmin
from alongside.accounts.models import AuditEntry
from alongside.network import auditnames
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


class _NamedChangeList(ChangeList):
    """The page's entries, each with what its record is in words, in a query per kind."""

    def get_results(self, request):
        super().get_results(request)
        found = auditnames.names(self.result_list)
        for entry in self.result_list:
            entry.record_name = found.get((entry.object_type, entry.object_id), "")


# The network's whole log names records as a surgery's log does. Naming them needs the apps
# above accounts, so the log's admin is finished here.
admin.site.unregister(AuditEntry)


@admin.register(AuditEntry)
class NamedAuditEntryAdmin(AuditEntryAdmin):
    list_display = ["created_at", "action", "record", "actor", "surgery"]

    def get_changelist(self, request, **kwargs):
        return _NamedChangeList

    @admin.display(description="what it is about")
    def record(self, entry: AuditEntry) -> str:
        return getattr(entry, "record_name", "") or f"{entry.object_type} {entry.object_id}"
