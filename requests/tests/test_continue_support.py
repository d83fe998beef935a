""" "Continue support": a new draft for the same pupil from a decided request, with exactly
the pupil's details and needs copied; refused on a draft, a withdrawn or an undecided
request, with nothing made."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from communities.tests.factories import SchoolFactory, make_senco
from requests.models import PRGService, ResourceRequest, TimelineEvent
from requests.services import RequestError, evidence_add, request_continue, request_withdraw
from requests.services.lifecycle import CONTINUED_FIELDS
from requests.tests.factories import DraftFactory
from requests.tests.test_services_lifecycle import PDF
from requests.workflow import Action, Status
from tests.worlds.steps import decided, submitted

pytestmark = pytest.mark.django_db

# The fields a draft starts with whatever it continues (request_start's defaults).
NEW_REQUEST = ResourceRequest()

COPIED = {
    "first_name", "last_name", "date_of_birth", "upn", "year_group", "sen_provision",
    "primary_need", "secondary_need", "home_la", "home_la_name", "receives_saf",
    "needs_summary", "graduated_assess", "graduated_plan", "graduated_do", "graduated_review",
    "current_provision", "current_cost", "below_threshold_reason", "prg_other",
}  # fmt: skip
# Every answer of the form that is not copied.
NOT_COPIED = {
    "consent_given", "consent_date", "funding_purpose", "amount", "start_date", "end_date",
    "long_duration_reason", "outcomes", "review_arrangements", "is_exceptional",
    "exceptional_reason", "exceptional_why_now", "declared_by", "declared_at",
}  # fmt: skip


def _decided_request(**values):
    draft = DraftFactory(
        home_la="other",
        home_la_name="Medway",
        below_threshold_reason="Costs rose in the spring term.",
        prg_other="Family liaison officer",
        long_duration_reason="Support across two school years.",
        **values,
    )
    draft.prg_services.set([PRGService.objects.create(name="Educational psychology")])
    evidence_add(
        actor=draft.created_by,
        request_id=draft.pk,
        upload=SimpleUploadedFile("plan.pdf", PDF, "application/pdf"),
    )
    return decided("declined", request=submitted(draft))


def test_continue_support_copies_exactly_the_pupil_details_and_needs():
    earlier = _decided_request()
    senco = earlier.created_by
    draft = request_continue(actor=senco, request_id=earlier.pk)
    assert set(CONTINUED_FIELDS) == COPIED
    for name in COPIED:
        assert getattr(draft, name) == getattr(earlier, name), name
    for name in NOT_COPIED:
        assert getattr(draft, name) == getattr(NEW_REQUEST, name), name
    assert list(draft.prg_services.all()) == list(earlier.prg_services.all())
    assert earlier.attachments.count() == 1 and not draft.attachments.exists()
    assert (draft.status, draft.reference, draft.school, draft.continues) == (
        Status.DRAFT,
        None,
        earlier.school,
        earlier,
    )
    assert TimelineEvent.objects.filter(
        request=draft, action=Action.CONTINUE_SUPPORT, note=f"Continues {earlier.reference}"
    ).exists()
    assert TimelineEvent.objects.filter(request=earlier, action=Action.CONTINUE_SUPPORT).exists()
    earlier.refresh_from_db()
    assert earlier.status == Status.DECLINED  # the earlier request is as it was


def test_continue_support_from_an_award():
    earlier = decided("approved", amount=None, request=submitted(DraftFactory()))
    draft = request_continue(actor=earlier.created_by, request_id=earlier.pk)
    assert draft.amount is None and draft.start_date is None and draft.continues == earlier


@pytest.mark.parametrize("state", ["draft", "withdrawn", "submitted"])
def test_continue_support_is_refused_before_a_decision(state):
    request = DraftFactory()
    if state != "draft":
        request = submitted(request)
    if state == "withdrawn":
        request = request_withdraw(actor=request.created_by, request_id=request.pk)
    before = ResourceRequest.objects.count()
    with pytest.raises(RequestError, match="only from a request that has been decided"):
        request_continue(actor=request.created_by, request_id=request.pk)
    assert ResourceRequest.objects.count() == before


def test_the_school_continues_support_from_the_request_page(client):
    earlier = _decided_request(amount=Decimal("7000.00"), end_date=dt.date(2027, 12, 1))
    client.force_login(earlier.created_by)
    page = client.get(reverse("requests:detail", args=[earlier.pk])).content.decode()
    assert "Continue support" in page
    response = client.post(reverse("requests:continue", args=[earlier.pk]))
    draft = ResourceRequest.objects.get(continues=earlier)
    assert response.status_code == 302 and response.url == reverse(
        "requests:detail", args=[draft.pk]
    )
    page = client.get(response.url).content.decode()
    assert f"A new draft continues {earlier.reference}" in page


def test_continue_on_a_draft_leads_back_with_the_reason(client):
    draft = DraftFactory()
    client.force_login(draft.created_by)
    page = client.get(reverse("requests:detail", args=[draft.pk])).content.decode()
    assert "Continue support" not in page
    response = client.post(reverse("requests:continue", args=[draft.pk]), follow=True)
    assert "support can be continued only from a request that has been decided" in (
        response.content.decode()
    )
    assert ResourceRequest.objects.count() == 1


def test_another_school_cannot_continue_the_support(client):
    earlier = _decided_request()
    client.force_login(make_senco(SchoolFactory()))
    assert client.post(reverse("requests:continue", args=[earlier.pk])).status_code == 404
    assert not ResourceRequest.objects.filter(continues=earlier).exists()
