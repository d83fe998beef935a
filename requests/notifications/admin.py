"""Notifications in the administration: what each person was told and whether the email
went. Read only; emails that failed (or were not sent) can be sent again."""

from __future__ import annotations

from django.contrib import admin, messages

from kentlocality.admin import ReadOnlyAdminMixin

from .models import DailySummary, Notification
from .services import notifications_send_again


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "user", "kind", "subject", "timing", "email_state", "attempts"]
    list_filter = ["email_state", "kind", "timing"]
    search_fields = ["user__email", "user__full_name", "subject", "key"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]
    show_full_result_count = False
    fields = [
        "created_at",
        "user",
        "kind",
        "key",
        "subject",
        "body",
        "url",
        "read_at",
        "timing",
        "email_state",
        "last_error",
        "attempts",
        "email_claimed_at",
        "emailed_at",
        "summary",
    ]
    actions = ["send_again"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm("requests.send_again"):
            actions.pop("send_again", None)
        return actions

    @admin.action(description="Send the email again (failed or not sent)")
    def send_again(self, request, queryset) -> None:
        chosen = list(queryset.values_list("pk", flat=True))
        queued = notifications_send_again(actor=request.user, notification_ids=chosen)
        skipped = len(chosen) - queued
        messages.success(request, f"{queued} email{'s' if queued != 1 else ''} queued to send.")
        if skipped:
            messages.info(
                request,
                f"{skipped} left as they were: only emails that failed or were not sent "
                "are sent again.",
            )


@admin.register(DailySummary)
class DailySummaryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["day", "user", "sent_at", "failed_at", "attempts"]
    list_filter = ["day"]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user"]
