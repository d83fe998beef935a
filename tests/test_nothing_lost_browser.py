"""Nothing a SENCO types is lost, in a real Chromium (issue 18, items 1 to 4): the GOV.UK
time-out warning and "Stay signed in", the save on time-out and the message after signing
in again, "Continue" with a chosen file, and Check your answers → Change → back. With the
keyboard wherever the journey allows; axe-core finds no WCAG 2.2 AA violation.

The idle limit is shortened for these tests (the page reads it from the server): a
20-second session warned 12 seconds before its end."""

from __future__ import annotations

import time

import pytest

from requests.models import ResourceRequest
from requests.tests.factories import DraftFactory
from tests.fixtures import DEMO_PASSWORD, sign_in
from tests.keyboard import press, tab_to, type_into

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IDLE_SECONDS = 20
WARNING_SECONDS = 12


@pytest.fixture
def short_sessions(settings):
    settings.SESSION_COOKIE_AGE = IDLE_SECONDS
    settings.SESSION_WARNING_SECONDS = WARNING_SECONDS


@pytest.fixture
def senco_draft(demo) -> ResourceRequest:
    from communities.models import User
    from communities.permissions import scope_for

    senco = User.objects.get(email="senco@example.org")
    school_id = next(iter(scope_for(senco).school_ids))
    return DraftFactory(school_id=school_id, created_by=senco)


def test_the_warning_opens_before_the_limit_and_stay_signed_in_extends_the_session(
    page, live_server, senco_draft, short_sessions, axe
):
    sign_in(page, live_server, "senco@example.org")
    page.goto(f"{live_server.url}/requests/{senco_draft.pk}/needs/")
    dialog = page.locator("dialog#kent-timeout")
    assert not dialog.is_visible()
    dialog.wait_for(state="visible", timeout=(IDLE_SECONDS - WARNING_SECONDS + 5) * 1000)
    assert "You're about to be signed out" in dialog.inner_text()
    assert "we will sign you out in" in dialog.inner_text()
    # Focus is in the dialog, and the page behind is inert (a modal).
    assert page.evaluate("() => document.activeElement.id") == "kent-timeout-title"
    axe(page)

    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Stay signed in"
    page.keyboard.press("Enter")
    dialog.wait_for(state="hidden")
    # Past the first limit: still signed in, on the same page, nothing sent.
    time.sleep(IDLE_SECONDS - WARNING_SECONDS)
    assert "/accounts/login/" not in page.url
    assert page.locator("h1").inner_text() == "Needs and current provision"


def test_answers_are_saved_at_the_time_out_and_the_senco_lands_back_on_the_page(
    page, live_server, senco_draft, short_sessions, axe
):
    sign_in(page, live_server, "senco@example.org")
    section = f"/requests/{senco_draft.pk}/needs/"
    page.goto(f"{live_server.url}{section}")
    type_into(page, "#id_graduated_review", "Half an hour of typing about the reviews.")
    type_into(page, "#id_current_cost", "about six thousand")  # not right yet
    # Nobody answers the warning: at the limit the page saves and signs out.
    page.wait_for_url("**/accounts/login/**", timeout=(IDLE_SECONDS + 10) * 1000)
    banner = page.locator(".govuk-notification-banner").inner_text()
    assert "you were signed out after 20 seconds without activity" in banner
    assert "Your answers to Needs and current provision were saved as a draft" in banner
    axe(page)

    senco_draft.refresh_from_db()
    assert senco_draft.graduated_review == "Half an hour of typing about the reviews."
    assert senco_draft.answers_as_typed["needs"]["current_cost"] == ["about six thousand"]

    page.get_by_label("Email address").fill("senco@example.org")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{section}")
    assert "Your answers to Needs and current provision were saved as a draft" in (
        page.locator(".govuk-notification-banner").inner_text()
    )
    assert page.input_value("#id_graduated_review") == "Half an hour of typing about the reviews."
    assert page.input_value("#id_current_cost") == "about six thousand"
    assert "There is a problem" in page.inner_text(".govuk-error-summary")
    axe(page)


def test_continue_uploads_the_chosen_file(page, live_server, senco_draft, axe, tmp_path):
    from weasyprint import HTML

    evidence = tmp_path / "support-plan.pdf"
    evidence.write_bytes(HTML(string="<h1>SEN support plan</h1>").write_pdf())
    sign_in(page, live_server, "senco@example.org")
    page.goto(f"{live_server.url}/requests/{senco_draft.pk}/evidence/")
    axe(page)  # GOV.UK's file upload component, enhanced

    def keep_listening(_chooser) -> None:
        pass

    page.on("filechooser", keep_listening)
    tab_to(page, "#id_file")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    page.remove_listener("filechooser", keep_listening)
    chooser.value.set_files(str(evidence))
    press(page, "button[name=continue]")  # not "Upload file"

    page.wait_for_selector("h1:text('Check your answers before submitting your request')")
    assert "support-plan.pdf has been added." in page.inner_text(".govuk-notification-banner")
    assert list(senco_draft.attachments.values_list("original_name", flat=True)) == [
        "support-plan.pdf"
    ]
    axe(page)


def test_change_on_check_your_answers_comes_back_to_it(page, live_server, senco_draft, axe):
    sign_in(page, live_server, "senco@example.org")
    page.goto(f"{live_server.url}/requests/{senco_draft.pk}/check/")
    press(page, "a:has-text('Change'):has(span:text(' plan'))")
    page.wait_for_selector("h1:text('Needs and current provision')")
    assert page.evaluate("() => document.activeElement.id") in ("", "id_graduated_plan")
    type_into(page, "#id_graduated_plan", "Planned small-group work, now four times a week.")
    press(page, "button[name=continue]")
    page.wait_for_selector("h1:text('Check your answers before submitting your request')")
    assert "Planned small-group work, now four times a week." in page.inner_text("main")
    axe(page)
