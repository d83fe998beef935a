"""Bounded input (issue 17, item 4): a request whose body is larger than the service ever
needs is refused with 413 before any of it is read.

The largest body the service takes is one evidence file (EVIDENCE_MAX_MB) with the
form around it; REQUEST_BODY_MAX_BYTES allows that and a margin. The proxy in front
(deploy/Caddyfile) refuses larger bodies too; this is the same rule in the service
itself, for a deployment without that proxy. Django's own limits then cap what is held
in memory (DATA_UPLOAD_MAX_MEMORY_SIZE, FILE_UPLOAD_MAX_MEMORY_SIZE in settings)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse

TOO_LARGE = (
    "The request is too large: the service takes at most {limit} MB at once. "
    "Each evidence file must be smaller than {evidence} MB."
)


class RequestBodyLimitMiddleware:
    """First in MIDDLEWARE: nothing before it reads the body."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH") or "0"
        try:
            size = int(declared)
        except ValueError:
            return HttpResponse(
                "The request's Content-Length is not a number.",
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        if size > settings.REQUEST_BODY_MAX_BYTES:
            # (The body is never read; the server closes the connection after answering.)
            return HttpResponse(
                TOO_LARGE.format(
                    limit=settings.REQUEST_BODY_MAX_BYTES // (1024 * 1024),
                    evidence=settings.EVIDENCE_MAX_BYTES // (1024 * 1024),
                ),
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
