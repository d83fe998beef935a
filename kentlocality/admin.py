from django.contrib import admin
from django.db.models import Case, IntegerField, Value, When
from django.db.models.functions import Lower

from .models import ClosureDay


class RankedSearchMixin:
    """Search results with the names that start with what was typed first, then those
    with a word that does, then the rest, each group by name: "Spring Pri" puts Spring
    Primary School above Spring Academy however the words also matched."""

    ranked_field = "name"

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = " ".join(search_term.split())
        if term:
            field = self.ranked_field
            queryset = queryset.annotate(
                search_rank=Case(
                    When(**{f"{field}__istartswith": term}, then=Value(0)),
                    When(**{f"{field}__icontains": f" {term}"}, then=Value(1)),
                    default=Value(2),
                    output_field=IntegerField(),
                )
            ).order_by("search_rank", Lower(field), "pk")
        return queryset, may_have_duplicates


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

    def get_readonly_fields(self, request, obj=None):
        # A day's deadlines moved when it was added: to move a closure day, delete it
        # (its deadlines move back) and add the new date.
        return ["date"] if obj is not None else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "date" in form.base_fields:
            form.base_fields["date"].help_text = (
                "A weekday that is not a working day for Kent (for example a council "
                "closure day). Saving it moves every open deadline it falls in: hand-offs "
                "to the HNF Monitoring Officer not yet acknowledged and payments not yet "
                "made are worked out again from the decision date, and each request's "
                "timeline says so. Met deadlines and closed requests keep their dates; "
                "deleting a closure day moves its deadlines back."
            )
        return form
