"""The Kaizen page's drill-down: per theme, the postmortems and open action items the
reader may see."""

import datetime
from collections.abc import Iterator

from django.db import connection
from django.db.models import F, Window
from django.db.models.functions import Coalesce, DenseRank, RowNumber
from django.utils import timezone

from postmortems.models import Postmortem, Theme
from postmortems.selectors import visible_postmortems

from ..models import ActionItem, KaizenThemePostmortem
from .open_items import hidden_sql, open_item_counts, visible_items
from .periods import day_start

DRILL_LIMIT = 5


def attach_drill_down(
    theme_trends, *, user, first, last, team=None, open_items=None, live: bool = False
):
    """Give each trend the postmortems (of [first, last]) and open action items that ``user``
    may see, and whether any open preventive item exists. One query for all themes on
    PostgreSQL, from the stored rows of each theme's postmortems; two that join the factors
    with ``live`` (and on SQLite); and ``open_item_counts`` when the caller has not counted
    them yet (``open_items``).

    Titles come only from ``visible_postmortems(user)`` (and items of those postmortems);
    the preventive-item check looks at every item but reads no title."""
    trends_by_id = {t.theme_id: t for t in theme_trends}
    if not trends_by_id:
        return theme_trends
    ids = list(trends_by_id)
    if connection.vendor == "postgresql" and user.is_authenticated and not live:
        postmortems, items = _drill_rows_postgresql(
            ids, user=user, first=first, last=last, team=team
        )
    else:
        pms = (
            visible_postmortems(user)
            .annotate(at=Coalesce("started_at", "created_at"))
            .filter(at__gte=day_start(first), at__lt=day_start(last + datetime.timedelta(days=1)))
        )
        if team is not None:
            pms = pms.filter(team=team)
        postmortems = _first_postmortems(pms, ids)
        # Only the first DRILL_LIMIT visible items per theme travel to Python (the counts
        # come from ``open_item_counts``).
        items = _first_open_items(ids, user=user, team=team)
    seen = set()
    for theme_id, pk, title, severity, at, count in postmortems:
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

    for theme_id, item in items:
        trends_by_id[theme_id].action_items.append(item)
    return theme_trends


def _first_postmortems(pms, theme_ids):
    """(theme id, pk, title, severity, at, postmortems of the theme) for the newest
    ``DRILL_LIMIT`` of ``pms`` (annotated ``at``) per theme, newest first; a postmortem
    comes once per factor with the theme. One query.

    Dense ranks number a postmortem's rows once, newest first, and again oldest first: the
    theme's number of postmortems is newest + oldest - 1."""
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
    that ``user`` may see, in that order within a theme. One query: the rows of every theme
    are numbered and the first ones kept."""
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


def _drill_rows_postgresql(theme_ids, *, user, first, last, team=None):
    """The rows of ``_first_postmortems`` (without repeats) and of ``_first_open_items``, in
    one statement on PostgreSQL, each theme reading its own first rows:

    - postmortems from ``KaizenThemePostmortem`` (a row per theme and postmortem, kept by
      triggers): the theme's postmortems of the range counted and its newest
      ``DRILL_LIMIT`` read from one index, instead of joining every factor of every
      postmortem of the range and ranking them all;
    - items by walking the open items in due-date order (``actionitem_open_due``, or
      ``actionitem_open_team_idx`` for a team) until ``DRILL_LIMIT`` of the theme's.

    What ``user`` may see: the postmortems that are not restricted and the few restricted
    ones they may read (``hidden_sql``)."""
    hidden, hidden_params = hidden_sql(user)
    team_sql = "AND {alias}.team_id = %s" if team is not None else ""
    team_params = (team.pk,) if team is not None else ()
    rows = KaizenThemePostmortem._meta.db_table
    postmortems = Postmortem._meta.db_table
    items = ActionItem._meta.db_table
    links = Theme.factors.through._meta.db_table
    in_range = f"""
        r.theme_id = t.id AND r.at >= %s AND r.at < %s {team_sql.format(alias="r")}
        AND NOT (r.restricted AND r.postmortem_id IN ({hidden}))
    """
    range_params = (
        day_start(first),
        day_start(last + datetime.timedelta(days=1)),
        *team_params,
        *hidden_params,
    )
    sql = f"""
        SELECT true, t.id, x.postmortem_id, p.title, p.severity, x.at, NULL::date, c.total,
               -x.postmortem_id
        FROM unnest(%s::bigint[]) AS t(id)
        CROSS JOIN LATERAL (SELECT COUNT(*) AS total FROM {rows} r WHERE {in_range}) c
        CROSS JOIN LATERAL (
            SELECT r.postmortem_id, r.at FROM {rows} r WHERE {in_range}
            ORDER BY r.at DESC, r.postmortem_id DESC
            LIMIT %s
        ) x
        JOIN {postmortems} p ON p.id = x.postmortem_id
        UNION ALL
        SELECT false, t.id, x.id, x.title, x.kind, NULL, x.due_date, NULL, x.id
        FROM unnest(%s::bigint[]) AS t(id)
        CROSS JOIN LATERAL (
            SELECT a.id, a.title, a.kind, a.due_date
            FROM {items} a
            JOIN {links} ft ON ft.contributingfactor_id = a.factor_id AND ft.theme_id = t.id
            WHERE a.status = ANY(%s) AND a.postmortem_id NOT IN ({hidden})
              {team_sql.format(alias="a")}
            ORDER BY a.due_date, a.id
            LIMIT %s
        ) x
        ORDER BY 1, 6 DESC, 7, 9
    """  # noqa: S608 (table names and fixed SQL only; values are parameters)
    params = (
        list(theme_ids),
        *range_params,
        *range_params,
        DRILL_LIMIT,
        list(theme_ids),
        [str(s) for s in ActionItem.OPEN_STATUSES],
        *hidden_params,
        *team_params,
        DRILL_LIMIT,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows_read = cursor.fetchall()
    postmortem_rows, item_rows = [], []
    for is_postmortem, theme_id, pk, title, label, at, due, total, _order in rows_read:
        if is_postmortem:
            postmortem_rows.append((theme_id, pk, title, label, at, total))
        else:
            item_rows.append((theme_id, _item(pk, title, label, due)))
    return postmortem_rows, item_rows
