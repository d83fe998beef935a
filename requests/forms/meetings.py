"""Input validation for the chair's meeting pages: the meeting, its agenda, attendance
and declarations of interest (decisions are in decision_forms). The services check
everything again; these forms put a clear message beside the field that needs fixing."""

from __future__ import annotations

import datetime as dt
import re

from crispy_forms_gds.layout import (
    Field,
    Fieldset,
    Layout,
    Size,
)
from dateutil.relativedelta import relativedelta
from django import forms
from django.utils import timezone
from django.utils.html import conditional_escape

from kentlocality.forms import DateField, GovForm, LongTextField, TextField
from kentlocality.templatetags.formatting import format_date, format_money

from ..models import AgendaItem, Attendance, ResourceRequest
from ..validation import MEETING_SUMMARY_MAX

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

    confirm_date = forms.BooleanField(label="Yes, this is the date of the meeting", required=False)

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

    def _unusual_date(self, date: dt.date) -> str:
        """Why a date needs confirming ("" when it does not): more than a month ago, or
        more than a year ahead, is more often a typing slip than a meeting."""
        today = timezone.localdate()
        if date == self.initial.get("date"):
            return ""
        if date < today - relativedelta(months=1):
            return "more than a month ago"
        if date > today + relativedelta(years=1):
            return "more than a year ahead"
        return ""

    def details(self) -> dict:
        """The meeting's details, as the services take them."""
        return {k: v for k, v in self.cleaned_data.items() if k != "confirm_date"}

    def clean_online_link(self) -> str:
        value = self.cleaned_data["online_link"]
        if value and not value.lower().startswith(("https://", "http://")):
            raise forms.ValidationError("Enter a link that starts with https://")
        return value

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("place") and not cleaned.get("online_link") and not self.errors:
            self.add_error("place", "Enter where the meeting is held, or a link to join it online")
        date = cleaned.get("date")
        unusual = self._unusual_date(date) if date else ""
        if unusual:
            # Asked only when needed: the box appears with the message beside it.
            self.helper.layout.fields.insert(1, Field.checkbox("confirm_date"))
            if not cleaned.get("confirm_date"):
                self.add_error(
                    "confirm_date",
                    f"{format_date(date)} is {unusual}: check the date, or confirm it is right",
                )
        return cleaned


class MeetingCancelForm(GovForm):
    reason = LongTextField(
        label="Why is the meeting cancelled?",
        max_length=1000,
        required=True,
        help_text="The chair and every member school are told this. Do not name any pupil.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Enter why the meeting is cancelled"
        self.helper.layout = Layout(Field.textarea("reason", label_size=Size.MEDIUM))


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
    if request.submitted_at != request.first_submitted_at:
        label += " (resubmitted with more information)"
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

    def __init__(
        self,
        *args,
        schools,
        recorded: dict[int, Attendance],
        arranged: dict[int, int] | None = None,
        all_attended: bool = False,
        **kwargs,
    ) -> None:
        """``arranged``: school -> the school arranged ahead to represent it, pre-filled
        where nothing is recorded yet; ``all_attended``: "Mark all as attended" fills the
        remaining schools as attended, for the chair to change the exceptions."""
        arranged = arranged or {}
        initial = {}
        for school in schools:
            record = recorded.get(school.pk)
            if record is None and school.pk in arranged:
                initial[f"status_{school.pk}"] = Attendance.Status.REPRESENTED
                initial[f"by_{school.pk}"] = str(arranged[school.pk])
            elif record is None and all_attended:
                initial[f"status_{school.pk}"] = Attendance.Status.ATTENDED
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
        from ..services.meetings import AttendanceEntry

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


class RepresentationForm(GovForm):
    represented_by = forms.ChoiceField(
        label="Which member school will represent yours?",
        help_text=(
            "Ask the school first. Its SENCOs are told, and the chair sees it on the meeting page."
        ),
        error_messages={
            "required": "Select the member school that will represent yours",
            "invalid_choice": "Select a member school of this Community of Schools",
        },
    )

    def __init__(self, *args, others, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["represented_by"].choices = [("", "Select a school")] + [
            (str(s.pk), s.name) for s in others
        ]
        self.helper.layout = Layout(Field.select("represented_by", label_size=Size.MEDIUM))


class MeetingSummaryForm(GovForm):
    meeting_summary = LongTextField(
        label="Summary for the meeting",
        max_length=MEETING_SUMMARY_MAX,
        help_text=(
            "What the member schools read on the agenda. Do not name the pupil. Up to "
            f"{MEETING_SUMMARY_MAX:,} characters."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.textarea(
                "meeting_summary", label_size=Size.MEDIUM, max_characters=MEETING_SUMMARY_MAX
            )
        )
