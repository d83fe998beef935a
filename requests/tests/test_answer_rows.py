"""``{% answer_row %}`` draws what the include it replaced (includes/row.html) drew."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.urls import reverse

# The include the tag replaced, as it was.
ROW_INCLUDE = """<div class="govuk-summary-list__row{% if not change %} govuk-summary-list__row--no-actions{% endif %}">
  <dt class="govuk-summary-list__key">{{ label }}</dt>
  <dd class="govuk-summary-list__value">{% if value or value == 0 %}{{ value|linebreaksbr }}{% else %}<span class="govuk-hint govuk-!-margin-0">Not given</span>{% endif %}</dd>
  {% if change %}
  <dd class="govuk-summary-list__actions"><a class="govuk-link" href="{% url 'requests:'|add:section obj.pk %}?check=1#id_{{ field }}">Change<span class="govuk-visually-hidden"> {{ label|lower }}</span></a></dd>
  {% endif %}
</div>
"""

VALUES = [
    "Alex",
    "",
    None,
    0,
    Decimal("0.00"),
    Decimal("12.50"),
    "First line\nsecond line\r\nthird <b>bold</b> & 'quoted' \"too\"",
    "<script>alert(1)</script>",
    dt.date(2026, 11, 27),
    False,
    True,
]


@pytest.mark.parametrize("change", [False, True])
@pytest.mark.parametrize("value", VALUES)
def test_the_same_html_as_the_include(value, change):
    obj = SimpleNamespace(pk=42)
    context = {"obj": obj, "change": change, "v": value}
    old = Template(
        '{% include row with label="Summary of needs" value=v section="needs" '
        'field="needs_summary" %}'
    ).render(Context({**context, "row": Template(ROW_INCLUDE)}))
    new = Template(
        '{% load answers %}{% answer_row "Summary of needs" v "needs" "needs_summary" %}'
    ).render(Context(context))
    assert new == old
    if change:
        assert reverse("requests:needs", args=[42]) + "?check=1#id_needs_summary" in new
