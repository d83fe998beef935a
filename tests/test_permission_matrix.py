"""Nobody sees what is not theirs: every URL pattern of the project, requested with real
objects owned by one school, CoS and area, by people who do not own them.

Expected: anonymous people are sent to sign in; an object outside a person's scope is
404; an allowed reader without the right to change it gets 403; and a 200 never carries
the owner's pupil identity. The URL list is read from the URL configuration, not kept by
hand: a new URL without a rule below fails ``test_every_url_has_a_rule``.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from communities.models import RoleAssignment
from requests.selectors.officer import request_payments
from tests.worlds.world import World

OUTSIDERS = [
    "anonymous",
    "senco_same_cos",
    "senco_other_cos",
    "chair_other_cos",
    "officer_other_area",
    "board_other_area",
]
SIGN_IN = "sign-in"  # a redirect to the sign-in page


def _upcoming(w: World, key: str) -> dict:
    return {"pk": w.objects["upcoming"].pk, key: w.objects["upcoming_item"].pk}


# url name -> (kwargs from the world, expected status per outsider where not 404)
RULES: dict[str, tuple] = {
    # Public pages and the signed-in home: no object of anyone's.
    "home": (lambda w: {}, {"*": 302}),  # one role: straight to their own place
    "healthz": (lambda w: {}, {"*": 200, "anonymous": 200}),
    "accessibility": (lambda w: {}, {"*": 200, "anonymous": 200}),
    "cookies": (lambda w: {}, {"*": 200, "anonymous": 200}),
    "privacy": (lambda w: {}, {"*": 200, "anonymous": 200}),
    "login": (lambda w: {}, {"*": 302, "anonymous": 200}),
    "logout": (lambda w: {}, {"*": 405, "anonymous": 405}),  # sign-out is a POST
    # The time-out warning's: extend a session (nothing to say without one), and sign
    # out at the idle limit (a POST).
    "keep_alive": (lambda w: {}, {"*": 204, "anonymous": 401}),
    "timed_out": (lambda w: {}, {"*": 405, "anonymous": 405}),
    "mfa_verify": (lambda w: {}, {"*": 302}),
    "mfa_setup": (lambda w: {}, {"*": 200}),
    "password_reset": (lambda w: {}, {"*": 200, "anonymous": 200}),
    "password_reset_done": (lambda w: {}, {"*": 200, "anonymous": 200}),
    "password_reset_confirm": (
        lambda w: {"uidb64": "MQ", "token": "bad-token"},
        {"*": 200, "anonymous": 200},
    ),
    "password_reset_complete": (lambda w: {}, {"*": 200, "anonymous": 200}),
    "requests:prg_directory": (lambda w: {}, {"*": 200}),
    # People managed where they work: a chair sees their own CoS's people only.
    "people": (lambda w: {}, {"chair_other_cos": 200}),
    "people_invite": (lambda w: {"kind": "community", "pk": w.objects["community"].pk}, {}),
    "people_remove": (
        lambda w: {
            "pk": RoleAssignment.objects.filter(community=w.objects["community"]).first().pk
        },
        {},
    ),
    # Everyone's own notifications: a list of one's own, never anyone else's.
    "requests:notifications": (lambda w: {}, {"*": 200}),
    "requests:notification_preferences": (lambda w: {}, {"*": 200}),
    "requests:notifications_read": (lambda w: {}, {"*": 302}),
    "requests:notification_open": (lambda w: {"pk": w.notification().pk}, {}),
    "requests:subject_access": (lambda w: {}, {}),
    # The school's pages.
    "requests:school": (lambda w: {"school_id": w.objects["school"].pk}, {}),
    "requests:start": (lambda w: {"school_id": w.objects["school"].pk}, {}),
    "requests:detail": (lambda w: {"pk": w.objects["draft"].pk}, {}),
    "requests:pupil": (lambda w: {"pk": w.objects["draft"].pk}, {}),
    "requests:needs": (lambda w: {"pk": w.objects["draft"].pk}, {}),
    "requests:funding": (lambda w: {"pk": w.objects["draft"].pk}, {}),
    "requests:exceptional": (lambda w: {"pk": w.objects["draft"].pk}, {}),
    "requests:evidence": (lambda w: {"pk": w.objects["draft"].pk}, {}),
    "requests:evidence_download": (
        lambda w: {"pk": w.objects["draft"].pk, "attachment_id": w.objects["draft_file"].pk},
        {},
    ),
    "requests:evidence_remove": (
        lambda w: {"pk": w.objects["draft"].pk, "attachment_id": w.objects["draft_file"].pk},
        {},
    ),
    "requests:check": (lambda w: {"pk": w.objects["draft"].pk}, {}),
    "requests:submitted": (lambda w: {"pk": w.objects["approved"].pk}, {}),
    "requests:withdraw": (lambda w: {"pk": w.objects["waiting"].pk}, {}),
    "requests:discard": (lambda w: {"pk": w.objects["draft"].pk}, {}),
    "requests:continue": (lambda w: {"pk": w.objects["approved"].pk}, {}),
    "requests:review": (lambda w: {"pk": w.objects["approved"].pk}, {}),
    # The chair's pages. Member schools read their CoS's meeting (pseudonymised) but
    # may not change it or read the chair's minutes and packs.
    "requests:community": (lambda w: {"community_id": w.objects["community"].pk}, {}),
    "requests:meetings": (lambda w: {"community_id": w.objects["community"].pk}, {}),
    # What members see of their CoS: every member school's people, no pupil named.
    "requests:members": (
        lambda w: {"community_id": w.objects["community"].pk},
        {"senco_same_cos": 200},
    ),
    "requests:meeting_new": (lambda w: {"community_id": w.objects["community"].pk}, {}),
    "requests:meeting": (lambda w: {"pk": w.objects["upcoming"].pk}, {"senco_same_cos": 200}),
    "requests:case_summaries": (
        lambda w: {"pk": w.objects["upcoming"].pk},
        {"senco_same_cos": 200},
    ),
    "requests:meeting_edit": (lambda w: {"pk": w.objects["upcoming"].pk}, {"senco_same_cos": 403}),
    "requests:meeting_cancel": (
        lambda w: {"pk": w.objects["upcoming"].pk},
        {"senco_same_cos": 403},
    ),
    "requests:agenda_add": (lambda w: {"pk": w.objects["upcoming"].pk}, {"senco_same_cos": 403}),
    "requests:agenda_remove": (lambda w: _upcoming(w, "item_id"), {"senco_same_cos": 403}),
    "requests:agenda_move": (lambda w: _upcoming(w, "item_id"), {"senco_same_cos": 403}),
    "requests:decide": (lambda w: _upcoming(w, "item_id"), {"senco_same_cos": 403}),
    "requests:ratify": (lambda w: _upcoming(w, "item_id"), {"senco_same_cos": 403}),
    "requests:correct": (lambda w: _upcoming(w, "item_id"), {"senco_same_cos": 403}),
    "requests:attendance": (lambda w: {"pk": w.objects["upcoming"].pk}, {"senco_same_cos": 403}),
    "requests:declarations": (lambda w: {"pk": w.objects["upcoming"].pk}, {"senco_same_cos": 403}),
    "requests:declaration_remove": (
        lambda w: {"pk": w.objects["upcoming"].pk, "declaration_id": w.objects["declaration"].pk},
        {"senco_same_cos": 403},
    ),
    # A member school's SENCO arranges its own school's representation: another school's
    # SENCO, even in the same CoS, finds no such page.
    "requests:representation": (
        lambda w: {"pk": w.objects["upcoming"].pk, "school_id": w.objects["school"].pk},
        {},
    ),
    "requests:meeting_close": (lambda w: {"pk": w.objects["upcoming"].pk}, {"senco_same_cos": 403}),
    "requests:minutes": (lambda w: {"pk": w.objects["held"].pk}, {"senco_same_cos": 403}),
    "requests:minutes_pdf": (lambda w: {"pk": w.objects["held"].pk}, {"senco_same_cos": 403}),
    "requests:agenda_pdf": (lambda w: {"pk": w.objects["upcoming"].pk}, {"senco_same_cos": 403}),
    "requests:interim": (lambda w: {"pk": w.objects["waiting"].pk}, {}),
    "requests:meeting_summary": (lambda w: {"pk": w.objects["waiting"].pk}, {}),
    # The officer's pages.
    "requests:officer": (lambda w: {"area_id": w.objects["area"].pk}, {}),
    "requests:acknowledge": (lambda w: {"pk": w.objects["approved"].pk}, {}),
    "requests:request_pdf": (lambda w: {"pk": w.objects["approved"].pk}, {}),
    "requests:payment_route": (lambda w: {"pk": w.objects["approved"].pk}, {}),
    "requests:payment_record": (lambda w: {"pk": w.objects["approved"].pk}, {}),
    "requests:payment_reverse": (
        lambda w: {"pk": w.objects["approved"].pk, "payment_id": w.objects["payment"].pk},
        {},
    ),
    "requests:exports": (lambda w: {"area_id": w.objects["area"].pk}, {}),
    "requests:export_due_csv": (lambda w: {"area_id": w.objects["area"].pk}, {}),
    "requests:export_made_csv": (lambda w: {"area_id": w.objects["area"].pk}, {}),
    "requests:export_xlsx": (lambda w: {"area_id": w.objects["area"].pk}, {}),
    # A CoS's money: its members' (each member school's people) as well as the chair's.
    "budgets:finance": (
        lambda w: {"community_id": w.objects["community"].pk},
        {"senco_same_cos": 200},
    ),
    "budgets:statements": (
        lambda w: {"community_id": w.objects["community"].pk},
        {"senco_same_cos": 200},
    ),
    # The whole area's budgets: its officers only. How awards count: any signed-in person.
    "budgets:area": (lambda w: {"area_id": w.objects["area"].pk}, {}),
    "budgets:how_awards_count": (lambda w: {}, {"*": 200}),
    "budgets:statement": (
        lambda w: {
            "community_id": w.objects["community"].pk,
            "statement_id": w.objects["statement"].pk,
        },
        {"senco_same_cos": 200},
    ),
    # Area Board reports: aggregates, but only for the area's and the CoS's own people.
    "reporting:board": (lambda w: {"area_id": w.objects["area"].pk}, {}),
    "reporting:area_new": (lambda w: {"area_id": w.objects["area"].pk}, {}),
    "reporting:community": (
        lambda w: {"community_id": w.objects["community"].pk},
        {"senco_same_cos": 200},
    ),
    "reporting:community_new": (
        lambda w: {"community_id": w.objects["community"].pk},
        {"senco_same_cos": 200},
    ),
    "reporting:detail": (lambda w: {"pk": w.report().pk}, {}),
    "reporting:status": (lambda w: {"pk": w.report().pk}, {}),
    "reporting:download": (lambda w: {"pk": w.report().pk}, {}),
    "reporting:regenerate": (lambda w: {"pk": w.report().pk}, {}),
    # Kent-wide: KCC administrators, KCC oversight and (reports only) governance readers.
    "reporting:kent_overview": (lambda w: {}, {}),
    "reporting:kent_overview_csv": (lambda w: {}, {}),
    "reporting:kent_community": (lambda w: {"community_id": w.objects["community"].pk}, {}),
    "reporting:kent_reports": (lambda w: {}, {}),
    "reporting:kent_new": (lambda w: {}, {}),
}


def project_url_names() -> list[str]:
    """Every named URL of the project outside the Django admin (covered below)."""
    names = []

    def walk(patterns, namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern):
                assert pattern.name, f"URL {pattern.pattern} has no name"
                names.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, None)
    return names


def test_every_url_has_a_rule():
    missing = sorted(set(project_url_names()) - set(RULES))
    assert missing == [], f"Add a permission rule for: {missing}"
    assert sorted(set(RULES) - set(project_url_names())) == []


# Actions that only accept POST answer 405 to a signed-in GET, whatever the object: it
# tells nothing about it. Their POSTs are checked like every other URL.
POST_ONLY = {
    "requests:evidence_remove", "requests:acknowledge", "requests:agenda_remove",
    "requests:agenda_move", "requests:declaration_remove", "reporting:regenerate",
    "requests:notifications_read", "requests:payment_route", "people_remove",
    "requests:continue",
}  # fmt: skip


def expected(rule_expect: dict, who: str) -> int | str:
    if who in rule_expect:
        return rule_expect[who]
    if who == "anonymous":
        return SIGN_IN
    return rule_expect.get("*", 404)


def check(response, want, who: str, url: str, method: str, w: World) -> None:
    got = response.status_code
    if want == SIGN_IN:
        assert got == 302 and "/accounts/login/" in response["Location"], (
            f"{who} {method} {url}: {got}"
        )
        return
    if method == "post" and want == 200:
        want_any = (200, 302, 403, 405)  # a form re-shown, or a harmless redirect
        assert got in want_any, f"{who} {method} {url}: {got}"
    else:
        assert got == want, f"{who} {method} {url}: expected {want}, got {got}"
    if got == 200 and not response.streaming:
        body = response.content.decode(errors="replace")
        leaked = [secret for secret in w.secrets if secret in body]
        assert leaked == [], f"{who} {method} {url} shows {leaked}"


@pytest.mark.parametrize("name", sorted(RULES))
def test_outsiders_get_nothing(client, world, name):
    kwargs_of, rule_expect = RULES[name]
    url = reverse(name, kwargs=kwargs_of(world))
    for who in OUTSIDERS:
        client.logout()
        if who != "anonymous":
            client.force_login(world.people[who])
        want = expected(rule_expect, who)
        get_want = 405 if name in POST_ONLY and who != "anonymous" else want
        check(client.get(url), get_want, who, url, "get", world)
        if name in {"login", "logout", "password_reset", "password_reset_confirm", "timed_out"}:
            continue  # their POST is the public form itself (timed_out: a sign-out)
        if name == "keep_alive":
            continue  # a GET only: its POST is 405 for everyone
        check(client.post(url, {}), want, who, url, "post", world)


def test_writes_by_outsiders_change_nothing(client, world):
    """After every outsider has posted to every URL, the owner's objects are as they were."""
    draft, approved = world.objects["draft"], world.objects["approved"]
    draft.refresh_from_db()
    approved.refresh_from_db()
    before = (
        draft.first_name,
        draft.status,
        approved.status,
        request_payments(approved.pk).count(),
    )
    for who in OUTSIDERS[1:]:
        client.force_login(world.people[who])
        for name, (kwargs_of, _) in RULES.items():
            if name in ("logout", "login"):
                continue
            client.post(
                reverse(name, kwargs=kwargs_of(world)), {"first_name": "Changed", "reason": "x"}
            )
    draft.refresh_from_db()
    approved.refresh_from_db()
    assert (
        draft.first_name,
        draft.status,
        approved.status,
        request_payments(approved.pk).count(),
    ) == before
    assert draft.attachments.count() == 1


