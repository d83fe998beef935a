"""Every allowed transition and every refused one, through the one service function."""

import pytest

from requests.services import RequestError, transition
from requests.tests.factories import DraftFactory
from requests.workflow import TRANSITIONS, Action, Status

pytestmark = pytest.mark.django_db

ALL_PAIRS = [(status, action) for status in Status.values for action in Action.values]


@pytest.mark.parametrize(("status", "action"), ALL_PAIRS)
def test_each_transition_is_allowed_or_refused_by_the_table(status, action):
    request = DraftFactory()
    request.status = status
    request.reference = "RFR-2026-999999"
    request.save()
    expected = TRANSITIONS.get(status, {}).get(action)
    if expected is None:
        with pytest.raises(RequestError, match="cannot be"):
            transition(request, actor=request.created_by, action=action)
        request.refresh_from_db()
        assert request.status == status
        assert not request.events.filter(action=action).exists()
    else:
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
