"""Bad input never breaks the service. Every form of the project is found by reading the
pages (not a hand-kept list) and posted random and hostile values by hypothesis: huge,
empty, negative, malformed dates and amounts, scripts, control characters, unicode.

Never a 500; never a stored script that runs (it always comes back escaped); nothing
half-saved (every service is one transaction, and PostgreSQL would refuse the rest).
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_permission_matrix import RULES
from tests.worlds.world import World

SCRIPT = "<script>alert('x')</script>"
HOSTILE = [
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "\x00\x01\x07\x1b[31m",
    "A" * 100_000,
    "",
    " ",
    "-1",
    "-0.01",
    "0",
    "1e309",
    "NaN",
    "Infinity",
    "99999999999999999999999",
    "£-5",
    "12.345",
    "31",
    "13",
    "0000",
    "99999",
    "2026-13-45",
    "=1+2",
    "+44 1234",
    "@SUM(A1:A9)",
    "ü 🙂 \u202e\u200b",
    "../../etc/passwd",
    "' OR 1=1 --",
]
OWNERS = ["senco", "chair", "officer", "admin"]


class Forms(HTMLParser):
    """The forms of a page: their method, action and fields (with options, if any)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs) -> None:
        a = dict(attrs)
        if tag == "form":
            self.forms.append(
                {
                    "method": (a.get("method") or "get").lower(),
                    "action": a.get("action") or "",
                    "fields": {},
                }
            )
            return
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        name = a.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = a.get("type", "text")
            entry = fields.setdefault(name, {"kind": kind, "options": []})
            if kind in ("radio", "checkbox") and a.get("value") is not None:
                entry["options"].append(a["value"])
        elif tag in ("textarea", "select") and name:
            fields.setdefault(name, {"kind": tag, "options": []})
            self._select = name if tag == "select" else None
        elif tag == "option" and self._select and a.get("value") is not None:
            fields[self._select]["options"].append(a["value"])

    def handle_endtag(self, tag) -> None:
        if tag == "select":
            self._select = None


def discover(client, world: World) -> list[tuple[str, str, dict]]:
    """(owner, url, form) for every form a page's owner sees."""
    found = []
    for name, (kwargs_of, _) in sorted(RULES.items()):
        if name in ("logout", "login", "password_reset_confirm"):
            continue
        url = reverse(name, kwargs=kwargs_of(world))
        for owner in OWNERS:
            client.force_login(world.people[owner])
            response = client.get(url)
            if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
                continue
            parser = Forms()
            parser.feed(response.content.decode())
            forms = [
                (owner, form["action"] or url, form)
                for form in parser.forms
                if (form["action"] or url).startswith("/")
                and "/accounts/logout/" not in form["action"]
            ]
            if forms:  # the first of the owners who has something to fill in
                found.extend(forms)
                break
    return found


def value_for(field: dict) -> st.SearchStrategy:
    junk = st.one_of(
        st.sampled_from(HOSTILE), st.text(max_size=300), st.integers(-(10**15), 10**15).map(str)
    )
    if field["options"]:
        return st.one_of(st.sampled_from(field["options"]), junk)
    return junk


def form_data(form: dict) -> st.SearchStrategy:
    values = {}
    for name, field in form["fields"].items():
        if field["kind"] == "file":
            values[name] = st.tuples(
                st.binary(max_size=3000),
                st.sampled_from(["x.pdf", "x.png", "x.docx", "x.exe", "../../x"]),
            )
        elif field["kind"] == "submit":
            continue
        else:
            values[name] = st.one_of(st.none(), value_for(field))
    return st.fixed_dictionaries(values)


def _payload(data: dict) -> dict:
    payload = {}
    for name, value in data.items():
        if value is None:
            continue
        if isinstance(value, tuple):
            content, filename = value
            payload[name] = SimpleUploadedFile(filename, content)
        else:
            payload[name] = value
    return payload


@pytest.mark.django_db
def test_every_form_survives_random_and_hostile_values(client, world):
    # Forms that end something (discard, withdraw, remove, cancel) go last, so that the
    # others keep their objects for every example.
    forms = sorted(
        discover(client, world),
        key=lambda f: any(w in f[1] for w in ("discard", "withdraw", "remove", "cancel")),
    )
    assert len(forms) >= 25, [url for _, url, _ in forms]

    @settings(
        max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
    )
    @given(data=st.data())
    def post_each(data):
        for owner, url, form in forms:
            client.force_login(world.people[owner])
            payload = _payload(data.draw(form_data(form), label=url))
            if form["method"] == "post":
                response = client.post(url, payload)
            else:
                response = client.get(url, {k: v for k, v in payload.items() if isinstance(v, str)})
            assert response.status_code in (200, 302, 403, 404, 405), (url, response.status_code)
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                assert SCRIPT not in response.content.decode(), f"{url} shows a script unescaped"

    post_each()
    # Whatever was stored comes back escaped on every page that shows it.
    for name in ("requests:detail", "requests:check", "requests:meeting", "requests:officer"):
        kwargs_of, _ = RULES[name]
        for owner in OWNERS:
            client.force_login(world.people[owner])
            response = client.get(reverse(name, kwargs=kwargs_of(world)))
            if response.status_code == 200:
                assert SCRIPT not in response.content.decode()


@pytest.mark.django_db
def test_pdfs_and_exports_carry_hostile_text_as_text(client):
    """What a school or an officer typed reaches PDFs as plain text (WeasyPrint runs no
    script, and the template escapes it) and spreadsheets without a live formula."""
    import csv
    import io

    from pypdf import PdfReader

    from communities.tests.factories import area, make_officer
    from tests.worlds.steps import acknowledged, approved, paid

    officer = make_officer(area("North"))
    hostile = "<script>alert('x')</script> =HYPERLINK(\"http://evil\") é"
    request = approved(needs_summary=hostile, funding_purpose="=1+2 <b>bold</b>")
    acknowledged(request, officer=officer)
    paid(
        request,
        request.decision.amount,
        officer=officer,
        paid_on=request.decision.decision_date,
        finance_reference="=cmd|' /C calc'!A0",
        method="advance",
    )
    client.force_login(officer)
    pdf = client.get(reverse("requests:request_pdf", args=[request.pk]))
    text = " ".join(
        (page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf.content)).pages
    )
    assert "<script>alert('x')</script>" in " ".join(text.split())
    assert "=1+2 <b>bold</b>" in " ".join(text.split())
    export = client.get(reverse("requests:export_made_csv", args=[area("North").pk]))
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert "'=cmd|' /C calc'!A0" in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
