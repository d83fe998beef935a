"""Two-factor sign-in in a real Chromium: enrolment with the QR code page, recovery codes,
and the code asked for at the next sign-in. axe-core checks each page."""

import base64

import pytest
from django_otp.oath import TOTP

from tests.fixtures import DEMO_PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code_for(secret_text: str, drift: int = 0) -> str:
    key = base64.b32decode(
        secret_text.replace(" ", "") + "=" * (-len(secret_text.replace(" ", "")) % 8)
    )
    totp = TOTP(key)
    totp.drift = drift
    return f"{totp.token():06d}"


def test_a_senco_enrols_and_then_signs_in_with_a_code(page, live_server, demo, axe, settings):
    settings.REQUIRE_MFA = True
    sign_in(page, live_server, "senco@example.org")
    page.wait_for_selector("h1:text('Set up two-factor sign-in')")
    assert page.locator(".kent-qr svg").is_visible()
    axe(page)
    secret = page.inner_text("#totp-secret")
    page.get_by_label("Security code").fill("12345")  # five digits: never right
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    page.wait_for_selector(".govuk-error-summary")
    axe(page)
    page.wait_for_timeout(1200)  # django-otp makes a try after a wrong code wait a second
    page.get_by_label("Security code").fill(code_for(secret))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    page.wait_for_selector("h1:text('Two-factor sign-in is on')")
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    axe(page)
    page.get_by_role("link", name="Continue").click()
    page.wait_for_selector("h1:text('Requests for Resource')")

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")
    page.get_by_label("Email address").fill("senco@example.org")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("h1:text('Enter your security code')")
    axe(page)
    page.get_by_label("Security code").fill(code_for(secret, drift=1))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_selector("h1:text('Requests for Resource')")
