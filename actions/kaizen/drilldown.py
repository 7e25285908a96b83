"""The Kaizen page's drill-down: per theme, the postmortems and open action items the
reader may see."""

import datetime
from collections.abc import Iterator

from django.db import connection
from django.db.models import F, Window
from django.db.models.functions import Coalesce, DenseRank, RowNumber
from django.utils import timezone

from postmortems.models import ContributingFactor, Theme
from postmortems.selectors import visible_postmortems

from ..models import ActionItem
from .open_items import hidden_postmortems, open_item_counts, sql_of, visible_items
from .periods import day_start

DRILL_LIMIT = 5


def attach_drill_down(theme_trends, *, user, first, last, team=None, open_items=None):
    """Give each trend the postmortems (of [first, last]) and open action items that ``user``
    may see, and whether any open preventive item exists. Two queries for all themes, and
    ``open_item_counts`` when the caller has not counted them yet (``open_items``).

    Titles come only from ``visible_postmortems(user)`` (and items of those postmortems);
    the preventive-item check looks at every item but reads no title."""
    trends_by_id = {t.theme_id: t for t in theme_trends}
    if not trends_by_id:
        return theme_trends
    ids = list(trends_by_id)
    pms = (
        visible_postmortems(user)
        .annotate(at=Coalesce("started_at", "created_at"))
        .filter(at__gte=day_start(first), at__lt=day_start(last + datetime.timedelta(days=1)))
    )
    if team is not None:
        pms = pms.filter(team=team)
    seen = set()
    for theme_id, pk, title, severity, at, count in _first_postmortems(pms, ids):
        if (theme_id, pk) in seen:
            continue
        seen.add((theme_id, pk))
        t = trends_by_id[theme_id]
        t.postmortem_count = count
        t.postmortems.append({"pk": pk, "title": title, "severity": severity, "at": at})

    if open_items is None:
        open_items = open_item_counts(user=user, today=timezone.localdate(), team=team)
    for theme_id, t in trends_by_id.items():
        counted = open_items.get(theme_id)
        if counted is not None:
            t.has_open_prevent = counted.prevents
            t.action_item_count = counted.visible
            t.hidden_action_items = counted.hidden

    # Only the first DRILL_LIMIT visible items per theme travel to Python (the counts
    # came from ``open_item_counts``).
    for theme_id, item in _first_open_items(ids, user=user, team=team):
        trends_by_id[theme_id].action_items.append(item)
    return theme_trends


def _first_postmortems(pms, theme_ids):
    """(theme id, pk, title, severity, at, postmortems of the theme) for the newest
    ``DRILL_LIMIT`` of ``pms`` (annotated ``at``) per theme, newest first; a postmortem
    comes once per factor with the theme. One query.

    Dense ranks number a postmortem's rows once, newest first; on PostgreSQL the highest
    rank of the theme is its number of postmortems (one sort, written out), elsewhere the
    ORM adds a second rank, oldest first (newest + oldest - 1)."""
    if connection.vendor == "postgresql":
        base_sql, base_params = sql_of(pms.order_by().values("pk", "title", "severity", "at"))
        links = Theme.factors.through._meta.db_table
        factors = ContributingFactor._meta.db_table
        sql = f"""
            SELECT theme_id, pk, title, severity, at, total FROM (
                SELECT r.*, MAX(r.newest) OVER (PARTITION BY r.theme_id) AS total FROM (
                    SELECT ft.theme_id, p.pk, p.title, p.severity, p.at,
                           DENSE_RANK() OVER (
                               PARTITION BY ft.theme_id ORDER BY p.at DESC, p.pk DESC
                           ) AS newest
                    FROM ({base_sql}) p
                    JOIN {factors} f ON f.postmortem_id = p.pk
                    JOIN {links} ft ON ft.contributingfactor_id = f.id
                    WHERE ft.theme_id = ANY(%s)
                ) r
            ) s
            WHERE newest <= %s
            ORDER BY at DESC, pk DESC
        """  # noqa: S608 (table names and a compiled subquery only; values are parameters)
        with connection.cursor() as cursor:
            cursor.execute(sql, (*base_params, list(theme_ids), DRILL_LIMIT))
            yield from cursor.fetchall()
        return
    theme = F("factors__themes")
    newest = [F("at").desc(), F("pk").desc()]
    oldest = [F("at").asc(), F("pk").asc()]
    ranked = (
        pms.filter(factors__themes__in=theme_ids)
        .annotate(
            theme_id=theme,
            newest=Window(DenseRank(), partition_by=[theme], order_by=newest),
            oldest=Window(DenseRank(), partition_by=[theme], order_by=oldest),
        )
        .filter(newest__lte=DRILL_LIMIT)
    )
    for theme_id, pk, title, severity, at, rank, reverse_rank in ranked.values_list(
        "theme_id", "pk", "title", "severity", "at", "newest", "oldest"
    ).order_by("-at", "-pk"):
        yield theme_id, pk, title, severity, at, rank + reverse_rank - 1


