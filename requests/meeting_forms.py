"""Input validation for the chair's pages: meetings, the agenda, attendance,
declarations of interest and decisions. The services check everything again; these
forms put a clear message beside the field that needs fixing."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from crispy_forms_gds.layout import (
    Field,
    Fieldset,
    Layout,
    Size,
)
from django import forms
from django.utils.html import conditional_escape

from kentlocality.forms import DateField, GovForm, LongTextField, MoneyField, TextField
from kentlocality.templatetags.kent import format_money

from . import rules
from .models import AgendaItem, Attendance, Decision, ResourceRequest
from .services.decisions import Award

Outcome = Decision.Outcome
AWARDS = (Outcome.APPROVED, Outcome.PART_APPROVED)


_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$")


class TimeField(forms.CharField):
    """A time typed as 16:00, 4pm, 4.30pm or 9:15am."""

    def __init__(self, *, label: str, **kwargs) -> None:
        super().__init__(
            label=label,
            widget=forms.TextInput(
                attrs={"class": "govuk-input--width-5", "spellcheck": "false", "maxlength": "10"}
            ),
            error_messages={"required": f"Enter the {label.lower()}"},
            **kwargs,
        )

    def to_python(self, value) -> dt.time | None:
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        match = _TIME.match(value.strip().lower().replace(" ", "")) if len(value) <= 10 else None
        if not match:
            raise forms.ValidationError(f"{self.label} must be a time, like 16:00 or 4pm")
        hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
        if half:
            if not 1 <= hour <= 12:
                raise forms.ValidationError(f"{self.label} must be a real time, like 4pm")
            hour = hour % 12 + (12 if half == "pm" else 0)
        if hour > 23 or minute > 59:
            raise forms.ValidationError(f"{self.label} must be a real time, like 16:00")
        return dt.time(hour, minute)

    def prepare_value(self, value):
        if isinstance(value, dt.time):
            return value.strftime("%H:%M")
        return value


class MeetingForm(GovForm):
    date = DateField(label="Date of the meeting", help_text="For example, 27 11 2026")
    start_time = TimeField(label="Start time", help_text="For example, 16:00 or 4pm")
    place = TextField(
        label="Where the meeting is held",
        max_length=200,
        help_text="The school or building and room. Leave empty for a meeting held only online.",
    )
    online_link = forms.URLField(
        label="Link to join online (optional)",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="For example, a Microsoft Teams link",
        error_messages={
            "invalid": "Enter the link in full, like https://teams.microsoft.com/l/meetup-join/…",
            "max_length": "The link must be 500 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].required = True
        self.fields["date"].error_messages["required"] = "Enter the date of the meeting"
        self.fields["online_link"].widget.attrs.update({"spellcheck": "false"})
        self.helper.layout = Layout(
            Field("date", context={"legend_size": Size.SMALL}),
            Field.text("start_time", label_size=Size.SMALL),
            Field.text("place", label_size=Size.SMALL),
            Field.text("online_link", label_size=Size.SMALL),
        )

    def clean_online_link(self) -> str:
        value = self.cleaned_data["online_link"]
        if value and not value.lower().startswith(("https://", "http://")):
            raise forms.ValidationError("Enter a link that starts with https://")
        return value

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("place") and not cleaned.get("online_link") and not self.errors:
            self.add_error("place", "Enter where the meeting is held, or a link to join it online")
        return cleaned


def request_label(request: ResourceRequest) -> str:
    """A request as the chair's lists show it: no pupil identity."""
    parts = [
        request.reference or "",
        request.school.name,
        request.get_year_group_display(),
        request.primary_need,
        format_money(request.amount),
    ]
    label = ", ".join(p for p in parts if p)
    if request.is_exceptional:
        label += " (exceptional request)"
    return label


