"""The Django admin as KCC's staff use it meets WCAG 2.2 AA (issue 16 item 7): axe finds
no violation on the pages they open, the admin's home, a list with filters and actions,
a change form and the schools' advance calendar (admin.css and templates/admin/)."""

from __future__ import annotations

import pytest

from tests.fixtures import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The migrations that make the KCC groups and give them their permissions, in order.
GROUP_MIGRATIONS = [
    ("reporting.migrations.0003_kcc_groups", "make_groups"),
    ("reporting.migrations.0004_kcc_administrators_see_notifications", "grant"),
    ("reporting.migrations.0004_kcc_administrators_see_what_they_use", "take_back"),
    ("reporting.migrations.0006_kcc_administrators_keep_the_advance_calendar", "grant"),
]


@pytest.fixture
def kcc_groups(transactional_db):
    """The KCC groups as the migrations make them: they are data, so an earlier
    transactional test's flush took them away, and admin@example.org would be a KCC
    administrator without a group's permissions (403 on every list)."""
    import importlib

    from django.apps import apps

    modules = {config.label: config.models_module for config in apps.get_app_configs()}
    try:
        for module, function in GROUP_MIGRATIONS:
            getattr(importlib.import_module(module), function)(apps, None)
    finally:
        for config in apps.get_app_configs():
            config.models_module = modules[config.label]


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


def test_admin_pages_have_no_axe_violations(page, live_server, kcc_groups, demo, axe):
    sign_in(page, live_server, "admin@example.org")
    for path in ADMIN_PAGES:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        axe(page)


def test_a_change_form_and_an_import_preview_have_no_axe_violations(
    page, live_server, kcc_groups, demo, axe
):
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
