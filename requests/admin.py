from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kentlocality.admin import ReadOnlyAdminMixin, ReadOnlyInline

from .models import (
    AgendaItem,
    Attachment,
    Attendance,
    Decision,
    DeclarationOfInterest,
    FormSettings,
    Handoff,
    Meeting,
    PRGService,
    PupilIdentityView,
    ResourceRequest,
    TimelineEvent,
)
from .notifications import admin as notification_admin  # noqa: F401 (registers its models)
from .selectors.lifecycle import log_identity_view


@admin.register(FormSettings)
class FormSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "amount_ceiling"]

    def has_add_permission(self, request) -> bool:
        return not FormSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PRGService)
class PRGServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active", "position"]
    list_editable = ["is_active", "position"]
    list_filter = ["is_active"]
    search_fields = ["name", "offers", "audience"]


class TimelineInline(ReadOnlyInline):
    model = TimelineEvent
    fields = ["at", "actor", "action", "from_status", "to_status", "note"]


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]


@admin.register(ResourceRequest)
class ResourceRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: every change to a request goes through the services, which keep the
    timeline. Administrators search, filter and look."""

    list_display = ["reference", "school", "community", "status", "amount", "submitted_at"]
    list_filter = ["status", "community__area", "is_exceptional", "sen_provision", "primary_need"]
    search_fields = ["reference", "school__name", "community__name"]
    list_select_related = ["school", "community"]
    date_hierarchy = "submitted_at"
    show_full_result_count = False
    inlines = [AttachmentInline, TimelineInline]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The page shows the pupil's name, date of birth and UPN: a view of their
        # identity, logged as the service's own pages are.
        if obj is not None:
            log_identity_view(request.user, obj, "administration: request page")
        return super().render_change_form(request, context, add, change, form_url, obj)


class AgendaInline(ReadOnlyInline):
    model = AgendaItem
    fields = ["position", "request", "kind", "outcome"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["community", "date", "start_time", "state"]
    list_filter = ["state", "community__area"]
    search_fields = ["community__name", "place"]
    date_hierarchy = "date"
    list_select_related = ["community"]
    inlines = [AgendaInline]
    readonly_fields = ["created_by", "created_at", "closed_at", "closed_by", "state"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["request", "outcome", "amount", "decision_date", "is_interim", "over_budget"]
    list_filter = ["outcome", "is_interim", "over_budget", "request__community__area"]
    search_fields = ["request__reference", "reason"]
    date_hierarchy = "decision_date"
    list_select_related = ["request"]


@admin.register(Handoff)
class HandoffAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "request",
        "area",
        "decision_date",
        "due_date",
        "sent_at",
        "acknowledged_at",
        "escalated_at",
        "breached_at",
    ]
    list_filter = ["area"]
    search_fields = ["request__reference"]
    list_select_related = ["request", "area"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["meeting", "school", "status"]
    list_filter = ["status"]
    search_fields = ["school__name"]


@admin.register(DeclarationOfInterest)
class DeclarationAdmin(admin.ModelAdmin):
    list_display = ["meeting", "person_name", "details"]
    search_fields = ["person_name", "details"]


@admin.register(PupilIdentityView)
class PupilIdentityViewAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Who saw which pupil's identity, and when: searchable by administrators."""

    list_display = ["viewed_at", "user", "reference", "school", "page"]
    fields = ["viewed_at", "user", "reference", "school", "page"]
    list_filter = ["page"]
    search_fields = ["user__email", "user__full_name", "reference"]
    date_hierarchy = "viewed_at"
    list_select_related = ["user", "school"]
