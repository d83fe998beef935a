"""Every page each demo account can reach fits a 390 px wide screen: nothing makes the
page scroll sideways (issue 18, item 7). Tables become a stack of labelled rows on narrow
screens (frontend/scss/app.scss, static/js/app.mjs); this opens, in Chromium, every page
linked from each demo account's home (as tests/test_make_run_sqlite.py does) on the demo
that `make run` builds, and measures the page's width."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from demo.places import DEMO_ACCOUNTS
from tests.fixtures import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "kent-demo-password-2026"  # seed_demo's demo password
# Not opened: signing out, the admin (Django's own, and wide by design), downloads.
SKIP = re.compile(
    r"/accounts/logout|/admin/|\.pdf$|\.csv$|\.xlsx$|/static/|/export|/download|/pdf/"
)
PAGES_PER_ACCOUNT = 40
WIDTH = 390


@pytest.fixture
def demo_as_make_run_builds_it(django_db_blocker, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    with django_db_blocker.unblock():
        call_command("seed_demo", "--force")


def _too_wide(page) -> list[str]:
    """What sticks out of the viewport: the page's own width, and the widest elements."""
    return page.evaluate(
        """(width) => {
            const found = [];
            if (document.documentElement.scrollWidth > width) {
                found.push(`page ${document.documentElement.scrollWidth}px`);
                for (const el of document.querySelectorAll('main *')) {
                    const box = el.getBoundingClientRect();
                    if (box.right > width + 1 && found.length < 4) {
                        found.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(box.right)}px`);
                    }
                }
            }
            return found;
        }""",
        WIDTH,
    )


def test_every_page_the_demo_accounts_reach_fits_390_pixels(
    browser, live_server, demo_as_make_run_builds_it
):
    wide: dict[str, list[str]] = {}
    opened = 0
    for account in DEMO_ACCOUNTS:
        if account.email == "superuser@example.org":
            continue  # the same pages as the KCC administrator, and the admin
        context = browser.new_context(viewport={"width": WIDTH, "height": 844})
        page = context.new_page()
        sign_in(page, live_server, account.email, PASSWORD)
        queue, seen = ["/"], set()
        while queue and len(seen) < PAGES_PER_ACCOUNT:
            path = queue.pop(0)
            if path in seen or SKIP.search(path):
                continue
            seen.add(path)
            response = page.goto(f"{live_server.url}{path}")
            opened += 1
            if response is None or "text/html" not in response.headers.get("content-type", ""):
                continue
            if found := _too_wide(page):
                wide[f"{account.email} {path}"] = found
            links = page.eval_on_selector_all(
                "a[href^='/']", "els => els.map(a => a.getAttribute('href'))"
            )
            queue += [link.split("#")[0] for link in links if link.split("#")[0]]
        context.close()
    assert opened > 80, opened  # every account's pages, not only its home
    assert wide == {}, "\n".join(f"{k}: {v}" for k, v in wide.items())
