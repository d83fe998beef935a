"""Input validation for the Request for Resource sections. Format rules (a real date, a
UPN with the right check letter, an amount in pounds) are checked on every save; whether
a section is complete is checked by ``validation`` on "Save and continue" and on submit."""

from __future__ import annotations

from crispy_forms_gds.layout import (
    Field,
    Fieldset,
    Layout,
    Size,
)
from django import forms
from django.forms.utils import ErrorDict
from django.utils import timezone

from kentlocality.forms import DateField, GovForm, LongTextField, MoneyField, TextField

from .. import validation
from ..choices import ExceptionalReason, HomeLocalAuthority, Need, SenProvision, YearGroup
from ..models import PRGService, ResourceRequest

YES_NO = [("yes", "Yes"), ("no", "No")]
OTHER_SERVICE = "other"


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


def _bool(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class SectionForm(GovForm):
    """A section of the request. ``values()`` gives model field values to save."""

    section: str = ""

    def __init__(self, *args, request: ResourceRequest, **kwargs) -> None:
        self.request_obj = request
        kwargs.setdefault("initial", self.initial_from(request))
        super().__init__(*args, **kwargs)

    def initial_from(self, request: ResourceRequest) -> dict:
        return {name: getattr(request, name) for name in self.base_fields if hasattr(request, name)}

    def values(self) -> dict:
        """Model values from the fields that passed validation (all of them, once valid)."""
        return {
            name: value
            for name, value in getattr(self, "cleaned_data", {}).items()
            if hasattr(self.request_obj, name) or name == "prg_services"
        }

    def as_typed(self) -> dict[str, list[str]]:
        """What was sent for this section's fields, exactly as typed: kept when some
        answers are not right yet, and given back to the form to show them again. Null
        characters are left out: PostgreSQL stores none (the form has refused them)."""
        kept = {}
        for name, field in self.fields.items():
            widget = field.widget
            html_name = self.add_prefix(name)
            names = (
                [f"{html_name}{suffix}" for suffix in widget.widgets_names]
                if isinstance(widget, forms.MultiWidget)
                else [html_name]
            )
            for key in names:
                if key in self.data:
                    kept[key] = [value.replace("\x00", "") for value in self.data.getlist(key)]
        return kept

    def services_chosen(self) -> list[int] | None:
        """The Professional Resources Group services chosen, or None when this section
        has none or its answer is not right (the stored ones then stay)."""
        return None

    def add_problems(self, problems) -> None:
        """Show completeness problems (from validation) beside their fields. Works on an
        unbound form too: the stored answers stay in the inputs, the messages beside."""
        if not self.is_bound:
            self._errors = ErrorDict()
            self.cleaned_data = {}
        for problem in problems:
            field = problem.field if problem.field in self.fields else None
            if field and field in self.errors:
                continue
            self.add_error(field, problem.message)


class PupilForm(SectionForm):
    section = "pupil"

    first_name = TextField(label="First name", max_length=100)
    last_name = TextField(label="Last name", max_length=100)
    date_of_birth = DateField(label="Date of birth", help_text="For example, 27 3 2017")
    upn = TextField(
        label="Unique Pupil Number (UPN)",
        max_length=20,
        help_text="13 characters, starting with a letter, for example E886200026001. "
        "Temporary UPNs, which end in a letter, are accepted.",
    )
    year_group = forms.ChoiceField(
        label="Year group",
        choices=[("", "Select a year group"), *YearGroup.choices],
        required=False,
    )
    sen_provision = forms.ChoiceField(
        label="SEN provision",
        choices=SenProvision.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    primary_need = forms.ChoiceField(
        label="Primary need",
        choices=[("", "Select the primary need"), *[(c, f"{n} ({c})") for c, n in Need.choices]],
        required=False,
    )
    secondary_need = forms.ChoiceField(
        label="Secondary need (optional)",
        choices=[("", "No secondary need"), *[(c, f"{n} ({c})") for c, n in Need.choices]],
        required=False,
    )
    home_la = forms.ChoiceField(
        label="Home local authority",
        choices=HomeLocalAuthority.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    home_la_name = TextField(
        label="Name of the other local authority",
        max_length=100,
        help_text="Only if the pupil's home local authority is not Kent.",
    )
    receives_saf = forms.ChoiceField(
        label="Does the pupil already receive Specific Allocation Funding?",
        help_text="Funding for pupils with an EHCP whose needs are severe and complex, agreed by KCC outside the Communities of Schools.",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )
    consent_given = forms.BooleanField(
        label="A parent or carer has given consent for this request to be shared with the Community of Schools",
        required=False,
    )
    consent_date = DateField(label="Date consent was given")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name", "upn", "home_la_name"):
            self.fields[name].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        self.fields["upn"].widget.attrs["class"] = "govuk-input--width-20"
        self.helper.layout = Layout(
            Field.text("first_name", field_width=20),
            Field.text("last_name", field_width=20),
            Field("date_of_birth", context={"legend_size": Size.SMALL}),
            Field.text("upn"),
            Field.select("year_group"),
            Field.radios("sen_provision", legend_size=Size.SMALL),
            Field.select("primary_need"),
            Field.select("secondary_need"),
            # Plain fields rather than a conditional reveal: GOV.UK Frontend's reveal sets
            # aria-expanded on radios, which axe-core (WCAG 4.1.2) reports as not allowed.
            Field.radios("home_la", legend_size=Size.SMALL),
            Field.text("home_la_name", field_width=20),
            Field.radios("receives_saf", legend_size=Size.SMALL, inline=True),
            Fieldset(
                Field.checkbox("consent_given"),
                Field("consent_date"),
                legend="Parental consent",
                legend_size=Size.SMALL,
            ),
        )

    def initial_from(self, request):
        initial = super().initial_from(request)
        initial["receives_saf"] = _yes_no(request.receives_saf)
        return initial

    def clean_upn(self) -> str:
        value = self.cleaned_data["upn"].replace(" ", "").upper()
        if value and (error := validation.upn_error(value)):
            raise forms.ValidationError(error)
        return value

    def clean_date_of_birth(self):
        value = self.cleaned_data["date_of_birth"]
        if value and (error := validation.date_of_birth_error(value)):
            raise forms.ValidationError(error)
        return value

    def clean_consent_date(self):
        value = self.cleaned_data["consent_date"]
        if value and value > timezone.localdate():
            raise forms.ValidationError("Date consent was given must be today or in the past")
        return value

    def values(self) -> dict:
        values = super().values()
        if "receives_saf" in values:
            values["receives_saf"] = _bool(values["receives_saf"])
        if "home_la" in values and values["home_la"] != HomeLocalAuthority.OTHER:
            values["home_la_name"] = ""
        if "consent_given" in values and not values["consent_given"]:
            values["consent_date"] = None
        return values


class NeedsForm(SectionForm):
    section = "needs"

    needs_summary = LongTextField(label="Summary of the pupil's needs")
    graduated_assess = LongTextField(
        label="Assess", help_text="How the pupil's needs were assessed, and by whom."
    )
    graduated_plan = LongTextField(
        label="Plan", help_text="The outcomes and support that were planned."
    )
    graduated_do = LongTextField(label="Do", help_text="The support the school has put in place.")
    graduated_review = LongTextField(
        label="Review", help_text="What the reviews found, and what changed."
    )
    current_provision = LongTextField(label="What the school already provides")
    current_cost = MoneyField(
        label="Yearly cost from the school's notional SEN budget",
        minimum=0,
        help_text="Schools are expected to meet costs up to £6,000 a year for each pupil.",
    )
    below_threshold_reason = LongTextField(
        label="Why is top-up needed now?",
        help_text="Answer this if the school spends less than £6,000 a year on the pupil.",
    )
    prg_services = forms.MultipleChoiceField(
        label="Which Professional Resources Group services have been involved?",
        help_text="Select all that apply.",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    prg_other = TextField(label="Other services involved", max_length=300)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        services = PRGService.objects.filter(is_active=True)
        chosen = {s.pk for s in self.request_obj.prg_services.all()}
        self.fields["prg_services"].choices = [
            (str(s.pk), s.name) for s in services if s.is_active or s.pk in chosen
        ] + [(OTHER_SERVICE, "Other")]
        self.helper.layout = Layout(
            Field.textarea("needs_summary", label_size=Size.SMALL),
            Fieldset(
                Field.textarea("graduated_assess", rows=3),
                Field.textarea("graduated_plan", rows=3),
                Field.textarea("graduated_do", rows=3),
                Field.textarea("graduated_review", rows=3),
                legend="The graduated response so far",
                legend_size=Size.SMALL,
            ),
            Field.textarea("current_provision", label_size=Size.SMALL),
            Field.text("current_cost", label_size=Size.SMALL),
            Field.textarea("below_threshold_reason", label_size=Size.SMALL),
            Field.checkboxes("prg_services", legend_size=Size.SMALL),
            Field.text("prg_other"),
        )

    def initial_from(self, request):
        initial = super().initial_from(request)
        chosen = [str(pk) for pk in request.prg_services.values_list("pk", flat=True)]
        if request.prg_other:
            chosen.append(OTHER_SERVICE)
        initial["prg_services"] = chosen
        return initial

    def clean(self):
        cleaned = super().clean()
        if OTHER_SERVICE in cleaned.get("prg_services", []) and not cleaned.get("prg_other"):
            self.add_error("prg_other", "Enter the other services involved")
        return cleaned

    def values(self) -> dict:
        values = super().values()
        chosen = values.pop("prg_services", None)
        if chosen is not None and OTHER_SERVICE not in chosen:
            values["prg_other"] = ""
        return values

    def services_chosen(self) -> list[int] | None:
        chosen = getattr(self, "cleaned_data", {}).get("prg_services")
        if chosen is None:
            return None
        return [int(pk) for pk in chosen if pk != OTHER_SERVICE]


class FundingForm(SectionForm):
    section = "funding"

    funding_purpose = LongTextField(label="What will the top-up pay for?")
    amount = MoneyField(
        label="Amount requested", help_text="In pounds and pence, for the whole period."
    )
    start_date = DateField(label="Start date", help_text="For example, 1 9 2026")
    end_date = DateField(label="End date", help_text="For example, 31 7 2027")
    long_duration_reason = LongTextField(
        label="Why is the support needed for more than 12 months?",
        help_text="Answer this only if the support runs for more than 12 months.",
    )
    outcomes = LongTextField(label="Expected outcomes")
    review_arrangements = LongTextField(label="How will the outcomes be reviewed?")
    meeting_summary = LongTextField(
        label="Summary for the meeting",
        max_length=validation.MEETING_SUMMARY_MAX,
        help_text=(
            "What the other member schools read on the agenda, in a few sentences: the "
            "needs, what the school has tried and what the top-up would change. Do not name "
            f"the pupil. Up to {validation.MEETING_SUMMARY_MAX:,} characters."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.textarea("funding_purpose", label_size=Size.SMALL),
            Field.text("amount", label_size=Size.SMALL),
            Field("start_date", context={"legend_size": Size.SMALL}),
            Field("end_date", context={"legend_size": Size.SMALL}),
            Field.textarea("long_duration_reason", label_size=Size.SMALL),
            Field.textarea("outcomes", label_size=Size.SMALL),
            Field.textarea("review_arrangements", label_size=Size.SMALL),
            Field.textarea(
                "meeting_summary",
                label_size=Size.SMALL,
                max_characters=validation.MEETING_SUMMARY_MAX,
            ),
        )

    def clean_amount(self):
        value = self.cleaned_data["amount"]
        if value is not None and (error := validation.amount_error(value)):
            raise forms.ValidationError(error)
        return value

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", "End date must be after the start date")
        return cleaned


class ExceptionalForm(SectionForm):
    section = "exceptional"

    is_exceptional = forms.ChoiceField(
        label="Does this request need a decision before the next meeting?",
        help_text="An exceptional request can be decided by the chair outside the regular meeting (an interim decision).",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )
    exceptional_reason = forms.ChoiceField(
        label="If yes, why is the request exceptional?",
        choices=ExceptionalReason.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    exceptional_why_now = LongTextField(label="If yes, why can it not wait for the next meeting?")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("is_exceptional", legend_size=Size.MEDIUM, legend_tag="h2", inline=True),
            Field.radios("exceptional_reason", legend_size=Size.SMALL),
            Field.textarea("exceptional_why_now", label_size=Size.SMALL),
        )

    def initial_from(self, request):
        return {
            "is_exceptional": _yes_no(request.is_exceptional),
            "exceptional_reason": request.exceptional_reason,
            "exceptional_why_now": request.exceptional_why_now,
        }

    def values(self) -> dict:
        values = super().values()
        if "is_exceptional" in values:
            values["is_exceptional"] = _bool(values["is_exceptional"])
            if not values["is_exceptional"]:
                values["exceptional_reason"] = ""
                values["exceptional_why_now"] = ""
        return values


SECTION_FORMS: dict[str, type[SectionForm]] = {
    "pupil": PupilForm,
    "needs": NeedsForm,
    "funding": FundingForm,
    "exceptional": ExceptionalForm,
}


class EvidenceForm(GovForm):
    file = forms.FileField(
        label="Upload a file",
        help_text="PDF, Word (DOCX), JPEG or PNG, up to 10 MB each, at most 10 files.",
        required=True,
        error_messages={
            "required": "Select a file to upload",
            "empty": "The selected file is empty",
        },
        max_length=255,
    )

    def __init__(self, *args, optional: bool = False, **kwargs) -> None:
        """``optional``: "Continue" was pressed, which uploads a file only if one was
        chosen."""
        super().__init__(*args, **kwargs)
        self.fields["file"].required = not optional


class DeclarationForm(GovForm):
    declaration = forms.BooleanField(
        label="I confirm that the information in this request is correct, that the school is "
        "already meeting the pupil's needs from its own budget as described, and that a parent "
        "or carer has agreed to this request being shared with the Community of Schools.",
        required=True,
        error_messages={"required": "Confirm the declaration to submit the request"},
    )


class WithdrawForm(GovForm):
    reason = LongTextField(label="Why is the request being withdrawn?", max_length=1000)


class RequestSearchForm(forms.Form):
    q = forms.CharField(label="Search by pupil name or reference", required=False, max_length=100)
    status = forms.ChoiceField(label="Status", required=False)

    def __init__(self, *args, statuses, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "All statuses"), *statuses]
