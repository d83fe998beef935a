"""Input validation for the chair's decisions: at a meeting, interim, ratify or revise,
and the second confirmation of a decision that goes over the budget. The services check
everything again; these forms put a clear message beside the field that needs fixing."""

from __future__ import annotations

from decimal import Decimal

from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms

from kentlocality.forms import DateField, GovForm, LongTextField, MoneyField
from kentlocality.templatetags.formatting import format_money

from .. import validation
from ..models import Decision, ResourceRequest
from ..services.decisions import Award

Outcome = Decision.Outcome
AWARDS = (Outcome.APPROVED, Outcome.PART_APPROVED)


def _award_fields(form: forms.Form, request: ResourceRequest) -> None:
    form.fields["amount"] = MoneyField(
        label="Amount awarded",
        help_text=f"Less than the {format_money(request.amount)} requested.",
    )
    form.fields["start_date"] = DateField(
        label="Award start date", help_text="The date the school asked for is filled in."
    )
    form.fields["end_date"] = DateField(
        label="Award end date", help_text="The date the school asked for is filled in."
    )
    form.fields["long_award_reason"] = LongTextField(
        label="Why the award runs for more than 12 months",
        max_length=2000,
        help_text="Only if the award runs for more than 12 months and the school has not explained why.",
    )


def _check_award(form: forms.Form, request: ResourceRequest, part: bool) -> None:
    """Amount and dates of an award, checked as the service checks them."""
    cleaned = form.cleaned_data
    amount = cleaned.get("amount")
    if part and "amount" not in form.errors:
        if amount is None:
            form.add_error("amount", "Enter the amount awarded")
        elif amount > request.amount:
            form.add_error(
                "amount",
                f"Amount awarded cannot be more than the {format_money(request.amount)} requested",
            )
        elif amount == request.amount:
            form.add_error(
                "amount",
                "Amount awarded must be less than requested for a part-approval: choose approve instead",
            )
    start, end = cleaned.get("start_date"), cleaned.get("end_date")
    for name, value, label in (
        ("start_date", start, "award start date"),
        ("end_date", end, "award end date"),
    ):
        if value is None and name not in form.errors:
            form.add_error(name, f"Enter the {label}")
    if start and end:
        if end <= start:
            form.add_error("end_date", "Award end date must be after the award start date")
        elif (
            validation.is_longer_than_a_year(start, end)
            and not cleaned.get("long_award_reason")
            and not request.long_duration_reason
        ):
            form.add_error(
                "long_award_reason", "Explain why the award runs for more than 12 months"
            )


def _drop_errors(form: forms.Form, names) -> None:
    """Fields hidden for the chosen answer do not count, whatever they hold."""
    for name in names:
        form.errors.pop(name, None)
        form.cleaned_data.pop(name, None)


REASON_MESSAGES = {
    Outcome.PART_APPROVED: "Enter why a lower amount is awarded",
    Outcome.DECLINED: "Enter why the request is declined",
    Outcome.DEFERRED: "Enter why the request is deferred",
    Outcome.MORE_INFORMATION: "Enter the information the school needs to give",
}


