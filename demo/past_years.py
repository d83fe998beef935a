"""About two financial years of the first area's past, before the demo's recent activity
(``demo.activity``), so that the Area Board's pages, the budget pages and the quarterly
reports show two years of use: every CoS of the area meets about every half term, its
schools send requests some two weeks before each meeting, the meeting decides them, the
officer acknowledges the awards and pays them, and KCC's monthly budget updates follow.

Everything is made through the services, each call as on its day (``as_on``): the story
is planned first, then told in date order, so that ids, references and timelines follow
the calendar as they would in life. The first CoS (the demo chair's) has the richest
history; the others fewer requests a meeting. Fixed random seed: two runs tell the same
story. Nothing is dated after today except the ends of awards.

The demo SENCO's school has no past requests: the demo's own activity gives that SENCO
the decisions they are meant to find among their notifications (and only those).
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from budgets.models import CosBudget, SchoolBudget
from budgets.payment_clock import PAYMENT_WORKING_DAYS
from budgets.selectors import award_paid
from budgets.statements import first_working_day, statement_email, statements_create
from communities.models import CommunityOfSchools, RoleAssignment, School, User
from kentlocality.financial_years import financial_year_of
from kentlocality.workdays import add_working_days, is_working_day
from requests.models import AgendaItem, ResourceRequest
from requests.notifications.delivery import notifications_purge
from requests.notifications.services import notifications_mark_all_read
from requests.services import (
    agenda_add,
    attendance_record,
    decision_ratify,
    decision_record,
    handoff_acknowledge,
    interim_decision_record,
    meeting_close,
    meeting_create,
    payment_record,
    request_submit,
    request_update,
)
from requests.services.decisions import Award
from requests.services.meetings import AttendanceEntry, member_schools

from .activity import (
    as_on,
    community_sencos,
    held_meeting_day,
    submitted_request,
    working_days_before,
)
from .history import NEED_WEIGHTS, NEEDS

HISTORY_DAYS = 2 * 365 + 14
# No past meeting in the four weeks before the demo's held meeting, whose requests are
# sent ten working days before it.
QUIET_DAYS = 28
# About every half term: (month, day) around which each CoS sets its meeting.
MEETING_DAYS = [(1, 28), (3, 18), (5, 20), (7, 8), (10, 8), (12, 4)]
PUPIL_FIRST_NAMES = [
    "Aaliyah", "Alfie", "Amara", "Archie", "Ava", "Bilal", "Caleb", "Chloe", "Daisy", "Dylan",
    "Eliza", "Ellis", "Esme", "Ethan", "Finley", "Georgia", "Hamza", "Harper", "Ibrahim", "Imogen",
    "Jacob", "Kai", "Lena", "Leo", "Lucas", "Mason", "Millie", "Nadia", "Nathan", "Olivia",
    "Phoebe", "Riley", "Rosie", "Ruby", "Samuel", "Sofia", "Teddy", "Theo", "Willow", "Zain",
]  # fmt: skip
PUPIL_LAST_NAMES = [
    "Ahmed", "Ali", "Bailey", "Bennett", "Carter", "Chapman", "Cole", "Cooper", "Dixon", "Doyle",
    "Ellis", "Fox", "Gray", "Hart", "Hayes", "Hunt", "Kaur", "Kelly", "Kowalski", "Lane",
    "Lloyd", "Mason", "Mills", "Murphy", "Nowak", "Okafor", "Palmer", "Price", "Quinn", "Reid",
    "Russell", "Shaw", "Singh", "Stone", "Ward", "Webb", "West", "Young",
]  # fmt: skip
PRIMARY_YEARS = ["R", "1", "2", "3", "4", "5", "6"]
SECONDARY_YEARS = ["7", "8", "9", "10", "11"]
# A meeting's first say on a request; a request deferred or returned for more
# information is decided at the next meeting (approved, part-approved or declined).
FIRST_OUTCOMES = ["approved", "part_approved", "declined", "deferred", "more_information"]
FIRST_WEIGHTS = [56, 14, 12, 8, 10]
FINAL_OUTCOMES = ["approved", "part_approved", "declined"]
FINAL_WEIGHTS = [66, 18, 16]
REASONS = {
    "part_approved": [
        "The school's notional SEN budget can fund part of the support.",
        "Approved for the spring and summer terms; the autumn term is met by the school.",
        "The specialist resources are approved; the extra staffing is met by the school.",
    ],
    "declined": [
        "The needs described can be met from the school's own provision.",
        "The graduated approach has not yet been followed for two terms.",
        "Better met by the Specialist Teaching and Learning Service's outreach.",
    ],
    "deferred": [
        "The CoS asked for the educational psychologist's report first.",
        "Deferred until the pupil's annual review next month.",
    ],
    "more_information": [
        "Please add the latest review notes.",
        "Please say what the school's notional SEN budget already funds for this pupil.",
        "Please add the costed provision map.",
    ],
}
PART_SHARES = [Decimal("0.5"), Decimal("0.6"), Decimal("0.75")]
READERS = ["chair@example.org", "officer@example.org", "board@example.org"]
REQUESTING_SCHOOLS = 4  # in each CoS but the first
PLACES = ["meeting room 1", "the library", "the school hall", "the staff room"]


@dataclass
class PastYearsCounts:
    meetings: int = 0
    requests: int = 0
    decisions: Counter = field(default_factory=Counter)
    interim: int = 0
    payments: int = 0
    statements: int = 0


@dataclass
class Case:
    """One request's story: who sends it, and what each meeting says of it."""

    school: School
    senco: User
    pupil: tuple[str, str, str, str]
    exceptional: bool = False
    request_id: int | None = None
    item_id: int | None = None
    outcomes: list[str] = field(default_factory=list)  # one a meeting, drawn when planned


