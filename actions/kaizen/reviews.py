"""The Kaizen page's review notes: the latest Kaizen reviews with the action items each
linked, in one query."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Case, Exists, F, OuterRef, When

from postmortems.models import Team
from postmortems.selectors import visible_postmortems

from ..models import ActionItem, KaizenReview
from .open_items import hidden_sql

REVIEWS_SHOWN = 10


@dataclass
class ReviewNote:
    pk: int
    team_name: str
    period_start: datetime.date
    period_end: datetime.date
    notes_html: str
    created_at: datetime.datetime
    created_by: str  # full name, else user name; empty when the person was deleted
    action_items: list[dict[str, Any]] = field(default_factory=list)  # pk, title


def review_notes(user: Any, *, team: Any = None, limit: int = REVIEWS_SHOWN) -> list[ReviewNote]:
    """The ``limit`` latest Kaizen reviews (of ``team``, or of every team), newest period
    first, each with its linked action items that ``user`` may see (by due date). One query:
    a row per review and linked item; an item of a postmortem ``user`` may not read comes
    without pk or title, so its title never leaves the database."""
    if connection.vendor == "postgresql" and user.is_authenticated:
        rows = _rows_postgresql(user, team=team, limit=limit)
    else:
        rows = _rows(user, team=team, limit=limit)
    notes: dict[int, ReviewNote] = {}
    for pk, team_name, start, end, html, at, first, last, username, item, title in rows:
        note = notes.get(pk)
        if note is None:
            name = f"{first} {last}".strip() or (username or "")
            note = notes[pk] = ReviewNote(pk, team_name, start, end, html, at, name)
        if item is not None:
            note.action_items.append({"pk": item, "title": title})
    return list(notes.values())


def _rows(user: Any, *, team: Any, limit: int) -> Any:
    latest = KaizenReview.objects.order_by("-period_end", "-id")
    if team is not None:
        latest = latest.filter(team=team)
    # Checked row by row (a few dozen linked items), not by reading every restricted
    # postmortem the reader may open, as a filter over many items would.
    readable = visible_postmortems(user).filter(pk=OuterRef("action_items__postmortem_id"))
    rows = (
        KaizenReview.objects.filter(pk__in=latest.values("pk")[:limit])
        .annotate(seen=Exists(readable))
        .annotate(
            item_pk=Case(When(seen=True, then=F("action_items__pk"))),
            item_title=Case(When(seen=True, then=F("action_items__title"))),
        )
        .values_list(
            "pk",
            "team__name",
            "period_start",
            "period_end",
            "notes_html",
            "created_at",
            "created_by__first_name",
            "created_by__last_name",
            "created_by__username",
            "item_pk",
            "item_title",
        )
        .order_by("-period_end", "-pk", "action_items__due_date", "action_items__pk")
    )
    return rows


def _rows_postgresql(user: Any, *, team: Any, limit: int) -> list[tuple[Any, ...]]:
    """The rows of ``_rows``, written out rather than built with the ORM on every request;
    whether the reader may open an item's postmortem is a check against the restricted
    postmortems hidden from them (``hidden_sql``), the same rule as ``visible_postmortems``
    for a postmortem that exists (an item's always does)."""
    hidden, hidden_params = hidden_sql(user)
    team_sql, team_params = ("WHERE team_id = %s", (team.pk,)) if team is not None else ("", ())
    reviews = KaizenReview._meta.db_table
    links = KaizenReview.action_items.through._meta.db_table
    items = ActionItem._meta.db_table
    teams = Team._meta.db_table
    users = get_user_model()._meta.db_table
    sql = f"""
        SELECT r.id, t.name, r.period_start, r.period_end, r.notes_html, r.created_at,
               u.first_name, u.last_name, u.username,
               CASE WHEN s.seen THEN i.id END, CASE WHEN s.seen THEN i.title END
        FROM (SELECT * FROM {reviews} {team_sql}
              ORDER BY period_end DESC, id DESC LIMIT %s) r
        JOIN {teams} t ON t.id = r.team_id
        LEFT JOIN {users} u ON u.id = r.created_by_id
        LEFT JOIN {links} ri ON ri.kaizenreview_id = r.id
        LEFT JOIN {items} i ON i.id = ri.actionitem_id
        LEFT JOIN LATERAL (SELECT i.postmortem_id NOT IN ({hidden}) AS seen) s ON true
        ORDER BY r.period_end DESC, r.id DESC, i.due_date, i.id
    """  # noqa: S608 (table names and fixed SQL only; values are parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, (*team_params, limit, *hidden_params))
        return cursor.fetchall()
