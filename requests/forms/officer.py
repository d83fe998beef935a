"""Input validation for the HNF Monitoring Officer's pages: the list's filters, a payment
and a reversal. The rules themselves live in the services (requests.services.payments and
the ledger's budgets.services); the forms check the shape of what is typed and give each
message its field."""

from __future__ import annotations

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.utils import timezone

from budgets.models import Payment
from kentlocality.forms import DateField, GovForm, LongTextField, MoneyField, TextField

from ..selectors.officer import STATUS_FILTERS


class OfficerFilterForm(forms.Form):
    """Filters of the officer's list (drawn by hand in the template, like the SENCO's)."""

    reference = forms.CharField(label="Search by reference", required=False, max_length=30)
    community = forms.TypedChoiceField(
        label="Community of Schools", required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(label="Status", required=False, choices=STATUS_FILTERS)

    def __init__(self, *args, communities, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = [("", "All Communities of Schools")] + [
            (str(c.pk), c.name) for c in communities
        ]

    def filters(self) -> dict:
        """The filters to apply; a value that does not validate is ignored."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "community_id": data.get("community"),
            "status": data.get("status") or "",
            "reference": data.get("reference") or "",
        }


class PaymentForm(GovForm):
    amount = MoneyField(label="Amount paid", required=True, help_text="For example, 1500.00")
    paid_on = DateField(label="Date paid", required=True, help_text="For example, 27 11 2026")
    finance_reference = TextField(
        label="Finance reference",
        max_length=60,
        required=True,
        help_text="The reference of the payment in the council's finance system.",
    )
    method = forms.ChoiceField(
        label="How was the school paid?",
        choices=[
            Choice(
                Payment.Method.SCHOOLS_ADVANCE,
                Payment.Method.SCHOOLS_ADVANCE.label,
                hint=(
                    "Added to the school's regular advance from KCC: paid on the date of the "
                    "first advance whose cut-off falls on or after the decision."
                ),
            ),
            Choice(
                Payment.Method.ONE_OFF,
                Payment.Method.ONE_OFF.label,
                hint="Paid to the school on its own, outside the advance, for example when "
                "the award cannot wait for the next advance.",
            ),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the school was paid"},
    )
    note = LongTextField(
        label="Reason for paying more than the approved amount",
        max_length=1000,
        help_text="Only needed when the total paid would be more than the amount approved.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["amount"].error_messages["required"] = "Enter the amount paid"
        self.fields["finance_reference"].error_messages["required"] = "Enter the finance reference"
        self.fields["finance_reference"].widget.attrs.update(
            {"autocomplete": "off", "spellcheck": "false"}
        )
        self.helper.layout = Layout(
            Field.text("amount", label_size=Size.SMALL),
            Field("paid_on", context={"legend_size": Size.SMALL}),
            Field.text("finance_reference", label_size=Size.SMALL, field_width=20),
            Field.radios("method", legend_size=Size.SMALL),
            Field.textarea("note", label_size=Size.SMALL, rows=3),
        )

    def clean_paid_on(self):
        value = self.cleaned_data["paid_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError("Date paid must be today or in the past")
        return value


class ReversalForm(GovForm):
    reason = LongTextField(
        label="Why is the payment being reversed?",
        max_length=1000,
        required=True,
        help_text="For example, paid to the wrong school, or the wrong amount.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Enter why the payment is being reversed"
