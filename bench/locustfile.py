"""Signed-in HNF Monitoring Officers asking for their home page, for ``bench/run.py``.

Run by locust from ``.venv-tools`` (it needs PyPI's "requests", which the project's own
``requests`` app shadows, so it never runs inside the project's environment). Each
simulated officer uses its own session (``BENCH_SESSIONS``, comma-separated, made by
run.py with Django's ``force_login``). Anything but a 200 counts as a failure: a
redirect to the sign-in page would otherwise pass for a page.
"""

from __future__ import annotations

import itertools
import os

from locust import HttpUser, constant, task

SESSIONS = itertools.cycle(os.environ["BENCH_SESSIONS"].split(","))
COOKIE = os.environ.get("BENCH_SESSION_COOKIE", "sessionid")
PATH = os.environ["BENCH_PATH"]


class Officer(HttpUser):
    # No pause between requests: each client asks again as soon as it is answered.
    wait_time = constant(0)

    def on_start(self) -> None:
        self.client.cookies.set(COOKIE, next(SESSIONS))

    @task
    def officer_home(self) -> None:
        with self.client.get(
            PATH, name="officer home", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif b"Approved requests" not in response.content:
                response.failure("not the officer's page")
