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

from ..metrics.python_report import INCIDENT_COLUMNS
from ..metrics.stored import DURATIONS, microseconds, pack, unpack
from ..models import ActionItem, MetricsDay

SEVERITIES = [s.value for s in Severity]

# (team id, UTC day): the rows of that team and of every team (team None) for that day.
DayKey = tuple[int, datetime.date]


def incident_day_of(at: datetime.datetime) -> datetime.date:
    """The UTC day an incident counts on, from its start (or when it was written)."""
    return at.astimezone(datetime.UTC).date()


def _day_range(day: datetime.date) -> Q:
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)
    return Q(at__gte=start, at__lt=start + datetime.timedelta(days=1))


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _locked(keys: set[DayKey]) -> dict[Any, Any]:
    """The day rows of ``keys`` and the month rows of their months (each team's and every
    team's, every severity), created when missing, locked in id order, by (team id or
    None, day, severity, whole_month)."""
    scopes: set[tuple[int | None, datetime.date, bool]] = {(team, day, False) for team, day in keys}
    scopes |= {(None, day, False) for _t, day in keys}
    scopes |= {(team, _month(day), True) for team, day, _whole in scopes}
    MetricsDay.objects.bulk_create(
        [
            MetricsDay(team_id=team, day=day, severity=severity, whole_month=whole)
            for team, day, whole in scopes
            for severity in SEVERITIES
        ],
        ignore_conflicts=True,
    )
    teams = {team for team, _day in keys}
    rows = (
        MetricsDay.objects.filter(Q(team_id__in=teams) | Q(team__isnull=True))
        .filter(
            Q(whole_month=False, day__in={day for _t, day in keys})
            | Q(whole_month=True, day__in={_month(day) for _t, day in keys})
        )
        .order_by("pk")
        .select_for_update()
    )
    return {
        (row.team_id, row.day, row.severity, row.whole_month): row
        for row in rows
        if (row.team_id, row.day, row.whole_month) in scopes
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
            *INCIDENT_COLUMNS,
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


def _write_incidents(row: Any, f: dict[str, Any]) -> None:
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


def _write_actions(row: Any, f: dict[str, Any]) -> None:
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
    team id, due date) action-item days, for that team and for every team, and then the
    month rows of those days from the month's day rows."""
    incident_keys = {key for key in incident_days if key[0] is not None}
    action_keys = {key for key in action_days if key[0] is not None}
    if not incident_keys and not action_keys:
        return
    with transaction.atomic():
        rows = _locked(incident_keys | action_keys)
        days = {key: row for key, row in rows.items() if not key[3]}
        fields = []
        if incident_keys:
            fields += _INCIDENT_FIELDS
            figures = _incident_figures(incident_keys)
            for key, row in days.items():
                if key[:2] in incident_keys or (key[0] is None and key[1] in _days(incident_keys)):
                    _write_incidents(row, figures.get(key[:3]) or _new_incident_figures())
        if action_keys:
            fields += _ACTION_FIELDS
            figures = _action_figures(action_keys)
            for key, row in days.items():
                if key[:2] in action_keys or (key[0] is None and key[1] in _days(action_keys)):
                    _write_actions(row, figures.get(key[:3]) or _EMPTY_ACTIONS)
        MetricsDay.objects.bulk_update(days.values(), fields)
        months = {key: row for key, row in rows.items() if key[3]}
        in_months = Q()
        for month in {key[1] for key in months}:
            in_months |= Q(day__gte=month, day__lt=_next_month(month))
        sums = _month_sums(
            MetricsDay.objects.filter(
                Q(team_id__in={key[0] for key in months if key[0] is not None})
                | Q(team__isnull=True),
                in_months,
                whole_month=False,
            )
        )
        for (team, month, severity, _whole), row in months.items():
            _copy_figures(sums.get((team, month, severity)), row)
        MetricsDay.objects.bulk_update(months.values(), _INCIDENT_FIELDS + _ACTION_FIELDS)


def _days(keys: set[DayKey]) -> set[datetime.date]:
    return {day for _team, day in keys}


