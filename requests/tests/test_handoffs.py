"""The hand-off of approved requests to the area's HNF Monitoring Officer: due dates,
exactly one email, acknowledgement, escalation and breaches. Tasks run eagerly here; the
real worker is in tests/test_reliability.py."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from communities.tests.factories import (
    CommunityFactory,
    SchoolFactory,
    UserFactory,
    area,
    make_kcc,
    make_officer,
)
from kentlocality.tests.factories import ClosureDayFactory
from kentlocality.workdays import add_working_days, clear_closure_cache, is_working_day
from requests.models import Handoff
from requests.services import RequestError, handoff_acknowledge, handoff_send
from requests.services.handoffs import (
    escalation_due,
    handoff_due_dates,
    handoff_escalate,
    handoff_flag_breaches,
    unsent_handoffs,
)
from requests.tasks import handoff_deadline_check, handoff_sweep
from requests.workflow import Status
from tests.worlds.steps import approved, decided

pytestmark = pytest.mark.django_db

D = dt.date


def identity_of(request) -> list[str]:
    return [request.first_name, request.last_name, request.upn, f"{request.date_of_birth:%Y}"]


def all_text(message) -> str:
    return message.subject + message.body + message.alternatives[0][0]


def working_day_before(day: dt.date, n: int = 1) -> dt.date:
    """The working day n working days before day."""
    candidate = day - dt.timedelta(days=1)
    while not (is_working_day(candidate) and add_working_days(candidate, n) == day):
        candidate -= dt.timedelta(days=1)
    return candidate


def handoff_emails(mailoutbox) -> list:
    """The hand-off emails (submission confirmations to the SENCO are left out)."""
    return [m for m in mailoutbox if m.subject.startswith("Approved Request for Resource")]


@pytest.mark.parametrize(
    ("decided", "due", "payment_due"),
    [
        # An ordinary week: Monday + 3 is Thursday.
        (D(2026, 11, 23), D(2026, 11, 26), D(2027, 1, 7)),
        # Christmas: Friday 25 and Monday 28 (Boxing Day observed) are not working days.
        (D(2026, 12, 24), D(2026, 12, 31), D(2027, 2, 9)),
        # Across the year end and New Year's Day.
        (D(2026, 12, 30), D(2027, 1, 5), D(2027, 2, 11)),
        # Easter 2027 and the financial year end: Good Friday and Easter Monday skipped.
        (D(2027, 3, 25), D(2027, 4, 1), D(2027, 5, 11)),
        # A decision on a Saturday: neither it nor the Sunday counts.
        (D(2026, 12, 5), D(2026, 12, 9), D(2027, 1, 20)),
        # Payment across Christmas and New Year: 30 working days.
        (D(2026, 12, 7), D(2026, 12, 10), D(2027, 1, 21)),
    ],
)
def test_due_dates_count_working_days_after_the_decision(decided, due, payment_due):
    assert handoff_due_dates(decided, "one_off") == (due, payment_due)


def test_a_closure_day_moves_the_due_date():
    assert handoff_due_dates(D(2026, 11, 23), "one_off")[0] == D(2026, 11, 26)
    ClosureDayFactory(date=D(2026, 11, 25))
    clear_closure_cache()
    try:
        assert handoff_due_dates(D(2026, 11, 23), "one_off")[0] == D(2026, 11, 27)
    finally:
        clear_closure_cache()


def test_approval_emails_the_areas_officers_once_without_pupil_identity(
    mailoutbox, django_capture_on_commit_callbacks
):
    officer = make_officer(area("North"))
    make_officer(area("East"))  # another area's officer hears nothing
    with django_capture_on_commit_callbacks(execute=True):
        request = approved()
    handoff = Handoff.objects.get(request=request)
    today = timezone.localdate()
    assert (handoff.decision_date, handoff.due_date, handoff.payment_due_date) == (
        today,
        *handoff_due_dates(today, "one_off"),
    )
    assert handoff.sent_at is not None and handoff.attempts == 1
    request.refresh_from_db()
    assert request.status == Status.WITH_OFFICER
    assert request.events.filter(action="hand_off").count() == 1
    assert len(handoff_emails(mailoutbox)) == 1
    message = handoff_emails(mailoutbox)[0]
    assert message.to == [officer.email]
    assert request.reference in message.body
    assert f"/requests/{request.pk}/" in message.body
    assert f"{handoff.due_date.day} {handoff.due_date:%B %Y}" in message.body
    for identity in identity_of(request):
        assert identity not in all_text(message)


def test_a_part_approval_is_handed_off_too(mailoutbox, django_capture_on_commit_callbacks):
    make_officer(area("North"))
    with django_capture_on_commit_callbacks(execute=True):
        request = decided("part_approved", amount=Decimal("5000.00"))
    assert request.handoff.sent_at is not None
    assert len(handoff_emails(mailoutbox)) == 1


def test_sending_twice_sends_one_email(mailoutbox):
    make_officer(area("North"))
    request = approved()  # on-commit callbacks are not run: nothing sent yet
    handoff = request.handoff
    assert handoff_send(handoff_id=handoff.pk) is True
    assert handoff_send(handoff_id=handoff.pk) is False
    assert len(mailoutbox) == 1
    handoff.refresh_from_db()
    assert handoff.attempts == 1


def test_a_claim_in_progress_blocks_another_sender_until_its_lease_ends(mailoutbox, settings):
    make_officer(area("North"))
    request = approved()
    handoff = request.handoff
    # Another worker claimed it a moment ago and is still sending.
    Handoff.objects.filter(pk=handoff.pk).update(send_claimed_at=timezone.now())
    assert handoff_send(handoff_id=handoff.pk) is False
    assert unsent_handoffs() == []
    assert mailoutbox == []
    # That worker died: after the lease the hand-off is taken over and sent once.
    expired = timezone.now() - dt.timedelta(seconds=settings.HANDOFF_CLAIM_LEASE_SECONDS + 1)
    Handoff.objects.filter(pk=handoff.pk).update(send_claimed_at=expired)
    assert unsent_handoffs() == [handoff.pk]
    assert handoff_send(handoff_id=handoff.pk) is True
    assert len(mailoutbox) == 1


def test_a_mail_server_failure_gives_the_claim_back_for_a_retry(mailoutbox, settings):
    make_officer(area("North"))
    request = approved()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    with pytest.raises(OSError):
        handoff_send(handoff_id=request.handoff.pk)
    handoff = Handoff.objects.get(pk=request.handoff.pk)
    assert handoff.sent_at is None and handoff.send_claimed_at is None
    assert handoff.last_error
    assert unsent_handoffs() == [handoff.pk]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert handoff_send(handoff_id=handoff.pk) is True
    handoff.refresh_from_db()
    assert handoff.attempts == 2 and handoff.last_error == ""
    assert len(mailoutbox) == 1


def test_an_area_with_no_officer_keeps_the_hand_off_waiting(mailoutbox):
    request = approved()
    handoff = request.handoff
    assert handoff_send(handoff_id=handoff.pk) is False
    handoff.refresh_from_db()
    assert handoff.sent_at is None and handoff.send_claimed_at is None
    assert "No active HNF Monitoring Officer" in handoff.last_error
    assert mailoutbox == []
    officer = make_officer(area("North"))
    assert handoff_sweep() == 1  # the sweep queues it; eager tasks send it now
    assert [m.to for m in mailoutbox] == [[officer.email]]
    assert handoff_sweep() == 0


def test_acknowledging_moves_the_request_and_stops_a_later_email(mailoutbox):
    officer = make_officer(area("North"))
    request = approved()  # the email has not gone yet
    handoff = handoff_acknowledge(actor=officer, request_id=request.pk)
    request.refresh_from_db()
    assert request.status == Status.ACKNOWLEDGED
    assert [e.action for e in request.events.order_by("pk")][-2:] == ["hand_off", "acknowledge"]
    assert handoff.acknowledged_by == officer and handoff.sent_at is not None
    assert handoff.breached_at is None
    assert handoff_send(handoff_id=handoff.pk) is False
    assert mailoutbox == []
    with pytest.raises(RequestError, match="already been acknowledged"):
        handoff_acknowledge(actor=officer, request_id=request.pk)


def test_only_the_areas_officer_acknowledges():
    request = approved()
    with pytest.raises(PermissionDenied):
        handoff_acknowledge(actor=make_officer(area("East")), request_id=request.pk)
    with pytest.raises(PermissionDenied):
        handoff_acknowledge(actor=request.created_by, request_id=request.pk)


def test_a_late_acknowledgement_is_flagged_as_a_breach():
    officer = make_officer(area("North"))
    request = approved()
    Handoff.objects.filter(request=request).update(due_date=timezone.localdate() - dt.timedelta(1))
    handoff = handoff_acknowledge(actor=officer, request_id=request.pk)
    assert handoff.breached_at is not None


def test_escalation_comes_one_working_day_before_the_due_date():
    request = approved()
    due = request.handoff.due_date
    assert escalation_due(working_day_before(due, 2)) == []
    assert escalation_due(working_day_before(due, 1)) == [request.handoff.pk]
    assert escalation_due(due) == [request.handoff.pk]
    assert escalation_due(due + dt.timedelta(days=10)) == [request.handoff.pk]


def test_escalation_reaches_the_areas_administrators_and_the_chair_once_without_pupil_identity(
    mailoutbox, django_capture_on_commit_callbacks
):
    kent_admin = make_kcc(email="kcc-admin@example.org")
    north_admin = make_kcc(area_=area("North"), email="north-admin@example.org")
    make_kcc(area_=area("East"), email="east-admin@example.org")
    make_kcc(email="old-admin@example.org", is_active=False)
    # Staff status alone makes nobody an administrator.
    UserFactory(email="staff@example.org", is_staff=True)
    make_officer(area("North"))
    request = approved()
    chair = request.community.chair
    handoff = request.handoff
    with django_capture_on_commit_callbacks(execute=True):
        assert handoff_escalate(handoff_id=handoff.pk) is True
    with django_capture_on_commit_callbacks(execute=True):
        assert handoff_escalate(handoff_id=handoff.pk) is False
    escalations = [m for m in mailoutbox if "not yet acknowledged" in m.subject]
    assert sorted(m.to[0] for m in escalations) == sorted(
        [kent_admin.email, north_admin.email, chair.email]
    )
    for message in escalations:
        assert request.reference in message.subject
        assert all(identity not in all_text(message) for identity in identity_of(request))
    # Administrators open the hand-off in the administration; the chair opens the request.
    by_person = {m.to[0]: m.body for m in escalations}
    assert f"/admin/requests/handoff/{handoff.pk}/" in by_person[north_admin.email]
    assert f"/requests/{request.pk}/" in by_person[chair.email]
    assert "/admin/" not in by_person[chair.email]
    assert escalation_due(handoff.due_date) == []


def test_an_acknowledged_hand_off_is_never_escalated(mailoutbox):
    make_kcc(email="kcc-admin@example.org")
    officer = make_officer(area("North"))
    request = approved()
    handoff_acknowledge(actor=officer, request_id=request.pk)
    assert escalation_due(request.handoff.due_date) == []
    assert handoff_escalate(handoff_id=request.handoff.pk) is False
    assert mailoutbox == []


def test_breaches_are_flagged_after_the_due_date_only_and_once():
    officer = make_officer(area("North"))
    late = approved()
    acknowledged = approved()
    handoff_acknowledge(actor=officer, request_id=acknowledged.pk)
    due = late.handoff.due_date
    assert handoff_flag_breaches(due) == 0  # on the due date it is not late yet
    assert handoff_flag_breaches(due + dt.timedelta(days=1)) == 1
    assert handoff_flag_breaches(due + dt.timedelta(days=2)) == 0
    assert Handoff.objects.get(request=late).breached_at is not None
    assert Handoff.objects.get(request=acknowledged).breached_at is None


def test_the_hourly_check_flags_breaches_and_escalates(
    mailoutbox, django_capture_on_commit_callbacks
):
    admin = make_kcc(email="kcc-admin@example.org")
    request = approved()
    chair = request.community.chair
    today = timezone.localdate()
    # Time has passed: the hand-off was due yesterday and nobody acknowledged it.
    Handoff.objects.filter(request=request).update(due_date=today - dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert handoff_deadline_check() == {"breached": 1, "escalations_queued": 1}
    told = sorted((m.to[0], m.subject.split(":")[0]) for m in mailoutbox)
    assert told == sorted(
        [
            (admin.email, "Late"),
            (chair.email, "Late"),
            (admin.email, f"Request for Resource {request.reference} not yet acknowledged"),
            (chair.email, f"Request for Resource {request.reference} not yet acknowledged"),
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert handoff_deadline_check() == {"breached": 0, "escalations_queued": 0}
    assert len(mailoutbox) == 4


def test_hand_offs_of_different_areas_go_to_their_own_officers(mailoutbox):
    north = make_officer(area("North"))
    east = make_officer(area("East"))
    approved(school=SchoolFactory(community=CommunityFactory(area=area("East"))))
    approved()
    assert handoff_sweep() == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted([north.email, east.email])
