"""Pure statistics over durations (``None`` means unknown and is skipped)."""

import math


def _present(durations):
    return sorted(d for d in durations if d is not None)


def median(durations):
    """Median of the durations that are known (``None`` skipped); ``None`` if none are."""
    values = _present(durations)
    if not values:
        return None
    mid = len(values) // 2
    if len(values) % 2:
        return values[mid]
    return (values[mid - 1] + values[mid]) / 2


def percentile(durations, p):
    """Nearest-rank percentile (the smallest value with at least p% at or below it) of the
    known durations; ``None`` if none are known. p90 of 10 values is the 9th smallest."""
    values = _present(durations)
    if not values:
        return None
    rank = max(1, math.ceil(p / 100 * len(values)))
    return values[rank - 1]


def p90(durations):
    return percentile(durations, 90)


def share(part, whole):
    return None if not whole else part / whole
