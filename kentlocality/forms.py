"""Form fields every app uses: GOV.UK-style money and date inputs, and text that is
stored safely whatever is typed into it."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

TEXT_MAX = 5000
_MONEY = re.compile(r"^-?\d{1,9}(\.\d{1,2})?$")


def clean_text(value: str) -> str:
    """Remove control characters (keeping new lines and tabs) and normalise line ends.
    What is left is stored as typed and always shown escaped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        ch for ch in value if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs", "Co")
    ).strip()


class TextField(forms.CharField):
    def __init__(self, *, label: str, max_length: int = TEXT_MAX, **kwargs) -> None:
        kwargs.setdefault("required", False)
        super().__init__(
            label=label,
            max_length=max_length,
            error_messages={
                "max_length": f"{label} must be {max_length:,} characters or fewer",
                "required": f"Enter {label[0].lower() + label[1:]}",
                "null_characters_not_allowed": f"{label} must not contain null characters",
            },
            **kwargs,
        )

    def to_python(self, value):
        value = super().to_python(value)
        return clean_text(value) if isinstance(value, str) else value


class LongTextField(TextField):
    widget = forms.Textarea(attrs={"rows": 5})


class MoneyField(forms.CharField):
    """Pounds and pence, typed as 8000, 8,000.00 or £8,000.5. Returns a Decimal with two
    places. A text input with inputmode=decimal, as the Design System recommends."""

    def __init__(self, *, label: str, minimum: Decimal | None = Decimal("0.01"), **kwargs) -> None:
        kwargs.setdefault("required", False)
        self.minimum = minimum
        super().__init__(
            label=label,
            widget=forms.TextInput(
                attrs={
                    "inputmode": "decimal",
                    "class": "govuk-input--width-10",
                    "spellcheck": "false",
                }
            ),
            max_length=20,
            error_messages={
                "max_length": f"{label} must be a number of pounds, like 8000.00",
                "required": f"Enter {label[0].lower() + label[1:]}",
            },
            **kwargs,
        )
        # The length is checked on the typed text in to_python: Django's MaxLengthValidator
        # would run on the Decimal and fail with a TypeError (a 500).
        self.validators = [v for v in self.validators if not isinstance(v, MaxLengthValidator)]

    def to_python(self, value) -> Decimal | None:
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        if len(value) > 20:
            raise ValidationError(self.error_messages["max_length"])
        cleaned = value.replace("£", "").replace(",", "").replace(" ", "")
        if not _MONEY.match(cleaned):
            raise ValidationError(
                f"{self.label} must be an amount in pounds and pence, like 8000.00"
            )
        try:
            amount = Decimal(cleaned).quantize(Decimal("0.01"))
        except InvalidOperation:
            raise ValidationError(f"{self.label} must be an amount in pounds and pence") from None
        if self.minimum is not None and amount < self.minimum:
            raise ValidationError(
                f"{self.label} must be more than £0"
                if self.minimum > 0
                else f"{self.label} must be £0 or more"
            )
        return amount

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return f"{value:.2f}"
        return value


class DateField(DateInputField):
    """The GOV.UK date input (day, month, year boxes) with messages that name the date."""

    def __init__(self, *, label: str, **kwargs) -> None:
        kwargs.setdefault("required", False)
        super().__init__(label=label, require_all_fields=False, **kwargs)
        name = label[0].lower() + label[1:]
        self.error_messages["required"] = f"Enter the {name}"
        self.error_messages["incomplete"] = f"Enter the {name}"
        for part, word in zip(self.fields, ("day", "month", "year"), strict=True):
            part.error_messages["incomplete"] = f"{label} must include a {word}"
            part.max_length = 4
        self.label_text = label

    def compress(self, data_list) -> dt.date | None:
        day, month, year = data_list
        if not (day and month and year):
            return None
        try:
            if len(str(year)) != 4:
                raise ValueError
            return dt.date(int(year), int(month), int(day))
        except (ValueError, OverflowError):
            raise ValidationError(f"{self.label_text} must be a real date") from None


class GovForm(forms.Form):
    """A form rendered by crispy-forms-gds inside our own <form> tag, with the error
    summary drawn by templates/includes/error_summary.html."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True
