"""Every view of a pupil's identity is logged once, the log outlives the request, and the
audit tables (the log, the timeline, the change history) cannot be changed or deleted
by the application's database user (issue 17, item 2). On PostgreSQL, as the suite runs.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from budgets.models import SchoolsAdvance
from budgets.tests.factories import SchoolBudgetFactory
from communities.models import RoleAssignment, User
from communities.tests.factories import make_kcc, make_officer
from kentlocality.audit import TRIGGER
from requests.models import PupilIdentityView, ResourceRequest, TimelineEvent
from requests.retention import apply_retention, request_anonymise
from requests.selectors.lifecycle import log_identity_view
from requests.services import request_discard
from requests.tests.factories import DraftFactory
from requests.workflow import Status
from tests.worlds.steps import acknowledged, approved, decided, paid
from tests.worlds.world import World

pytestmark = pytest.mark.django_db


def _data_protection() -> User:
    return make_kcc(RoleAssignment.Role.KCC_DATA_PROTECTION)


# (who, how the page is asked for, the request it shows, the page's name in the log)
IDENTITY_VIEWS: dict[str, tuple[str, Callable, str, str]] = {
    "request page": (
        "chair",
        lambda c, w: c.get(reverse("requests:detail", args=[w.objects["approved"].pk])),
        "approved",
        "request page",
    ),
    "check your answers": (
        "senco",
        lambda c, w: c.get(reverse("requests:check", args=[w.objects["draft"].pk])),
        "draft",
        "check your answers",
    ),
    "request PDF": (
        "officer",
        lambda c, w: c.get(reverse("requests:request_pdf", args=[w.objects["approved"].pk])),
        "approved",
        "approved request PDF",
    ),
    "decision page": (
        "chair",
        lambda c, w: c.get(
            reverse(
                "requests:decide", args=[w.objects["upcoming"].pk, w.objects["upcoming_item"].pk]
            )
        ),
        "waiting",
        "decision page",
    ),
    "evidence download": (
        "senco",
        lambda c, w: c.get(
            reverse(
                "requests:evidence_download",
                args=[w.objects["draft"].pk, w.objects["draft_file"].pk],
            )
        ),
        "draft",
        "evidence download",
    ),
    "administration request page": (
        "admin",
        lambda c, w: c.get(
            reverse("admin:requests_resourcerequest_change", args=[w.objects["approved"].pk])
        ),
        "approved",
        "administration: request page",
    ),
    "subject access search": (
        "data_protection",
        lambda c, w: c.post(reverse("requests:subject_access"), _approvia(w)),
        "approved",
        "subject access search",
    ),
    "subject access export": (
        "data_protection",
        lambda c, w: c.post(reverse("requests:subject_access"), {**_approvia(w), "format": "json"}),
        "approved",
        "subject access export",
    ),
}


def _approvia(w: World) -> dict:
    """The approved request's pupil, found by name and date of birth (the world's
    requests share a UPN)."""
    born = w.objects["approved"].date_of_birth
    return {
        "first_name": "Approvia",
        "last_name": "Hiddenham",
        "date_of_birth_0": born.day,
        "date_of_birth_1": born.month,
        "date_of_birth_2": born.year,
    }


@pytest.mark.parametrize("view", sorted(IDENTITY_VIEWS))
def test_each_view_of_a_pupils_identity_writes_exactly_one_log_row(client, world: World, view):
    who, ask, key, page = IDENTITY_VIEWS[view]
    world.people["data_protection"] = _data_protection()
    person, request = world.people[who], world.objects[key]
    client.force_login(person)
    before = PupilIdentityView.objects.count()
    response = ask(client, world)
    assert response.status_code == 200, response.status_code
    rows = list(
        PupilIdentityView.objects.order_by("-pk")[: PupilIdentityView.objects.count() - before]
    )
    assert [(r.user, r.request_id, r.page) for r in rows] == [(person, request.pk, page)]
    assert rows[0].reference == str(request)
    assert rows[0].school_id == request.school_id


def test_a_search_that_finds_nobody_logs_no_view(client):
    client.force_login(_data_protection())
    page = client.post(reverse("requests:subject_access"), {"upn": "E886200026001"})
    assert "No requests match" in page.content.decode()
    assert not PupilIdentityView.objects.exists()


def test_the_log_survives_a_discarded_or_expired_draft(client):
    draft = DraftFactory()
    senco = draft.created_by
    client.force_login(senco)
    assert client.get(reverse("requests:check", args=[draft.pk])).status_code == 200
    request_discard(actor=senco, request_id=draft.pk)
    assert not ResourceRequest.objects.filter(pk=draft.pk).exists()
    assert not TimelineEvent.objects.filter(request_id=draft.pk).exists()  # its working notes
    row = PupilIdentityView.objects.get()
    assert (row.user, row.request_id, row.reference, row.school_id) == (
        senco,
        draft.pk,
        f"Draft {draft.pk}",
        draft.school_id,
    )
    # A draft retention removes leaves its log too.
    old = DraftFactory()
    client.force_login(old.created_by)
    client.get(reverse("requests:check", args=[old.pk]))
    ResourceRequest.objects.filter(pk=old.pk).update(
        updated_at=timezone.now() - dt.timedelta(days=800)
    )
    assert apply_retention().drafts_deleted == 1
    assert PupilIdentityView.objects.filter(request_id=old.pk).count() == 1
    # Data protection finds both in the administration, by reference.
    client.force_login(_data_protection())
    listing = client.get(reverse("admin:requests_pupilidentityview_changelist")).content.decode()
    assert f"Draft {draft.pk}" in listing and f"Draft {old.pk}" in listing


def _audit_rows() -> dict[str, tuple[str, int]]:
    """A row in each audit table, made through the services: {table: (its key's
    column, a row's key)}."""
    request = approved()  # timeline events, the decision's history, a CoS budget's
    officer = make_officer(request.community.area)  # a person's and a role's history
    acknowledged(request, officer=officer)
    paid(request, "100.00", officer=officer, finance_reference="FIN-1", method="advance")
    SchoolBudgetFactory(
        school=request.school,
        year=2026,
        notional_sen_budget=Decimal("1000.00"),
        historic_hnf_allocation=Decimal("0.00"),
    )
    SchoolsAdvance.objects.create(cut_off=dt.date(2026, 12, 10), paid_on=dt.date(2026, 12, 18))
    log_identity_view(officer, request, "request page")
    tables = {model._meta.db_table: model for model in _history_models()}
    tables["requests_pupilidentityview"] = PupilIdentityView
    tables["requests_timelineevent"] = TimelineEvent
    return {
        table: (
            model._meta.pk.column,
            model.objects.order_by("pk").values_list("pk", flat=True).first(),
        )
        for table, model in tables.items()
    }


def _history_models() -> list:
    return [
        model
        for model in apps.get_models()
        if model.__name__.startswith("Historical") and hasattr(model, "history_id")
    ]


def _refused(sql: str, params: list) -> bool:
    """Did the database refuse the statement? (Inside a savepoint, so the test's
    transaction carries on.)"""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError:
        return True
    return False


def test_every_audit_table_is_protected_by_the_trigger():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = %s AND t.tgenabled = 'O'",
            [TRIGGER],
        )
        protected = {row[0] for row in cursor.fetchall()}
    history = {model._meta.db_table for model in _history_models()}
    assert len(history) >= 6  # people, roles, decisions, budgets and payments
    assert history | {"requests_pupilidentityview", "requests_timelineevent"} <= protected


def test_the_applications_database_user_cannot_update_or_delete_an_audit_row():
    rows = _audit_rows()
    assert all(pk for _, pk in rows.values()), rows
    counts = {table: _count(table) for table in rows}
    # The service's own connection (here, the tables' owner) is refused.
    for table, (key, pk) in rows.items():
        assert _refused(f'UPDATE "{table}" SET "{key}" = "{key}" WHERE "{key}" = %s', [pk])  # noqa: S608 (our own tables)
        assert _refused(f'DELETE FROM "{table}" WHERE "{key}" = %s', [pk]), table  # noqa: S608 (our own tables)
    # So is a role that may write every table but owns none: the kind of role a
    # deployment runs the service as. It cannot switch the triggers off either.
    probe = f"kent_audit_probe_{secrets.token_hex(4)}"  # roles are shared by the cluster
    with connection.cursor() as cursor:
        # Made inside the test's transaction: rolled back with it.
        cursor.execute(f"CREATE ROLE {probe} NOLOGIN")
        cursor.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {probe}"
        )
        cursor.execute(f"SET ROLE {probe}")
    try:
        for table, (key, pk) in rows.items():
            update = f'UPDATE "{table}" SET "{key}" = "{key}" WHERE "{key}" = %s'  # noqa: S608 (our own tables)
            assert _refused(update, [pk]), table
            assert _refused(f'DELETE FROM "{table}" WHERE "{key}" = %s', [pk]), table  # noqa: S608 (our own tables)
            assert _refused(f'ALTER TABLE "{table}" DISABLE TRIGGER {TRIGGER}', []), table
        # The role can write elsewhere: the refusals above are the triggers', not a
        # lack of grants.
        assert not _refused("UPDATE requests_resourcerequest SET updated_at = updated_at", [])
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    assert counts == {table: _count(table) for table in rows}


