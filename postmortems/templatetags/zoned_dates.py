"""``zoned_date``: Django's ``date`` filter, with the zone shown in the hour a DST change
repeats as well (see ``postmortems.dates.ZonedDateFormat``).

This library is a template builtin (``TEMPLATES`` in settings), so templates write
``{{ value|zoned_date:"Y-m-d H:i T" }}`` without a ``{% load %}``. Django's own ``date``
stays as it is.
"""

import datetime

from django import template
from django.template import defaultfilters
from django.utils import formats, timezone

from ..dates import ZonedDateFormat

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def zoned_date(value, arg=None):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return ZonedDateFormat(value).format(formats.get_format(arg or "DATE_FORMAT"))
    return defaultfilters.date(value, arg)
