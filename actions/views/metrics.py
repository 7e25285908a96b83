"""Incident metrics page and its CSV export."""

import html

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from postmortems import csv_cells
from postmortems import selectors as postmortem_selectors
from postmortems.bounds import range_error
from postmortems.models import Team
from postmortems.selectors import visible_postmortems

from .. import charts, metrics, selectors, services
from ..dashboard.cache import cached
from ..forms import ReportFilterForm

SEVERITY_COLUMNS = [metrics.ALL, *metrics.SEVERITIES]


def _filters(request):
    """(team or None, first, last, teams, errors) from the query string; a bad value is
    named in ``errors`` and the default range (last 12 months) shown instead. ``teams``
    are (id, name) pairs: read as tuples, not hundreds of model instances."""
    teams = list(Team.objects.values_list("pk", "name"))
    form = ReportFilterForm(request.GET)
    first, last = metrics.default_range()
    if not form.is_valid():
        errors = form.messages()
        errors.append(_("Showing the last 12 months."))
        data = {k: v for k, v in form.cleaned_data.items() if k == "team"}
    else:
        errors, data = [], form.cleaned_data
        first = data.get("from") or first
        last = data.get("to") or last
        if first > last or range_error(first, last):
            # Only one end was given; the other one, by default, made the range invalid.
            message = range_error(first, last) or _("The start date is after the end date.")
            errors = [message, _("Showing the last 12 months.")]
            first, last = metrics.default_range()
    team = next((Team(pk=pk, name=name) for pk, name in teams if pk == data.get("team")), None)
    return team, first, last, teams, errors


def _report(*, first, last, team, user):
    """``metrics.figures`` over the postmortems ``user`` may read, kept like the dashboard's
    figures: shared by everyone who sees no restricted postmortem, per person otherwise.

    Only the default range is cached: every other range would be an entry of its own, and a
    stream of different ranges would fill the cache (the range is capped, so building one
    is bounded)."""
    postmortems = visible_postmortems(user)
    restricted = metrics.restricted_postmortems(postmortems)
    sees_restricted = bool(restricted)

    def build():
        return metrics.figures(
            first=first, last=last, team=team, postmortems=postmortems, restricted=restricted
        )

    if (first, last) != metrics.default_range():
        return build()
    key = ":".join(
        (
            "actions:metrics:report",
            str(selectors.dashboard_cache_version()),
            timezone.get_current_timezone_name(),
            timezone.localdate().isoformat(),
            str(team.pk if team else ""),
            f"user{user.pk}" if sees_restricted else "open",
        )
    )
    return cached(key, build)


def _column_label(severity):
    return _("All") if severity == metrics.ALL else severity


def _month_label(month):
    return date_format(month, pgettext("month and year, a date format", "M Y"))


def _month_axis_labels(months):
    """(month, year) per month for the x axis: the year only under the first month and
    each January. Twelve "M Y" labels overlap in Korean ("12월 2026"); one short word per
    column does not."""
    labels, year = [], None
    for month in months:
        name = date_format(month, pgettext("month alone on a chart axis", "M"))
        labels.append((name, str(month.year) if month.year != year else ""))
        year = month.year
    return labels


HOURS = pgettext_lazy("unit after a number of hours", "h")


# Each section: a title, how to chart it and how to show a cell in its table.


def _duration_chart(key, title, field, missing):
    """A chart of a duration's median and p90 per bucket (``<field>_median``/``_p90``)."""

    def median(bucket):
        return getattr(bucket, f"{field}_median")

    def p90(bucket):
        return getattr(bucket, f"{field}_p90")

    return {
        "key": key,
        "title": title,
        "unit": HOURS,
        "series": [
            (gettext_lazy("median"), lambda b: metrics.hours(median(b))),
            (gettext_lazy("p90"), lambda b: metrics.hours(p90(b))),
        ],
        "cell": lambda b, write: f"{write(median(b))} / {write(p90(b))}",
        "missing": missing,
    }


