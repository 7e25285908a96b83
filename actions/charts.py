"""Geometry for the server-rendered SVG charts (dashboard and metrics; the templates draw
them), with one way to scale an axis.

Numbers only: no chart library, no JavaScript. Each chart also has a data table in the
page, so the figures never depend on seeing colours or shapes.
"""

import math

from django.conf import settings
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from postmortems.escaping import esc

PRIORITY_COLOURS = {"P1": "#b02a37", "P2": "#e8590c", "P3": "#0d6efd", "P4": "#6c757d"}
SERIES_COLOURS = {"created": "#6f42c1", "completed": "#198754"}

WIDTH = 560
HEIGHT = 240
LEFT = 40
RIGHT = 10
TOP = 10
BOTTOM = 40


def nice_ceiling(value, *, whole=False):
    """The chart scaling: the smallest of 1, 2, 2.5, 5 and 10 times a power of ten that is
    at least ``value`` (0 for nothing). ``whole`` skips the ones that are not integers."""
    if value <= 0:
        return 0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        candidate = step * magnitude
        if whole and candidate != int(candidate):
            continue
        if value <= candidate:
            return int(candidate) if whole else candidate
    return 10 * magnitude


def _scale(maximum):
    """A round top value for a count axis and its four whole ticks."""
    top = 4 * nice_ceiling(max(1, maximum) / 4, whole=True)
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


def bar_chart(
    series, *, labels, axis_labels=None, width=640, height=200, pad_left=44, pad_bottom=28, unit=""
):
    """Geometry for a server-rendered grouped bar chart.

    ``series`` is a list of (name, values) with one value (or ``None``) per label; returns
    bars, axis ticks and labels positioned in an SVG of ``width`` x ``height``. The x axis
    shows ``axis_labels`` when given — (first line, second line or "") per label, short
    enough not to overlap in any language — else ``labels`` (which bars' tooltips use)."""
    values = [v for _, vals in series for v in vals if v is not None]
    top = max(values) if values else 0
    top = nice_ceiling(top)
    plot_w, plot_h = width - pad_left - 8, height - pad_bottom - 8
    group_w = plot_w / max(len(labels), 1)
    bar_w = max(2.0, (group_w - 6) / max(len(series), 1))
    bars = []
    for s_index, (name, vals) in enumerate(series):
        for i, v in enumerate(vals):
            if v is None:
                continue
            h = 0 if not top else plot_h * v / top
            bars.append(
                {
                    "x": round(pad_left + i * group_w + 3 + s_index * bar_w, 1),
                    "y": round(8 + plot_h - h, 1),
                    "width": round(bar_w - 1, 1),
                    "height": round(h, 1),
                    "series": s_index,
                    "name": name,
                    "label": labels[i],
                    "value": v,
                }
            )
    ticks = []
    for k in range(5):
        value = top * k / 4
        ticks.append({"y": round(8 + plot_h - plot_h * k / 4, 1), "value": _fmt(value)})
    lines = axis_labels or [(label, "") for label in labels]
    x_labels = [
        {"x": round(pad_left + i * group_w + group_w / 2, 1), "text": top, "sub": sub}
        for i, (top, sub) in enumerate(lines)
    ]
    return {
        "width": width,
        "height": height,
        "bars": bars,
        "ticks": ticks,
        "labels": x_labels,
        "axis_x": pad_left,
        "baseline": 8 + plot_h,
        "right": width - 8,
        "unit": unit,
        "series": [name for name, _ in series],
    }


def _fmt(value):
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


# --- The metrics page's bar charts as markup -------------------------------------------------

_BAR_FILLS = ("#0d6efd", "#fd7e14", "#198754")


def _num(value):
    """An SVG coordinate: always a dot, never the reader's decimal comma."""
    return str(value)


