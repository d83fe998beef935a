"""`make run` without DATABASE_URL serves from SQLite, and the rest of the suite runs on
PostgreSQL only: a query that only PostgreSQL understands would pass every other test and
still break the demo. This builds the demo on a fresh SQLite database, as `make run` does,
signs in as each demo account and opens every page reachable from their home page."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_ACCOUNTS = [
    "senco@example.org",
    "senco2@example.org",
    "chair@example.org",
    "officer@example.org",
    "board@example.org",
    "admin@example.org",
    "superuser@example.org",
]
# Links not followed: signing out, the admin (Django's own), and downloads of files that
# are made on request (PDFs are covered by their own tests).
SKIP = re.compile(r"/accounts/logout|/admin/|\.pdf$|/static/")
PAGES_PER_ACCOUNT = 60


def crawl() -> None:
    """Run inside a process set up for SQLite (see the test): prints each page that did
    not answer, then the number of pages opened."""
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # 'testserver' allowed, emails kept in memory
    from communities.models import User

    opened = 0
    for email in DEMO_ACCOUNTS:
        client = Client(raise_request_exception=False)
        client.force_login(User.objects.get(email=email))
        queue, seen = ["/"], set()
        while queue and len(seen) < PAGES_PER_ACCOUNT:
            path = queue.pop(0)
            if path in seen or SKIP.search(path):
                continue
            seen.add(path)
            response = client.get(path, follow=True)
            opened += 1
            if response.status_code >= 500:
                print(f"FAILED {email} {path} {response.status_code}")
                continue
            if "text/html" in response.get("Content-Type", ""):
                links = re.findall(r'href="(/[^"#]*)"', response.content.decode())
                queue += [link.replace("&amp;", "&") for link in links]
    print(f"OPENED {opened}")


def test_the_demo_on_sqlite_answers_every_page_it_links(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "TEST_REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="kentlocality.settings.base",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DEBUG="true",
        REQUIRE_MFA="false",
        PRIVATE_MEDIA_ROOT=str(tmp_path / "private-media"),
        DEMO_PASSWORD="demo-password-for-tests",
    )

    def run(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
        return done.stdout

    run("manage.py", "migrate", "--noinput")
    run("manage.py", "seed_demo")
    out = run("-c", "from tests.test_make_run_sqlite import crawl; crawl()")
    failures = [line for line in out.splitlines() if line.startswith("FAILED")]
    assert failures == []
    opened = int(re.search(r"OPENED (\d+)", out).group(1))
    assert opened > 100  # every account's pages were reached, not only its home