@pytest.mark.parametrize("who", OUTSIDERS[1:])
def test_the_admin_is_for_administrators_only(client, world, who):
    client.force_login(world.people[who])
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls += [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_add")]
        urls += [reverse(f"{prefix}_change", args=[1]), reverse(f"{prefix}_history", args=[1])]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], (who, url)


def test_the_owners_can_reach_their_pages(client, world):
    """The same world, seen by its owners: the rules above are not 404 for everyone."""
    checks = [
        ("senco", "requests:detail", {"pk": world.objects["draft"].pk}),
        ("senco", "requests:evidence_download", {"pk": world.objects["draft"].pk, "attachment_id": world.objects["draft_file"].pk}),
        ("chair", "requests:meeting", {"pk": world.objects["upcoming"].pk}),
        ("chair", "requests:minutes", {"pk": world.objects["held"].pk}),
        ("officer", "requests:officer", {"area_id": world.objects["area"].pk}),
        ("officer", "requests:export_xlsx", {"area_id": world.objects["area"].pk}),
        ("board", "reporting:board", {"area_id": world.objects["area"].pk}),
        ("board", "reporting:download", {"pk": world.report().pk}),
        ("admin", "requests:subject_access", {}),
        ("senco", "requests:notifications", {}),
    ]  # fmt: skip
    for who, name, kwargs in checks:
        client.force_login(world.people[who])
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 200, (who, name)
    assert RoleAssignment.objects.count() >= 9
