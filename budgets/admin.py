from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from kentlocality.admin import ReadOnlyAdminMixin, ReadOnlyInline

from .models import (
    Allocation,
    AllocationYear,
    CosBudget,
    ImportRun,
    MonthlyStatement,
    Payment,
    SchoolBudget,
    SchoolsAdvance,
)


@admin.register(CosBudget)
class CosBudgetAdmin(SimpleHistoryAdmin):
    list_display = ["community", "year_label", "total", "updated_at"]
    list_filter = ["year", "community__area"]
    search_fields = ["community__name"]
    list_select_related = ["community"]


@admin.register(SchoolBudget)
class SchoolBudgetAdmin(SimpleHistoryAdmin):
    list_display = ["school", "year", "notional_sen_budget", "historic_hnf_allocation"]
    list_filter = ["year", "school__community__area"]
    search_fields = ["school__name", "school__urn"]
    list_select_related = ["school"]


class AllocationYearInline(ReadOnlyInline):
    model = AllocationYear
    fields = ["year", "amount"]


@admin.register(Allocation)
class AllocationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "reference",
        "school",
        "community",
        "amount",
        "start_date",
        "end_date",
        "decided_on",
        "cancelled_on",
    ]
    list_filter = ["community__area"]
    search_fields = ["reference", "school__name", "community__name"]
    list_select_related = ["school", "community"]
    inlines = [AllocationYearInline]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Read-only: payments are recorded and reversed by officers in the service."""

    list_display = [
        "reference",
        "amount",
        "paid_on",
        "finance_reference",
        "method",
        "recorded_by",
    ]
    list_filter = ["method", "community__area"]
    search_fields = ["allocation__reference", "finance_reference"]
    date_hierarchy = "paid_on"
    list_select_related = ["allocation", "recorded_by"]

    @admin.display(description="reference", ordering="allocation__reference")
    def reference(self, payment: Payment) -> str:
        return payment.allocation.reference


@admin.register(MonthlyStatement)
class MonthlyStatementAdmin(admin.ModelAdmin):
    list_display = ["community", "month", "total", "committed", "paid", "remaining", "emailed_at"]
    list_filter = ["month", "community__area"]
    search_fields = ["community__name"]
    list_select_related = ["community"]


@admin.register(SchoolsAdvance)
class SchoolsAdvanceAdmin(SimpleHistoryAdmin):
    """The schools' advance calendar: a payment through the advance is due on the payment
    date of the first advance whose cut-off falls on or after the decision date. Changing
    it moves the due date of every payment through the advance not yet made."""

    list_display = ["cut_off", "paid_on"]
    date_hierarchy = "cut_off"


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="What is the file?", choices=ImportRun.Kind.choices, widget=forms.RadioSelect
    )
    file = forms.FileField(
        label="CSV file",
        help_text="As downloaded or exported: UTF-8 or Windows-1252, read by column name.",
    )
    encoding = forms.ChoiceField(
        label="Encoding",
        required=False,
        choices=[("", "Work it out"), ("utf-8", "UTF-8"), ("cp1252", "Windows-1252")],
    )


PREVIEW_ROWS_SHOWN = 1000


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Yearly data in the browser: upload, preview every row, confirm, and the import runs
    in the background (``budgets.yearly_imports``). Each run is kept."""

    list_display = ["uploaded_at", "kind", "file_name", "state", "uploaded_by", "short_sha"]
    list_filter = ["kind", "state"]
    list_select_related = ["uploaded_by"]

    @admin.display(description="SHA-256")
    def short_sha(self, run: ImportRun) -> str:
        return run.sha256[:12]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("upload/", view(self.upload_view), name="budgets_importrun_upload"),
            path("<int:pk>/run/", view(self.run_view), name="budgets_importrun_run"),
            path(
                "<int:pk>/confirm/",
                view(require_POST(self.confirm_view)),
                name="budgets_importrun_confirm",
            ),
            path(
                "<int:pk>/refused.csv",
                view(self.refused_view),
                name="budgets_importrun_refused",
            ),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("admin:budgets_importrun_upload")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return redirect("admin:budgets_importrun_run", pk=object_id)

    def _context(self, request, title: str, **values) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            **values,
        }

    def upload_view(self, request):
        from .yearly_imports import ImportRefused, import_preview

        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                run = import_preview(
                    actor=request.user,
                    kind=form.cleaned_data["kind"],
                    file_name=upload.name,
                    data=upload.read(),
                    encoding=form.cleaned_data["encoding"],
                )
            except ImportRefused as exc:
                form.add_error("file", str(exc))
            else:
                return redirect("admin:budgets_importrun_run", pk=run.pk)
        return TemplateResponse(
            request,
            "admin/budgets/importrun/upload.html",
            self._context(request, "Import a yearly data file", form=form),
        )

    def run_view(self, request, pk: int):
        from .yearly_imports import earlier_import

        if not self.has_view_permission(request):
            raise PermissionDenied
        run = get_object_or_404(ImportRun.objects.select_related("uploaded_by"), pk=pk)
        rows = run.rows if run.state == ImportRun.State.DONE else run.preview_rows
        shown = [r for r in rows if r[1] != "unchanged"][:PREVIEW_ROWS_SHOWN]
        return TemplateResponse(
            request,
            "admin/budgets/importrun/run.html",
            self._context(
                request,
                str(run),
                run=run,
                rows=shown,
                more=len([r for r in rows if r[1] != "unchanged"]) - len(shown),
                counts=sorted((run.counts or run.preview_counts).items()),
                earlier=earlier_import(run),
                working=run.state in (ImportRun.State.QUEUED, ImportRun.State.RUNNING),
                can_confirm=run.state == ImportRun.State.PREVIEWED
                and self.has_add_permission(request),
            ),
        )

    def confirm_view(self, request, pk: int):
        from .yearly_imports import ImportRefused, import_confirm

        if not self.has_add_permission(request):
            raise PermissionDenied
        try:
            import_confirm(actor=request.user, run_id=pk)
        except ImportRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "The import has started. This page shows its progress.")
        return redirect(reverse("admin:budgets_importrun_run", args=[pk]))

    def refused_view(self, request, pk: int):
        from .yearly_imports import refused_rows_csv

        if not self.has_view_permission(request):
            raise PermissionDenied
        run = get_object_or_404(ImportRun, pk=pk)
        rows = run.rows if run.state == ImportRun.State.DONE else run.preview_rows
        response = HttpResponse(refused_rows_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="import-{run.pk}-refused.csv"'
        return response
