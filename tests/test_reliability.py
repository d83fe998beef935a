"""The hand-off loses nothing and sends exactly one email, whatever happens: a real
Celery worker on the test Redis, a real mail server (a small SMTP server started here,
which can refuse or stall), PostgreSQL with real commits.

- approve: the officer's email is recorded within seconds;
- broker unreachable at approval: the decision is saved, the sweep sends it later, once;
- the task run more than once, or two senders at the same moment: one email;
- a worker killed while it is inside the send: the sweep sends it after the lease, once;
- the mail server refuses for a while: the task retries with backoff, then sends.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from communities.tests.factories import area, make_officer
from kentlocality.celery import app
from requests.models import Decision, Handoff
from requests.services import handoff_send
from requests.tasks import handoff_send_task, handoff_sweep, submission_confirm
from requests.workflow import Status
from tests.fixtures import broker_unreachable
from tests.worlds.steps import approved, decided, on_agenda

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent
HANDOFF_SUBJECT = "Approved Request for Resource"
WAIT = 60  # seconds allowed for anything to happen (never a measure of speed)


def wait_for(condition: Callable[[], object], what: str, timeout: float = WAIT) -> float:
    """Poll until condition() is true; return the seconds it took."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)
    return time.monotonic() - started


def handoff_of(request) -> Handoff:
    return Handoff.objects.get(request=request)


def handoff_emails(mailoutbox) -> list:
    return [m for m in mailoutbox if m.subject.startswith(HANDOFF_SUBJECT)]


@pytest.fixture
def officer():
    return make_officer(area("North"), email="olu@example.org")


def test_approval_reaches_the_officer_within_seconds(celery_worker_running, officer, mailoutbox):
    item = on_agenda()
    request = item.request
    approved_at = time.monotonic()
    decided(item=item)
    took = wait_for(lambda: handoff_of(request).sent_at, "the hand-off email")
    print(f"\nhand-off email recorded {took:.2f} s after the decision returned")
    wait_for(lambda: handoff_emails(mailoutbox), "the email in the outbox")
    assert [m.to for m in handoff_emails(mailoutbox)] == [[officer.email]]
    request.refresh_from_db()
    assert request.status == Status.WITH_OFFICER
    assert time.monotonic() - approved_at < WAIT


def test_broker_down_at_approval_then_the_sweep_sends_it_once(
    celery_worker_running, officer, mailoutbox
):
    item = on_agenda()
    request = item.request
    with broker_unreachable():
        started = time.monotonic()
        decided(item=item)
        took = time.monotonic() - started
    print(f"\ndecision with the broker unreachable took {took:.2f} s")
    # The decision is saved and the hand-off waits in the database.
    assert Decision.objects.filter(request=request, outcome="approved").exists()
    handoff = handoff_of(request)
    assert handoff.sent_at is None and handoff.send_claimed_at is None
    request.refresh_from_db()
    assert request.status == Status.APPROVED
    time.sleep(1)
    assert handoff_emails(mailoutbox) == []
    # The broker is back: beat's sweep queues it and the worker sends it.
    handoff_sweep.delay()
    wait_for(lambda: handoff_of(request).sent_at, "the swept hand-off")
    # Later sweeps find nothing to do.
    handoff_sweep.delay()
    probe_sent = len(mailoutbox)
    submission_confirm.delay(request.pk, request.created_by_id)  # FIFO: runs after the sweep
    wait_for(lambda: len(mailoutbox) > probe_sent, "the probe email")
    assert [m.to for m in handoff_emails(mailoutbox)] == [[officer.email]]
    assert handoff_of(request).attempts == 1


def test_the_task_run_again_sends_no_second_email(celery_worker_running, officer, mailoutbox):
    request = approved()
    wait_for(lambda: handoff_of(request).sent_at, "the hand-off email")
    handoff_id = handoff_of(request).pk
    # A redelivered message, a retry and a sweep: all find the hand-off sent.
    handoff_send_task.delay(handoff_id)
    handoff_send_task.delay(handoff_id)
    handoff_sweep.delay()
    before = len(mailoutbox)
    submission_confirm.delay(request.pk, request.created_by_id)  # FIFO: runs after them
    wait_for(lambda: len(mailoutbox) > before, "the probe email")
    assert len(handoff_emails(mailoutbox)) == 1
    assert handoff_of(request).attempts == 1


