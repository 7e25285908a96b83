"""Durations between incident times, and the one way they are written for people."""

import datetime
from collections.abc import Callable

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


def rounded_formatter() -> Callable[[datetime.timedelta | None], str]:
    """``format_duration(delta, rounded=True)`` for many durations in the active language,
    with the unit words translated once (the metrics page writes some 400 of them)."""
    units = (_("%(n)s min"), _("%(n)s h"), _("%(n)s d"))

    def write(delta: datetime.timedelta | None) -> str:
        if delta is None:
            return MISSING
        total = delta.total_seconds()
        if int(total) < 0:
            return MISSING
        return _rounded(total / 60, units)

    return write


def _rounded(minutes: float, units: tuple[str, str, str] | None = None) -> str:
    if minutes < 90:
        unit = units[0] if units else _("%(n)s min")
        return unit % {"n": f"{minutes:.0f}"}
    if minutes < 48 * 60:
        unit = units[1] if units else _("%(n)s h")
        return unit % {"n": f"{minutes / 60:.1f}"}
    unit = units[2] if units else _("%(n)s d")
    return unit % {"n": f"{minutes / 1440:.1f}"}
