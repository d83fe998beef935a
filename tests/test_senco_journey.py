"""A SENCO completes a Request for Resource in a real Chromium with the keyboard alone:
validation errors, fixes, evidence, check answers, submit, reference and timeline. axe-core
finds no WCAG 2.2 AA violation on any page of the journey."""

import datetime as dt

import pytest
from django.utils import timezone

from requests.models import ResourceRequest
from tests.fixtures import sign_in
from tests.keyboard import choose_option, choose_radio, press, tab_to, tick, type_date, type_into

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def evidence_pdf(tmp_path):
    from weasyprint import HTML

    path = tmp_path / "provision-map.pdf"
    path.write_bytes(
        HTML(string="<h1>Provision map</h1><p>Speech and language support</p>").write_pdf()
    )
    return path


def test_senco_submits_a_request_with_the_keyboard_alone(
    page, live_server, demo, axe, evidence_pdf
):
    sign_in(page, live_server, "senco@example.org")
    request = submit_with_the_keyboard(page, axe, evidence_pdf)
    assert request.status == "submitted"


def submit_with_the_keyboard(page, axe, evidence_pdf) -> ResourceRequest:
    """From the school's requests page, the whole Request for Resource with the keyboard
    alone, checked by axe on every page; ends on the request's page after submitting."""
    axe(page)  # the school's requests page
    press(page, "a:text('Start a new request')")

    # 1. Pupil details, the first page of a new request: first a mistake, to see the error
    # summary.
    page.wait_for_selector("h1:text('Pupil details')")
    axe(page)
    type_into(page, "#id_first_name", "Alex")
    type_into(page, "#id_upn", "F886200026001")
    press(page, "button[name=continue]")
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "UPN check letter is wrong" in summary.inner_text()
    assert "Enter the pupil's last name" in summary.inner_text()
    assert page.title().startswith("Error:")
    axe(page)

    born = timezone.localdate() - dt.timedelta(days=365 * 9)
    type_into(page, "#id_last_name", "Example")
    type_date(page, "date_of_birth", born.day, born.month, born.year)
    type_into(page, "#id_upn", "E886200026001")
    choose_option(page, "#id_year_group", "Year 4")
    choose_radio(page, "sen_provision", 1)
    choose_option(page, "#id_primary_need", "Speech, Language and Communication Needs (SLCN)")
    choose_radio(page, "home_la", 1)
    choose_radio(page, "receives_saf", 2)
    tick(page, "#id_consent_given")
    consent = timezone.localdate() - dt.timedelta(days=7)
    type_date(page, "consent_date", consent.day, consent.month, consent.year)
    press(page, "button[name=continue]")

    # 2. Needs and current provision
    page.wait_for_selector("h1:text('Needs and current provision')")
    axe(page)
    type_into(page, "#id_needs_summary", "Speech and language needs limit access to lessons.")
    type_into(
        page, "#id_graduated_assess", "Assessed by the speech and language therapist in September."
    )
    type_into(page, "#id_graduated_plan", "Planned small-group language work three times a week.")
    type_into(page, "#id_graduated_do", "Delivered by a trained teaching assistant for two terms.")
    type_into(
        page, "#id_graduated_review", "Reviewed each term with parents: slower progress than hoped."
    )
    type_into(page, "#id_current_provision", "Teaching assistant, 10 hours a week.")
    type_into(page, "#id_current_cost", "6,000")
    tick(page, "#id_prg_services_1")
    press(page, "button[name=continue]")

    # 3. What is requested
    page.wait_for_selector("h1:text('What is requested')")
    axe(page)
    start = timezone.localdate() + dt.timedelta(days=14)
    end = start + dt.timedelta(days=200)
    type_into(
        page, "#id_funding_purpose", "One-to-one support from a specialist teaching assistant."
    )
    type_into(page, "#id_amount", "7500")
    type_date(page, "start_date", start.day, start.month, start.year)
    type_date(page, "end_date", end.day, end.month, end.year)
    type_into(page, "#id_outcomes", "Follows classroom instructions without adult help.")
    type_into(page, "#id_review_arrangements", "Termly review with the SENCO and parents.")
    press(page, "button[name=continue]")

    # 4. Exceptional request
    page.wait_for_selector("h1:text('Exceptional request')")
    axe(page)
    choose_radio(page, "is_exceptional", 2)
    press(page, "button[name=continue]")

    # 5. Evidence, chosen through the file dialog opened from the keyboard. Playwright
    # asks the browser to hand it file dialogs without waiting for the answer, so a
    # listener made only as the key is pressed can lose the race to the dialog (CI saw
    # it once: no "filechooser" event in 30 s). Listening from before the page is used
    # leaves the browser time to start handing them over.
    def keep_listening(_chooser) -> None:
        pass

    page.on("filechooser", keep_listening)
    page.wait_for_selector("h1:text('Evidence')")
    axe(page)
    tab_to(page, "#id_file")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    page.remove_listener("filechooser", keep_listening)
    chooser.value.set_files(str(evidence_pdf))
    press(page, "button:text('Upload file')")
    page.wait_for_selector("text=provision-map.pdf has been added.")
    axe(page)
    press(page, "button[name=continue]")

    # 6. Check your answers, declaration, submit
    page.wait_for_selector("h1:text('Check your answers before submitting your request')")
    assert "E886200026001" in page.inner_text("main")
    assert "£7,500.00" in page.inner_text("main")
    axe(page)
    tick(page, "#id_declaration")
    press(page, "button:text('Submit request')")

    page.wait_for_selector("h1:text('Request submitted')")
    request = ResourceRequest.objects.get(upn="E886200026001")
    assert request.status == "submitted"
    assert request.reference in page.inner_text(".govuk-panel")
    assert request.attachments.count() == 1
    axe(page)

    press(page, "a:text('request page')")
    page.wait_for_selector("h2:text('Timeline')")
    timeline = page.inner_text("main")
    assert "Submitted" in timeline and "Draft started" in timeline and "Evidence added" in timeline
    axe(page)
    return request