class AgendaAddForm(GovForm):
    requests = forms.MultipleChoiceField(
        label="Which requests should be added to the agenda?",
        help_text="Select all that apply. They are added in the order shown, oldest first.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one request to add to the agenda",
            "invalid_choice": "Select requests from the list: one of them is no longer waiting",
        },
    )

    def __init__(self, *args, waiting: list[ResourceRequest], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.waiting = {str(r.pk): r for r in waiting}
        self.fields["requests"].choices = [(pk, request_label(r)) for pk, r in self.waiting.items()]
        self.helper.layout = Layout(Field.checkboxes("requests", legend_size=Size.MEDIUM))

    def request_ids(self) -> list[int]:
        chosen = set(self.cleaned_data["requests"])
        # The order of the list (oldest first), not the order the browser sent them in.
        return [int(pk) for pk in self.waiting if pk in chosen]


class AttendanceForm(GovForm):
    """One question per member school: attended (with the representative's name),
    represented by another school (which one), apologies, or absent."""

    STATUS_LABELS = {
        Attendance.Status.ATTENDED: "Attended",
        Attendance.Status.REPRESENTED: "Represented by another school",
        Attendance.Status.APOLOGIES: "Sent apologies",
        Attendance.Status.ABSENT: "Absent",
    }

    def __init__(self, *args, schools, recorded: dict[int, Attendance], **kwargs) -> None:
        initial = {}
        for school in schools:
            record = recorded.get(school.pk)
            if record is not None:
                initial[f"status_{school.pk}"] = record.status
                initial[f"name_{school.pk}"] = record.representative_name
                initial[f"by_{school.pk}"] = (
                    str(record.represented_by_id) if record.represented_by_id else ""
                )
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.schools = list(schools)
        layout = []
        for school in self.schools:
            name = conditional_escape(school.name)
            others = [("", "Select a school")] + [
                (str(o.pk), o.name) for o in self.schools if o.pk != school.pk
            ]
            self.fields[f"status_{school.pk}"] = forms.ChoiceField(
                # crispy-forms-gds writes labels and legends unescaped: the name is
                # escaped here.
                label=f'Attendance<span class="govuk-visually-hidden"> of {name}</span>',
                choices=list(self.STATUS_LABELS.items()),
                widget=forms.RadioSelect,
                required=False,
            )
            # No conditional reveal: GOV.UK Frontend marks revealing radios with
            # aria-expanded, which axe-core reports as a WCAG violation.
            self.fields[f"name_{school.pk}"] = TextField(
                label=f'Name of the representative<span class="govuk-visually-hidden"> of {name}</span> (if the school attended)',
                max_length=150,
            )
            self.fields[f"by_{school.pk}"] = forms.ChoiceField(
                label=f'School that represented<span class="govuk-visually-hidden"> {name}</span> (if another school did)',
                choices=others,
                required=False,
            )
            layout.append(
                Fieldset(
                    Field.radios(f"status_{school.pk}", small=True, inline=True),
                    Field.text(f"name_{school.pk}", field_width=20),
                    Field.select(f"by_{school.pk}"),
                    legend=name,
                    legend_size=Size.MEDIUM,
                )
            )
        self.helper.layout = Layout(*layout)

    def clean(self):
        cleaned = super().clean()
        for school in self.schools:
            status = cleaned.get(f"status_{school.pk}")
            if status == Attendance.Status.ATTENDED and not cleaned.get(f"name_{school.pk}"):
                self.add_error(
                    f"name_{school.pk}", f"Enter the name of the representative of {school.name}"
                )
            if status == Attendance.Status.REPRESENTED and not cleaned.get(f"by_{school.pk}"):
                self.add_error(f"by_{school.pk}", f"Select which school represented {school.name}")
        return cleaned

    def entries(self) -> list:
        """What to record: the schools the chair answered for."""
        from .services.meetings import AttendanceEntry

        entries = []
        for school in self.schools:
            status = self.cleaned_data.get(f"status_{school.pk}")
            if not status:
                continue
            by = self.cleaned_data.get(f"by_{school.pk}")
            entries.append(
                AttendanceEntry(
                    school_id=school.pk,
                    status=status,
                    representative_name=self.cleaned_data.get(f"name_{school.pk}", ""),
                    represented_by_id=int(by) if by else None,
                )
            )
        return entries


class DeclarationForm(GovForm):
    person_name = TextField(label="Name of the person declaring an interest", max_length=150)
    school = forms.ChoiceField(label="Their school (optional)", required=False)
    item = forms.ChoiceField(label="Agenda item it concerns (optional)", required=False)
    details = LongTextField(
        label="Interest declared",
        max_length=2000,
        help_text="For example, a family connection to a pupil or a role at the requesting school. Do not include the pupil's name.",
    )

    def __init__(self, *args, schools, items: list[AgendaItem], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person_name"].required = True
        self.fields["person_name"].error_messages["required"] = (
            "Enter the name of the person declaring an interest"
        )
        self.fields["details"].required = True
        self.fields["details"].error_messages["required"] = "Enter the interest declared"
        self.fields["school"].choices = [("", "No school")] + [(str(s.pk), s.name) for s in schools]
        self.fields["item"].choices = [("", "The whole meeting")] + [
            (str(i.pk), f"Item {n}: {i.request.reference}") for n, i in enumerate(items, start=1)
        ]
        self.helper.layout = Layout(
            Field.text("person_name", field_width=20),
            Field.select("school"),
            Field.select("item"),
            Field.textarea("details", rows=3),
        )


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
            rules.is_longer_than_a_year(start, end)
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
            # No conditional reveal: see AttendanceForm.
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