SECTIONS = [
    {
        "key": "incidents",
        "title": gettext_lazy("Incidents"),
        "unit": "",
        "series": [(gettext_lazy("Incidents"), lambda b: b.incidents)],
        "cell": lambda b, _write: str(b.incidents),
    },
    _duration_chart(
        "mttd",
        gettext_lazy("Time to detect (MTTD: detected − started), hours"),
        "mttd",
        "missing_detected",
    ),
    _duration_chart(
        "mttr",
        gettext_lazy("Time to resolve (MTTR: resolved − started), hours"),
        "mttr",
        "missing_resolved",
    ),
    _duration_chart(
        "publish",
        gettext_lazy("From resolution to published postmortem, hours"),
        "publish",
        "missing_published",
    ),
    {
        "key": "change_failure",
        "title": gettext_lazy("Change-failure share (incidents caused by a change), %"),
        "unit": "%",
        "series": [
            (
                gettext_lazy("share"),
                lambda b: (
                    None
                    if b.change_failure_share is None
                    else round(b.change_failure_share * 100, 1)
                ),
            )
        ],
        "cell": lambda b, _write: metrics.format_share(b.change_failure_share),
    },
    {
        "key": "on_time",
        "title": gettext_lazy("Action items done by their due date, %"),
        "unit": "%",
        "series": [
            (
                gettext_lazy("on time"),
                lambda b: None if b.on_time_rate is None else round(b.on_time_rate * 100, 1),
            )
        ],
        "cell": lambda b, _write: (
            f"{metrics.format_share(b.on_time_rate)} ({b.actions_on_time}/{b.actions_due})"
        ),
    },
]

MISSING_MESSAGES = {
    "missing_detected": gettext_lazy("%(count)d incidents without a start or detection time"),
    "missing_resolved": gettext_lazy("%(count)d incidents without a start or resolved time"),
    "missing_published": gettext_lazy(
        "%(count)d incidents without a resolved time or a published postmortem"
    ),
}


def _sections(report, write):
    """Each section's chart, table rows and totals; ``write`` is the request's
    ``metrics.duration_formatter()``."""
    labels = [_month_label(m) for m in report.months]
    axis_labels = _month_axis_labels(report.months)
    # The buckets each section reads, looked up once: (month, [bucket per column]).
    grid = [(m, [report.bucket(m, sev) for sev in SEVERITY_COLUMNS]) for m in report.months]
    overall = [cells[0] for _month, cells in grid]  # SEVERITY_COLUMNS[0] is ALL
    totals = [report.totals.get(s) or metrics.Bucket() for s in SEVERITY_COLUMNS]
    columns = [_column_label(s) for s in SEVERITY_COLUMNS]
    out = []
    for spec in SECTIONS:
        cell = spec["cell"]
        title = str(spec["title"])
        series = [(str(name), [fn(b) for b in overall]) for name, fn in spec["series"]]
        rows = [
            {"label": label, "cells": [cell(b, write) for b in cells]}
            for (_month, cells), label in zip(grid, labels, strict=True)
        ]
        missing = None
        if spec.get("missing"):
            count = getattr(totals[0], spec["missing"])
            if count:
                missing = MISSING_MESSAGES[spec["missing"]] % {"count": count}
        chart = charts.bar_chart(series, labels=labels, axis_labels=axis_labels, unit=spec["unit"])
        out.append(
            {
                "key": spec["key"],
                "title": title,
                "chart": chart,
                "svg": charts.bar_chart_svg(chart, key=spec["key"], title=title),
                "columns": columns,
                "rows": rows,
                "rows_html": _rows_html(rows),
                "total": [cell(b, write) for b in totals],
                "missing": missing,
            }
        )
    return out


def _rows_html(rows):
    """The table's body rows (12 months x 5 cells, six tables): written here for the same
    reason as the charts (``charts.bar_chart_svg``); every label and cell is escaped
    (``html.escape``: what ``escape`` does, without making a SafeString of each cell)."""
    return mark_safe(  # noqa: S308 -- escaped right here
        "\n".join(
            f'<tr><th scope="row">{html.escape(row["label"])}</th>'
            + "".join(f"<td>{html.escape(cell)}</td>" for cell in row["cells"])
            + "</tr>"
            for row in rows
        )
    )


def _team_options(teams, team):
    """The team filter's options (one per team: hundreds in a large organisation)."""
    chosen = team.pk if team else None
    return mark_safe(  # noqa: S308 -- the names are escaped right here, the ids are ints
        "".join(
            f'<option value="{pk}"{" selected" if pk == chosen else ""}>'
            f"{html.escape(name)}</option>"
            for pk, name in teams
        )
    )


