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

# The "summary for the meeting" members read on the agenda: a few sentences.
MEETING_SUMMARY_MAX = 1000


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


def pupil_problems(request: ResourceRequest) -> list[Problem]:
    problems: list[Problem] = []
    section = "pupil"
    _required(problems, section, "first_name", request.first_name, "Enter the pupil's first name")
    _required(problems, section, "last_name", request.last_name, "Enter the pupil's last name")
    if request.date_of_birth is None:
        problems.append(Problem(section, "date_of_birth", "Enter the pupil's date of birth"))
    elif error := date_of_birth_error(request.date_of_birth):
        problems.append(Problem(section, "date_of_birth", error))
    if not request.upn:
        problems.append(Problem(section, "upn", "Enter the pupil's UPN"))
    elif error := upn_error(request.upn):
        problems.append(Problem(section, "upn", error))
    _required(problems, section, "year_group", request.year_group, "Select the pupil's year group")
    _required(
        problems,
        section,
        "sen_provision",
        request.sen_provision,
        "Select the pupil's SEN provision",
    )
    _required(
        problems, section, "primary_need", request.primary_need, "Select the pupil's primary need"
    )
    if request.secondary_need and request.secondary_need == request.primary_need:
        problems.append(
            Problem(
                section, "secondary_need", "Secondary need must be different from the primary need"
            )
        )
    _required(
        problems, section, "home_la", request.home_la, "Select the pupil's home local authority"
    )
    if request.home_la == HomeLocalAuthority.OTHER and not request.home_la_name:
        problems.append(
            Problem(section, "home_la_name", "Enter the name of the pupil's home local authority")
        )
    if request.receives_saf is None:
        problems.append(
            Problem(
                section,
                "receives_saf",
                "Select whether the pupil already receives Specific Allocation Funding",
            )
        )
    elif request.receives_saf:
        problems.append(
            Problem(
                section,
                "receives_saf",
                "This pupil already receives Specific Allocation Funding, so Community of "
                "Schools top-up is not the route: the request cannot be submitted",
            )
        )
    if not request.consent_given:
        problems.append(
            Problem(section, "consent_given", "Confirm that a parent or carer has given consent")
        )
    elif request.consent_date is None:
        problems.append(Problem(section, "consent_date", "Enter the date consent was given"))
    elif request.consent_date > timezone.localdate():
        problems.append(
            Problem(section, "consent_date", "Date consent was given must be today or in the past")
        )
    return problems


def needs_problems(request: ResourceRequest) -> list[Problem]:
    problems: list[Problem] = []
    section = "needs"
    _required(
        problems,
        section,
        "needs_summary",
        request.needs_summary,
        "Enter a summary of the pupil's needs",
    )
    _required(
        problems,
        section,
        "graduated_assess",
        request.graduated_assess,
        "Enter how the pupil's needs were assessed",
    )
    _required(
        problems,
        section,
        "graduated_plan",
        request.graduated_plan,
        "Enter the plan made for the pupil",
    )
    _required(
        problems, section, "graduated_do", request.graduated_do, "Enter what the school has done"
    )
    _required(
        problems,
        section,
        "graduated_review",
        request.graduated_review,
        "Enter how the support was reviewed",
    )
    _required(
        problems,
        section,
        "current_provision",
        request.current_provision,
        "Enter what the school already provides",
    )
    if request.current_cost is None:
        problems.append(
            Problem(section, "current_cost", "Enter the yearly cost of what the school provides")
        )
    elif request.current_cost < 0:
        problems.append(Problem(section, "current_cost", "Yearly cost must be £0 or more"))
    elif request.current_cost < NOTIONAL_SEN_THRESHOLD and not request.below_threshold_reason:
        problems.append(
            Problem(
                section,
                "below_threshold_reason",
                "Explain why top-up is needed now, as the school spends less than £6,000 a year",
            )
        )
    return problems


def funding_problems(request: ResourceRequest, ceiling: Decimal | None = None) -> list[Problem]:
    problems: list[Problem] = []
    section = "funding"
    _required(
        problems,
        section,
        "funding_purpose",
        request.funding_purpose,
        "Enter what the top-up will pay for",
    )
    if request.amount is None:
        problems.append(Problem(section, "amount", "Enter the amount requested"))
    elif error := amount_error(request.amount, ceiling):
        problems.append(Problem(section, "amount", error))
    if request.start_date is None:
        problems.append(Problem(section, "start_date", "Enter the start date"))
    if request.end_date is None:
        problems.append(Problem(section, "end_date", "Enter the end date"))
    if request.start_date and request.end_date:
        if request.end_date <= request.start_date:
            problems.append(Problem(section, "end_date", "End date must be after the start date"))
        elif (
            is_longer_than_a_year(request.start_date, request.end_date)
            and not request.long_duration_reason
        ):
            problems.append(
                Problem(
                    section,
                    "long_duration_reason",
                    "Explain why the support is needed for more than 12 months",
                )
            )
    _required(problems, section, "outcomes", request.outcomes, "Enter the outcomes you expect")
    _required(
        problems,
        section,
        "review_arrangements",
        request.review_arrangements,
        "Enter how the outcomes will be reviewed",
    )
    return problems


def exceptional_problems(request: ResourceRequest) -> list[Problem]:
    problems: list[Problem] = []
    section = "exceptional"
    if request.is_exceptional is None:
        problems.append(
            Problem(section, "is_exceptional", "Select whether this is an exceptional request")
        )
    elif request.is_exceptional:
        _required(
            problems,
            section,
            "exceptional_reason",
            request.exceptional_reason,
            "Select why the request is exceptional",
        )
        _required(
            problems,
            section,
            "exceptional_why_now",
            request.exceptional_why_now,
            "Explain why the request cannot wait for the next meeting",
        )
    return problems


def as_typed_problems(request: ResourceRequest) -> list[Problem]:
    """A section holding answers saved as typed is not finished, whatever its stored
    answers say: the SENCO changed them and the change is not right yet."""
    return [
        Problem(section, "", f"{SECTION_TITLES[section]}: correct the answers saved as typed")
        for section in SECTION_TITLES
        if request.answers_as_typed.get(section)
    ]


def submission_problems(request: ResourceRequest) -> list[Problem]:
    return [
        *as_typed_problems(request),
        *pupil_problems(request),
        *needs_problems(request),
        *funding_problems(request),
        *exceptional_problems(request),
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


def section_status(request: ResourceRequest, section: str, has_evidence: bool = False) -> str:
    """For the task list: "completed", "in_progress", "not_started" (or, for evidence,
    "optional" until a file is added)."""
    if section == "evidence":
        return "completed" if has_evidence else "optional"
    if request.answers_as_typed.get(section):
        return "in_progress"
    if not SECTION_CHECKS[section](request):
        return "completed"
    started = any(getattr(request, name) not in (None, "") for name in SECTION_FIELDS[section])
    return "in_progress" if started else "not_started"
