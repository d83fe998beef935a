"""The review of what an award achieved: for each planned outcome, achieved, partly
achieved or not, with a note."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms

from kentlocality.forms import GovForm, LongTextField

from ..models import ReviewedOutcome
from ..services.reviews import NOTE_MAX, OutcomeResult


class AwardReviewForm(GovForm):
    def __init__(self, *args, planned: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.planned = planned
        parts = []
        for number, text in enumerate(planned, start=1):
            self.fields[f"result_{number}"] = forms.ChoiceField(
                label="Was it achieved?",
                choices=ReviewedOutcome.Result.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Say whether outcome {number} was achieved, partly or not"
                },
            )
            self.fields[f"note_{number}"] = LongTextField(
                label=f"Note on outcome {number}",
                max_length=NOTE_MAX,
                help_text="What the pupil can do now, or what got in the way. Do not include the pupil's name.",
            )
            parts.append(
                Fieldset(
                    Field.radios(f"result_{number}", legend_size=Size.SMALL, inline=True),
                    Field.textarea(f"note_{number}", rows=3, label_size=Size.SMALL),
                    legend=f"Outcome {number}: {text}",
                    legend_size=Size.MEDIUM,
                )
            )
        self.helper.layout = Layout(*parts)

    def results(self) -> list[OutcomeResult]:
        return [
            OutcomeResult(
                result=self.cleaned_data[f"result_{n}"],
                note=self.cleaned_data.get(f"note_{n}", ""),
            )
            for n in range(1, len(self.planned) + 1)
        ]
