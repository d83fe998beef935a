"""The preferences form: for each kind a person may choose for, at once or in the daily
summary."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from kentlocality.forms import GovForm

from .models import Kind, Timing

CHOICES = [
    (Timing.AT_ONCE.value, "At once: an email for each one"),
    (Timing.DAILY.value, "In one summary email each working day at 8:00"),
]


class PreferencesForm(GovForm):
    def __init__(self, *args, kinds: list[str], chosen: dict[str, str], **kwargs) -> None:
        kwargs.setdefault("initial", chosen)
        super().__init__(*args, **kwargs)
        self.kinds = kinds
        for kind in kinds:
            label = Kind(kind).label
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=CHOICES,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Choose how you are told: {label[0].lower()}{label[1:]}",
                    "invalid_choice": f"Choose at once or in the daily summary for: "
                    f"{label[0].lower()}{label[1:]}",
                },
            )
        self.helper.layout = Layout(*(Field.radios(kind, legend_size=Size.SMALL) for kind in kinds))

    def choices(self) -> dict[str, str]:
        return {kind: self.cleaned_data[kind] for kind in self.kinds}