def bar_chart_svg(chart, *, key, title):
    """The SVG of a ``bar_chart`` (and its legend), written here rather than by a template:
    a year of six charts is some 2,300 values, and the template engine spent longer on
    them than the rest of the metrics page together. Text is escaped like the templates
    escape it; a bar's value in its tooltip is localised as ``{{ value }}`` would be."""
    same_figures = esc(gettext("the table below lists the same figures"))
    parts = [
        f'<svg class="metrics-chart w-100" viewBox="0 0 {chart["width"]} {chart["height"]}" '
        f'role="img" aria-labelledby="chart-{esc(key)}-title" '
        'preserveAspectRatio="xMinYMin meet">\n'
        f'  <title id="chart-{esc(key)}-title">{esc(title)} — '
        f"{same_figures}</title>\n"
    ]
    axis_x, right = _num(chart["axis_x"]), _num(chart["right"])
    label_x = _num(chart["axis_x"] - 4)
    for tick in chart["ticks"]:
        y = _num(tick["y"])
        parts.append(
            f'  <line x1="{axis_x}" x2="{right}" y1="{y}" y2="{y}" stroke="#dee2e6" '
            'stroke-width="1"/>\n'
            f'  <text x="{label_x}" y="{y}" text-anchor="end" dominant-baseline="middle" '
            f'font-size="10" fill="#6c757d">{esc(tick["value"])}</text>\n'
        )
    unit = esc(chart["unit"])
    # A year of bars repeats twelve labels and a few series names: each escaped once.
    escaped = {}
    for bar in chart["bars"]:
        fill = _BAR_FILLS[min(bar["series"], 2)]
        label, name = bar["label"], bar["name"]
        if label not in escaped:
            escaped[label] = esc(label)
        if name not in escaped:
            escaped[name] = esc(name)
        parts.append(
            f'  <rect x="{_num(bar["x"])}" y="{_num(bar["y"])}" width="{_num(bar["width"])}" '
            f'height="{_num(bar["height"])}" fill="{fill}"><title>{escaped[label]} · '
            f"{escaped[name]}: {_count(bar['value'])}{unit}</title></rect>\n"
        )
    baseline = _num(chart["baseline"])
    parts.append(
        f'  <line x1="{axis_x}" x2="{right}" y1="{baseline}" y2="{baseline}" stroke="#6c757d" '
        'stroke-width="1"/>\n'
    )
    text_y = _num(chart["height"] - 16)
    for label in chart["labels"]:
        x = _num(label["x"])
        sub = f'<tspan x="{x}" dy="11">{esc(label["sub"])}</tspan>' if label["sub"] else ""
        parts.append(
            f'  <text x="{x}" y="{text_y}" text-anchor="middle" font-size="10" '
            f'fill="#495057">{esc(label["text"])}{sub}</text>\n'
        )
    parts.append("</svg>\n")
    if len(chart["series"]) > 1:
        swatches = "".join(
            '<span class="me-3"><span class="d-inline-block rounded-1 me-1 align-middle '
            f'legend-swatch legend-swatch-{min(n, 2)}"></span>{esc(name)}</span>'
            for n, name in enumerate(chart["series"])
        )
        parts.append(f'<p class="small mb-1" aria-hidden="true">\n  {swatches}\n</p>\n')
    return mark_safe("".join(parts))  # noqa: S308 -- every value in it is escaped or a number


# --- The dashboard's two charts as markup ----------------------------------------------------


def _grid(chart):
    """The y-axis grid of a dashboard chart: one line and label per tick."""
    left, right = _num(chart["left"]), _num(chart["right"])
    label_x = _num(chart["left"] - 6)
    return "".join(
        f'    <line x1="{left}" x2="{right}" y1="{_num(t["y"])}" y2="{_num(t["y"])}" '
        'stroke="#dee2e6" stroke-width="1"/>\n'
        f'    <text x="{label_x}" y="{_num(t["y"])}" text-anchor="end" '
        f'dominant-baseline="middle" font-size="11" fill="#6c757d">{_num(t["value"])}</text>\n'
        for t in chart["ticks"]
    )


def _svg_open(chart, key, title, desc):
    esc = conditional_escape
    return (
        '<figure class="mb-0">\n'
        f'  <svg viewBox="0 0 {_num(chart["width"])} {_num(chart["height"])}" width="100%" '
        f'role="img" aria-labelledby="{key}-chart-title {key}-chart-desc" class="d-block">\n'
        f'    <title id="{key}-chart-title">{esc(title)}</title>\n'
        f'    <desc id="{key}-chart-desc">{esc(desc)}</desc>\n' + _grid(chart)
    )


def _svg_close(chart, legend_labels, caption):
    esc = conditional_escape
    baseline = _num(chart["baseline"])
    legend_y, text_y = _num(chart["height"] - 14), _num(chart["height"] - 5)
    legend = "".join(
        f'<rect x="{_num(item["x"])}" y="{legend_y}" width="10" height="10" '
        f'fill="{item["colour"]}"/><text x="{_num(item["x"] + 14)}" y="{text_y}" '
        f'font-size="11">{esc(legend_labels.get(item["key"], item["key"]))}</text>'
        for item in chart["legend"]
    )
    return (
        f'    <line x1="{_num(chart["left"])}" x2="{_num(chart["right"])}" y1="{baseline}" '
        f'y2="{baseline}" stroke="#495057"/>\n'
        f"    {legend}\n"
        "  </svg>\n"
        f'  <figcaption class="small text-body-secondary">{esc(caption)}</figcaption>\n'
        "</figure>\n"
    )


def _count(value):
    """A count as ``{{ value }}`` prints it (``localize``), escaped: an int's digits when
    thousands are not grouped (``USE_THOUSAND_SEPARATOR`` off, Django's default and ours,
    where ``localize`` writes just that), else ``localize``'s. A dashboard prints about a
    hundred counts; ``localize`` looks up several formats for each."""
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return esc(localize(value))


