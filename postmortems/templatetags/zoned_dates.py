"""The ``date`` filter, with the zone shown in the hour a DST change repeats as well.

Django's ``date`` filter leaves ``T``, ``O``, ``e``, ``I`` and ``Z`` empty when a wall time is
ambiguous in its zone, which is right for naive times but also happens to aware ones: in
New York on 2026-11-01, 05:30 and 06:30 UTC both came out as "01:30 " — exactly where
"01:30 EDT" and "01:30 EST" must be told apart. An aware time knows its offset (Python's
``fold``), so here it keeps its zone.

This library is a template builtin (``TEMPLATES`` in settings), so every
``|date:"Y-m-d H:i T"`` in the project uses it without a ``{% load %}``.
"""

import datetime

from django import template
from django.template import defaultfilters
from django.utils import dateformat, formats, timezone

register = template.Library()


class _ZonedDateFormat(dateformat.DateFormat):
    def __init__(self, obj):
        super().__init__(obj)
        if isinstance(obj, datetime.datetime) and timezone.is_aware(obj):
            self.timezone = obj.tzinfo


def format_zoned(value, format_string="Y-m-d H:i T"):
    """``value`` in the active (the reader's) zone, formatted like the ``date`` filter."""
    local = timezone.localtime(value)
    return _ZonedDateFormat(local).format(formats.get_format(format_string))


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return _ZonedDateFormat(value).format(formats.get_format(arg or "DATE_FORMAT"))
    return defaultfilters.date(value, arg)
