"""Geometry for the dashboard's server-rendered SVG charts (the templates draw them).

Numbers only: no chart library, no JavaScript. Each chart also has a data table in the
page, so the figures never depend on seeing colours or shapes.
"""

PRIORITY_COLOURS = {"P1": "#b02a37", "P2": "#e8590c", "P3": "#0d6efd", "P4": "#6c757d"}
SERIES_COLOURS = {"created": "#6f42c1", "completed": "#198754"}

WIDTH = 560
HEIGHT = 240
LEFT = 40
RIGHT = 10
TOP = 10
BOTTOM = 40


def _scale(maximum):
    """A round top value for the y axis and four tick values."""
    top = max(1, maximum)
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000):
        if top <= step * 4:
            top = step * 4
            break
    else:
        top = -(-top // 4) * 4
    return top, [top * n // 4 for n in range(5)]


def _y(value, top):
    plot = HEIGHT - TOP - BOTTOM
    return TOP + plot - plot * value / top


def _ticks(values, top):
    return [{"value": v, "y": round(_y(v, top), 1)} for v in values]


def age_chart(buckets):
    """Stacked bars: one per age bucket, a segment per priority (bottom P1 … top P4)."""
    top, ticks = _scale(max((b["total"] for b in buckets), default=0))
    slot = (WIDTH - LEFT - RIGHT) / max(1, len(buckets))
    bar_width = slot * 0.6
    bars = []
    for index, bucket in enumerate(buckets):
        x = LEFT + slot * index + (slot - bar_width) / 2
        base = 0
        segments = []
        for priority, count in bucket["by_priority"]:
            if count:
                y_top = _y(base + count, top)
                segments.append(
                    {
                        "priority": priority,
                        "count": count,
                        "x": round(x, 1),
                        "y": round(y_top, 1),
                        "height": round(_y(base, top) - y_top, 1),
                        "colour": PRIORITY_COLOURS[priority],
                    }
                )
            base += count
        bars.append(
            {
                "label": bucket["label"],
                "total": bucket["total"],
                "segments": segments,
                "width": round(bar_width, 1),
                "label_x": round(x + bar_width / 2, 1),
                "total_y": round(_y(bucket["total"], top) - 4, 1),
            }
        )
    return _frame(ticks, top) | {"bars": bars, "legend": _legend(PRIORITY_COLOURS)}


def week_chart(weeks):
    """Paired bars per week: items created and items completed."""
    top, ticks = _scale(max((max(w["created"], w["completed"]) for w in weeks), default=0))
    slot = (WIDTH - LEFT - RIGHT) / max(1, len(weeks))
    bar_width = slot * 0.35
    groups = []
    for index, week in enumerate(weeks):
        x = LEFT + slot * index + slot * 0.15
        bars = []
        for offset, series in enumerate(("created", "completed")):
            value = week[series]
            y = _y(value, top)
            bars.append(
                {
                    "series": series,
                    "value": value,
                    "x": round(x + offset * bar_width, 1),
                    "y": round(y, 1),
                    "height": round(_y(0, top) - y, 1),
                    "colour": SERIES_COLOURS[series],
                }
            )
        groups.append(
            {
                "start": week["start"],
                "bars": bars,
                "width": round(bar_width, 1),
                "label_x": round(x + bar_width, 1),
                "show_label": index % 2 == 1 or len(weeks) <= 6,
            }
        )
    return _frame(ticks, top) | {"groups": groups, "legend": _legend(SERIES_COLOURS)}


def _frame(ticks, top):
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "baseline": round(_y(0, top), 1),
        "label_y": HEIGHT - BOTTOM + 16,
        "ticks": _ticks(ticks, top),
    }


def _legend(colours):
    return [
        {"key": key, "colour": colour, "x": LEFT + 90 * index}
        for index, (key, colour) in enumerate(colours.items())
    ]
