"""Sign-in helpers shared by django-axes, the middleware and the views."""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def axes_username(request: HttpRequest, credentials: dict | None = None) -> str:
    """The email address tried, lower-cased, so that "Alice@X" and "alice@x" share one
    count of failures."""
    value = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(value).strip().lower()[:254]


def next_path(value: str | None) -> str:
    """Where to go after signing in: a path on this site, without its query string, or
    "" (issue 17, item 3). Never another site, never an absolute address (even of this
    site), and never a query, which may carry a search for a pupil's name."""
    if not value or not url_has_allowed_host_and_scheme(value, allowed_hosts=set()):
        return ""
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return ""
    if parts.path.startswith("//") or "\\" in parts.path:
        return ""
    return parts.path


def client_ip(request: HttpRequest) -> str:
    """The address of the person's computer, for django-axes and the reset throttle.

    Behind the proxy (CLIENT_IP_PROXY_COUNT proxies, 1 in compose), it is read from
    X-Forwarded-For only, counting that many entries from the right: the entry our own
    proxy added, never one the client wrote itself. With no proxy, the connection's
    address."""
    proxies = settings.CLIENT_IP_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote  # not through the proxy (a health check from inside)
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