class DecisionForm(GovForm):
    """The chair's decision on a request, at a meeting or (approve, part-approve, decline)
    as an interim decision."""

    outcome = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        error_messages={"required": "Select a decision"},
    )

    def __init__(self, *args, request: ResourceRequest, interim: bool = False, **kwargs) -> None:
        self.request_obj = request
        kwargs.setdefault(
            "initial", {"start_date": request.start_date, "end_date": request.end_date}
        )
        super().__init__(*args, **kwargs)
        _award_fields(self, request)
        self.fields["reason"] = LongTextField(
            label="Reason for the decision",
            max_length=2000,
            help_text="Needed unless you approve the amount requested. The school sees it, and it appears in the minutes: do not include the pupil's name.",
        )
        labels = {
            Outcome.APPROVED: f"Approve the amount requested ({format_money(request.amount)})",
            Outcome.PART_APPROVED: "Part-approve a lower amount",
            Outcome.DECLINED: "Decline",
            Outcome.DEFERRED: "Defer to a later meeting",
            Outcome.MORE_INFORMATION: "Ask the school for more information",
        }
        outcomes = list(labels) if not interim else [*AWARDS, Outcome.DECLINED]
        self.fields["outcome"].choices = [(o.value, labels[o]) for o in outcomes]
        self.fields["amount"].label = "Amount awarded (for a part-approval)"
        self.helper.layout = Layout(
            # No conditional reveal: see meeting_forms.AttendanceForm.
            Field.radios("outcome", legend_size=Size.MEDIUM),
            Field.text("amount", label_size=Size.SMALL),
            Fieldset(
                Field("start_date", context={"legend_size": Size.SMALL}),
                Field("end_date", context={"legend_size": Size.SMALL}),
                Field.textarea("long_award_reason", rows=2, label_size=Size.SMALL),
                legend="Award period (for an approval or part-approval)",
                legend_size=Size.MEDIUM,
            ),
            Field.textarea("reason", rows=4, label_size=Size.MEDIUM),
        )

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        if outcome is None:
            return cleaned
        if outcome not in AWARDS:
            _drop_errors(self, ["amount", "start_date", "end_date", "long_award_reason"])
        else:
            if outcome == Outcome.APPROVED:
                _drop_errors(self, ["amount"])
            _check_award(self, self.request_obj, part=outcome == Outcome.PART_APPROVED)
        if (
            outcome != Outcome.APPROVED
            and not cleaned.get("reason")
            and "reason" not in self.errors
        ):
            self.add_error("reason", REASON_MESSAGES[outcome])
        return cleaned

    @property
    def awards_money(self) -> bool:
        return self.cleaned_data.get("outcome") in AWARDS

    def summary_label(self) -> str:
        return dict(self.fields["outcome"].choices)[self.cleaned_data["outcome"]]

    def award_amount(self) -> Decimal | None:
        if self.cleaned_data["outcome"] == Outcome.APPROVED:
            return self.request_obj.amount
        return self.cleaned_data.get("amount")

    def to_award(self, *, confirm_over_budget: bool = False, over_budget_reason: str = "") -> Award:
        cleaned = self.cleaned_data
        awarding = self.awards_money
        return Award(
            outcome=cleaned["outcome"],
            amount=self.award_amount() if awarding else None,
            start_date=cleaned.get("start_date") if awarding else None,
            end_date=cleaned.get("end_date") if awarding else None,
            reason=cleaned.get("reason", ""),
            long_award_reason=cleaned.get("long_award_reason", "") if awarding else "",
            confirm_over_budget=confirm_over_budget,
            over_budget_reason=over_budget_reason,
        )


