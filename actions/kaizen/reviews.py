"""The Kaizen page's review notes: the latest Kaizen reviews with the action items each
linked, in one query."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Exists, F, OuterRef, When

from postmortems.selectors import visible_postmortems

from ..models import KaizenReview

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
    notes: dict[int, ReviewNote] = {}
    for pk, team_name, start, end, html, at, first, last, username, item, title in rows:
        note = notes.get(pk)
        if note is None:
            name = f"{first} {last}".strip() or (username or "")
            note = notes[pk] = ReviewNote(pk, team_name, start, end, html, at, name)
        if item is not None:
            note.action_items.append({"pk": item, "title": title})
    return list(notes.values())
