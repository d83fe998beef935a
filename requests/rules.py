"""The rules a Request for Resource must meet, written once and used by both the section
forms (a message beside the field) and submission (every section checked again).

Each section's check returns ``Problem``s naming the field and the message to show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.gb import upn as stdnum_upn

from .choices import HomeLocalAuthority
from .models import NOTIONAL_SEN_THRESHOLD, FormSettings, ResourceRequest

TEXT_MAX = 5000
MAX_AWARD_DAYS = 366  # "more than 12 months needs a reason"


@dataclass(frozen=True)
class Problem:
    section: str
    field: str
    message: str


SECTIONS = [
    ("pupil", "Pupil details"),
    ("needs", "Needs and current provision"),
    ("funding", "What is requested"),
    ("exceptional", "Exceptional request"),
    ("evidence", "Evidence"),
]
SECTION_TITLES = dict(SECTIONS)


def upn_error(value: str) -> str | None:
    """The message for a wrong UPN, or None. Uses python-stdnum's UPN check (temporary
    UPNs, which end in a letter, included)."""
    try:
        stdnum_upn.validate(value)
    except InvalidLength:
        return "UPN must be 13 characters, like A123456789012"
    except InvalidFormat:
        return "UPN must be a letter, 11 numbers, then a number or letter"
    except InvalidComponent:
        return "UPN must include a real local authority number in characters 2 to 4"
    except InvalidChecksum:
        return "UPN check letter is wrong: check you have copied the UPN exactly"
    return None


def date_of_birth_error(value: dt.date, today: dt.date | None = None) -> str | None:
    today = today or timezone.localdate()
    if value > today:
        return "Date of birth must be in the past"
    age = today.year - value.year - ((today.month, today.day) < (value.month, value.day))
    if age < 3 or age > 25:
        return "Date of birth must be for a pupil aged between 3 and 25"
    return None


def amount_error(value: Decimal, ceiling: Decimal | None = None) -> str | None:
    ceiling = ceiling if ceiling is not None else FormSettings.load().amount_ceiling
    if value <= 0:
        return "Amount must be more than £0"
    if value > ceiling:
        return f"Amount must be £{ceiling:,.2f} or less"
    return None


def award_days(start: dt.date, end: dt.date) -> int:
    return (end - start).days + 1


def is_longer_than_a_year(start: dt.date, end: dt.date) -> bool:
    return award_days(start, end) > MAX_AWARD_DAYS


def _required(problems, section, field, value, message) -> None:
    if value in (None, ""):
        problems.append(Problem(section, field, message))


def pupil_problems(r: ResourceRequest) -> list[Problem]:
    p: list[Problem] = []
    s = "pupil"
    _required(p, s, "first_name", r.first_name, "Enter the pupil's first name")
    _required(p, s, "last_name", r.last_name, "Enter the pupil's last name")
    if r.date_of_birth is None:
        p.append(Problem(s, "date_of_birth", "Enter the pupil's date of birth"))
    elif error := date_of_birth_error(r.date_of_birth):
        p.append(Problem(s, "date_of_birth", error))
    if not r.upn:
        p.append(Problem(s, "upn", "Enter the pupil's UPN"))
    elif error := upn_error(r.upn):
        p.append(Problem(s, "upn", error))
    _required(p, s, "year_group", r.year_group, "Select the pupil's year group")
    _required(p, s, "sen_provision", r.sen_provision, "Select the pupil's SEN provision")
    _required(p, s, "primary_need", r.primary_need, "Select the pupil's primary need")
    if r.secondary_need and r.secondary_need == r.primary_need:
        p.append(
            Problem(s, "secondary_need", "Secondary need must be different from the primary need")
        )
    _required(p, s, "home_la", r.home_la, "Select the pupil's home local authority")
    if r.home_la == HomeLocalAuthority.OTHER and not r.home_la_name:
        p.append(Problem(s, "home_la_name", "Enter the name of the pupil's home local authority"))
    if r.receives_saf is None:
        p.append(
            Problem(
                s,
                "receives_saf",
                "Select whether the pupil already receives Specific Allocation Funding",
            )
        )
    elif r.receives_saf:
        p.append(
            Problem(
                s,
                "receives_saf",
                "This pupil already receives Specific Allocation Funding, so Community of "
                "Schools top-up is not the route: the request cannot be submitted",
            )
        )
    if not r.consent_given:
        p.append(Problem(s, "consent_given", "Confirm that a parent or carer has given consent"))
    elif r.consent_date is None:
        p.append(Problem(s, "consent_date", "Enter the date consent was given"))
    elif r.consent_date > timezone.localdate():
        p.append(Problem(s, "consent_date", "Date consent was given must be today or in the past"))
    return p


def needs_problems(r: ResourceRequest) -> list[Problem]:
    p: list[Problem] = []
    s = "needs"
    _required(p, s, "needs_summary", r.needs_summary, "Enter a summary of the pupil's needs")
    _required(
        p, s, "graduated_assess", r.graduated_assess, "Enter how the pupil's needs were assessed"
    )
    _required(p, s, "graduated_plan", r.graduated_plan, "Enter the plan made for the pupil")
    _required(p, s, "graduated_do", r.graduated_do, "Enter what the school has done")
    _required(p, s, "graduated_review", r.graduated_review, "Enter how the support was reviewed")
    _required(
        p, s, "current_provision", r.current_provision, "Enter what the school already provides"
    )
    if r.current_cost is None:
        p.append(Problem(s, "current_cost", "Enter the yearly cost of what the school provides"))
    elif r.current_cost < 0:
        p.append(Problem(s, "current_cost", "Yearly cost must be £0 or more"))
    elif r.current_cost < NOTIONAL_SEN_THRESHOLD and not r.below_threshold_reason:
        p.append(
            Problem(
                s,
                "below_threshold_reason",
                "Explain why top-up is needed now, as the school spends less than £6,000 a year",
            )
        )
    return p


def funding_problems(r: ResourceRequest, ceiling: Decimal | None = None) -> list[Problem]:
    p: list[Problem] = []
    s = "funding"
    _required(p, s, "funding_purpose", r.funding_purpose, "Enter what the top-up will pay for")
    if r.amount is None:
        p.append(Problem(s, "amount", "Enter the amount requested"))
    elif error := amount_error(r.amount, ceiling):
        p.append(Problem(s, "amount", error))
    if r.start_date is None:
        p.append(Problem(s, "start_date", "Enter the start date"))
    if r.end_date is None:
        p.append(Problem(s, "end_date", "Enter the end date"))
    if r.start_date and r.end_date:
        if r.end_date <= r.start_date:
            p.append(Problem(s, "end_date", "End date must be after the start date"))
        elif is_longer_than_a_year(r.start_date, r.end_date) and not r.long_duration_reason:
            p.append(
                Problem(
                    s,
                    "long_duration_reason",
                    "Explain why the support is needed for more than 12 months",
                )
            )
    _required(p, s, "outcomes", r.outcomes, "Enter the outcomes you expect")
    _required(
        p,
        s,
        "review_arrangements",
        r.review_arrangements,
        "Enter how the outcomes will be reviewed",
    )
    return p


def exceptional_problems(r: ResourceRequest) -> list[Problem]:
    p: list[Problem] = []
    s = "exceptional"
    if r.is_exceptional is None:
        p.append(Problem(s, "is_exceptional", "Select whether this is an exceptional request"))
    elif r.is_exceptional:
        _required(
            p,
            s,
            "exceptional_reason",
            r.exceptional_reason,
            "Select why the request is exceptional",
        )
        _required(
            p,
            s,
            "exceptional_why_now",
            r.exceptional_why_now,
            "Explain why the request cannot wait for the next meeting",
        )
    return p


def submission_problems(r: ResourceRequest) -> list[Problem]:
    return [
        *pupil_problems(r),
        *needs_problems(r),
        *funding_problems(r),
        *exceptional_problems(r),
    ]


SECTION_FIELDS = {
    "pupil": [
        "first_name",
        "last_name",
        "date_of_birth",
        "upn",
        "year_group",
        "sen_provision",
        "primary_need",
        "home_la",
        "consent_given",
        "receives_saf",
    ],
    "needs": ["needs_summary", "graduated_assess", "current_provision", "current_cost"],
    "funding": ["funding_purpose", "amount", "start_date", "end_date", "outcomes"],
    "exceptional": ["is_exceptional"],
}
SECTION_CHECKS = {
    "pupil": pupil_problems,
    "needs": needs_problems,
    "funding": funding_problems,
    "exceptional": exceptional_problems,
}


def section_status(r: ResourceRequest, section: str, has_evidence: bool = False) -> str:
    """For the task list: "completed", "in_progress", "not_started" (or, for evidence,
    "optional" until a file is added)."""
    if section == "evidence":
        return "completed" if has_evidence else "optional"
    if not SECTION_CHECKS[section](r):
        return "completed"
    started = any(getattr(r, name) not in (None, "") for name in SECTION_FIELDS[section])
    return "in_progress" if started else "not_started"
