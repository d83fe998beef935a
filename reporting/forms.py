"""Input for reports: the dates of a report asked for on demand."""

from __future__ import annotations

from django.utils import timezone

from kentlocality.forms import DateField, GovForm


class PeriodForm(GovForm):
    start = DateField(label="Start date", required=True, help_text="For example, 1 4 2026")
    end = DateField(label="End date", required=True, help_text="For example, 30 6 2026")

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if end is not None and end > timezone.localdate():
            self.add_error("end", "The end date must be today or in the past")
        elif start is not None and end is not None and end < start:
            self.add_error("end", "The end date must be the same as or after the start date")
        return data
