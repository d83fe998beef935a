from django.contrib import admin

from .models import ClosureDay


class ReadOnlyAdminMixin:
    """For records only the service writes (requests, decisions, hand-offs, allocations,
    payments, the pupil-view log): every change goes through a service that checks the
    rules and keeps the timeline, so administrators search, filter and look, and never
    add, change or delete here."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    """The rows of a record shown beside it, read only (set ``fields``)."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ClosureDay)
class ClosureDayAdmin(admin.ModelAdmin):
    list_display = ["date", "description"]
    search_fields = ["description"]
    date_hierarchy = "date"
