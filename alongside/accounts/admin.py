from django.contrib import admin

from alongside.accounts.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "object_type", "object_id", "actor", "surgery"]
    list_filter = ["action", "surgery"]
    list_select_related = ["actor", "surgery"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
