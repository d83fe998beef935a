"""The one PDF helper: HTML templates under ``templates/<app>/pdf/`` rendered by
WeasyPrint. WeasyPrint is imported on first use, not at start-up (it costs about 0.6 s)."""

from __future__ import annotations

import re

from django.conf import settings
from django.template.loader import render_to_string


class _PatternCache(dict):
    """tinyhtml5 2.1 (WeasyPrint's HTML parser) caches the pattern for each set of
    characters it scans up to, but stores it under the pattern instead of the
    characters, so it never finds it and compiles a regular expression for every run of
    text: half of its parsing time (0.15 s of an area report; bench/NOTES.md). This
    cache makes each pattern exactly as tinyhtml5 does, once."""

    def __missing__(self, key: tuple) -> re.Pattern:
        characters, opposite = key
        regex = "".join(f"\\x{ord(character):02x}" for character in characters)
        if not opposite:
            regex = f"^{regex}"
        pattern = self[key] = re.compile(f"[{regex}]+")
        return pattern


def _fix_parser_cache() -> None:
    try:
        from tinyhtml5 import inputstream
    except ImportError:  # another parser: nothing to do
        return
    if type(getattr(inputstream, "characters_until_regex", None)) is dict:
        inputstream.characters_until_regex = _PatternCache()


def render_pdf(template_name: str, context: dict) -> bytes:
    from weasyprint import HTML

    _fix_parser_cache()
    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
