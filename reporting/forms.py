"""Input for reports: the dates of a report asked for on demand, and whom it is for."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from kentlocality.forms import DateField, GovForm, TextField

from .models import Report


class PeriodForm(GovForm):
    start = DateField(label="Start date", required=True, help_text="For example, 1 4 2026")
    end = DateField(
        label="End date",
        required=True,
        help_text="At least one calendar month after the start date, and not in the future. "
        "For example, 30 6 2026",
    )
    prepared_for = forms.ChoiceField(
        label="Who is the report prepared for?",
        choices=Report.PreparedFor.choices,
        widget=forms.RadioSelect,
        initial=Report.PreparedFor.AREA_BOARD,
        error_messages={"required": "Choose whom the report is prepared for"},
        help_text="The report's first page says so.",
    )
    prepared_for_other = TextField(
        label="Name of the body, if another body", max_length=120, required=False
    )

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if end is not None and end > timezone.localdate():
            self.add_error("end", "The end date must be today or in the past")
        elif start is not None and end is not None and end < start:
            self.add_error("end", "The end date must be the same as or after the start date")
        if data.get("prepared_for") == Report.PreparedFor.OTHER and not data.get(
            "prepared_for_other"
        ):
            self.add_error(
                "prepared_for_other", "Enter the name of the body the report is prepared for"
            )
        return data