@contextmanager
def tasks_queued_not_run() -> Iterator[None]:
    """Tasks go to the broker (where no worker takes them) instead of running here."""
    app.conf.task_always_eager = False
    try:
        yield
    finally:
        app.control.purge()
        app.conf.task_always_eager = True


def test_two_senders_at_the_same_moment_send_one_email(smtp_server, officer):
    with tasks_queued_not_run():
        item = on_agenda()
        request = item.request
        with broker_unreachable():
            decided(item=item)  # the hand-off waits in the database
    handoff_id = handoff_of(request).pk
    barrier = threading.Barrier(2)
    results: list[bool] = []

    def send() -> None:
        barrier.wait()
        try:
            results.append(handoff_send(handoff_id=handoff_id))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    assert sorted(results) == [False, True]
    assert len(smtp_server.messages(HANDOFF_SUBJECT)) == 1


def test_a_mail_server_error_is_retried_then_sent(celery_worker_running, smtp_server, officer):
    refusals = {"left": 2}

    def refuse(message: bytes) -> bool:
        if HANDOFF_SUBJECT.encode() in message and refusals["left"]:
            refusals["left"] -= 1
            return True
        return False

    smtp_server.refuse = refuse
    request = approved()
    took = wait_for(lambda: handoff_of(request).sent_at, "the hand-off after retries")
    print(f"\nsent after 2 refusals and backoff: {took:.2f} s")
    handoff = handoff_of(request)
    assert len(smtp_server.refused) == 2
    assert len(smtp_server.messages(HANDOFF_SUBJECT)) == 1
    assert handoff.attempts == 3 and handoff.last_error == ""


def _worker(env: dict[str, str], name: str) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "kentlocality",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
            "-n",
            f"{name}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_a_worker_killed_inside_the_send_is_recovered_once(smtp_server, officer, settings):
    """A worker process is killed (SIGKILL) while the mail server holds it inside the
    send. Nothing was delivered; the claim stays until its lease ends; then the sweep,
    run by a fresh worker, sends it exactly once."""
    lease = 3
    settings.HANDOFF_CLAIM_LEASE_SECONDS = lease
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kentlocality.settings.test",
        # The test database this test writes to (settings/test.py always sets the URL).
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
    smtp_server.stall = lambda message: HANDOFF_SUBJECT.encode() in message
    app.conf.task_always_eager = False
    app.control.purge()
    first = _worker(env, "doomed")
    second = None
    try:
        request = approved()  # on commit, the hand-off is queued for the worker
        wait_for(smtp_server.stalled.is_set, "the worker to be inside the send")
        handoff = handoff_of(request)
        assert handoff.send_claimed_at is not None and handoff.sent_at is None
        first.send_signal(signal.SIGKILL)
        first.wait(WAIT)
        smtp_server.stall = lambda message: False
        smtp_server.release.set()
        assert smtp_server.messages(HANDOFF_SUBJECT) == []
        # Within the lease the sweep leaves the claim alone.
        assert handoff_sweep() == 0
        time.sleep(lease + 0.5)
        second = _worker(env, "rescuer")
        handoff_sweep.delay()
        wait_for(lambda: smtp_server.messages(HANDOFF_SUBJECT), "the rescued hand-off")
        wait_for(lambda: handoff_of(request).sent_at, "the hand-off marked sent")
        # Another sweep, and the killed task's message should it come back: no second email.
        handoff_sweep.delay()
        handoff_send_task.delay(handoff.pk)
        before = len(smtp_server.accepted)
        submission_confirm.delay(request.pk, request.created_by_id)  # FIFO probe
        wait_for(lambda: len(smtp_server.accepted) > before, "the probe email")
        assert len(smtp_server.messages(HANDOFF_SUBJECT)) == 1
        handoff = handoff_of(request)
        assert handoff.attempts == 2
        request.refresh_from_db()
        assert request.status == Status.WITH_OFFICER
    finally:
        first.kill()
        first.wait()
        if second is not None:
            _stop(second)
        app.conf.task_always_eager = True
