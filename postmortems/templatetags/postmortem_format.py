"""Small display helpers for postmortem pages."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def duration(value):
    """A timedelta as "2d 3h 5m" (or "—" when a time is missing)."""
    if value is None:
        return "—"
    minutes = int(value.total_seconds() // 60)
    if minutes < 0:
        return "—"
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(_("%(n)sd") % {"n": days})
    if hours or days:
        parts.append(_("%(n)sh") % {"n": hours})
    parts.append(_("%(n)sm") % {"n": minutes})
    return " ".join(parts)


@register.simple_tag
def section_anchor(name):
    return f"section:{name}"
