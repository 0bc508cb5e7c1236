"""Template helpers of the server-rendered pages."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from permissions.roles import RoleCode

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_links(context):
    from casework.views._common import nav_links as links

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    return links(user)


@register.filter
def duration(minutes) -> str:
    """A span of minutes for people: "2 d 3 h", "5 h 10 min", "12 min"."""
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        return ""
    minutes = abs(minutes)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return _("%(days)s d %(hours)s h") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": mins}
    return _("%(minutes)s min") % {"minutes": mins}


def _local(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    return value


@register.filter
def vi_date(value) -> str:
    """Vietnamese date of a statutory form: "ngày 05 tháng 3 năm 2026". Decree 30/2020 style: a
    leading zero for days below 10 and for months 1 and 2 only."""
    value = _local(value)
    if not value:
        return "ngày ..... tháng ..... năm ........"
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"


@register.filter
def vi_datetime(value) -> str:
    value = _local(value)
    if not value:
        return "..... giờ ..... phút, ngày ..... tháng ..... năm ........"
    return f"{value.hour:02d} giờ {value.minute:02d} phút, {vi_date(value)}"


@register.filter
def age_band(code) -> str:
    """The label of a masked child's age band ("6-10" → "6–10 tuổi")."""
    from ..selectors.identity import AGE_BAND_LABELS

    return str(AGE_BAND_LABELS.get(code, "")) if code else ""


@register.filter
def role_label(code) -> str:
    try:
        return RoleCode(code).label
    except ValueError:
        return code or ""


@register.filter
def get(mapping, key):
    try:
        return mapping.get(key, key)
    except AttributeError:
        return key


@register.filter
def sex_label(value) -> str:
    from casework.models import Sex

    try:
        return Sex(value).label
    except ValueError:
        return value or ""


@register.simple_tag
def field(bound):
    """One form field with its label, errors and help, as templates/casework/_field.html did.

    Rendered in Python: a case page shows dozens of fields, and an include per field was a
    measurable share of the page time.
    """
    from django.utils.html import format_html
    from django.utils.safestring import mark_safe

    if bound.is_hidden:
        return bound.as_widget()
    required = mark_safe(' <span aria-hidden="true">*</span>') if bound.field.required else ""
    kind = bound.widget_type
    if kind in ("radioselect", "checkboxselectmultiple"):
        inner = format_html('<fieldset class="plain"><legend>{}{}</legend>{}{}</fieldset>', bound.label, required,
                            bound.errors, bound.as_widget())
    elif kind == "checkbox":
        inner = format_html("{}<label>{} {}</label>", bound.errors, bound.as_widget(), bound.label)
    else:
        inner = format_html('<label for="{}">{}{}</label>{}{}', bound.id_for_label, bound.label, required,
                            bound.errors, bound.as_widget())
    help_text = format_html('<p class="help" id="{}_helptext">{}</p>', bound.auto_id, bound.help_text) \
        if bound.help_text else ""
    return format_html('<div class="field{}">{}{}</div>', " invalid" if bound.errors else "", inner, help_text)