class RatifyForm(GovForm):
    """Ratify an interim award, or revise it (a new amount or dates, with a reason)."""

    RATIFY, REVISE = "ratify", "revise"

    action = forms.ChoiceField(
        label="What did the meeting decide?",
        widget=forms.RadioSelect,
        choices=[(RATIFY, "Ratify the interim decision"), (REVISE, "Revise the award")],
        error_messages={"required": "Select whether to ratify or revise the interim decision"},
    )

    def __init__(self, *args, request: ResourceRequest, interim: Decision, **kwargs) -> None:
        self.request_obj = request
        kwargs.setdefault(
            "initial",
            {
                "amount": interim.amount,
                "start_date": interim.start_date,
                "end_date": interim.end_date,
            },
        )
        super().__init__(*args, **kwargs)
        _award_fields(self, request)
        self.fields["amount"].help_text = (
            f"Up to the {format_money(request.amount)} requested. The interim award was "
            f"{format_money(interim.amount)}."
        )
        self.fields["reason"] = LongTextField(
            label="Reason for revising the interim decision",
            max_length=2000,
            help_text="The school sees it, and it appears in the minutes: do not include the pupil's name.",
        )
        self.helper.layout = Layout(
            Field.radios("action", legend_size=Size.MEDIUM),
            Fieldset(
                Field.text("amount", label_size=Size.SMALL),
                Field("start_date", context={"legend_size": Size.SMALL}),
                Field("end_date", context={"legend_size": Size.SMALL}),
                Field.textarea("long_award_reason", rows=2, label_size=Size.SMALL),
                Field.textarea("reason", rows=3, label_size=Size.SMALL),
                legend="If you revise the award",
                legend_size=Size.MEDIUM,
            ),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") != self.REVISE:
            _drop_errors(self, ["amount", "start_date", "end_date", "long_award_reason", "reason"])
            return cleaned
        amount = cleaned.get("amount")
        if "amount" not in self.errors:
            if amount is None:
                self.add_error("amount", "Enter the amount awarded")
            elif amount > self.request_obj.amount:
                self.add_error(
                    "amount",
                    f"Amount awarded cannot be more than the {format_money(self.request_obj.amount)} requested",
                )
        _check_award(self, self.request_obj, part=False)
        if not cleaned.get("reason") and "reason" not in self.errors:
            self.add_error("reason", "Enter the reason for revising the interim decision")
        return cleaned

    @property
    def revising(self) -> bool:
        return self.cleaned_data.get("action") == self.REVISE

    awards_money = revising

    def summary_label(self) -> str:
        return "Revise the interim award"

    def award_amount(self) -> Decimal | None:
        return self.cleaned_data.get("amount")

    def to_award(self, *, confirm_over_budget: bool = False, over_budget_reason: str = "") -> Award:
        cleaned = self.cleaned_data
        return Award(
            outcome="",  # the service works out approve or part-approve from the amount
            amount=cleaned.get("amount"),
            start_date=cleaned.get("start_date"),
            end_date=cleaned.get("end_date"),
            reason=cleaned.get("reason", ""),
            long_award_reason=cleaned.get("long_award_reason", ""),
            confirm_over_budget=confirm_over_budget,
            over_budget_reason=over_budget_reason,
        )


class OverBudgetForm(GovForm):
    """The second confirmation a decision needs when it takes the remaining budget below
    zero."""

    confirm_over_budget = forms.BooleanField(
        label="I confirm this decision takes the remaining budget below zero",
        required=False,
    )
    over_budget_reason = LongTextField(
        label="Why the Community of Schools is going over its budget",
        max_length=2000,
        help_text="This is recorded with the decision and flagged in the Area Board reports.",
    )

    def __init__(self, *args, required: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.required = required
        self.helper.layout = Layout(
            Field.checkbox("confirm_over_budget"),
            Field.textarea("over_budget_reason", rows=3, label_size=Size.SMALL),
        )

    def clean(self):
        cleaned = super().clean()
        if not self.required:
            return cleaned
        if not cleaned.get("confirm_over_budget"):
            self.add_error(
                "confirm_over_budget",
                "Confirm that this decision takes the remaining budget below zero",
            )
        if not cleaned.get("over_budget_reason") and "over_budget_reason" not in self.errors:
            self.add_error(
                "over_budget_reason", "Enter why the Community of Schools is going over its budget"
            )
        return cleaned


class CorrectionForm(DecisionForm):
    """The corrected decision on an agenda item already decided at an open meeting, with
    why it is corrected (kept on the request's timeline)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["correction_reason"] = LongTextField(
            label="Why is the decision corrected?",
            max_length=2000,
            required=True,
            help_text="For example, the wrong outcome was chosen. It is kept on the request's timeline: do not include the pupil's name.",
        )
        self.fields["correction_reason"].error_messages["required"] = (
            "Enter why the decision is corrected"
        )
        self.fields["outcome"].label = "Corrected decision"
        self.helper.layout.fields.insert(
            0, Field.textarea("correction_reason", rows=3, label_size=Size.MEDIUM)
        )
