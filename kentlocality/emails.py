"""Emails as templates: ``emails/<name>_subject.txt``, ``_body.txt`` and ``_body.html``.

No email carries a pupil's identity: each says that something needs attention and links
to it (DESIGN §4).
"""

from __future__ import annotations

from collections.abc import Iterable
from email.mime.base import MIMEBase

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def send_templated(
    name: str, to: Iterable[str], context: dict, attachments: Iterable[MIMEBase] = ()
) -> int:
    """Render and send one message to each recipient list at once, with ``attachments``
    (MIME parts: a calendar invitation). Returns the number sent (0 when there is nobody
    to send to). SMTP errors propagate, for the caller's retry."""
    recipients = sorted({address for address in to if address})
    if not recipients:
        return 0
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
    text = render_to_string(f"emails/{name}_body.txt", context)
    html = render_to_string(f"emails/{name}_body.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, recipients)
    message.attach_alternative(html, "text/html")
    for part in attachments:
        message.attach(part)
    return message.send()
