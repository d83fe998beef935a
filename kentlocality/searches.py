"""Searches by a pupil's name never travel in a URL (issue 17, item 3).

A URL is written to access logs, browser history and error reports; a pupil's name must
be in none of them. A search form posts its terms; the view keeps them in the person's
session under a short random key and redirects to the list with only that key in the
address (``?search=<key>``), so that pages, the back button and reloading still work.
The key means nothing outside the session that made it.
"""

from __future__ import annotations

import secrets

from django.http import HttpRequest

SESSION_KEY = "kent_searches"
KEPT = 20  # the most recent searches of a session; older keys simply find nothing


def search_remember(request: HttpRequest, terms: dict[str, str]) -> str:
    """Keep ``terms`` (plain strings) in the session; return the key for the URL."""
    kept: dict[str, dict[str, str]] = dict(request.session.get(SESSION_KEY, {}))
    key = secrets.token_urlsafe(9)
    kept[key] = {name: str(value) for name, value in terms.items()}
    while len(kept) > KEPT:
        kept.pop(next(iter(kept)))
    request.session[SESSION_KEY] = kept
    return key


def search_recall(request: HttpRequest, key: str | None) -> dict[str, str]:
    """The terms kept under ``key`` in this session, or nothing."""
    if not key:
        return {}
    return dict(request.session.get(SESSION_KEY, {}).get(key, {}))
