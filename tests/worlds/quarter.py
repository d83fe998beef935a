"""A quarter's work in two Communities of Schools of the North area, reached through the
steps on the days it happened, with the figures a report must show worked out by hand
below (``ASHDOWN``). The reporting tests read it; change none of its amounts, dates or
outcomes without working the figures again.

Each step runs under ``steps.clock(day, hour)``, so each service records the date it would
have recorded on that day.

Q2 2026-27 runs from Wednesday 1 July to Wednesday 30 September 2026. Monday 31 August
2026 is the summer bank holiday.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from budgets.tests.factories import CosBudgetFactory
from communities.models import CommunityOfSchools, School, User
from communities.tests.factories import (
    CommunityFactory,
    SchoolFactory,
    area,
    make_board,
    make_chair,
    make_officer,
)
from kentlocality.financial_years import Quarter
from requests.models import AgendaItem, Meeting, ResourceRequest
from requests.services import attendance_record, decision_revise
from requests.services.decisions import Award
from requests.services.meetings import AttendanceEntry

from .steps import acknowledged, clock, decided, interim_decided, paid, scheduled, submitted

Q2 = Quarter(2026, 2)
D = dt.date
IN_YEAR = {"start_date": D(2026, 10, 1), "end_date": D(2027, 3, 31)}
PUPIL_NAMES = ["Zebedee", "Quillfeather", "Marchbanks"]


# The steps on the quarter's days.


def submit(
    school: School, day: dt.date, hour: int = 10, minute: int = 0, **values
) -> ResourceRequest:
    """A new draft of the school (an award within 2026-27 unless told) submitted then."""
    with clock(day, hour, minute):
        return submitted(school=school, **{**IN_YEAR, **values})


def meeting(chair: User, community: CommunityOfSchools, on: dt.date, made_on: dt.date) -> Meeting:
    with clock(made_on):
        return scheduled(community, chair=chair, date=on, place="Hall")


def decide(
    chair: User,
    meeting_: Meeting,
    request: ResourceRequest,
    outcome: str,
    reason: str = "Agreed",
    **award,
) -> ResourceRequest:
    """The request added to the meeting's agenda and decided there, on the meeting's day.
    The CoS budgets are the quarter's own."""
    with clock(meeting_.date):
        return decided(
            outcome,
            request=request,
            meeting=meeting_,
            chair=chair,
            reason=reason,
            budget=None,
            **award,
        )


@dataclass
class Scenario:
    quarter: Quarter
    area: object
    cos_a: object
    cos_b: object
    cos_other: object
    chair: object
    chair_b: object
    officer: object
    board: object
    board_other: object
    requests: dict[str, ResourceRequest] = field(default_factory=dict)


