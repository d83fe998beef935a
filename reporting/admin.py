from django.contrib import admin

from .models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Reports are made by the schedule or from the report pages; here they are only
    looked at (a failed one's reason, who asked for which)."""

    list_display = ["__str__", "state", "is_scheduled", "requested_by", "generated_at"]
    list_filter = ["state", "is_scheduled", "area"]
    search_fields = ["community__name", "area__name"]
    readonly_fields = [field.name for field in Report._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
