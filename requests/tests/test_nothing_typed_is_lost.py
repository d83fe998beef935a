"""The SENCO's form never loses what was typed (issue 18, items 1 to 5): save as draft
keeps right and wrong answers, Continue uploads a chosen file, Change on check your
answers comes back there, a draft is made by its first save, and a time-out saves."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from communities.tests.factories import SchoolFactory, make_senco
from requests import validation
from requests.models import ResourceRequest
from requests.tests.factories import DraftFactory
from requests.tests.test_services_lifecycle import PDF
from requests.workflow import Action

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(client) -> ResourceRequest:
    draft = DraftFactory()
    client.force_login(draft.created_by)
    return draft


def test_save_as_draft_keeps_the_right_answers_and_the_wrong_ones_as_typed(client, draft):
    url = reverse("requests:pupil", args=[draft.pk])
    response = client.post(
        url,
        {
            **_pupil_answers(draft),
            "first_name": "Robin",
            "last_name": "Typed",
            "upn": "E88620002600X",  # wrong check letter
            "date_of_birth_0": "31",
            "date_of_birth_1": "2",  # 31 February
            "date_of_birth_2": "2017",
            "draft": "1",
        },
    )
    assert response.status_code == 302 and response["Location"] == url
    born = draft.date_of_birth
    draft.refresh_from_db()
    assert (draft.first_name, draft.last_name) == ("Robin", "Typed")
    assert draft.date_of_birth == born
    assert draft.upn == "E886200026001"  # the stored answer stays until corrected
    assert draft.answers_as_typed["pupil"]["upn"] == ["E88620002600X"]

    page = client.get(url).content.decode()
    assert "Some need correcting before you can continue" in page
    assert 'value="E88620002600X"' in page and 'value="31"' in page
    assert "UPN check letter is wrong" in page
    assert "There is a problem" in page
    # Not finished, and not to be submitted, until corrected.
    assert validation.section_status(draft, "pupil") == "in_progress"
    assert any(
        "correct the answers saved as typed" in p.message
        for p in validation.submission_problems(draft)
    )

    client.post(url, {**_pupil_answers(draft), "upn": "E886200026001", "draft": "1"})
    draft.refresh_from_db()
    assert draft.answers_as_typed == {}
    assert validation.section_status(draft, "pupil") == "completed"


def _pupil_answers(request: ResourceRequest) -> dict:
    born, consent = request.date_of_birth, request.consent_date
    return {
        "first_name": request.first_name,
        "last_name": request.last_name,
        "upn": request.upn,
        "date_of_birth_0": born.day,
        "date_of_birth_1": born.month,
        "date_of_birth_2": born.year,
        "year_group": request.year_group,
        "sen_provision": request.sen_provision,
        "primary_need": request.primary_need,
        "home_la": request.home_la,
        "receives_saf": "no",
        "consent_given": "on",
        "consent_date_0": consent.day,
        "consent_date_1": consent.month,
        "consent_date_2": consent.year,
    }


def test_save_and_continue_still_refuses_to_move_on_with_errors(client, draft):
    url = reverse("requests:pupil", args=[draft.pk])
    response = client.post(url, {**_pupil_answers(draft), "upn": "nonsense", "continue": "1"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    draft.refresh_from_db()
    assert draft.upn == "E886200026001" and draft.answers_as_typed == {}


def test_a_null_character_is_refused_and_the_rest_kept_as_typed(client, draft):
    """PostgreSQL stores no null character, in text or in JSON: the answer is refused
    with the field's message and kept as typed without it (it was a 500)."""
    url = reverse("requests:pupil", args=[draft.pk])
    response = client.post(
        url, {**_pupil_answers(draft), "home_la_name": "Med\x00way", "upn": "bad", "draft": "1"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.answers_as_typed["pupil"]["home_la_name"] == ["Medway"]
    assert 'value="bad"' in client.get(url).content.decode()


def test_change_from_check_your_answers_comes_back_to_it(client, draft):
    check = reverse("requests:check", args=[draft.pk])
    page = client.get(check).content.decode()
    change = reverse("requests:needs", args=[draft.pk]) + "?check=1#id_needs_summary"
    assert change in page
    response = client.post(
        reverse("requests:needs", args=[draft.pk]) + "?check=1",
        {**_needs_answers(draft), "needs_summary": "Changed from check answers", "continue": "1"},
    )
    assert response["Location"] == check
    draft.refresh_from_db()
    assert draft.needs_summary == "Changed from check answers"
    # From the task list it goes on to the next section as before.
    response = client.post(
        reverse("requests:needs", args=[draft.pk]), {**_needs_answers(draft), "continue": "1"}
    )
    assert response["Location"] == reverse("requests:funding", args=[draft.pk])


def _needs_answers(request: ResourceRequest) -> dict:
    return {
        "needs_summary": request.needs_summary,
        "graduated_assess": request.graduated_assess,
        "graduated_plan": request.graduated_plan,
        "graduated_do": request.graduated_do,
        "graduated_review": request.graduated_review,
        "current_provision": request.current_provision,
        "current_cost": str(request.current_cost),
        "below_threshold_reason": request.below_threshold_reason,
    }


def test_a_draft_is_made_by_its_first_save_and_its_sections_name_the_pupil(client):
    school = SchoolFactory()
    client.force_login(make_senco(school))
    start = reverse("requests:start", args=[school.pk])
    home = client.get(reverse("requests:school", args=[school.pk])).content.decode()
    assert f'href="{start}"' in home  # a link: opening the form makes nothing

    page = client.get(start).content.decode()
    assert "New Request for Resource" in page and "Pupil details" in page
    client.get(start)
    assert not ResourceRequest.objects.exists()

    response = client.post(start, {"first_name": "Robin", "last_name": "Typed", "continue": "1"})
    assert response.status_code == 200  # incomplete: nothing made yet
    assert not ResourceRequest.objects.exists()
    response = client.post(start, {"first_name": "Robin", "last_name": "Typed", "draft": "1"})
    draft = ResourceRequest.objects.get()
    assert list(draft.events.values_list("action", flat=True)) == [Action.CREATE]
    page = client.get(reverse("requests:needs", args=[draft.pk])).content.decode()
    assert "Draft Request for Resource for Robin Typed" in page
    assert "<title>Needs and current provision – Draft" in page  # never the pupil's name


def test_check_your_answers_is_not_a_link_until_it_can_be_started(client):
    school = SchoolFactory()
    client.force_login(make_senco(school))
    client.post(reverse("requests:start", args=[school.pk]), {"first_name": "Robin", "draft": "1"})
    draft = ResourceRequest.objects.get()
    page = client.get(reverse("requests:detail", args=[draft.pk])).content.decode()
    check = reverse("requests:check", args=[draft.pk])
    assert "Check your answers and submit" in page and f'href="{check}"' not in page
    complete = DraftFactory(school=school, created_by=draft.created_by)
    page = client.get(reverse("requests:detail", args=[complete.pk])).content.decode()
    assert f'href="{reverse("requests:check", args=[complete.pk])}"' in page


def test_continue_uploads_a_chosen_file(client, draft):
    url = reverse("requests:evidence", args=[draft.pk])
    page = client.get(url).content.decode()
    assert 'data-module="govuk-file-upload"' in page and 'class="govuk-file-upload"' in page
    response = client.post(
        url, {"continue": "1", "file": SimpleUploadedFile("plan.pdf", PDF, "application/pdf")}
    )
    assert response["Location"] == reverse("requests:check", args=[draft.pk])
    assert list(draft.attachments.values_list("original_name", flat=True)) == ["plan.pdf"]
    # Continue with no file chosen goes on; a refused file keeps the SENCO here, named.
    assert client.post(url, {"continue": "1"})["Location"].endswith("/check/")
    response = client.post(
        url,
        {
            "continue": "1",
            "file": SimpleUploadedFile("notes.pdf", b"MZ not a PDF", "application/pdf"),
        },
    )
    assert response.status_code == 200
    assert "notes.pdf has not been added" in response.content.decode()
    assert draft.attachments.count() == 1


def test_a_time_out_saves_the_section_signs_out_and_says_so_after_signing_in(client, draft):
    url = reverse("requests:needs", args=[draft.pk])
    response = client.post(
        url,
        {
            **_needs_answers(draft),
            "graduated_do": "Typed for half an hour",
            "current_cost": "lots",
            "draft": "1",
            "timed_out": "1",
        },
    )
    login = reverse("login")
    assert response["Location"] == f"{login}?next={url.replace('/', '%2F')}"
    draft.refresh_from_db()
    assert draft.graduated_do == "Typed for half an hour"
    assert draft.answers_as_typed["needs"]["current_cost"] == ["lots"]
    assert client.get(url)["Location"].startswith(login)  # signed out

    page = client.get(response["Location"]).content.decode()
    assert "you were signed out after 30 minutes without activity" in page
    response = client.post(
        f"{login}?next={url}",
        {"username": draft.created_by.email, "password": "correct-horse-battery"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url
    page = response.content.decode()
    assert "Your answers to Needs and current provision were saved as a draft" in page
    assert 'value="lots"' in page
