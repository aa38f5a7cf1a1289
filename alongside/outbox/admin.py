from django.contrib import admin
from django.utils import timezone

from alongside.outbox import delivery
from alongside.outbox.models import Message, Undeliverable


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["key", "state", "attempts", "next_attempt_at", "created_at", "sent_at"]
    list_filter = ["state"]
    search_fields = ["key"]
    readonly_fields = [f.name for f in Message._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Try sending the selected failed emails again")
    def send_again(self, request, queryset):
        pks = list(queryset.filter(state=Message.State.FAILED).values_list("pk", flat=True))
        Message.objects.filter(pk__in=pks, state=Message.State.FAILED).update(
            state=Message.State.QUEUED, attempts=0, next_attempt_at=timezone.now()
        )
        for pk in pks:
            delivery.deliver_message.enqueue(pk)
        self.message_user(request, f"{len(pks)} queued to send again.")


@admin.register(Undeliverable)
class UndeliverableAdmin(admin.ModelAdmin):
    """Addresses not sent to: deleting one here sends to it again, as an organiser's button."""

    list_display = ["email", "source", "created_at"]
    list_filter = ["source"]
    search_fields = ["email"]
    readonly_fields = [f.name for f in Undeliverable._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
