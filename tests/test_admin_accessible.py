"""The Django admin as KCC's staff use it meets WCAG 2.2 AA (issue 16 item 7): axe finds
no violation on the pages they open, the admin's home, a list with filters and actions,
a change form and the schools' advance calendar (admin.css and templates/admin/)."""

from __future__ import annotations

import pytest

from tests.fixtures import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN_PAGES = [
    "/admin/",
    "/admin/communities/school/",
    "/admin/communities/school/?kind__exact=mainstream",
    "/admin/communities/communityofschools/",
    "/admin/communities/user/",
    "/admin/budgets/cosbudget/",
    "/admin/budgets/schoolsadvance/",
    "/admin/budgets/schoolsadvance/add/",
    "/admin/kentlocality/closureday/",
    "/admin/budgets/importrun/",
    "/admin/budgets/importrun/upload/",
]


def test_admin_pages_have_no_axe_violations(page, live_server, demo, axe):
    sign_in(page, live_server, "admin@example.org")
    for path in ADMIN_PAGES:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        axe(page)


def test_a_change_form_and_an_import_preview_have_no_axe_violations(page, live_server, demo, axe):
    from communities.models import School

    sign_in(page, live_server, "admin@example.org")
    school = School.objects.order_by("pk").first()
    page.goto(f"{live_server.url}/admin/communities/school/{school.pk}/change/")
    axe(page)
    page.goto(f"{live_server.url}/admin/budgets/importrun/upload/")
    page.locator("input[name=kind][value=budgets]").check()
    page.locator("input[name=file]").set_input_files(
        files=[
            {
                "name": "budgets.csv",
                "mimeType": "text/csv",
                "buffer": b"Financial year,Community of Schools,Budget\n2027-28,Nowhere CoS,5\n",
            }
        ]
    )
    page.get_by_role("button", name="Preview the import").click()
    page.get_by_text("What the import would do").wait_for()
    axe(page)
