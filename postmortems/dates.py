"""Days and times in a zone: the start of a day, and a time written with its zone."""

import datetime

from django.utils import dateformat, formats, timezone


def day_start(day: datetime.date, zone: datetime.tzinfo | None = None) -> datetime.datetime:
    """Midnight at the start of ``day`` in ``zone`` (default: the active zone, i.e. the
    reader's), as an aware datetime."""
    return datetime.datetime.combine(
        day, datetime.time.min, tzinfo=zone or timezone.get_current_timezone()
    )


class ZonedDateFormat(dateformat.DateFormat):
    """Django's ``DateFormat`` leaves ``T``, ``O``, ``e``, ``I`` and ``Z`` empty when a wall
    time is ambiguous in its zone — exactly in the hour a DST change repeats, where "01:30
    EDT" and "01:30 EST" must be told apart. An aware time knows its offset (``fold``), so
    here it keeps its zone."""

    def __init__(self, obj: datetime.date | datetime.datetime) -> None:
        super().__init__(obj)
        if isinstance(obj, datetime.datetime) and timezone.is_aware(obj):
            self.timezone = obj.tzinfo


def format_zoned(value: datetime.datetime, format_string: str = "Y-m-d H:i T") -> str:
    """``value`` in the active (the reader's) zone, formatted like the ``date`` filter."""
    local = timezone.localtime(value)
    return str(ZonedDateFormat(local).format(formats.get_format(format_string)))
