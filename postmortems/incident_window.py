"""When a timeline event may happen: never in the future (beyond a little clock skew), and
normally close to the incident — an event years away is almost always a typo in the date,
so it is saved only when the author confirms it."""

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from .dates import format_zoned

# Clocks of laptops and servers disagree by a little; more than this ahead is the future.
CLOCK_SKEW = datetime.timedelta(minutes=5)
# How far before the start or after the end an event is still plainly part of the incident
# (the deploy the evening before, the follow-up the next morning).
MARGIN = datetime.timedelta(days=1)


def future_error(
    occurred_at: datetime.datetime, *, now: datetime.datetime | None = None
) -> str | None:
    """A reason to refuse ``occurred_at``, or None."""
    now = now or timezone.now()
    if occurred_at > now + CLOCK_SKEW:
        return _("%(time)s is in the future; a timeline records what already happened.") % {
            "time": format_zoned(occurred_at)
        }
    return None


def window(postmortem: Any) -> tuple[datetime.datetime, datetime.datetime] | None:
    """``(start, end)`` of the incident from its incident times, or None without a start."""
    start = postmortem.started_at
    if start is None:
        return None
    ends = [postmortem.resolved_at, postmortem.mitigated_at, postmortem.detected_at]
    end = next((t for t in ends if t is not None and t >= start), start)
    return start, end


def outside_warning(postmortem: Any, occurred_at: datetime.datetime) -> str | None:
    """A warning naming the window when ``occurred_at`` is far outside it, else None."""
    span = window(postmortem)
    if span is None:
        return None
    start, end = span
    if start - MARGIN <= occurred_at <= end + MARGIN:
        return None
    return _(
        "%(time)s is far outside the incident (%(start)s → %(end)s). "
        "Check the date, or confirm that it belongs here."
    ) % {
        "time": format_zoned(occurred_at),
        "start": format_zoned(start),
        "end": format_zoned(end),
    }