def age_chart_html(chart, buckets, priorities):
    """The age chart (``age_chart``'s geometry) and its table of ``buckets``
    (``figures["age_chart"]``), written here rather than by a template, as
    ``bar_chart_svg``: the template engine spent longer on its few dozen values than the
    database on the dashboard's figures. Coordinates and counts in the SVG are plain
    numbers; the table's counts are localised as ``{{ count }}`` would be."""
    esc = conditional_escape
    days = gettext("days")
    parts = [
        _svg_open(
            chart,
            "age",
            gettext("Open items by age"),
            gettext(
                "Stacked bars: open items in each age bucket (days since created), split by "
                "priority. The table below lists the same numbers."
            ),
        )
    ]
    label_y = _num(chart["label_y"])
    for bar in chart["bars"]:
        label, width = esc(bar["label"]), _num(bar["width"])
        segments = "".join(
            f'<rect x="{_num(s["x"])}" y="{_num(s["y"])}" width="{width}" '
            f'height="{_num(s["height"])}" fill="{s["colour"]}"><title>{label} {esc(days)}, '
            f"{esc(s['priority'])}: {_num(s['count'])}</title></rect>"
            for s in bar["segments"]
        )
        x = _num(bar["label_x"])
        parts.append(
            f"    <g>\n      {segments}\n"
            f'      <text x="{x}" y="{_num(bar["total_y"])}" text-anchor="middle" '
            f'font-size="11">{_num(bar["total"])}</text>\n'
            f'      <text x="{x}" y="{label_y}" text-anchor="middle" font-size="12">'
            f"{label}</text>\n"
            "    </g>\n"
        )
    parts.append(
        _svg_close(
            chart,
            {},
            gettext(
                "Days since each open item was created; colours are priorities (see the table)."
            ),
        )
    )
    heads = "".join(f'<th scope="col">{esc(p)}</th>' for p in priorities)
    caption, age, total = (
        esc(gettext("Open items by age and priority")),
        esc(gettext("Age (days)")),
        esc(gettext("Total")),
    )
    parts.append(
        '<table class="table table-sm small mt-2">\n'
        f'  <caption class="visually-hidden">{caption}</caption>\n'
        f'  <thead><tr><th scope="col">{age}</th>{heads}'
        f'<th scope="col">{total}</th></tr></thead>\n'
        "  <tbody>\n"
    )
    for bucket in buckets:
        cells = "".join(f"<td>{_count(count)}</td>" for _p, count in bucket["by_priority"])
        parts.append(
            f'  <tr><th scope="row">{esc(bucket["label"])}</th>{cells}'
            f"<td>{_count(bucket['total'])}</td></tr>\n"
        )
    parts.append("  </tbody>\n</table>\n")
    return mark_safe("".join(parts))  # noqa: S308 -- every value in it is escaped or a number


def week_chart_html(chart, weeks):
    """The created/completed chart (``week_chart``'s geometry) and its table of ``weeks``
    (``figures["week_chart"]``), written here for the reason ``age_chart_html`` says."""
    esc = conditional_escape
    series = {"created": esc(gettext("created")), "completed": esc(gettext("completed"))}
    parts = [
        _svg_open(
            chart,
            "week",
            gettext("Created and completed per week"),
            gettext(
                "Paired bars for each of the last 12 weeks: items created and items "
                "completed. The table below lists the same numbers."
            ),
        )
    ]
    label_y = _num(chart["label_y"])
    for group in chart["groups"]:
        width, start = _num(group["width"]), group["start"]
        bars = "".join(
            f'<rect x="{_num(b["x"])}" y="{_num(b["y"])}" width="{width}" '
            f'height="{_num(b["height"])}" fill="{b["colour"]}"><title>{start:%Y-%m-%d} '
            f"{series[b['series']]}: {_num(b['value'])}</title></rect>"
            for b in group["bars"]
        )
        label = (
            f'<text x="{_num(group["label_x"])}" y="{label_y}" text-anchor="middle" '
            f'font-size="11">{start:%m-%d}</text>'
            if group["show_label"]
            else ""
        )
        parts.append(f"    <g>\n      {bars}\n      {label}\n    </g>\n")
    parts.append(
        _svg_close(
            chart,
            {"created": gettext("created"), "completed": gettext("completed")},
            gettext("Weeks start on Monday; the last one is this week so far."),
        )
    )
    show, caption, week, created, completed = (
        esc(gettext("Show the numbers")),
        esc(gettext("Items created and completed per week")),
        esc(gettext("Week of")),
        esc(gettext("Created")),
        esc(gettext("Completed")),
    )
    parts.append(
        '<details class="mt-2">\n'
        f'  <summary class="small">{show}</summary>\n'
        '  <table class="table table-sm small">\n'
        f'    <caption class="visually-hidden">{caption}</caption>\n'
        f'    <thead><tr><th scope="col">{week}</th>'
        f'<th scope="col">{created}</th>'
        f'<th scope="col">{completed}</th></tr></thead>\n'
        "    <tbody>\n    "
    )
    parts += [
        f'<tr><th scope="row">{w["start"]:%Y-%m-%d}</th><td>{_count(w["created"])}</td>'
        f"<td>{_count(w['completed'])}</td></tr>"
        for w in weeks
    ]
    parts.append("\n    </tbody>\n  </table>\n</details>\n")
    return mark_safe("".join(parts))  # noqa: S308 -- every value in it is escaped or a number
