"""Template helpers of the portal: money, dates, masking and accessible form fields."""

import datetime as dt
from decimal import Decimal

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua.catalog.models import DeliveryMethod

register = template.Library()


@register.filter
def vnd(value):
    """1234000 → "1.234.000 ₫" (a no-break space keeps the sign with the number)."""
    if value in (None, ""):
        return ""
    return f"{int(value):,}".replace(",", ".") + "\u00a0₫"


@register.filter
def number(value):
    """A decimal without a useless ".0" and with the Vietnamese comma: 5.0 → "5", 2.5 → "2,5"."""
    if value in (None, ""):
        return ""
    value = Decimal(value).normalize()
    text = f"{value:f}"
    return text.replace(".", ",")


@register.filter
def mask_id(value):
    """Hide all but the last four digits of an identity number."""
    value = value or ""
    if len(value) <= 4:
        return value
    return "•" * (len(value) - 4) + value[-4:]


@register.filter
def isodate(value):
    """A "YYYY-MM-DD" string (as stored in JSON) → dd/mm/yyyy; anything else unchanged."""
    try:
        return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
    except (TypeError, ValueError):
        return value


@register.filter
def megabytes(value):
    """Bytes → megabytes with at most one decimal: 10485760 → "10", 1572864 → "1,5"."""
    if not value:
        return ""
    mb = Decimal(value) / Decimal(1024 * 1024)
    return number(mb.quantize(Decimal("0.1")))


@register.filter
def delivery_label(code):
    try:
        return _(DeliveryMethod(code).label)
    except ValueError:
        return code


@register.simple_tag
def error_summary_items(*forms):
    """(anchor, message) pairs for the error summary, in page order. A message that belongs
    to no field points at the form's first field, so the link still goes somewhere useful."""
    items = []
    for form in forms:
        if not form or not form.errors:
            continue
        visible = form.visible_fields()
        first = visible[0].id_for_label if visible else ""
        for message in form.non_field_errors():
            items.append((first, message))
        for bf in visible:
            # A radio group's label points nowhere; its first radio takes the focus.
            group = bf.widget_type in ("radioselect", "checkboxselectmultiple")
            anchor = f"{bf.auto_id}_0" if group else bf.id_for_label
            for message in bf.errors:
                items.append((anchor, message))
    return items


# Which kind of day a time limit counts is part of the limit: "15 ngày" alone leaves the
# citizen guessing whether weekends count. One plural message per unit, so that English
# says "1 working day" and "5 working days".
_TIME_LIMITS = {
    "working_days": lambda n: ngettext("%(n)s ngày làm việc", "%(n)s ngày làm việc", n),
    "days": lambda n: ngettext("%(n)s ngày (theo lịch)", "%(n)s ngày (theo lịch)", n),
    "hours": lambda n: ngettext("%(n)s giờ làm việc", "%(n)s giờ làm việc", n),
    "months": lambda n: ngettext("%(n)s tháng", "%(n)s tháng", n),
}


@register.filter
def time_limit(value, unit):
    """A processing time with its unit, in the page's language: (5, "working_days") →
    "5 ngày làm việc"; (Decimal("1.0"), "working_days") in English → "1 working day"."""
    if value in (None, ""):
        return ""
    amount = Decimal(value).normalize()
    # A fraction ("0,5 ngày") takes the plural form, as English writes "0.5 days".
    count = int(amount) if amount == amount.to_integral_value() else 2
    message = _TIME_LIMITS.get(unit)
    if message is None:
        return f"{number(amount)} {unit}"
    return message(count) % {"n": number(amount)}
