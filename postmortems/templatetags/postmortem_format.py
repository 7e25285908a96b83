"""Small display helpers for postmortem pages: the ``duration`` and ``choice_label`` filters."""

from django import template

from ..durations import format_duration
from ..process_cache import per_process

register = template.Library()


@register.filter
def duration(value):
    """A timedelta as "1 d 2 h 5 min" ("—" when a time is missing)."""
    return format_duration(value)


@register.simple_tag
def section_anchor(name):
    return f"section:{name}"


# A field's choices follow from the code alone (the labels stay lazy).
@per_process()
def _choice_labels(model, field_name):
    return dict(model._meta.get_field(field_name).flatchoices)


@register.filter
def choice_label(obj, field_name):
    """``{{ item|choice_label:"status" }}``: what ``item.get_status_display`` shows, for rows
    rendered by the hundred: Django's ``get_FOO_display`` builds the field's choices into a
    new dict on every call, this reads one built once per field (labels stay lazy, so each
    reader gets their language)."""
    value = getattr(obj, field_name)
    label = _choice_labels(type(obj), field_name).get(value, value)
    return str(label) if label is not None else ""
