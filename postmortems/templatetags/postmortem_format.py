"""Small display helpers for postmortem pages: the one ``duration`` filter."""

from django import template

from ..durations import format_duration

register = template.Library()


@register.filter
def duration(value):
    """A timedelta as "1 d 2 h 5 min" ("—" when a time is missing)."""
    return format_duration(value)


@register.simple_tag
def section_anchor(name):
    return f"section:{name}"
