"""Emails of notifications: at once after the change commits, once; in one summary each
working day; never to an address that is not confirmed; refused sends retried, then
marked failed and sent again by an administrator; the change never undone by a failure
to tell; kept 12 months. Tasks run eagerly here; the real worker is in
tests/test_notifications_reliability.py."""

from __future__ import annotations

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.utils import timezone

from communities.tests.factories import CommunityFactory, SchoolFactory, make_chair, make_senco
from kentlocality.tests.factories import ClosureDayFactory
from kentlocality.workdays import clear_closure_cache, is_working_day
from requests.models import DailySummary, Decision, Notification, NotificationPreference
from requests.notifications import delivery
from requests.notifications.delivery import (
    MAX_ATTEMPTS,
    notification_send,
    notifications_purge,
    summaries_prepare,
    summary_send,
    unsent,
)
from requests.notifications.models import EmailState, Kind, Timing
from requests.notifications.services import notifications_send_again
from requests.notifications.tasks import notification_email, notifications_sweep
from tests.worlds.steps import clock, decided, on_agenda, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def cos():
    community = CommunityFactory()
    school = SchoolFactory(community=community, name="Spring Primary School")
    return {"community": community, "school": school, "senco": make_senco(school),
            "chair": make_chair(community)}  # fmt: skip