def build() -> Scenario:
    north = area("North")
    cos_a = CommunityFactory(name="Ashdown CoS", area=north)
    cos_b = CommunityFactory(name="Brookfield CoS", area=north)
    cos_other = CommunityFactory(name="Elsewhere CoS", area=area("East"))
    a1 = SchoolFactory(community=cos_a, name="Ashdown Primary School")
    a2 = SchoolFactory(community=cos_a, name="Ashdown High School", phase="secondary")
    SchoolFactory(community=cos_a, name="Ashdown Special School", kind="special")
    b1 = SchoolFactory(community=cos_b, name="Brookfield Primary School")
    e1 = SchoolFactory(community=cos_other, name="Elsewhere Primary School")
    chair, chair_b = make_chair(cos_a), make_chair(cos_b)
    chair_e = make_chair(cos_other)
    officer, board = make_officer(north), make_board(north)
    board_other = make_board(area("East"))
    for community, total in ((cos_a, "100000.00"), (cos_b, "50000.00"), (cos_other, "1.00")):
        for year in (2026, 2027):
            CosBudgetFactory(community=community, year=year, total=Decimal(total))
    s = Scenario(Q2, north, cos_a, cos_b, cos_other, chair, chair_b, officer, board, board_other)
    r = s.requests
    name = {"first_name": PUPIL_NAMES[0], "last_name": PUPIL_NAMES[1]}

    # Quarter 1: an approval never acknowledged nor paid (an earlier breach at the end
    # of Q2), and requests decided in Q2.
    r["R5"] = submit(a1, D(2026, 6, 10), amount=Decimal("5000.00"))
    r["R1"] = submit(a1, D(2026, 6, 19), amount=Decimal("4500.00"))
    r["R2"] = submit(a1, D(2026, 6, 25), amount=Decimal("5000.00"))
    m0 = meeting(chair, cos_a, D(2026, 6, 30), made_on=D(2026, 6, 1))
    m1 = meeting(chair, cos_a, D(2026, 7, 1), made_on=D(2026, 6, 1))
    decide(chair, m0, r["R5"], "approved")
    with clock(D(2026, 6, 30)):
        attendance_record(
            actor=chair,
            meeting_id=m0.pk,
            entries=[
                AttendanceEntry(a1.pk, "attended", "Pat Head"),
                AttendanceEntry(a2.pk, "absent"),
            ],
        )
    # Received on the quarter's boundaries, by the clock in Kent.
    r["R0"] = submit(
        a1,
        D(2026, 6, 30),
        hour=23,
        minute=30,
        amount=Decimal("7300.00"),
        start_date=D(2027, 1, 1),
        end_date=D(2027, 12, 31),
        **name,
    )
    r["R3"] = submit(a1, D(2026, 7, 1), hour=0, minute=30, amount=Decimal("4000.00"))
    # 1 July, the quarter's first day.
    decide(chair, m1, r["R0"], "approved")
    decide(chair, m1, r["R1"], "declined", reason="Needs met from the school's own budget")
    decide(chair, m1, r["R2"], "deferred", reason="Waiting for the therapy report")
    with clock(D(2026, 7, 1)):
        attendance_record(
            actor=chair,
            meeting_id=m1.pk,
            entries=[
                AttendanceEntry(a1.pk, "attended", "Pat Head"),
                AttendanceEntry(a2.pk, "represented", represented_by_id=a1.pk),
            ],
        )
    with clock(D(2026, 7, 3)):
        acknowledged(r["R0"], officer=officer)
    r["R4"] = submit(
        a2,
        D(2026, 7, 15),
        amount=Decimal("6000.00"),
        primary_need="ASD",
        year_group="8",
    )
    # Brookfield: one request, approved.
    r["RB"] = submit(b1, D(2026, 7, 1), amount=Decimal("4000.00"))
    mb = meeting(chair_b, cos_b, D(2026, 7, 10), made_on=D(2026, 7, 2))
    decide(chair_b, mb, r["RB"], "approved")
    # Elsewhere (another area): never in the North area's figures.
    r["RE"] = submit(e1, D(2026, 7, 2), amount=Decimal("9000.00"))
    me = meeting(chair_e, cos_other, D(2026, 7, 20), made_on=D(2026, 7, 2))
    decide(
        chair_e,
        me,
        r["RE"],
        "approved",
        confirm_over_budget=True,
        over_budget_reason="Tribunal order",
    )

    exceptional = {
        "is_exceptional": True,
        "exceptional_reason": "sudden_change",
        "exceptional_why_now": "Support cannot wait for the next meeting.",
    }
    r["R7"] = submit(a1, D(2026, 8, 10), amount=Decimal("10000.00"), **exceptional)
    with clock(D(2026, 8, 10)):
        paid(
            r["R0"],
            "7300.00",
            officer=officer,
            paid_on=D(2026, 8, 10),
            finance_reference="FIN-1",
            method="one_off",
        )
    with clock(D(2026, 8, 12)):
        interim_decided(r["R7"], chair=chair, award=Award(outcome="approved", reason=""))
    with clock(D(2026, 8, 20)):
        acknowledged(r["R7"], officer=officer)
    r["R11"] = submit(a1, D(2026, 9, 1), amount=Decimal("2500.00"))
    r["R12"] = submit(a1, D(2026, 9, 1), amount=Decimal("2500.00"))
    m2 = meeting(chair, cos_a, D(2026, 9, 30), made_on=D(2026, 9, 1))
    r["R8"] = submit(a1, D(2026, 9, 14), amount=Decimal("2000.00"), **exceptional)
    with clock(D(2026, 9, 15)):
        interim_decided(r["R8"], chair=chair, award=Award(outcome="approved", reason=""))
    r["R6"] = submit(a1, D(2026, 9, 20), amount=Decimal("3000.00"))
    m3 = meeting(chair, cos_a, D(2026, 10, 1), made_on=D(2026, 9, 20))

    # 30 September, the quarter's last day.
    decide(chair, m2, r["R2"], "part_approved", amount=Decimal("3000.00"))
    decide(chair, m2, r["R3"], "more_information", reason="Send the latest review")
    decide(chair, m2, r["R4"], "approved")
    decide(chair, m2, r["R11"], "approved")
    decide(chair, m2, r["R12"], "approved")
    with clock(D(2026, 9, 30)):
        item = AgendaItem.objects.get(meeting=m2, request=r["R7"])
        decision_revise(
            actor=chair,
            item_id=item.pk,
            award=Award(outcome="", amount=Decimal("8000.00"), reason="Fewer hours needed"),
        )
        attendance_record(
            actor=chair, meeting_id=m2.pk, entries=[AttendanceEntry(a1.pk, "apologies")]
        )
    r["R9"] = submit(a1, D(2026, 9, 30), hour=23, minute=30, amount=Decimal("1500.00"))
    r["R10"] = submit(a1, D(2026, 10, 1), hour=0, minute=30, amount=Decimal("1500.00"))
    decide(chair, m3, r["R6"], "approved")
    return s


