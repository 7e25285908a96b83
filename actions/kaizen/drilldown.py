"""The Kaizen page's drill-down: per theme, the postmortems and open action items the
reader may see."""

import datetime
from collections.abc import Iterator

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import F, OuterRef, Window
from django.db.models.functions import Coalesce, DenseRank, JSONObject, RowNumber
from django.utils import timezone

from postmortems.models import Theme
from postmortems.selectors import visible_postmortems

from ..models import ActionItem
from .open_items import not_hidden_items, open_item_counts, visible_items
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
        .filter(
            at__gte=day_start(first),
            at__lt=day_start(last + datetime.timedelta(days=1)),
            factors__themes__in=ids,
        )
    )
    if team is not None:
        pms = pms.filter(team=team)
    # A postmortem is one row per factor with the theme: dense ranks give its rows one
    # number, newest first and oldest first, so the first DRILL_LIMIT come to Python and
    # each row knows how many postmortems its theme has (newest rank + oldest rank - 1).
    theme = F("factors__themes")
    newest = [F("at").desc(), F("pk").desc()]
    oldest = [F("at").asc(), F("pk").asc()]
    pms = pms.annotate(
        theme_id=theme,
        newest=Window(DenseRank(), partition_by=[theme], order_by=newest),
        oldest=Window(DenseRank(), partition_by=[theme], order_by=oldest),
    ).filter(newest__lte=DRILL_LIMIT)
    seen = set()
    for theme_id, pk, title, severity, at, rank, reverse_rank in pms.values_list(
        "theme_id", "pk", "title", "severity", "at", "newest", "oldest"
    ).order_by("-at", "-pk"):
        if (theme_id, pk) in seen:
            continue
        seen.add((theme_id, pk))
        t = trends_by_id[theme_id]
        t.postmortem_count = rank + reverse_rank - 1
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
    if connection.vendor == "postgresql":
        first = (
            ActionItem.objects.filter(
                not_hidden_items(user),
                status__in=ActionItem.OPEN_STATUSES,
                factor__themes=OuterRef("pk"),
            )
            .order_by("due_date", "pk")
            .values(
                row=JSONObject(pk="pk", title="title", kind="kind", due_date="due_date"),
            )
        )
        if team is not None:
            first = first.filter(team=team)
        themes = Theme.objects.filter(pk__in=theme_ids).annotate(
            first=ArraySubquery(first[:DRILL_LIMIT])
        )
        for theme_id, found in themes.values_list("pk", "first"):
            for row in found:
                due = datetime.date.fromisoformat(row["due_date"])
                yield theme_id, _item(row["pk"], row["title"], row["kind"], due)
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