def a_working_day(after: dt.date | None = None) -> dt.date:
    day = (after or timezone.localdate()) + dt.timedelta(days=1)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def test_an_at_once_notification_is_emailed_after_the_commit_once(
    cos, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = decided("declined", school=cos["school"], created_by=cos["senco"],
                          chair=cos["chair"], reason="Met from the school's own budget.")  # fmt: skip
    sent = [m for m in mail.outbox if m.to == [cos["senco"].email] and "declined" in m.subject]
    assert len(sent) == 1
    message = sent[0]
    assert message.subject == f"{request.reference} declined"
    assert f"http://127.0.0.1:8000/requests/{request.pk}/" in message.body
    html = message.alternatives[0][0]
    assert f'href="http://127.0.0.1:8000/requests/{request.pk}/"' in html
    assert "Reason: Met from the school&#x27;s own budget." in html
    assert "/notifications/preferences/" in message.body
    notification = Notification.objects.get(user=cos["senco"], kind=Kind.DECISION)
    assert notification.email_state == EmailState.SENT and notification.attempts == 1
    # Run again, as a redelivered task would: nothing more is sent.
    assert notification_send(notification_id=notification.pk) is False
    notification_email.delay(notification.pk)
    assert len([m for m in mail.outbox if "declined" in m.subject]) == 1


def test_nothing_is_emailed_when_the_change_rolls_back(cos, django_capture_on_commit_callbacks):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        submitted(school=cos["school"], created_by=cos["senco"])
        raise RuntimeError("the change failed after telling")
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_daily_summary_lists_each_waiting_item_once_and_marks_them_sent(
    cos, django_capture_on_commit_callbacks
):
    chair = cos["chair"]
    NotificationPreference.objects.create(user=chair, kind=Kind.REQUEST_SUBMITTED, timing="daily")
    with django_capture_on_commit_callbacks(execute=True):
        first = submitted(school=cos["school"], created_by=cos["senco"])
        second = submitted(school=cos["school"], created_by=cos["senco"])
    assert [m for m in mail.outbox if m.to == [chair.email]] == []  # nothing at once
    day = a_working_day()
    with django_capture_on_commit_callbacks(execute=True):
        queued = summaries_prepare(day)
    assert len(queued) == 1
    summaries = [m for m in mail.outbox if m.to == [chair.email]]
    assert len(summaries) == 1
    body = summaries[0].body
    assert "2 updates" in summaries[0].subject
    for request in (first, second):
        assert body.count(f"New request {request.reference} from Spring Primary School") == 1
        assert f"/requests/{request.pk}/" in body
    states = set(Notification.objects.filter(user=chair).values_list("email_state", flat=True))
    assert states == {EmailState.SENT}
    # The task run again, and a second run of the day: nothing more.
    summary = DailySummary.objects.get(user=chair)
    assert summary_send(summary_id=summary.pk) is False
    with django_capture_on_commit_callbacks(execute=True):
        assert summaries_prepare(day) == []
    # A request after today's summary waits for the next working day's.
    with django_capture_on_commit_callbacks(execute=True):
        # Another pupil: a request for the same pupil would name the open ones as possible
        # duplicates.
        third = submitted(school=cos["school"], created_by=cos["senco"], upn="U886200026002")
        assert summaries_prepare(day) == []
    with django_capture_on_commit_callbacks(execute=True):
        assert len(summaries_prepare(a_working_day(day))) == 1
    latest = [m for m in mail.outbox if m.to == [chair.email]][-1]
    assert "1 update" in latest.subject and third.reference in latest.body
    assert first.reference not in latest.body


def test_no_summary_is_made_on_a_day_that_is_not_a_working_day(cos):
    NotificationPreference.objects.create(
        user=cos["chair"], kind=Kind.REQUEST_SUBMITTED, timing="daily"
    )
    submitted(school=cos["school"], created_by=cos["senco"])
    saturday = timezone.localdate() + dt.timedelta(days=(5 - timezone.localdate().weekday()) % 7)
    assert summaries_prepare(saturday) == []
    closure = a_working_day()
    ClosureDayFactory(date=closure)
    clear_closure_cache()
    try:
        assert summaries_prepare(closure) == []
    finally:
        clear_closure_cache()
    assert not DailySummary.objects.exists()


def test_an_address_not_confirmed_is_not_emailed_and_says_why(
    cos, django_capture_on_commit_callbacks
):
    invited = make_senco(cos["school"])
    invited.set_unusable_password()  # invited, has not chosen a password yet
    invited.save()
    with django_capture_on_commit_callbacks(execute=True):
        decided("declined", school=cos["school"], created_by=cos["senco"], chair=cos["chair"])
    notification = Notification.objects.get(user=invited, kind=Kind.DECISION)
    assert notification.email_state == EmailState.NOT_SENT
    assert "is not confirmed" in notification.last_error
    assert "send the invitation again" in notification.last_error
    assert not [m for m in mail.outbox if invited.email in m.to]
    # The confirmed SENCO had theirs.
    assert [m for m in mail.outbox if cos["senco"].email in m.to and "declined" in m.subject]


class RefusingBackend:
    """An SMTP server that refuses every message (a transient 451)."""

    def __init__(self, *args, **kwargs) -> None:
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPDataError(451, b"4.3.0 Try again later")


def test_a_refused_send_is_retried_then_marked_failed_and_the_decision_stands(
    cos, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        request = decided("declined", school=cos["school"], created_by=cos["senco"],
                          chair=cos["chair"])  # fmt: skip
    notification = Notification.objects.get(user=cos["senco"], kind=Kind.DECISION)
    # The task's first try was refused and left for its retry (with backoff: the real
    # worker's test waits for it); here the retries are run one after another.
    assert notification.email_state == EmailState.PENDING and notification.attempts == 1
    for _ in range(MAX_ATTEMPTS - 2):
        with pytest.raises(smtplib.SMTPDataError):
            notification_send(notification_id=notification.pk)
    assert notification_send(notification_id=notification.pk) is False  # the last: given up
    notification.refresh_from_db()
    assert notification.email_state == EmailState.FAILED
    assert notification.attempts == MAX_ATTEMPTS
    assert "SMTPDataError" in notification.last_error
    assert Decision.objects.get(request=request).outcome == "declined"
    # The sweep leaves a failed email to the administrators (the others refused wait for
    # their retries).
    assert notification.pk not in unsent()[0] and unsent()[0]
    # An administrator sends it again once the mail server is back.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from communities.tests.factories import make_kcc

    admin = make_kcc()
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications_send_again(actor=admin, notification_ids=[notification.pk]) == 1
    notification.refresh_from_db()
    assert notification.email_state == EmailState.SENT and notification.attempts == 1
    assert len([m for m in mail.outbox if "declined" in m.subject]) == 1


def test_only_administrators_send_again(cos):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        notifications_send_again(actor=cos["chair"], notification_ids=[])


def test_telling_people_never_undoes_the_change(cos, monkeypatch, caplog):
    def broken(school_id):
        raise RuntimeError("the directory is down")

    monkeypatch.setattr("requests.notifications.recipients.school_sencos", broken)
    request = decided("declined", school=cos["school"], created_by=cos["senco"],
                      chair=cos["chair"])  # fmt: skip
    assert request.status == "declined"
    assert not Notification.objects.filter(kind=Kind.DECISION).exists()
    assert f"notifications of decision_recorded (Decision {request.decision_id}" in caplog.text
    # The log names the event, never the pupil.
    assert request.first_name not in caplog.text and request.upn not in caplog.text


def test_a_replayed_event_tells_nobody_twice(cos, django_capture_on_commit_callbacks):
    from requests.notifications import events

    with django_capture_on_commit_callbacks(execute=True):
        request = submitted(school=cos["school"], created_by=cos["senco"])
        events.request_submitted(request, resubmitted=False)
    assert Notification.objects.filter(user=cos["chair"]).count() == 1
    assert len([m for m in mail.outbox if m.to == [cos["chair"].email]]) == 1


def test_the_sweep_queues_what_the_broker_missed_and_nothing_else(cos, monkeypatch):
    queued = []
    monkeypatch.setattr(
        "requests.notifications.tasks.queue",
        lambda task, pk: queued.append((task.name, pk)) or True,
    )
    NotificationPreference.objects.create(user=cos["chair"], kind=Kind.AGENDA, timing="daily")
    on_agenda(submitted(school=cos["school"], created_by=cos["senco"]), chair=cos["chair"])
    # On-commit callbacks never ran (the broker was "down"): every at-once email waits.
    waiting = Notification.objects.filter(timing=Timing.AT_ONCE, email_state=EmailState.PENDING)
    assert waiting.exists()
    claimed = waiting.first()
    Notification.objects.filter(pk=claimed.pk).update(email_claimed_at=timezone.now())
    notifications_sweep()
    expected = sorted(waiting.exclude(pk=claimed.pk).values_list("pk", flat=True))
    assert sorted(pk for _, pk in queued) == expected


def test_notifications_are_kept_twelve_months(cos):
    now = timezone.now()
    with clock(timezone.localdate() - dt.timedelta(days=400)):
        old = submitted(school=cos["school"], created_by=cos["senco"])
    recent = submitted(school=cos["school"], created_by=cos["senco"])
    assert notifications_purge(now) == 1
    assert list(Notification.objects.values_list("request_id", flat=True)) == [recent.pk]
    assert old.pk != recent.pk


def test_the_sent_email_carries_the_meeting_invitation(cos, django_capture_on_commit_callbacks):
    from tests.worlds.steps import scheduled

    with django_capture_on_commit_callbacks(execute=True):
        scheduled(cos["community"], chair=cos["chair"], date=a_working_day())
    message = next(m for m in mail.outbox if m.to == [cos["senco"].email])
    (invitation,) = message.attachments
    assert invitation.get_content_type() == "text/calendar"
    assert invitation.get_param("method") == "REQUEST"
    assert invitation.get_filename() == "meeting.ics"
    assert "A calendar invitation is attached." in message.body
    assert delivery.link_text("/meetings/1/") == "Open the meeting"


def test_an_administrator_finds_a_failed_email_and_sends_it_again_in_the_admin(
    client, cos, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from communities.tests.factories import make_kcc

    request = submitted(school=cos["school"], created_by=cos["senco"])
    failed = Notification.objects.get(user=cos["chair"], request=request)
    Notification.objects.filter(pk=failed.pk).update(
        email_state=EmailState.FAILED, attempts=MAX_ATTEMPTS, last_error="SMTPDataError: 451"
    )
    client.force_login(make_kcc())
    changelist = reverse("admin:requests_notification_changelist")
    page = client.get(changelist, {"email_state__exact": "failed"}).content.decode()
    assert failed.subject in page and "Send the email again" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            changelist,
            {"action": "send_again", "_selected_action": [failed.pk]},
            follow=True,
        )
    assert "1 email queued to send." in response.content.decode()
    failed.refresh_from_db()
    assert failed.email_state == EmailState.SENT
    assert [m.to for m in mail.outbox if m.subject == failed.subject] == [[cos["chair"].email]]
    # Staff status alone gives nothing.
    from communities.tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True))
    assert client.get(changelist).status_code == 403