class _Story:
    """The past planned as calls to the services, each at a moment, then told in order."""

    def __init__(self, today: dt.date) -> None:
        self.rng = random.Random(2024)
        self.today = today
        self.start = today - dt.timedelta(days=HISTORY_DAYS)
        self.officer = User.objects.get(email="officer@example.org")
        # A heap of (day, hour, order planned, call).
        self.calendar: list[tuple[dt.date, int, int, Callable[[], None]]] = []
        self.order = itertools.count()
        self.counts = PastYearsCounts()
        self.pupils_used: set[tuple[str, str]] = set()

    def at(self, day: dt.date, hour: int, call: Callable[[], None]) -> None:
        if day < self.today:  # nothing is dated after today; what would be, has not happened
            heapq.heappush(self.calendar, (day, hour, next(self.order), call))

    def tell(self) -> None:
        """Make the calls in date order; a call may plan more (a meeting, its agenda)."""
        while self.calendar:
            day, hour, _, call = heapq.heappop(self.calendar)
            with as_on(day, hour):
                call()

    # Planning -----------------------------------------------------------------------
    def meeting_days(self, until: dt.date) -> list[dt.date]:
        days = []
        for year in range(self.start.year, self.today.year + 1):
            for month, day in MEETING_DAYS:
                when = dt.date(year, month, day) + dt.timedelta(days=self.rng.randint(-5, 5))
                while not is_working_day(when):
                    when += dt.timedelta(days=1)
                if self.start + dt.timedelta(days=21) <= when <= until:
                    days.append(when)
        return days

    def pupil(self, school: School) -> tuple[str, str, str, str]:
        while True:
            name = (self.rng.choice(PUPIL_FIRST_NAMES), self.rng.choice(PUPIL_LAST_NAMES))
            if name not in self.pupils_used:
                self.pupils_used.add(name)
                break
        years = SECONDARY_YEARS if school.phase == School.Phase.SECONDARY else PRIMARY_YEARS
        return (*name, self.rng.choice(years), self.rng.choices(NEEDS, NEED_WEIGHTS)[0])

    def community(
        self, community: CommunityOfSchools, schools, sencos, *, rich: bool, until: dt.date
    ) -> None:
        """Plan one CoS's meetings up to ``until``, the requests they decide and, after
        the last, a few requests waiting for the next."""
        rng = self.rng
        chair = community.chair
        members = list(member_schools(community.pk))
        place = f"{rng.choice(members).name}, {rng.choice(PLACES)}"
        days = self.meeting_days(until)
        carried: list[Case] = []  # deferred or returned for more information
        previous = self.start
        for index, held_on in enumerate(days):
            last = index == len(days) - 1
            cases = list(carried)
            for _ in range(rng.randint(7, 10) if rich else rng.randint(2, 3)):
                school = rng.choice(schools)
                case = Case(school=school, senco=sencos[school.pk], pupil=self.pupil(school))
                sent = working_days_before(held_on, rng.randint(9, 12))
                self.at(
                    max(sent, previous + dt.timedelta(days=1)),
                    rng.randint(9, 15),
                    self._submit(case),
                )
                cases.append(case)
            self.at(
                working_days_before(held_on, 15),
                9,
                self._meeting(community, chair, held_on, place, cases, members),
            )
            previous = held_on
            carried = []
            if rich and not last and rng.random() < 0.4:
                self._interim(community, chair, schools, sencos, held_on, days[index + 1])
            # What each case comes to is drawn when the meeting is planned, so that a
            # request carried over is on the next meeting's agenda.
            for case in cases:
                if last or case.outcomes:
                    outcome = rng.choices(FINAL_OUTCOMES, FINAL_WEIGHTS)[0]
                else:
                    outcome = rng.choices(FIRST_OUTCOMES, FIRST_WEIGHTS)[0]
                case.outcomes.append(outcome)
                if outcome == "more_information":
                    self.at(add_working_days(held_on, rng.randint(3, 8)), 10, self._resubmit(case))
                if outcome in ("deferred", "more_information"):
                    carried.append(case)
                elif outcome in ("approved", "part_approved"):
                    self._fund(case, held_on, recent=last)
        for _ in range(0 if rich else rng.randint(1, 2)):  # the first's are the demo's own
            school = rng.choice(schools)
            case = Case(school=school, senco=sencos[school.pk], pupil=self.pupil(school))
            sent = add_working_days(previous, rng.randint(2, 8))
            self.at(sent, rng.randint(9, 15), self._submit(case))

    def _interim(self, community, chair, schools, sencos, after: dt.date, before: dt.date) -> None:
        """An exceptional request between two meetings: decided by the chair, ratified at
        the next meeting."""
        rng = self.rng
        school = rng.choice(schools)
        case = Case(
            school=school, senco=sencos[school.pk], pupil=self.pupil(school), exceptional=True
        )
        sent = add_working_days(after, rng.randint(5, 15))
        if sent >= working_days_before(before, 16):  # before the next meeting is called
            return
        outcome = rng.choices(FINAL_OUTCOMES, [70, 15, 15])[0]
        decided = add_working_days(sent, rng.randint(1, 2))
        self.at(sent, 11, self._submit(case))
        self.at(decided, 12, self._decide_interim(case, chair, outcome))
        if outcome in ("approved", "part_approved"):
            self._fund(case, decided)

    def _fund(self, case: Case, decided: dt.date, *, recent: bool = False) -> None:
        """The officer acknowledges the hand-off (mostly within the 3 working days, now and
        then late) and pays: mostly within 30 days, some later, some in two instalments;
        a few recent awards are not paid yet."""
        rng = self.rng
        acknowledged = add_working_days(
            decided, rng.choices([1, 2, 3, 4, 6], [40, 30, 18, 8, 4])[0]
        )
        self.at(acknowledged, 11, self._acknowledge(case))
        late = rng.random() < 0.15
        first = decided + dt.timedelta(days=rng.randint(35, 65) if late else rng.randint(8, 28))
        first = max(first, acknowledged + dt.timedelta(days=1))
        not_yet_due = add_working_days(decided, PAYMENT_WORKING_DAYS) >= self.today
        if (not_yet_due and rng.random() < 0.6) or (recent and rng.random() < 0.2):
            return  # still to come (some of the last meeting's, overdue)
        if rng.random() < 0.2:
            second = first + dt.timedelta(days=rng.randint(60, 120))
            self.at(first, 14, self._pay(case, half=True, paid_on=first))
            self.at(second, 14, self._pay(case, half=False, paid_on=second))
        else:
            self.at(first, 14, self._pay(case, half=False, paid_on=first))

    # The calls, as on their days ---------------------------------------------------------
    def _submit(self, case: Case) -> Callable[[], None]:
        def submit() -> None:
            extra = {}
            if case.exceptional:
                extra = {
                    "is_exceptional": True,
                    "exceptional_reason": "new_admission",
                    "exceptional_why_now": "The pupil has just joined the school and cannot wait for the next meeting.",
                }
            request = submitted_request(self.rng, case.senco, case.school, case.pupil, **extra)
            case.request_id = request.pk
            self.counts.requests += 1

        return submit

    def _resubmit(self, case: Case) -> Callable[[], None]:
        def resubmit() -> None:
            request_update(
                actor=case.senco,
                request_id=case.request_id,
                values={
                    "graduated_review": "Reviewed each term: the latest review notes and costed provision map are attached."
                },
            )
            request_submit(actor=case.senco, request_id=case.request_id, declaration=True)

        return resubmit

    def _meeting(self, community, chair, held_on, place, cases, members) -> Callable[[], None]:
        rng = self.rng
        statuses = [
            rng.choices(["attended", "represented", "apologies", "absent"], [82, 6, 9, 3])[0]
            for _ in members
        ]

        def call() -> None:
            meeting = meeting_create(
                actor=chair,
                community=community,
                date=held_on,
                start_time=dt.time(16, 0),
                place=place,
            )
            self.counts.meetings += 1
            self.at(working_days_before(held_on, 7), 10, self._agenda(chair, meeting.pk, cases))
            self.at(held_on, 17, self._decide(chair, meeting.pk, cases, members, statuses))

        return call

    def _agenda(self, chair, meeting_id: int, cases: list[Case]) -> Callable[[], None]:
        def call() -> None:
            for case in cases:
                case.item_id = agenda_add(
                    actor=chair, meeting_id=meeting_id, request_id=case.request_id
                ).pk

        return call

    def _decide(self, chair, meeting_id, cases, members, statuses) -> Callable[[], None]:
        def call() -> None:
            for item in AgendaItem.objects.filter(
                meeting_id=meeting_id, kind=AgendaItem.Kind.RATIFICATION
            ):
                decision_ratify(actor=chair, item_id=item.pk)
            for case in cases:
                outcome = case.outcomes.pop(0)
                decision_record(actor=chair, item_id=case.item_id, award=self._award(case, outcome))
                self.counts.decisions[outcome] += 1
            entries = []
            for school, status in zip(members, statuses, strict=True):
                if status == "represented":
                    others = [s for s in members if s.pk != school.pk]
                    entries.append(
                        AttendanceEntry(
                            school.pk, status, represented_by_id=self.rng.choice(others).pk
                        )
                    )
                else:
                    entries.append(
                        AttendanceEntry(
                            school.pk,
                            status,
                            representative_name="SENCO" if status == "attended" else "",
                        )
                    )
            attendance_record(actor=chair, meeting_id=meeting_id, entries=entries)
            meeting_close(actor=chair, meeting_id=meeting_id)

        return call

    def _award(self, case: Case, outcome: str) -> Award:
        rng = self.rng
        award = Award(
            outcome=outcome, confirm_over_budget=True, over_budget_reason="Agreed at the meeting"
        )
        if outcome in REASONS:
            award.reason = rng.choice(REASONS[outcome])
        if outcome in ("approved", "part_approved"):
            request = ResourceRequest.objects.get(pk=case.request_id)
            # A request decided after a deferral starts when it is decided, for as long.
            award.start_date = max(request.start_date, timezone.localdate())
            award.end_date = award.start_date + (request.end_date - request.start_date)
            if outcome == "part_approved":
                award.amount = (request.amount * rng.choice(PART_SHARES)).quantize(Decimal("1"))
        return award

    def _decide_interim(self, case: Case, chair, outcome: str) -> Callable[[], None]:
        def call() -> None:
            award = self._award(case, outcome)
            award.over_budget_reason = "Agreed by the chair"
            interim_decision_record(actor=chair, request_id=case.request_id, award=award)
            self.counts.interim += 1
            self.counts.decisions[outcome] += 1

        return call

    def _acknowledge(self, case: Case) -> Callable[[], None]:
        def call() -> None:
            handoff_acknowledge(actor=self.officer, request_id=case.request_id)

        return call

    def _pay(self, case: Case, *, half: bool, paid_on: dt.date) -> Callable[[], None]:
        def call() -> None:
            request = ResourceRequest.objects.select_related("decision").get(pk=case.request_id)
            owed = request.decision.amount - award_paid(request.reference)
            amount = (request.decision.amount / 2).quantize(Decimal("0.01")) if half else owed
            self.counts.payments += 1
            payment_record(
                actor=self.officer, request_id=request.pk, amount=amount, paid_on=paid_on,
                finance_reference=f"HNF{paid_on:%y%m}-{request.pk:05d}", method="one_off",
            )  # fmt: skip

        return call

    def read_up_to(self, day: dt.date) -> None:
        """The demo's chair, officer and board member have read what they were told before
        ``day`` (the demo SENCO's notifications are the demo's own: unread)."""

        def call() -> None:
            for user in User.objects.filter(email__in=READERS):
                notifications_mark_all_read(user=user)

        self.at(day, 20, call)

    def statements(self, community_ids: list[int]) -> None:
        """KCC's monthly budget updates for the area's CoS, each made on the first working
        day of the next month and emailed to the chair."""
        month = (self.start + dt.timedelta(days=31)).replace(day=1)
        while True:
            issued = first_working_day((month + dt.timedelta(days=31)).replace(day=1))
            if issued >= self.today:
                break

            def call(month: dt.date = month) -> None:
                made = statements_create(month, community_ids)
                for statement_id in made:
                    statement_email(statement_id=statement_id)
                self.counts.statements += len(made)

            self.at(issued, 7, call)
            month = (month + dt.timedelta(days=31)).replace(day=1)


