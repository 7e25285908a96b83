"""Durations between incident times, and the one way they are written for people."""

import datetime

from django.utils.translation import gettext as _

MISSING = "—"


def span(
    start: datetime.datetime | None, end: datetime.datetime | None
) -> datetime.timedelta | None:
    """``end - start``, or None when either is unknown or the order is impossible."""
    if start is None or end is None or end < start:
        return None
    return end - start


def format_duration(delta: datetime.timedelta | None) -> str:
    """``"1 d 2 h 5 min"``; under a minute in seconds; ``"—"`` when unknown or negative."""
    if delta is None:
        return MISSING
    seconds = int(delta.total_seconds())
    if seconds < 0:
        return MISSING
    if seconds < 60:
        return _("%(seconds)d s") % {"seconds": seconds}
    days, seconds = divmod(seconds, 86400)
    hours, seconds = divmod(seconds, 3600)
    minutes = seconds // 60
    parts = []
    if days:
        parts.append(_("%(days)d d") % {"days": days})
    if days or hours:
        parts.append(_("%(hours)d h") % {"hours": hours})
    parts.append(_("%(minutes)d min") % {"minutes": minutes})
    return " ".join(parts)
