"""The Kaizen page's drill-down: per theme, the postmortems and open action items the
reader may see."""

import datetime

from django.db.models import BooleanField, Case, Count, F, Max, Value, When, Window
from django.db.models.functions import Coalesce, RowNumber

from postmortems.selectors import visible_postmortems

from ..models import ActionItem
from .periods import day_start

DRILL_LIMIT = 5


def attach_drill_down(theme_trends, *, user, first, last, team=None):
    """Give each trend the postmortems (of [first, last]) and open action items that ``user``
    may see, and whether any open preventive item exists. Two queries for all themes.

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
    seen = set()
    for theme_id, pk, title, severity, at in pms.values_list(
        "factors__themes", "pk", "title", "severity", "at"
    ).order_by("-at", "-pk"):
        if (theme_id, pk) in seen:
            continue
        seen.add((theme_id, pk))
        trends_by_id[theme_id].postmortems.append(
            {"pk": pk, "title": title, "severity": severity, "at": at}
        )

    # Only the first DRILL_LIMIT visible items per theme travel to Python; window functions
    # give each theme's count of visible items and whether any open item prevents.
    visible = Case(
        When(postmortem__in=visible_postmortems(user).values("pk"), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    theme = F("factor__themes")
    items = (
        ActionItem.objects.filter(status__in=ActionItem.OPEN_STATUSES, factor__themes__in=ids)
        .annotate(
            theme_id=theme,
            visible=visible,
            rank=Window(
                RowNumber(), partition_by=[theme, visible], order_by=[F("due_date"), F("pk")]
            ),
            in_group=Window(Count("pk"), partition_by=[theme, visible]),
            prevents=Window(
                Max(Case(When(kind=ActionItem.Kind.PREVENT, then=Value(1)), default=Value(0))),
                partition_by=[theme],
            ),
        )
        .filter(rank__lte=DRILL_LIMIT)
    )
    if team is not None:
        items = items.filter(team=team)
    rows = items.values_list(
        "theme_id", "pk", "title", "kind", "due_date", "visible", "in_group", "prevents"
    ).order_by("due_date", "pk")
    for theme_id, pk, title, kind, due, is_visible, in_group, prevents in rows:
        t = trends_by_id[theme_id]
        t.has_open_prevent = t.has_open_prevent or bool(prevents)
        if is_visible:
            t.action_item_count = in_group
            t.action_items.append(
                {
                    "pk": pk,
                    "title": title,
                    "kind": kind,
                    "kind_label": ActionItem.Kind(kind).label,
                    "due_date": due,
                }
            )
        else:
            t.hidden_action_items = in_group
    return theme_trends
