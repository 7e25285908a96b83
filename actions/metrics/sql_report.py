"""The metrics computed by PostgreSQL in two grouped queries (``percentile_disc`` for the
middle values and the nearest-rank p90, ``GROUPING SETS`` for the per-month, per-severity
and overall buckets)."""

import datetime
from collections import defaultdict

from django.db import connection
from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate, TruncMonth
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from postmortems.dates import day_start
from postmortems.models import Postmortem

from ..models import ActionItem
from .buckets import ALL, Bucket, Report, add_action_counts, months_between

_DURATIONS = (
    # (figure, end, start): end - start, unknown when either is missing or end < start.
    ("mttd", "detected_at", "started_at"),
    ("mttr", "resolved_at", "started_at"),
    ("publish", "published_at", "resolved_at"),
)
_MISSING = {"mttd": "missing_detected", "mttr": "missing_resolved", "publish": "missing_published"}


def _incident_figures_sql(*, first, last, team, tz, postmortems=None):
    """One grouped query: each (month, severity), each month, each severity and the whole
    range, with counts, the two middle values (``percentile_disc`` from either end: the same
    value for an odd count) and nearest-rank p90s (``percentile_disc``, like ``p90``)."""
    qn = connection.ops.quote_name
    durations = ",\n".join(
        f"CASE WHEN {qn(end)} >= {qn(start)} THEN {qn(end)} - {qn(start)} END AS {name}"
        for name, end, start in _DURATIONS
    )
    figures = ",\n".join(
        f"count(*) FILTER (WHERE {name} IS NULL), "
        f"percentile_disc(0.5) WITHIN GROUP (ORDER BY {name}), "
        f"percentile_disc(0.5) WITHIN GROUP (ORDER BY {name} DESC), "
        f"percentile_disc(0.9) WITHIN GROUP (ORDER BY {name})"
        for name, _end, _start in _DURATIONS
    )
    at = f"COALESCE({qn('started_at')}, {qn('created_at')})"
    params = [timezone._get_timezone_name(tz), day_start(first, tz)]
    params.append(day_start(last + datetime.timedelta(days=1), tz))
    team_sql = ""
    if team is not None:
        team_sql = f"AND {qn('team_id')} = %s"
        params.append(team.pk)
    if postmortems is not None:
        visible_sql, visible_params = postmortems.values("pk").query.sql_with_params()
        team_sql += f" AND {qn('id')} IN ({visible_sql})"
        params.extend(visible_params)
    # Identifiers and fixed text only in the f-string; the values are parameters.
    sql = f"""
        SELECT GROUPING(month), GROUPING(severity), month, severity, count(*),
            count(*) FILTER (WHERE caused_by_change), {figures}
        FROM (
            SELECT date_trunc('month', {at} AT TIME ZONE %s)::date AS month,
                {qn("severity")} AS severity, {qn("caused_by_change")} AS caused_by_change,
                {durations}
            FROM {qn(Postmortem._meta.db_table)}
            WHERE {at} >= %s AND {at} < %s {team_sql}
        ) AS incidents
        GROUP BY GROUPING SETS ((month, severity), (month), (severity), ())
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _action_counts_sql(*, first, last, team, today, tz, postmortems=None):
    """(month, severity, due, on time) of the action items due in [first, last] that count
    toward the on-time rate (see ``build_report``), grouped by the database."""
    done = Q(status=ActionItem.Status.DONE, completed_at__isnull=False)
    qs = ActionItem.objects.filter(due_date__gte=first, due_date__lte=last)
    if team is not None:
        qs = qs.filter(team=team)
    if postmortems is not None:
        qs = qs.filter(postmortem__in=postmortems.values("pk"))
    on_time = done & LessThanOrEqual(TruncDate("completed_at", tzinfo=tz), F("due_date"))
    return list(
        qs.exclude(status=ActionItem.Status.WONT_DO)
        .filter(done | Q(due_date__lt=today))
        .annotate(month=TruncMonth("due_date"))
        .order_by()
        .values_list("month", "postmortem__severity")
        .annotate(due=Count("pk"), on_time=Count("pk", filter=on_time))
    )


def report_sql(*, first, last, team, today, tz, postmortems=None):
    buckets = defaultdict(Bucket)
    totals = defaultdict(Bucket)
    for row in _incident_figures_sql(
        first=first, last=last, team=team, tz=tz, postmortems=postmortems
    ):
        no_month, no_severity, month, severity, incidents, by_change, *stats = row
        if no_month:
            bucket = totals[ALL if no_severity else severity]
        else:
            bucket = buckets[(month, ALL if no_severity else severity)]
        bucket.incidents = incidents
        bucket.caused_by_change = by_change
        for n, (name, _end, _start) in enumerate(_DURATIONS):
            missing, low, high, ninetieth = stats[4 * n : 4 * n + 4]
            setattr(bucket, _MISSING[name], missing)
            # The very expression ``median`` uses, so the rounding is the same too.
            bucket.computed[f"{name}_median"] = None if low is None else (low + high) / 2
            bucket.computed[f"{name}_p90"] = ninetieth
    add_action_counts(
        buckets,
        totals,
        _action_counts_sql(
            first=first, last=last, team=team, today=today, tz=tz, postmortems=postmortems
        ),
    )
    return Report(months=months_between(first, last), buckets=dict(buckets), totals=dict(totals))
