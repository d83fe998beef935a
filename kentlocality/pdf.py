"""The one PDF helper: HTML templates under ``templates/<app>/pdf/`` rendered by
WeasyPrint. WeasyPrint is imported on first use, not at start-up (it costs about 0.6 s)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string


def render_pdf(template_name: str, context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