# What the Q2 report must show for Ashdown CoS, worked out by hand.
ASHDOWN = {
    # R3 (1 July 00:30), R4, R7, R11, R12, R8, R6, R9 (30 September 23:30); not R0
    # (30 June 23:30), R10 (1 October 00:30) nor the June requests.
    "received": 8,
    "requested_amount": Decimal("31500.00"),  # 4000+6000+10000+2500+2500+2000+3000+1500
    "exceptional": 2,  # R7, R8
    # 1 July: R0 approved, R1 declined, R2 deferred; 12 August R7 and 15 September R8
    # (interim); 30 September: R2 part-approved, R3 more information, R4, R11, R12
    # approved, and R7 revised (a revision, not a decision).
    "outcomes": {
        "approved": 6,
        "part_approved": 1,
        "declined": 1,
        "deferred": 1,
        "more_information": 1,
    },
    "decided": 10,
    "interim": 2,
    "revisions": 1,
    # R0 7300, R8 2000, R2 3000, R4 6000, R11 2500, R12 2500, R7 revised 8000 (its
    # interim £10,000 replaced).
    "approved_count": 7,
    "approved_amount": Decimal("31300.00"),
    # Approval rate: 7 awards among 8 final decisions (deferral, more information out).
    "approval_rate": Decimal("0.875"),
    # Working days from first submission to decision: R0 1, R1 8, R2 68, R4 54, R7 2,
    # R8 1, R11 21, R12 21: median of 8 values = (8 + 21) / 2.
    "median_days_to_decision": 14.5,
    # Budget 2026-27 as at 30 September: committed R5 5000 + R0 1800 (90 of its 365
    # days fall before 1 April 2027) + R7 8000 (the £10,000 cancelled on 30 September)
    # + R8 2000 + R2 3000 + R4 6000 + R11 2500 + R12 2500; R6 (1 October) not yet.
    "budget_total": Decimal("100000.00"),
    "committed": Decimal("30800.00"),
    "paid": Decimal("7300.00"),
    "remaining": Decimal("69200.00"),
    "funded_pupils": 8,
    "spend_per_funded_pupil": Decimal("3850.00"),
}
