import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from requests.forms.sections import ExceptionalForm, FundingForm, NeedsForm, PupilForm
from requests.models import FormSettings
from requests.tests.factories import DraftFactory
from requests.validation import funding_problems, pupil_problems

pytestmark = pytest.mark.django_db


def pupil_data(**overrides) -> dict:
    dob = timezone.localdate() - dt.timedelta(days=365 * 8)
    data = {
        "first_name": "Alex",
        "last_name": "Example",
        "date_of_birth_0": str(dob.day),
        "date_of_birth_1": str(dob.month),
        "date_of_birth_2": str(dob.year),
        "upn": "E886200026001",
        "year_group": "3",
        "sen_provision": "K",
        "primary_need": "ASD",
        "home_la": "kent",
        "receives_saf": "no",
        "consent_given": "on",
        "consent_date_0": "1",
        "consent_date_1": "9",
        "consent_date_2": "2026",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def errors(form) -> dict:
    form.is_valid()
    return {k: list(v) for k, v in form.errors.items()}


@pytest.mark.parametrize(
    ("upn", "message"),
    [
        ("E886200026001", None),
        ("e886 2000 2600 1", None),  # spaces and lower case tidied
        ("D88620002601A", None),  # temporary UPN, ending in a letter
        ("F886200026001", "check letter is wrong"),
        ("E88620002600", "must be 13 characters"),
        ("E8862000260X1", "must be a letter, 11 numbers"),
        ("E000200026001", "real local authority number"),
    ],
)
def test_upn_check_letter(upn, message):
    form = PupilForm(pupil_data(upn=upn), request=DraftFactory())
    if message is None:
        assert form.is_valid(), form.errors
        assert form.cleaned_data["upn"] == upn.replace(" ", "").upper()
    else:
        assert message in " ".join(errors(form)["upn"])


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("31", "2", "2018", "must be a real date"),
        ("1", "13", "2018", "must be a real date"),
        ("1", "1", "18", "must be a real date"),
        ("x", "1", "2018", "Enter a valid date"),
        ("1", "", "2018", "must include a month"),
        ("1", "1", "2099", "must be in the past"),
        ("1", "1", "1960", "between 3 and 25"),
    ],
)
def test_date_of_birth(day, month, year, message):
    form = PupilForm(
        pupil_data(date_of_birth_0=day, date_of_birth_1=month, date_of_birth_2=year),
        request=DraftFactory(),
    )
    assert message in " ".join(errors(form)["date_of_birth"])


def test_consent_is_needed_to_submit():
    draft = DraftFactory(consent_given=False, consent_date=None)
    assert "consent" in " ".join(p.message for p in pupil_problems(draft))
    draft = DraftFactory(consent_date=None)
    assert [p.field for p in pupil_problems(draft)] == ["consent_date"]


def test_another_local_authority_must_be_named():
    draft = DraftFactory(home_la="other", home_la_name="")
    assert [p.field for p in pupil_problems(draft)] == ["home_la_name"]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("8000", "8000.00"), ("£8,000.50", "8000.50"), ("8,000.5", "8000.50"), (" 12 ", "12.00")],
)
def test_money_in_pounds_and_pence(typed, expected):
    form = FundingForm({"amount": typed}, request=DraftFactory())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == Decimal(expected)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-5", "more than £0"),
        ("0", "more than £0"),
        ("12.345", "pounds and pence"),
        ("1e5", "pounds and pence"),
        ("eight thousand", "pounds and pence"),
        ("NaN", "pounds and pence"),
        ("60000", "£50,000.00 or less"),
    ],
)
def test_bad_amounts_are_refused(typed, message):
    form = FundingForm({"amount": typed}, request=DraftFactory())
    assert message in " ".join(errors(form)["amount"])


def test_the_ceiling_is_what_administrators_set():
    settings_row = FormSettings.load()
    settings_row.amount_ceiling = Decimal("20000")
    settings_row.save()
    form = FundingForm({"amount": "25000"}, request=DraftFactory())
    assert "£20,000.00 or less" in " ".join(errors(form)["amount"])


def test_end_date_must_follow_start_date():
    form = FundingForm(
        {
            "start_date_0": "1",
            "start_date_1": "9",
            "start_date_2": "2026",
            "end_date_0": "1",
            "end_date_1": "9",
            "end_date_2": "2026",
        },
        request=DraftFactory(),
    )
    assert errors(form)["end_date"] == ["End date must be after the start date"]


def test_more_than_twelve_months_needs_a_reason():
    draft = DraftFactory(start_date=dt.date(2026, 9, 1), end_date=dt.date(2027, 9, 30))
    assert [p.field for p in funding_problems(draft)] == ["long_duration_reason"]
    draft.long_duration_reason = "Transition to secondary school needs continuity."
    assert funding_problems(draft) == []
    draft = DraftFactory(start_date=dt.date(2026, 9, 1), end_date=dt.date(2027, 8, 31))
    assert funding_problems(draft) == []  # exactly 12 months


def test_cost_below_six_thousand_asks_why_top_up_is_needed_now():
    form = NeedsForm({"current_cost": "4500"}, request=DraftFactory())
    assert form.is_valid()
    draft = DraftFactory(current_cost=Decimal("4500"), below_threshold_reason="")
    from requests.validation import needs_problems

    assert [p.field for p in needs_problems(draft)] == ["below_threshold_reason"]


def test_exceptional_needs_a_reason_from_the_guidance_list():
    draft = DraftFactory()
    form = ExceptionalForm(
        {"is_exceptional": "yes", "exceptional_reason": "made_up"}, request=draft
    )
    assert "exceptional_reason" in errors(form)
    form = ExceptionalForm(
        {
            "is_exceptional": "yes",
            "exceptional_reason": "tribunal",
            "exceptional_why_now": "Order dated 1 May",
        },
        request=draft,
    )
    assert form.is_valid()
    assert form.values() == {
        "is_exceptional": True,
        "exceptional_reason": "tribunal",
        "exceptional_why_now": "Order dated 1 May",
    }
    form = ExceptionalForm(
        {"is_exceptional": "no", "exceptional_reason": "tribunal"}, request=draft
    )
    assert form.is_valid()
    assert form.values()["exceptional_reason"] == ""


def test_control_characters_are_removed_and_long_text_refused():
    form = NeedsForm(
        {"needs_summary": "Needs\x07 support\x1b[31m", "graduated_assess": "x" * 5001},
        request=DraftFactory(),
    )
    result = errors(form)
    assert result["graduated_assess"] == ["Assess must be 5,000 characters or fewer"]
    assert form.cleaned_data["needs_summary"] == "Needs support[31m"
