"""Slimming the screen's markup for the PDF.

The PDF shows the same includes as the screen, but WeasyPrint parses and styles every
character and class: an area's report has some two thousand table cells, and the GOV.UK
class names, the text only screen readers need and the white space between tags make up
much of its time. ``lean`` keeps what the PDF's own stylesheet uses: ``n`` for numbers.
"""

from __future__ import annotations

import re

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_HIDDEN = re.compile(r'<(span|caption) class="govuk-visually-hidden">.*?</\1>', re.S)
_NUMERIC = re.compile(
    r' class="govuk-table__(?:cell|header) govuk-table__(?:cell|header)--numeric[^"]*"'
)
_GOVUK_CLASS = re.compile(r' class="(?:govuk|kent-report-table|kent-money)[^"]*"')
_BETWEEN_TAGS = re.compile(r">\s+<")


@register.filter
def lean(html: str) -> SafeString:
    html = _HIDDEN.sub("", html)
    html = _NUMERIC.sub(' class="n"', html)
    html = _GOVUK_CLASS.sub("", html)
    html = _BETWEEN_TAGS.sub("><", html)
    return mark_safe(html)  # noqa: S308 (only removes markup from our own rendered template)