def _past_budgets(
    communities: list[CommunityOfSchools], first_year: int, rng: random.Random
) -> None:
    """Budgets for the years the history reaches before the demo's own (last, this and
    next year: ``demo.places.seed_budgets``)."""
    years = range(first_year, financial_year_of(timezone.localdate()) - 1)
    CosBudget.objects.bulk_create(
        [
            CosBudget(community=c, year=y, total=Decimal(rng.randrange(300, 700) * 1000))
            for c in communities
            for y in years
        ],
        ignore_conflicts=True,
    )
    SchoolBudget.objects.bulk_create(
        [
            SchoolBudget(
                school=school,
                year=year,
                notional_sen_budget=Decimal(rng.randrange(40, 400) * 1000),
                historic_hnf_allocation=Decimal(rng.randrange(0, 120) * 1000),
            )
            for school in School.objects.filter(
                community__in=communities, kind=School.Kind.MAINSTREAM
            )
            for year in years
        ],
        ignore_conflicts=True,
    )


def _sencos_at(schools: list[School]) -> dict[int, User]:
    """A SENCO at each of these schools (``{school id: user}``), made when missing as
    ``demo.history`` makes them: senco.<URN>@example.org, who cannot sign in."""
    found = {
        r.school_id: r.user
        for r in RoleAssignment.objects.filter(role=RoleAssignment.Role.SENCO, school__in=schools)
        .select_related("user")
        .order_by("pk")
    }
    missing = [s for s in schools if s.pk not in found]
    unusable = make_password(None)
    User.objects.bulk_create(
        [
            User(
                email=f"senco.{s.urn}@example.org",
                full_name=f"SENCO of {s.name}"[:150],
                password=unusable,
                job_title="SENCO",
            )
            for s in missing
        ]
    )
    made = User.objects.in_bulk([f"senco.{s.urn}@example.org" for s in missing], field_name="email")
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(
                user=made[f"senco.{s.urn}@example.org"], role=RoleAssignment.Role.SENCO, school=s
            )
            for s in missing
        ]
    )
    return {s.pk: found.get(s.pk) or made[f"senco.{s.urn}@example.org"] for s in schools}