def _next_month(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1)


_COUNTS = [field for field in _INCIDENT_FIELDS if field not in DURATIONS] + _ACTION_FIELDS


def _month_sums(day_rows: Iterable[Any]) -> dict[Any, Any]:
    """(team id or None, month, severity) -> the sum of those day rows (durations merged)."""
    sums: dict[Any, Any] = {}
    for row in day_rows:
        key = (row.team_id, _month(row.day), row.severity)
        total = sums.setdefault(key, {**dict.fromkeys(_COUNTS, 0), **{d: [] for d in DURATIONS}})
        for field in _COUNTS:
            total[field] += getattr(row, field)
        for name in DURATIONS:
            total[name].extend(unpack(getattr(row, name)))
    return sums


def _copy_figures(total: dict[str, Any] | None, row: Any) -> None:
    for field in _COUNTS:
        setattr(row, field, total[field] if total else 0)
    for name in DURATIONS:
        setattr(row, name, pack(total[name]) if total else b"")


def metrics_figures_rebuild() -> int:
    """Rewrite every stored figure from the postmortems and action items; returns how many
    rows were written. Refreshes running meanwhile wait for it (the table is locked on
    PostgreSQL) and then rewrite their days on top."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            qn = connection.ops.quote_name
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {qn(MetricsDay._meta.db_table)} IN EXCLUSIVE MODE")
                # Right after a bulk load the planner knows nothing of the new rows and
                # joins them by nested loops (minutes for 100k items instead of seconds).
                for model in (Postmortem, ActionItem):
                    cursor.execute(f"ANALYZE {qn(model._meta.db_table)}")
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
        months = sorted({_month(day) for day in _days(incident_keys) | _days(action_keys)})
        written = 0
        chunk = 6  # months at a time: memory stays flat
        for start in range(0, len(months), chunk):
            some = set(months[start : start + chunk])
            rows: dict[tuple[Any, ...], Any] = {}
            chunk_incidents = {key for key in incident_keys if _month(key[1]) in some}
            chunk_actions = {key for key in action_keys if _month(key[1]) in some}
            if chunk_incidents:
                for key, f in _incident_figures(chunk_incidents).items():
                    _write_incidents(_row(rows, key), f)
            if chunk_actions:
                for key, f in _action_figures(chunk_actions).items():
                    _write_actions(_row(rows, key), f)
            day_rows = list(rows.values())
            for (team, month, severity), total in _month_sums(day_rows).items():
                row = _Row(team, month, severity, True)
                _copy_figures(total, row)
                day_rows.append(row)
            _insert(day_rows)
            written += len(day_rows)
    return written


_COLUMNS = ["team_id", "day", "severity", "whole_month", *_INCIDENT_FIELDS, *_ACTION_FIELDS]


def _insert(rows: list[Any]) -> None:
    """Many rows at once: COPY on PostgreSQL (bulk_create spends seconds building the
    statement for 100k rows), bulk_create elsewhere."""
    if connection.vendor != "postgresql":
        MetricsDay.objects.bulk_create(
            [MetricsDay(**{name: getattr(row, name) for name in _COLUMNS}) for row in rows],
            batch_size=500,
        )
        return
    qn = connection.ops.quote_name
    columns = ", ".join(qn(name) for name in _COLUMNS)  # the fields' own column names
    sql = f"COPY {qn(MetricsDay._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row([getattr(row, name) for name in _COLUMNS])


class _Row:
    """A row being rebuilt: building 100k model instances takes longer than the rest."""

    def __init__(self, team_id: int | None, day: datetime.date, severity: str, whole: bool):
        self.team_id, self.day, self.severity, self.whole_month = team_id, day, severity, whole
        for name in _COUNTS:
            setattr(self, name, 0)
        for name in DURATIONS:
            setattr(self, name, b"")


def _row(rows: dict[tuple[Any, ...], Any], key: tuple[Any, ...]) -> Any:
    if key not in rows:
        team, day, severity = key
        rows[key] = _Row(team, day, severity, False)
    return rows[key]
