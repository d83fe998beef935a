"""The SENCO's pages: who sees what, saving sections, submitting, evidence."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from communities.tests.factories import (
    CommunityFactory,
    RoleAssignmentFactory,
    SchoolFactory,
    area,
    make_chair,
    make_senco,
)
from requests.models import PupilIdentityView, ResourceRequest
from requests.services import evidence_add
from requests.tests.factories import DraftFactory
from requests.tests.test_services_lifecycle import PDF
from requests.workflow import Status
from tests.worlds.steps import submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_draft():
    """Alice is the SENCO of the requesting school."""
    return DraftFactory()


def people(draft):
    school = draft.school
    return {
        "alice": draft.created_by,
        "same_cos_senco": make_senco(SchoolFactory(community=school.community)),
        "other_cos_senco": make_senco(SchoolFactory(community=CommunityFactory(area=area("East")))),
        "chair": make_chair(school.community),
    }


def test_a_draft_is_seen_by_its_school_only(client, alice_draft):
    who = people(alice_draft)
    url = reverse("requests:detail", args=[alice_draft.pk])
    client.force_login(who["alice"])
    assert client.get(url).status_code == 200
    for outsider in ("same_cos_senco", "other_cos_senco", "chair"):
        client.force_login(who[outsider])
        assert client.get(url).status_code == 404, outsider
        assert client.get(reverse("requests:pupil", args=[alice_draft.pk])).status_code == 404


def test_a_submitted_request_is_seen_by_the_chair_but_not_other_schools(client):
    request = submitted()
    who = people(request)
    url = reverse("requests:detail", args=[request.pk])
    client.force_login(who["chair"])
    page = client.get(url)
    assert page.status_code == 200
    assert request.first_name in page.content.decode()
    for outsider in ("same_cos_senco", "other_cos_senco"):
        client.force_login(who[outsider])
        assert client.get(url).status_code == 404


def test_a_chair_may_read_but_not_edit(client):
    request = submitted()
    client.force_login(people(request)["chair"])
    assert client.get(reverse("requests:withdraw", args=[request.pk])).status_code == 403
    assert client.get(reverse("requests:pupil", args=[request.pk])).status_code == 403


def test_viewing_a_request_is_logged(client, alice_draft):
    client.force_login(alice_draft.created_by)
    client.get(reverse("requests:detail", args=[alice_draft.pk]))
    view = PupilIdentityView.objects.get()
    assert (view.user, view.request, view.page) == (
        alice_draft.created_by,
        alice_draft,
        "request page",
    )


def test_school_home_lists_counts_searches_and_paginates(client):
    school = SchoolFactory()
    senco = make_senco(school)
    for n in range(30):
        DraftFactory(school=school, created_by=senco, first_name=f"Pupil{n:02d}", last_name="Jones")
    DraftFactory(school=school, created_by=senco, first_name="Zed", last_name="Unique")
    DraftFactory()  # another school's
    client.force_login(senco)
    url = reverse("requests:school", args=[school.pk])
    page = client.get(url).content.decode()
    assert "31 requests" in page
    assert "Page 1 of 2" in page
    # The search is posted and kept in the session: the pupil's name is never in the
    # address the results are read from.
    searched = client.post(url, {"q": "zed unique", "status": ""})
    assert searched.status_code == 302
    assert "zed" not in searched["Location"].lower()
    assert searched["Location"].startswith(f"{url}?search=")
    found = client.get(searched["Location"]).content.decode()
    assert "1 request" in found and "Zed Unique" in found and "Pupil01" not in found
    assert 'value="zed unique"' in found  # the box still shows what was searched for
    # The key means nothing in another session.
    other = Client()
    other.force_login(senco)
    assert "31 requests" in other.get(searched["Location"]).content.decode()
    # A name in the address (an old bookmark) is not a search.
    assert "31 requests" in client.get(url, {"q": "zed unique"}).content.decode()
    assert client.get(url, {"page": "2"}).status_code == 200
    assert client.get(url, {"page": "abc"}).status_code == 200
    assert client.get(url, {"status": "nonsense"}).status_code == 200


def test_a_senco_at_two_schools_chooses_the_school(client):
    first, second = SchoolFactory(name="First School"), SchoolFactory(name="Second School")
    senco = make_senco(first)
    RoleAssignmentFactory(user=senco, role="senco", school=second)
    client.force_login(senco)
    home = client.get("/")
    assert home.status_code == 200
    assert "First School" in home.content.decode() and "Second School" in home.content.decode()
    page = client.get(reverse("requests:school", args=[first.pk])).content.decode()
    assert reverse("requests:school", args=[second.pk]) in page


def test_start_save_as_draft_and_continue(client):
    school = SchoolFactory()
    senco = make_senco(school)
    client.force_login(senco)
    # "Start a new request" opens the first section; the first save makes the draft.
    assert client.get(reverse("requests:start", args=[school.pk])).status_code == 200
    assert not ResourceRequest.objects.exists()
    response = client.post(
        reverse("requests:start", args=[school.pk]), {"first_name": "Sam", "draft": "1"}
    )
    draft = ResourceRequest.objects.get()
    assert response["Location"] == reverse("requests:detail", args=[draft.pk])
    assert draft.first_name == "Sam"
    url = reverse("requests:pupil", args=[draft.pk])
    # Continue insists on the whole section, and lists every problem.
    response = client.post(url, {"first_name": "Sam", "upn": "F886200026001", "continue": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "UPN check letter is wrong" in page
    assert "Enter the pupil&#x27;s last name" in page
    assert 'href="#id_date_of_birth_0"' in page
    assert 'href="#id_sen_provision_1"' in page
    draft.refresh_from_db()
    assert draft.upn == ""  # nothing saved from a page with errors


def test_hostile_text_is_stored_and_shown_escaped(client, alice_draft):
    client.force_login(alice_draft.created_by)
    script = '<script>alert("x")</script>'
    client.post(
        reverse("requests:needs", args=[alice_draft.pk]),
        {"needs_summary": script + "\x00\x1b" + "é" * 3, "draft": "1"},
    )
    alice_draft.refresh_from_db()
    # Control characters (null included) are dropped; the rest is stored as typed.
    assert alice_draft.needs_summary == script + "ééé"
    page = client.get(reverse("requests:check", args=[alice_draft.pk])).content.decode()
    assert script not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_check_answers_links_each_problem_to_its_field(client):
    draft = DraftFactory(upn="", amount=None)
    client.force_login(draft.created_by)
    page = client.post(
        reverse("requests:check", args=[draft.pk]), {"declaration": "on"}
    ).content.decode()
    assert "There is a problem" in page
    assert f"{reverse('requests:pupil', args=[draft.pk])}?check=1#id_upn" in page
    assert f"{reverse('requests:funding', args=[draft.pk])}?check=1#id_amount" in page
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    # Following the link shows the problem beside the field.
    section = client.get(reverse("requests:pupil", args=[draft.pk]) + "?check=1").content.decode()
    assert "Enter the pupil&#x27;s UPN" in section


def test_submit_then_a_second_click_makes_one_request(
    client, alice_draft, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(alice_draft.created_by)
    url = reverse("requests:check", args=[alice_draft.pk])
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, {"declaration": "on"})
        second = client.post(url, {"declaration": "on"})
    assert (
        first["Location"]
        == second["Location"]
        == reverse("requests:submitted", args=[alice_draft.pk])
    )
    alice_draft.refresh_from_db()
    assert alice_draft.status == Status.SUBMITTED
    assert alice_draft.events.filter(action="submit").count() == 1
    assert len(mailoutbox) == 1
    confirmation = client.get(first["Location"]).content.decode()
    assert alice_draft.reference in confirmation


def test_submit_without_the_declaration_explains(client, alice_draft):
    client.force_login(alice_draft.created_by)
    page = client.post(reverse("requests:check", args=[alice_draft.pk]), {}).content.decode()
    assert "Confirm the declaration to submit the request" in page
    alice_draft.refresh_from_db()
    assert alice_draft.status == Status.DRAFT


def test_wrong_file_type_is_refused_and_the_draft_kept(client, alice_draft):
    client.force_login(alice_draft.created_by)
    url = reverse("requests:evidence", args=[alice_draft.pk])
    upload = SimpleUploadedFile("report.pdf", b"MZ this is not a PDF", "application/pdf")
    page = client.post(url, {"file": upload}).content.decode()
    assert "must be a PDF, Word document (DOCX), JPEG or PNG" in page
    assert alice_draft.attachments.count() == 0
    alice_draft.refresh_from_db()
    assert alice_draft.first_name == "Alex"
    upload = SimpleUploadedFile("plan.pdf", PDF, "application/pdf")
    assert client.post(url, {"file": upload}).status_code == 302
    assert alice_draft.attachments.count() == 1


def test_evidence_is_served_only_through_the_checking_view(client, settings):
    request = submitted()
    attachment = evidence_add(
        actor=request.created_by,
        request_id=DraftFactory(school=request.school, created_by=request.created_by).pk,
        upload=SimpleUploadedFile("plan.pdf", PDF, "application/pdf"),
    )
    draft = attachment.request
    url = reverse("requests:evidence_download", args=[draft.pk, attachment.pk])
    client.force_login(request.created_by)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"
    who = people(draft)
    for outsider in ("same_cos_senco", "other_cos_senco", "chair"):  # the chair: a draft
        client.force_login(who[outsider])
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    # No public address serves the stored file.
    assert client.get("/" + attachment.file.name).status_code in (302, 404)


def test_withdraw_and_discard(client, alice_draft):
    client.force_login(alice_draft.created_by)
    response = client.post(reverse("requests:discard", args=[alice_draft.pk]))
    assert response["Location"] == reverse("requests:school", args=[alice_draft.school_id])
    assert not ResourceRequest.objects.filter(pk=alice_draft.pk).exists()
    request = submitted()
    client.force_login(request.created_by)
    # A sent request is not discarded: the SENCO is taken to it with the reason (issue 18).
    refused = client.post(reverse("requests:discard", args=[request.pk]))
    assert refused["Location"] == reverse("requests:detail", args=[request.pk])
    assert ResourceRequest.objects.filter(pk=request.pk).exists()
    page = client.post(reverse("requests:withdraw", args=[request.pk]), {"reason": "Moved away"})
    assert page.status_code == 302
    request.refresh_from_db()
    assert request.status == Status.WITHDRAWN
    again = client.get(reverse("requests:withdraw", args=[request.pk]))
    assert again["Location"] == reverse("requests:detail", args=[request.pk])


def test_specific_allocation_funding_explains_and_does_not_submit(client):
    draft = DraftFactory(receives_saf=True)
    client.force_login(draft.created_by)
    page = client.get(reverse("requests:detail", args=[draft.pk])).content.decode()
    assert "Community of Schools top-up is not the route" in page
    client.post(reverse("requests:check", args=[draft.pk]), {"declaration": "on"})
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_prg_directory_is_open_to_every_signed_in_person(client):
    from demo.places import seed_prg_services

    seed_prg_services()
    client.force_login(make_chair(CommunityFactory()))
    page = client.get(reverse("requests:prg_directory")).content.decode()
    assert "Kent Educational Psychology Service" in page
    assert "Specialist Teaching and Learning Service" in page
    client.logout()
    assert client.get(reverse("requests:prg_directory")).status_code == 302
