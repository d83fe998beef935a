"""The rows of a request's answers (requests/includes/answers.html)."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_NOT_GIVEN = mark_safe('<span class="govuk-hint govuk-!-margin-0">Not given</span>')


@register.simple_tag(takes_context=True)
def answer_row(context, label: str, value, section: str, field: str) -> SafeString:
    """One GOV.UK summary list row: the answer (escaped, line breaks kept) or "Not given",
    and, when the context says ``change``, a link to the field in its section. A tag
    rather than an include: the answers are about thirty rows, and an include costs a
    new context and a template lookup for each."""
    change = context.get("change")
    shown = linebreaksbr(value, autoescape=True) if value or value == 0 else _NOT_GIVEN
    action = ""
    if change:
        action = format_html(
            '\n  <dd class="govuk-summary-list__actions"><a class="govuk-link" href="{}?check=1#id_{}">'
            'Change<span class="govuk-visually-hidden"> {}</span></a></dd>\n  ',
            reverse(f"requests:{section}", args=[context["obj"].pk]),
            field,
            label.lower(),
        )
    return format_html(
        '<div class="govuk-summary-list__row{}">\n'
        '  <dt class="govuk-summary-list__key">{}</dt>\n'
        '  <dd class="govuk-summary-list__value">{}</dd>\n'
        "  {}\n"
        "</div>\n",
        "" if change else " govuk-summary-list__row--no-actions",
        label,
        shown,
        action,
    )
