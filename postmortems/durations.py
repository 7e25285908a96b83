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


def format_duration(delta: datetime.timedelta | None, *, rounded: bool = False) -> str:
    """``"1 d 2 h 5 min"``; under a minute in seconds; ``"—"`` when unknown or negative.

    ``rounded`` writes one unit with a decimal (``"45 min"``, ``"3.5 h"``, ``"2.1 d"``): for
    statistics (medians, p90s), where the exact minutes mean nothing."""
    if delta is None:
        return MISSING
    seconds = int(delta.total_seconds())
    if seconds < 0:
        return MISSING
    if rounded:
        return _rounded(delta.total_seconds() / 60)
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


def _rounded(minutes: float) -> str:
    if minutes < 90:
        return _("%(n)s min") % {"n": f"{minutes:.0f}"}
    if minutes < 48 * 60:
        return _("%(n)s h") % {"n": f"{minutes / 60:.1f}"}
    return _("%(n)s d") % {"n": f"{minutes / 1440:.1f}"}
