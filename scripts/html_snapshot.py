"""Snapshot every page the demo accounts can reach, to compare a refactoring's before and
after: the HTML of each page and the text of each PDF it links, with what changes from
one run to the next (CSRF tokens, CSP nonces, clock times) masked.

    .venv/bin/python scripts/html_snapshot.py /tmp/before
    ... change the code ...
    .venv/bin/python scripts/html_snapshot.py /tmp/after
    diff -r /tmp/before /tmp/after

It builds its own PostgreSQL database (``kent_snapshot``, dropped and made again) with the
demo data and two years of history, signs in as each demo account with Django's test
client and follows every link from its home page, breadth first.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "kent_snapshot"
ACCOUNTS = [
    "senco@example.org",
    "senco2@example.org",
    "chair@example.org",
    "officer@example.org",
    "board@example.org",
    "admin@example.org",
    "superuser@example.org",
]
SKIP = re.compile(r"/accounts/logout|/static/|/admin/.*/(history|delete)/|/admin/logout")
PAGES_PER_ACCOUNT = 400
MASKS = [
    (
        re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'),
        'name="csrfmiddlewaretoken" value=""',
    ),
    (re.compile(r'nonce="[^"]+"'), 'nonce=""'),
    (re.compile(r"\b\d{1,2}:\d{2}(:\d{2})?(\.\d+)?\s*(am|pm|a\.m\.|p\.m\.)?", re.I), "HH:MM"),
    (re.compile(r"\bnoon\b|\bmidnight\b"), "HH:MM"),
    (re.compile(r"<bdi>[A-Za-z0-9+/]{6}\*+</bdi>"), "<bdi>hidden</bdi>"),  # password hashes
    (re.compile(r'(name="(initial-)?key" value=")[0-9a-f]{40}"'), r'\1"'),  # a new TOTP key
    (re.compile(r"\b[0-9a-f]{32}\b"), "FILE"),  # stored files' random names
    (re.compile(r'<div class="readonly">\d{5,}</div>'), '<div class="readonly">SIZE</div>'),
]


def mask(text: str) -> str:
    for pattern, replacement in MASKS:
        text = pattern.sub(replacement, text)
    return text


def file_name(email: str, path: str, suffix: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_")[:120] or "home"
    digest = hashlib.sha1(path.encode()).hexdigest()[:8]  # noqa: S324 (a file name)
    return f"{email.split('@')[0]}/{slug}-{digest}{suffix}"


def crawl(out_dir: str) -> None:
    import django

    out = Path(out_dir)

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    from communities.models import User

    for email in ACCOUNTS:
        client = Client(raise_request_exception=False)
        client.force_login(User.objects.get(email=email))
        queue, seen = ["/"], set()
        while queue and len(seen) < PAGES_PER_ACCOUNT:
            path = queue.pop(0)
            if path in seen or SKIP.search(path):
                continue
            seen.add(path)
            response = client.get(path)
            kind = response.get("Content-Type", "")
            content = (
                b"".join(response.streaming_content) if response.streaming else response.content
            )
            if response.status_code in (301, 302):
                body = f"redirect {response.status_code} to {response['Location']}\n"
                queue.append(response["Location"])
                target = out / file_name(email, path, ".redirect")
            elif "text/html" in kind:
                body = content.decode()
                links = re.findall(r'href="(/[^"#]*)"', body)
                queue += [link.replace("&amp;", "&") for link in links]
                target = out / file_name(email, path, ".html")
            elif "application/pdf" in kind:
                done = subprocess.run(
                    ["pdftotext", "-layout", "-", "-"],
                    input=content,
                    capture_output=True,
                    check=True,
                )
                body = done.stdout.decode()
                target = out / file_name(email, path, ".pdf.txt")
            elif "text/csv" in kind:
                body = content.decode("utf-8-sig")
                target = out / file_name(email, path, ".csv")
            else:
                body = f"{response.status_code} {kind} {len(content)} bytes\n"
                target = out / file_name(email, path, ".other")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(f"<!-- {response.status_code} {path} -->\n{mask(body)}")
        print(f"{email}: {len(seen)} pages")


def main() -> None:
    out = Path(sys.argv[1]).resolve()
    out.mkdir(parents=True, exist_ok=True)
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "TEST_REDIS_URL"}},
        "DJANGO_SETTINGS_MODULE": "kentlocality.settings.base",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "DEBUG": "true",
        "REQUIRE_MFA": "false",
        "PRIVATE_MEDIA_ROOT": str(out.parent / f".{out.name}-media"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    psql = ["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-c"]
    subprocess.run([*psql, f"DROP DATABASE IF EXISTS {DATABASE}"], check=True)
    subprocess.run([*psql, f"CREATE DATABASE {DATABASE}"], check=True)
    python = [sys.executable]
    for args in (["migrate", "--noinput"], ["seed_demo"], ["seed_demo", "--years", "2"]):
        subprocess.run([*python, "manage.py", *args], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [*python, "-c", f"import html_snapshot; html_snapshot.crawl({str(out)!r})"],
        cwd=ROOT,
        env={**env, "PYTHONPATH": f"{ROOT}:{ROOT / 'scripts'}"},
        check=True,
    )


if __name__ == "__main__":
    main()
