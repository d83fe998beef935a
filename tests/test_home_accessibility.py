"""Every demo account signs in in a real Chromium, and its home page has no WCAG 2.2 AA
violation that axe-core can find."""

import pytest

from demo.places import DEMO_ACCOUNTS
from tests.fixtures import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_each_demo_account_signs_in_to_an_accessible_home_page(page, live_server, demo, axe):
    page.goto(f"{live_server.url}/accounts/login/")
    axe(page)
    for account in DEMO_ACCOUNTS:
        sign_in(page, live_server, account.email)
        assert page.get_by_role("button", name="Sign out").is_visible()
        heading = page.get_by_role("heading", level=1)
        assert heading.is_visible()
        axe(page)
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url("**/accounts/login/")


def test_footer_pages_and_errors_are_accessible(page, live_server, demo, axe):
    for path, heading in [
        ("/accessibility/", "Accessibility statement"),
        ("/cookies/", "Cookies"),
        ("/privacy/", "Privacy notice"),
        ("/no-such-page/", "Page not found"),
    ]:
        page.goto(f"{live_server.url}{path}")
        assert page.get_by_role("heading", level=1).inner_text() == heading
        axe(page)
