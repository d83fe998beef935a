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
]


def test_admin_pages_have_no_axe_violations(page, live_server, demo, axe):
    sign_in(page, live_server, "admin@example.org")
    for path in ADMIN_PAGES:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        axe(page)


def test_a_change_form_has_no_axe_violations(page, live_server, demo, axe):
    from communities.models import School

    sign_in(page, live_server, "admin@example.org")
    school = School.objects.order_by("pk").first()
    page.goto(f"{live_server.url}/admin/communities/school/{school.pk}/change/")
    axe(page)
