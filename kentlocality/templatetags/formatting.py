"""Template helpers used on every page (loaded as a builtin)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from crispy_forms_gds.templatetags.crispy_forms_gds import field_errors
from django import forms, template
from django.utils import timezone
from django.utils.html import format_html

register = template.Library()


def whole_pounds(value: Decimal | int | str) -> Decimal:
    """An amount rounded to the pound, halves up (£0.50 is £1): how budget summaries
    show a figure whose pence mislead, such as an award's share of a year split by days."""
    return Decimal(value).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def _format_amount(value: Decimal | int | str | None, *, pence: bool) -> str:
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value).quantize(Decimal("0.01")) if pence else whole_pounds(value)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.{2 if pence else 0}f}"


def format_money(value: Decimal | int | str | None) -> str:
    """£12,345.00; negative amounts as -£12.34; nothing as an empty string."""
    return _format_amount(value, pence=True)


def format_pounds(value: Decimal | int | str | None) -> str:
    """£12,346 (to the nearest pound); negative amounts as -£12; nothing as an empty
    string."""
    return _format_amount(value, pence=False)


@register.filter
def money(value) -> str:
    return format_money(value)


@register.filter
def pounds(value) -> str:
    return format_pounds(value)


# The service is in English only (LANGUAGE_CODE en-gb, no other language).
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _local(value: dt.date) -> dt.date:
    # An aware datetime is shown in the service's time zone (Europe/London: GMT or BST),
    # as Django's template engine shows it; a naive one is taken as already local.
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def format_date(value: dt.date | None) -> str:
    """A date or datetime as GOV.UK writes it, "27 November 2026" (DATE_FORMAT "j F Y");
    an empty string for None or anything else, as Django's ``date`` filter gives. The same
    text as ``|date``, without its translation machinery: that costs about 30 µs a call,
    and a list page formats dozens of dates."""
    if not isinstance(value, dt.date):
        return ""
    value = _local(value)
    return f"{value.day} {MONTHS[value.month - 1]} {value.year:04d}"


def format_datetime(value: dt.datetime | None) -> str:
    """A datetime as "27 November 2026, 14:05" (DATETIME_FORMAT "j F Y, H:i"), in local
    time; an empty string for None or anything else."""
    if not isinstance(value, dt.datetime):
        return ""
    value = _local(value)
    return (
        f"{value.day} {MONTHS[value.month - 1]} {value.year:04d}, "
        f"{value.hour:02d}:{value.minute:02d}"
    )


@register.filter
def govuk_date(value) -> str:
    return format_date(value)


@register.filter
def govuk_datetime(value) -> str:
    return format_datetime(value)


@register.filter
def percent(value, places: int = 0) -> str:
    if value is None:
        return "–"
    return f"{float(value) * 100:.{int(places)}f}%"


def _first_anchor(bound_field) -> str:
    widget = bound_field.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"id_{bound_field.html_name}_1"
    return bound_field.auto_id


@register.simple_tag
def error_items(form=None, forms_list=None) -> list[tuple[str, str]]:
    """(anchor, message) pairs for a GOV.UK error summary, each linking to the input
    that needs fixing: the first radio of a group, the day box of a date."""
    items: list[tuple[str, str]] = []
    for each in [form, *(forms_list or [])]:
        if each is None or not each.is_bound or not each.errors:
            continue
        visible = each.visible_fields()
        for message in each.non_field_errors():
            items.append((_first_anchor(visible[0]) if visible else "main-content", message))
        for bound_field in visible:
            if not bound_field.errors:
                continue
            if isinstance(bound_field.field, forms.MultiValueField):
                # A date: link to the box that is wrong, or to the day box.
                for anchor, messages in field_errors(bound_field):
                    if anchor == bound_field.auto_id:
                        anchor = f"{anchor}_0"
                    items.extend((anchor, message) for message in messages)
            else:
                anchor = _first_anchor(bound_field)
                items.extend((anchor, message) for message in bound_field.errors)
    return items


@register.simple_tag
def summary_row(label: str, value, change_url: str = "", change_label: str = "") -> str:
    """One row of a GOV.UK summary list; value is escaped."""
    action = ""
    if change_url:
        action = format_html(
            '<dd class="govuk-summary-list__actions"><a class="govuk-link" href="{}">Change'
            '<span class="govuk-visually-hidden"> {}</span></a></dd>',
            change_url,
            change_label or label.lower(),
        )
    shown = value if value not in (None, "") else "Not given"
    return format_html(
        '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{}</dt>'
        '<dd class="govuk-summary-list__value">{}</dd>{}</div>',
        label,
        shown,
        action,
    )


_STATUS_COLOURS = {
    "draft": "grey",
    "submitted": "blue",
    "on_agenda": "purple",
    "deferred": "yellow",
    "more_information": "orange",
    "approved": "green",
    "part_approved": "green",
    "declined": "red",
    "withdrawn": "grey",
    "with_officer": "turquoise",
    "acknowledged": "turquoise",
    "closed": "green",
}


@register.simple_tag
def status_tag(request_obj) -> str:
    """The GOV.UK tag for a request's status."""
    colour = _STATUS_COLOURS.get(request_obj.status, "grey")
    return format_html(
        '<strong class="govuk-tag govuk-tag--{}">{}</strong>',
        colour,
        request_obj.get_status_display(),
    )


@register.filter
def error_items_for(form) -> list[tuple[str, str]]:
    return error_items(form)
