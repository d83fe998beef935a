"""Notifications lose nothing and send exactly one email per event and person, whatever
happens: a real Celery worker on the test Redis, a real mail server (the small SMTP
server of tests/fixtures.py, which can refuse or stall), PostgreSQL with real commits.

- a decision: the SENCO's email within seconds; the task run twice and the sweep: one;
- the broker unreachable at the decision: the decision is saved, the sweep sends it once;
- the mail server refusing for a while: retried with backoff, then sent once;
- a worker killed inside the send: the sweep sends it after the lease, once.
"""

from __future__ import annotations

import os
import signal
import time

import pytest
from django.conf import settings as django_settings
from django.db import connection

from communities.tests.factories import CommunityFactory, SchoolFactory, make_chair, make_senco
from kentlocality.celery import app
from requests.models import Decision, Notification
from requests.notifications.models import EmailState, Kind
from requests.notifications.tasks import notification_email, notifications_sweep
from requests.tasks import submission_confirm
from tests.fixtures import broker_unreachable
from tests.identity_scan import Pupil, patterns, scan
from tests.test_reliability import WAIT, _stop, _worker, wait_for
from tests.worlds.steps import decided, on_agenda

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def school():
    community = CommunityFactory()
    school = SchoolFactory(community=community)
    make_chair(community)
    make_senco(school, email="senco@example.org")
    return school


def the_decision(request) -> Notification:
    return Notification.objects.get(
        kind=Kind.DECISION, request=request, user__email="senco@example.org"
    )


def decision_emails(messages, request) -> list:
    return [
        m
        for m in messages
        if m.to == ["senco@example.org"] and m.subject == f"{request.reference} declined"
    ]


def probe(request, outbox_size) -> None:
    """A task queued after the others (the queue is first in, first out): once its email
    is there, every task queued before it has run."""
    before = outbox_size()
    submission_confirm.delay(request.pk, request.created_by_id)
    wait_for(lambda: outbox_size() > before, "the probe email")


def test_a_decision_reaches_the_school_within_seconds_and_once(
    celery_worker_running, school, mailoutbox
):
    item = on_agenda(school=school)
    started = time.monotonic()
    request = decided("declined", item=item)
    took = wait_for(lambda: the_decision(request).emailed_at, "the SENCO's email")
    print(f"\ndecision to the SENCO's email: {took:.2f} s after the decision returned")
    wait_for(lambda: decision_emails(mailoutbox, request), "the email in the outbox")
    notification = the_decision(request)
    # A redelivered message, a retry and the sweep: all find it sent.
    notification_email.delay(notification.pk)
    notification_email.delay(notification.pk)
    notifications_sweep.delay()
    probe(request, lambda: len(mailoutbox))
    assert len(decision_emails(mailoutbox, request)) == 1
    notification.refresh_from_db()
    assert notification.email_state == EmailState.SENT and notification.attempts == 1
    assert time.monotonic() - started < WAIT


def test_broker_down_at_the_decision_then_the_sweep_sends_it_once(
    celery_worker_running, school, mailoutbox
):
    item = on_agenda(school=school)
    with broker_unreachable():
        request = decided("declined", item=item)
    assert Decision.objects.get(request=request).outcome == "declined"
    notification = the_decision(request)
    assert notification.email_state == EmailState.PENDING and notification.attempts == 0
    time.sleep(1)
    assert decision_emails(mailoutbox, request) == []
    notifications_sweep.delay()  # the broker is back: beat's sweep
    wait_for(lambda: the_decision(request).emailed_at, "the swept email")
    notifications_sweep.delay()
    probe(request, lambda: len(mailoutbox))
    assert len(decision_emails(mailoutbox, request)) == 1
    assert the_decision(request).attempts == 1


def ours(message: bytes) -> bool:
    """The SENCO's email of the decision (the school has another SENCO, told too)."""
    return b"To: senco@example.org" in message and b" declined" in message


def smtp_decisions(server, request) -> list:
    subject = f"{request.reference} declined".encode()
    return [m for m in server.accepted if ours(m) and subject in m]


def test_a_refused_send_is_retried_with_backoff_then_sent_once(
    celery_worker_running, smtp_server, school
):
    refusals = {"left": 2}

    def refuse(message: bytes) -> bool:
        if ours(message) and refusals["left"]:
            refusals["left"] -= 1
            return True
        return False

    smtp_server.refuse = refuse
    request = decided("declined", item=on_agenda(school=school))
    took = wait_for(lambda: the_decision(request).emailed_at, "the email after its retries")
    print(f"\nsent after 2 refusals and backoff: {took:.2f} s")
    assert len(smtp_decisions(smtp_server, request)) == 1
    notification = the_decision(request)
    assert notification.attempts == 3 and notification.last_error == ""
    # What the mail server took carries no pupil identity.
    pupil = Pupil(request.first_name, request.last_name, request.upn, request.date_of_birth)
    looked_for = patterns([pupil], set(), request.created_at.date())
    texts = {
        f"smtp {n}": [raw.decode("utf-8", "replace")] for n, raw in enumerate(smtp_server.accepted)
    }
    assert scan(texts, looked_for) == []


def test_a_worker_killed_inside_the_send_is_recovered_once(smtp_server, school, settings):
    """A worker process is killed (SIGKILL) while the mail server holds it inside the
    SENCO's email. Nothing was delivered; the claim stays until its lease ends; then the
    sweep, run by a fresh worker, sends it exactly once."""
    lease = 3
    settings.HANDOFF_CLAIM_LEASE_SECONDS = lease
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kentlocality.settings.test",
        "DATABASE_URL": os.environ["DATABASE_URL"].rsplit("/", 1)[0]
        + "/"
        + connection.settings_dict["NAME"],
        "TEST_REDIS_URL": django_settings.REDIS_URL,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_server.port),
        "EMAIL_TIMEOUT": "60",
        "HANDOFF_CLAIM_LEASE_SECONDS": str(lease),
    }
    item = on_agenda(school=school)  # its own emails go here, eagerly, before the worker
    smtp_server.stall = ours
    app.conf.task_always_eager = False
    app.control.purge()
    first = _worker(env, "doomed")
    second = None
    try:
        request = decided("declined", item=item)  # on commit, its emails are queued
        wait_for(smtp_server.stalled.is_set, "the worker to be inside the send")
        notification = the_decision(request)
        assert notification.email_claimed_at is not None and notification.emailed_at is None
        first.send_signal(signal.SIGKILL)
        first.wait(WAIT)
        smtp_server.stall = lambda message: False
        smtp_server.release.set()
        assert smtp_decisions(smtp_server, request) == []
        # Within the lease the sweep leaves the claim alone.
        assert notification.pk not in _unsent_ids()
        time.sleep(lease + 0.5)
        second = _worker(env, "rescuer")
        notifications_sweep.delay()
        wait_for(lambda: smtp_decisions(smtp_server, request), "the rescued email")
        wait_for(lambda: the_decision(request).emailed_at, "the email marked sent")
        # Another sweep, and the killed task's message should it come back: no second.
        notifications_sweep.delay()
        notification_email.delay(notification.pk)
        before = len(smtp_server.accepted)
        submission_confirm.delay(request.pk, request.created_by_id)  # FIFO probe
        wait_for(lambda: len(smtp_server.accepted) > before, "the probe email")
        assert len(smtp_decisions(smtp_server, request)) == 1
        assert the_decision(request).attempts == 2
    finally:
        first.kill()
        first.wait()
        if second is not None:
            _stop(second)
        app.conf.task_always_eager = True


def _unsent_ids() -> list[int]:
    from requests.notifications.delivery import unsent

    return unsent()[0]