@transaction.atomic
def seed_past_years() -> PastYearsCounts:
    """Tell the first area's last two years (see the module docstring). Call once, on the
    demo's places and people, before ``seed_activity``."""
    today = timezone.localdate()
    story = _Story(today)
    # The first CoS's past stops short of the demo's held meeting; the others' runs to
    # yesterday.
    first_until = held_meeting_day(today) - dt.timedelta(days=QUIET_DAYS)
    first = CommunityOfSchools.objects.order_by("pk").first()
    communities = list(CommunityOfSchools.objects.filter(area=first.area_id).order_by("pk"))
    _past_budgets(communities, financial_year_of(story.start), story.rng)
    demo_school = community_sencos(first)[0][1]
    for community in communities:
        schools = [s for s in member_schools(community.pk).order_by("pk") if s != demo_school]
        rich = community.pk == first.pk
        if not rich:
            # Most requests of a CoS come from a few of its schools. Only those have a
            # SENCO here: everyone a meeting tells is one more notification to write.
            schools = story.rng.sample(schools, min(REQUESTING_SCHOOLS, len(schools)))
        story.community(
            community,
            schools,
            _sencos_at(schools),
            rich=rich,
            until=first_until if rich else today - dt.timedelta(days=1),
        )
    story.statements([c.pk for c in communities])
    story.read_up_to(first_until)
    story.tell()
    # The nightly purge has kept the last 12 months of notifications.
    with as_on(today - dt.timedelta(days=1), 23):
        notifications_purge()
    return story.counts