def _item(pk, title, kind, due_date) -> dict:
    # The kind's label is looked up once per page by the cards (``kaizen_cards``).
    return {"pk": pk, "title": title, "kind": kind, "due_date": due_date}


def _first_open_items(theme_ids, *, user, team=None) -> Iterator[tuple[int, dict]]:
    """(theme id, item) for the first ``DRILL_LIMIT`` open items, by due date, of each theme
    that ``user`` may see, in that order within a theme. One query.

    On PostgreSQL each theme reads its own first items: a subquery per theme walks the open
    items in due-date order (``actionitem_open_due``, or ``actionitem_open_team_idx`` for a
    team) and stops after ``DRILL_LIMIT`` of the theme, instead of sorting every visible
    open item. SQLite numbers the rows of every theme and keeps the first ones."""
    if connection.vendor == "postgresql" and user.is_authenticated:
        yield from _first_open_items_postgresql(theme_ids, user=user, team=team)
        return
    theme = F("factor__themes")
    items = (
        ActionItem.objects.filter(status__in=ActionItem.OPEN_STATUSES, factor__themes__in=theme_ids)
        .filter(visible_items(user))
        .annotate(
            theme_id=theme,
            rank=Window(RowNumber(), partition_by=[theme], order_by=[F("due_date"), F("pk")]),
        )
        .filter(rank__lte=DRILL_LIMIT)
    )
    if team is not None:
        items = items.filter(team=team)
    rows = items.values_list("theme_id", "pk", "title", "kind", "due_date").order_by(
        "due_date", "pk"
    )
    for theme_id, pk, title, kind, due in rows:
        yield theme_id, _item(pk, title, kind, due)


def _first_open_items_postgresql(theme_ids, *, user, team=None) -> Iterator[tuple[int, dict]]:
    """``_first_open_items`` on PostgreSQL: per theme, a lateral subquery walks the open
    items in due-date order (``actionitem_open_due``) and stops after ``DRILL_LIMIT`` of the
    theme's that ``user`` may see. Written out rather than built with the ORM on every
    request."""
    hidden_sql, hidden_params = sql_of(hidden_postmortems(user))
    team_sql, team_params = ("AND a.team_id = %s", (team.pk,)) if team is not None else ("", ())
    items = ActionItem._meta.db_table
    links = Theme.factors.through._meta.db_table
    sql = f"""
        SELECT t.id, x.id, x.title, x.kind, x.due_date
        FROM unnest(%s::bigint[]) AS t(id)
        CROSS JOIN LATERAL (
            SELECT a.id, a.title, a.kind, a.due_date
            FROM {items} a
            JOIN {links} ft ON ft.contributingfactor_id = a.factor_id AND ft.theme_id = t.id
            WHERE a.status = ANY(%s) AND a.postmortem_id NOT IN ({hidden_sql}) {team_sql}
            ORDER BY a.due_date, a.id
            LIMIT %s
        ) x
        ORDER BY x.due_date, x.id
    """  # noqa: S608 (table names and a compiled subquery only; values are parameters)
    params = (
        list(theme_ids),
        [str(s) for s in ActionItem.OPEN_STATUSES],
        *hidden_params,
        *team_params,
        DRILL_LIMIT,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for theme_id, pk, title, kind, due in cursor.fetchall():
            yield theme_id, _item(pk, title, kind, due)
