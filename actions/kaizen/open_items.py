"""The open action items of each theme, counted once for the whole Kaizen page: the week in
progress reads its open and overdue counts from here, the drill-down its visible and hidden
counts and whether any open item prevents. One grouped query instead of one scan of every
open item for each of them."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, F, Q

from postmortems.models import Postmortem, Theme
from postmortems.selectors import visible_postmortems

from ..dashboard.cache import restricted_visible_ids
from ..models import ActionItem, KaizenOpenDay, KaizenOpenItems
from .periods import day_start


@dataclass
class OpenItems:
    """One theme's items. ``week_open``/``week_overdue`` follow the roll-up's definition for
    a week ending today (open when the day ends, due by today), split by whether their
    postmortem is restricted; the rest count items open now."""

    week_open: int = 0
    week_overdue: int = 0
    week_open_unrestricted: int = 0
    week_overdue_unrestricted: int = 0
    visible: int = 0
    hidden: int = 0
    prevents: bool = False


def visible_items(user, *, prefix="") -> Q:
    """Items of postmortems ``user`` may read, as a filter for a query over many items: the
    postmortems that are not restricted (every signed-in reader's), or one of the few
    restricted ones ``visible_postmortems`` lets ``user`` read. Written so PostgreSQL checks
    a small set per item instead of joining every item to the visibility rule.

    ``prefix``: the path to the items from the model queried (``"action_items__"``)."""
    if not user.is_authenticated:
        return Q(**{f"{prefix}pk__in": []})
    restricted = visible_postmortems(user).filter(restricted=True).values("pk")
    return Q(**{f"{prefix}postmortem__restricted": False}) | Q(
        **{f"{prefix}postmortem__in": restricted}
    )


def hidden_sql(user) -> tuple[str, tuple]:
    """The restricted postmortems ``user`` may not read (usually a few hundred ids), as SQL
    and parameters for a query written out: every restricted postmortem but the few
    ``user`` may read (``restricted_visible_ids``: one query per request, kept on the user),
    so each query of the page checks a list of ids instead of evaluating the visibility
    rule's subqueries for every restricted postmortem."""
    table = Postmortem._meta.db_table
    readable = restricted_visible_ids(user)
    if readable is None:  # a superuser: nothing hidden
        return f"SELECT id FROM {table} WHERE false", ()  # noqa: S608 (table name only)
    sql = f"SELECT id FROM {table} WHERE restricted AND NOT id = ANY(%s)"  # noqa: S608
    return sql, (list(readable),)


def open_item_counts(
    *, user, today: datetime.date, team=None, live: bool = False
) -> dict[int, OpenItems]:
    """``{theme_id: OpenItems}`` for the items of ``team`` (every team: None) linked to a
    themed factor. Titles are not read here; ``visible`` counts only items of postmortems
    ``user`` may read (``visible_postmortems``).

    On PostgreSQL from the stored counts (``KaizenOpenItems``); ``live`` (and SQLite)
    counts every item instead."""
    end_at = day_start(today + datetime.timedelta(days=1))
    if connection.vendor == "postgresql" and user.is_authenticated and not live:
        rows = _grouped_postgresql(user=user, today=today, end_at=end_at, team=team)
    else:
        rows = _grouped(user=user, today=today, end_at=end_at, team=team)
    counts: dict[int, OpenItems] = {}
    for theme_id, restricted, week_open, week_overdue, open_now, seen, prevents in rows:
        c = counts.setdefault(theme_id, OpenItems())
        c.week_open += week_open
        c.week_overdue += week_overdue
        if not restricted:
            c.week_open_unrestricted += week_open
            c.week_overdue_unrestricted += week_overdue
        c.visible += seen
        c.hidden += open_now - seen
        c.prevents = c.prevents or bool(prevents)
    return counts


# The columns of both queries: theme, restricted, week_open, week_overdue, open now, visible
# (open), prevents (open).
Rows = Iterable[tuple[int, bool, int, int, int, int, int]]


def _grouped(*, user, today, end_at, team) -> Rows:
    is_open = Q(status__in=ActionItem.OPEN_STATUSES)
    # As the roll-up counts a week: created by its end, and open then (a later close
    # still counts).
    in_week = Q(created_at__lt=end_at)
    overdue = in_week & Q(due_date__lte=today)
    visible = visible_items(user)
    items = ActionItem.objects.filter(is_open | Q(completed_at__gte=end_at)).filter(
        factor__themes__isnull=False
    )
    if team is not None:
        items = items.filter(team=team)
    return (
        items.values_list(F("factor__themes"), F("postmortem__restricted"))
        .annotate(
            week_open=Count("pk", filter=in_week),
            week_overdue=Count("pk", filter=overdue),
            open_now=Count("pk", filter=is_open),
            visible=Count("pk", filter=is_open & visible),
            prevents=Count("pk", filter=is_open & Q(kind=ActionItem.Kind.PREVENT)),
        )
        .order_by()
    )


def sql_of(queryset) -> tuple[str, tuple]:
    """A queryset's SQL and parameters, to use as a subquery in SQL written out."""
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    return sql, tuple(params)


def _grouped_postgresql(*, user, today, end_at, team) -> Rows:
    """The same rows as ``_grouped``, from the counts PostgreSQL keeps per theme, team and
    restricted postmortem (``KaizenOpenItems``, triggers of migration 0012), finished live
    on the few items where today differs from the day they are counted as of: items that
    fell due between that day and today, items created after today, and items closed
    after today (still open for the day). Whether a restricted postmortem's items are
    hidden from ``user`` is a check against the small set of those they may not open."""
    restricted_sql, restricted_params = sql_of(
        Postmortem.objects.filter(restricted=True).order_by().values("pk")
    )
    hidden, hidden_params = hidden_sql(user)
    open_statuses = [str(s) for s in ActionItem.OPEN_STATUSES]
    team_items, team_params = ("AND a.team_id = %s", (team.pk,)) if team is not None else ("", ())
    team_counts = "WHERE s.team_id = %s" if team is not None else ""
    items = ActionItem._meta.db_table
    themes = Theme.factors.through._meta.db_table
    counts = KaizenOpenItems._meta.db_table
    day = KaizenOpenDay._meta.db_table
    # The day the stored ``overdue`` is of; none yet: every overdue item is counted live.
    stored_day = f"coalesce((SELECT day FROM {day} WHERE id = 1), '-infinity'::date)"  # noqa: S608
    sql = f"""
        SELECT s.theme_id,
               s.restricted_postmortem <> 0,
               SUM(s.open),
               SUM(s.overdue),
               SUM(s.open),
               coalesce(SUM(s.open) FILTER (
                   WHERE s.restricted_postmortem = 0
                   OR s.restricted_postmortem NOT IN ({hidden})), 0),
               SUM(s.prevent)
        FROM {counts} s {team_counts}
        GROUP BY 1, 2
        UNION ALL
        SELECT ft.theme_id,
               a.postmortem_id IN ({restricted_sql}),
               0,
               COUNT(*) FILTER (WHERE a.due_date <= %s)
                 - COUNT(*) FILTER (WHERE a.due_date <= d.day),
               0,
               0,
               0
        FROM {items} a
        JOIN {themes} ft ON ft.contributingfactor_id = a.factor_id
        CROSS JOIN (SELECT {stored_day} AS day) d
        WHERE a.status = ANY(%s) AND a.created_at < %s
          AND a.due_date > LEAST(d.day, %s) AND a.due_date <= GREATEST(d.day, %s) {team_items}
        GROUP BY 1, 2
        UNION ALL
        SELECT ft.theme_id,
               a.postmortem_id IN ({restricted_sql}),
               -COUNT(*),
               -COUNT(*) FILTER (WHERE a.due_date <= d.day),
               0,
               0,
               0
        FROM {items} a
        JOIN {themes} ft ON ft.contributingfactor_id = a.factor_id
        CROSS JOIN (SELECT {stored_day} AS day) d
        WHERE a.status = ANY(%s) AND a.created_at >= %s {team_items}
        GROUP BY 1, 2
        UNION ALL
        SELECT ft.theme_id,
               a.postmortem_id IN ({restricted_sql}),
               COUNT(*) FILTER (WHERE a.created_at < %s),
               COUNT(*) FILTER (WHERE a.created_at < %s AND a.due_date <= %s),
               0,
               0,
               0
        FROM {items} a
        JOIN {themes} ft ON ft.contributingfactor_id = a.factor_id
        WHERE a.completed_at >= %s AND NOT a.status = ANY(%s) {team_items}
        GROUP BY 1, 2
    """  # noqa: S608 (table names and compiled subqueries only; values are parameters)
    params = (
        *hidden_params,
        *team_params,
        # Open items due between the stored day and today (either way round).
        *restricted_params,
        today,
        open_statuses,
        end_at,
        today,
        today,
        *team_params,
        # Open items created after today: not open yet on the day.
        *restricted_params,
        open_statuses,
        end_at,
        *team_params,
        # Items closed after today: still open on the day.
        *restricted_params,
        end_at,
        end_at,
        today,
        end_at,
        open_statuses,
        *team_params,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