def _count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (our own tables)
        return cursor.fetchone()[0]


def test_the_timeline_allows_retention_and_discarded_drafts_only():
    request = decided("declined")
    event = request.events.order_by("pk").first()
    # Not while the request keeps its pupil's identity: refused.
    assert _refused("UPDATE requests_timelineevent SET note = '' WHERE id = %s", [event.pk])
    assert _refused("DELETE FROM requests_timelineevent WHERE id = %s", [event.pk])
    # A submitted request never becomes a draft again (which would open its timeline to
    # deletion).
    assert _refused(
        "UPDATE requests_resourcerequest SET status = 'draft' WHERE id = %s", [request.pk]
    )
    # Retention blanks the notes of an anonymised request, and nothing else.
    ResourceRequest.objects.filter(pk=request.pk).update(
        date_of_birth=timezone.localdate().replace(year=timezone.localdate().year - 40)
    )
    assert request_anonymise(request.pk)
    assert set(request.events.values_list("note", flat=True)) == {""}
    assert _refused(
        "UPDATE requests_timelineevent SET note = '', actor_id = NULL WHERE id = %s", [event.pk]
    )
    assert _refused("UPDATE requests_timelineevent SET note = 'x' WHERE id = %s", [event.pk])
    assert request.events.count() >= 3
    assert ResourceRequest.objects.get(pk=request.pk).status == Status.DECLINED


@pytest.mark.django_db(transaction=True)
def test_emptying_the_tables_still_works_for_the_test_suites_teardown():
    """Transactional tests are torn down with TRUNCATE, which row triggers do not see."""
    rows = _audit_rows()
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(rows)} RESTART IDENTITY CASCADE")
    assert PupilIdentityView.objects.count() == 0
    assert TimelineEvent.objects.count() == 0