def metrics_page(request):
    team, first, last, teams, errors = _filters(request)
    report = _report(first=first, last=last, team=team, user=request.user)
    total = report.totals.get(metrics.ALL) or metrics.Bucket()
    write = metrics.duration_formatter()
    context = {
        "teams": teams,
        "team_options": _team_options(teams, team),
        "team": team,
        "first": first,
        "last": last,
        "errors": errors,
        "total": total,
        "summary": {
            "mttd": (write(total.mttd_median), write(total.mttd_p90)),
            "mttr": (write(total.mttr_median), write(total.mttr_p90)),
            "publish": write(total.publish_median),
            "change_failure": metrics.format_share(total.change_failure_share),
            "on_time": metrics.format_share(total.on_time_rate),
        },
        "sections": _sections(report, write),
        "blame_outcomes": postmortem_selectors.hint_outcomes(request.user),
        "query": request.GET.urlencode(),
        "now": timezone.now(),
    }
    return render(request, "actions/metrics.html", context)


CSV_HEADER = [
    "month",
    "severity",
    "incidents",
    "mttd_median_minutes",
    "mttd_p90_minutes",
    "mttd_missing",
    "mttr_median_minutes",
    "mttr_p90_minutes",
    "mttr_missing",
    "publish_median_minutes",
    "publish_p90_minutes",
    "publish_missing",
    "caused_by_change",
    "change_failure_share",
    "actions_due",
    "actions_on_time",
    "on_time_rate",
]
# The header row: the keys above, which scripts rely on, translated for a Korean reader.
CSV_HEADINGS = {
    "month": pgettext_lazy("CSV column", "month"),
    "severity": pgettext_lazy("CSV column", "severity"),
    "incidents": pgettext_lazy("CSV column", "incidents"),
    "mttd_median_minutes": pgettext_lazy("CSV column", "mttd_median_minutes"),
    "mttd_p90_minutes": pgettext_lazy("CSV column", "mttd_p90_minutes"),
    "mttd_missing": pgettext_lazy("CSV column", "mttd_missing"),
    "mttr_median_minutes": pgettext_lazy("CSV column", "mttr_median_minutes"),
    "mttr_p90_minutes": pgettext_lazy("CSV column", "mttr_p90_minutes"),
    "mttr_missing": pgettext_lazy("CSV column", "mttr_missing"),
    "publish_median_minutes": pgettext_lazy("CSV column", "publish_median_minutes"),
    "publish_p90_minutes": pgettext_lazy("CSV column", "publish_p90_minutes"),
    "publish_missing": pgettext_lazy("CSV column", "publish_missing"),
    "caused_by_change": pgettext_lazy("CSV column", "caused_by_change"),
    "change_failure_share": pgettext_lazy("CSV column", "change_failure_share"),
    "actions_due": pgettext_lazy("CSV column", "actions_due"),
    "actions_on_time": pgettext_lazy("CSV column", "actions_on_time"),
    "on_time_rate": pgettext_lazy("CSV column", "on_time_rate"),
}


def _share(value):
    return "" if value is None else f"{value:.4f}"


def _blank(value):
    return "" if value is None else value


def metrics_csv(request):
    team, first, last, _teams, _errors = _filters(request)
    report = _report(first=first, last=last, team=team, user=request.user)
    services.export_audit_record(
        by=request.user,
        export="metrics",
        team_id=team.pk if team else None,
        query=request.GET.urlencode(),
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    suffix = f"-{team.pk}" if team else ""
    response["Content-Disposition"] = (
        f'attachment; filename="hindsight-metrics-{first}-{last}{suffix}.csv"'
    )
    response.write(csv_cells.BOM)
    writer = csv_cells.writer(response)
    writer.writerow([CSV_HEADINGS.get(name, name) for name in CSV_HEADER])
    for month in report.months:
        for severity in SEVERITY_COLUMNS:
            b = report.bucket(month, severity)
            writer.writerow(
                [
                    month.strftime("%Y-%m"),
                    severity,
                    b.incidents,
                    _blank(metrics.minutes(b.mttd_median)),
                    _blank(metrics.minutes(b.mttd_p90)),
                    b.missing_detected,
                    _blank(metrics.minutes(b.mttr_median)),
                    _blank(metrics.minutes(b.mttr_p90)),
                    b.missing_resolved,
                    _blank(metrics.minutes(b.publish_median)),
                    _blank(metrics.minutes(b.publish_p90)),
                    b.missing_published,
                    b.caused_by_change,
                    _share(b.change_failure_share),
                    b.actions_due,
                    b.actions_on_time,
                    _share(b.on_time_rate),
                ]
            )
    return response
