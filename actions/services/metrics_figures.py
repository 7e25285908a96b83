"""Keep the stored daily metrics figures (``MetricsDay``) equal to the postmortems and
action items they are made of.

A change rewrites the rows of the (team, day) pairs it touches, and of every team for
those days, from the tables themselves (never by adding or subtracting), in the same
transaction: ``actions.signals`` calls ``metrics_days_refresh`` on every save and delete of
a postmortem or an action item. The rows are locked first, so two transactions changing
the same day take turns, and the second one recomputes after the first has committed
(READ COMMITTED: its next statement sees the first one's rows). Bulk loads that bypass
``save()`` (``seed_scale``, the demo data) end with ``metrics_figures_rebuild``.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce

from postmortems.durations import span
from postmortems.models import Postmortem, Severity

from ..metrics.stored import DURATIONS, microseconds, pack
from ..models import ActionItem, MetricsDay

SEVERITIES = [s.value for s in Severity]

# (team id, UTC day): the rows of that team and of every team (team None) for that day.
DayKey = tuple[int, datetime.date]


def incident_day(postmortem: Postmortem) -> datetime.date:
    """The UTC day an incident counts on: its start, or when it was written."""
    return incident_day_of(postmortem.started_at or postmortem.created_at)


def incident_day_of(at: datetime.datetime) -> datetime.date:
    return at.astimezone(datetime.UTC).date()


def _day_range(day: datetime.date) -> Q:
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)
    return Q(at__gte=start, at__lt=start + datetime.timedelta(days=1))


def _locked(keys: set[DayKey]) -> dict[Any, Any]:
    """The rows of ``keys`` (each team's and every team's, every severity), created when
    missing, locked in id order, by (team id or None, day, severity)."""
    scopes = {(team, day) for team, day in keys} | {(None, day) for _team, day in keys}
    MetricsDay.objects.bulk_create(
        [
            MetricsDay(team_id=team, day=day, severity=severity)
            for team, day in scopes
            for severity in SEVERITIES
        ],
        ignore_conflicts=True,
    )
    days = {day for _team, day in keys}
    teams = {team for team, _day in keys}
    rows = (
        MetricsDay.objects.filter(Q(team_id__in=teams) | Q(team__isnull=True), day__in=days)
        .order_by("pk")
        .select_for_update()
    )
    return {
        (row.team_id, row.day, row.severity): row
        for row in rows
        if (row.team_id, row.day) in scopes
    }


def _incident_figures(keys: set[DayKey]) -> dict[Any, Any]:
    """(team id or None, day, severity) -> figures, over the postmortems that are not
    restricted and count on one of the days of ``keys``."""
    days = {day for _team, day in keys}
    when = Q()
    for day in days:
        when |= _day_range(day)
    rows = (
        Postmortem.objects.annotate(at=Coalesce("started_at", "created_at"))
        .filter(when, restricted=False)
        .order_by()
        .values_list(
            "team_id",
            "at",
            "severity",
            "started_at",
            "detected_at",
            "resolved_at",
            "published_at",
            "caused_by_change",
        )
    )
    figures: dict[Any, Any] = defaultdict(_new_incident_figures)
    for team, at, severity, started, detected, resolved, published, by_change in rows:
        day = at.astimezone(datetime.UTC).date()
        spans = (span(started, detected), span(started, resolved), span(resolved, published))
        for scope in ((team, day, severity), (None, day, severity)):
            f = figures[scope]
            f["incidents"] += 1
            f["caused_by_change"] += bool(by_change)
            for name, value in zip(DURATIONS, spans, strict=True):
                if value is None:
                    f[f"missing_{name}"] += 1
                else:
                    f[name].append(microseconds(value))
    return figures


def _new_incident_figures() -> dict[Any, Any]:
    return {
        "incidents": 0,
        "caused_by_change": 0,
        **{f"missing_{name}": 0 for name in DURATIONS},
        **{name: [] for name in DURATIONS},
    }


_INCIDENT_FIELDS = [
    "incidents",
    "caused_by_change",
    "missing_detected",
    "missing_resolved",
    "missing_published",
    *DURATIONS,
]
# The stored field behind each "missing_<duration>" figure.
_MISSING_FIELDS = {
    "missing_detect": "missing_detected",
    "missing_resolve": "missing_resolved",
    "missing_publish": "missing_published",
}


def _write_incidents(row: MetricsDay, f: dict[str, Any]) -> None:
    row.incidents = f["incidents"]
    row.caused_by_change = f["caused_by_change"]
    for name, field in _MISSING_FIELDS.items():
        setattr(row, field, f[name])
    for name in DURATIONS:
        setattr(row, name, pack(f[name]))


def _action_figures(keys: set[DayKey]) -> dict[Any, Any]:
    """(team id or None, due date, severity) -> counts, over the items of postmortems that
    are not restricted due on one of the days of ``keys``."""
    days = {day for _team, day in keys}
    rows = (
        ActionItem.objects.filter(due_date__in=days, postmortem__restricted=False)
        .order_by()
        .values_list("team_id", "due_date", "postmortem__severity", "status", "completed_at")
    )
    figures: dict[Any, Any] = defaultdict(lambda: {"done": 0, "done_on_time": 0, "open": 0})
    for team, due, severity, status, completed_at in rows:
        done = status == ActionItem.Status.DONE and completed_at is not None
        for scope in ((team, due, severity), (None, due, severity)):
            f = figures[scope]
            if done:
                f["done"] += 1
                on_time = (
                    completed_at is not None and completed_at.astimezone(datetime.UTC).date() <= due
                )
                f["done_on_time"] += on_time
            elif status != ActionItem.Status.WONT_DO:
                f["open"] += 1
    return figures


def _write_actions(row: MetricsDay, f: dict[str, Any]) -> None:
    row.actions_done, row.actions_on_time, row.actions_open = (
        f["done"],
        f["done_on_time"],
        f["open"],
    )


_EMPTY_ACTIONS = {"done": 0, "done_on_time": 0, "open": 0}


_ACTION_FIELDS = ["actions_done", "actions_on_time", "actions_open"]


def metrics_days_refresh(
    *, incident_days: Iterable[DayKey] = (), action_days: Iterable[DayKey] = ()
) -> None:
    """Rewrite the stored figures of these (team id, UTC day) incident days and (owner
    team id, due date) action-item days, for that team and for every team."""
    incident_keys = {key for key in incident_days if key[0] is not None}
    action_keys = {key for key in action_days if key[0] is not None}
    if not incident_keys and not action_keys:
        return
    with transaction.atomic():
        rows = _locked(incident_keys | action_keys)
        fields = []
        if incident_keys:
            fields += _INCIDENT_FIELDS
            figures = _incident_figures(incident_keys)
            for key, row in rows.items():
                if key[:2] in incident_keys or (key[0] is None and key[1] in _days(incident_keys)):
                    _write_incidents(row, figures.get(key) or _new_incident_figures())
        if action_keys:
            fields += _ACTION_FIELDS
            figures = _action_figures(action_keys)
            for key, row in rows.items():
                if key[:2] in action_keys or (key[0] is None and key[1] in _days(action_keys)):
                    _write_actions(row, figures.get(key) or _EMPTY_ACTIONS)
        MetricsDay.objects.bulk_update(rows.values(), fields)


def _days(keys: set[DayKey]) -> set[datetime.date]:
    return {day for _team, day in keys}


def metrics_figures_rebuild() -> int:
    """Rewrite every stored figure from the postmortems and action items; returns how many
    rows were written. Refreshes running meanwhile wait for it (the table is locked on
    PostgreSQL) and then rewrite their days on top."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                table = connection.ops.quote_name(MetricsDay._meta.db_table)
                cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        MetricsDay.objects.all().delete()
        incident_keys = {
            (team, at.astimezone(datetime.UTC).date())
            for team, at in Postmortem.objects.filter(restricted=False)
            .annotate(at=Coalesce("started_at", "created_at"))
            .order_by()
            .values_list("team_id", "at")
        }
        action_keys = set(
            ActionItem.objects.filter(postmortem__restricted=False)
            .order_by()
            .values_list("team_id", "due_date")
            .distinct()
        )
        days = sorted(_days(incident_keys) | _days(action_keys))
        written = 0
        chunk = 200
        for start in range(0, len(days), chunk):
            some = set(days[start : start + chunk])
            rows: dict[tuple[Any, ...], MetricsDay] = {}
            chunk_incidents = {key for key in incident_keys if key[1] in some}
            chunk_actions = {key for key in action_keys if key[1] in some}
            if chunk_incidents:
                for key, f in _incident_figures(chunk_incidents).items():
                    _write_incidents(_row(rows, key), f)
            if chunk_actions:
                for key, f in _action_figures(chunk_actions).items():
                    _write_actions(_row(rows, key), f)
            MetricsDay.objects.bulk_create(rows.values(), batch_size=1000)
            written += len(rows)
    return written


def _row(rows: dict[tuple[Any, ...], MetricsDay], key: tuple[Any, ...]) -> MetricsDay:
    if key not in rows:
        team, day, severity = key
        rows[key] = MetricsDay(team_id=team, day=day, severity=severity)
    return rows[key]
