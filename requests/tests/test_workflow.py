"""What each status allows, pair by pair: every move through the one service function
that changes a status, and every change made in place through the service that makes
it, with the permission the pages ask agreeing."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from communities.tests.factories import make_officer
from requests import permissions
from requests.models import ResourceRequest
from requests.services import (
    RequestError,
    evidence_add,
    evidence_remove,
    payment_record,
    payment_reverse,
    request_discard,
    request_update,
    request_withdraw,
    transition,
)
from requests.tests.factories import DraftFactory
from requests.workflow import (
    ACTIONS,
    DISCARD,
    EDIT,
    IN_PLACE,
    TRANSITIONS,
    Action,
    Status,
    allows,
    next_status,
)
from tests.worlds.steps import acknowledged, approved, paid

pytestmark = pytest.mark.django_db

ALL_PAIRS = [(status, action) for status in Status.values for action in Action.values]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def put_in(request: ResourceRequest, status: str) -> ResourceRequest:
    """The request in ``status``, whatever the way there (a submitted one's reference is
    kept; a draft has none)."""
    request.status = status
    if status != Status.DRAFT:
        request.reference = request.reference or "RFR-2026-999999"
    request.save()
    return request


@pytest.mark.parametrize(("status", "action"), ALL_PAIRS)
def test_each_transition_is_allowed_or_refused_by_the_table(status, action):
    request = put_in(DraftFactory(), status)
    expected = TRANSITIONS.get(status, {}).get(action)
    if expected is None:
        with pytest.raises(RequestError, match="cannot be"):
            transition(request, actor=request.created_by, action=action)
        request.refresh_from_db()
        assert request.status == status
        assert not request.events.filter(action=action).exists()
    else:
        request.reference = request.reference or "RFR-2026-999999"  # as submitting gives
        request.save(update_fields=["reference"])
        transition(request, actor=request.created_by, action=action, note="why")
        request.refresh_from_db()
        assert request.status == expected
        event = request.events.get(action=action)
        assert (event.from_status, event.to_status, event.note) == (status, expected, "why")
        assert event.actor == request.created_by


def test_every_status_is_reachable_from_draft():
    reachable, frontier = {Status.DRAFT}, [Status.DRAFT]
    while frontier:
        for nxt in TRANSITIONS.get(frontier.pop(), {}).values():
            if nxt not in reachable:
                reachable.add(nxt)
                frontier.append(nxt)
    assert reachable == set(Status.values)


def test_an_action_done_in_place_never_also_moves_the_request():
    for status, actions in IN_PLACE.items():
        for action in actions:
            assert next_status(status, action) is None, (status, action)
            assert action in ACTIONS


def test_the_table_says_what_the_guidance_says():
    """A few sentences of the guidance, read off the table."""
    assert [s for s in Status if allows(s, EDIT)] == [Status.DRAFT, Status.MORE_INFORMATION]
    assert [s for s in Status if allows(s, DISCARD)] == [Status.DRAFT]
    assert [s for s in Status if allows(s, Action.PAY)] == [Status.ACKNOWLEDGED, Status.CLOSED]
    assert not any(allows(s, Action.WITHDRAW) for s in (Status.APPROVED, Status.DECLINED))


# The school's changes, in every status: the service refuses exactly what the table does
# not allow, and the request page offers exactly what it allows.

SCHOOL_REFUSALS = {
    EDIT: "can no longer be changed",
    Action.ADD_EVIDENCE: "can no longer be changed",
    Action.REMOVE_EVIDENCE: "can no longer be changed",
    DISCARD: "Only a draft can be discarded",
    Action.WITHDRAW: "Only a request that has not been decided can be withdrawn",
}
SCHOOL_PERMISSIONS = {
    EDIT: permissions.can_edit_request,
    DISCARD: permissions.can_discard_request,
    Action.WITHDRAW: permissions.can_withdraw_request,
}


def _upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("plan.pdf", PDF, "application/pdf")


def _school_change(action: str, request: ResourceRequest, attachment_id: int) -> None:
    senco, pk = request.created_by, request.pk
    if action == EDIT:
        request_update(actor=senco, request_id=pk, values={"funding_purpose": "Changed"})
    elif action == Action.ADD_EVIDENCE:
        evidence_add(actor=senco, request_id=pk, upload=_upload())
    elif action == Action.REMOVE_EVIDENCE:
        evidence_remove(actor=senco, request_id=pk, attachment_id=attachment_id)
    elif action == DISCARD:
        request_discard(actor=senco, request_id=pk)
    else:
        request_withdraw(actor=senco, request_id=pk, reason="No longer needed")


@pytest.mark.parametrize("action", list(SCHOOL_REFUSALS))
@pytest.mark.parametrize("status", Status.values)
def test_the_schools_changes_follow_the_table(status, action):
    draft = DraftFactory()
    attachment = evidence_add(actor=draft.created_by, request_id=draft.pk, upload=_upload())
    request = put_in(draft, status)
    if action in SCHOOL_PERMISSIONS:
        allowed_by_page = SCHOOL_PERMISSIONS[action](request.created_by, request)
        assert allowed_by_page == allows(status, action)
    if allows(status, action):
        _school_change(action, request, attachment.pk)
    else:
        with pytest.raises(RequestError, match=SCHOOL_REFUSALS[action]):
            _school_change(action, request, attachment.pk)
        request.refresh_from_db()
        assert (request.status, request.attachments.count()) == (status, 1)


# The officer's payments, in every status.


def test_a_draft_allows_no_payment():
    # A paid request cannot be put back to draft to try (the database refuses to turn any
    # submitted request back into a draft), so the table's answer is checked here.
    assert not allows(Status.DRAFT, Action.PAY)
    assert not allows(Status.DRAFT, Action.REVERSE_PAYMENT)


@pytest.mark.parametrize("action", [Action.PAY, Action.REVERSE_PAYMENT])
@pytest.mark.parametrize("status", [s for s in Status.values if s != Status.DRAFT])
def test_the_officers_payments_follow_the_table(status, action):
    request = approved()
    officer = make_officer(request.community.area)
    acknowledged(request, officer=officer)
    first = paid(request, "100.00", officer=officer, finance_reference="FIN-1", method="advance")
    values = {"paid_on": timezone.localdate(), "method": "advance"}
    request = put_in(request, status)
    assert permissions.can_record_payment(officer, request) == allows(status, Action.PAY)

    def act():
        if action == Action.PAY:
            return payment_record(
                actor=officer,
                request_id=request.pk,
                amount=Decimal("200.00"),
                finance_reference="FIN-2",
                **values,
            )
        return payment_reverse(actor=officer, payment_id=first.pk, reason="Wrong amount")

    if allows(status, action):
        assert act().pk
    else:
        message = "Acknowledge the request" if action == Action.PAY else "cannot be reversed"
        with pytest.raises(RequestError, match=message):
            act()
