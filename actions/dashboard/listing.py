"""The dashboard's item list: sorting and the rows a page shows."""

import datetime
from dataclasses import dataclass

from ..models import ActionItem, is_closed_key

SORTS = {
    # The default: what still needs doing first, soonest due first; closed items after.
    "open_first": ("is_closed", "due_date", "id"),
    "due_date": ("due_date", "id"),
    "priority": ("priority", "due_date", "id"),
    "status": ("status", "due_date", "id"),
    "title": ("title", "id"),
    "team": ("team__name", "due_date", "id"),
    "created_at": ("created_at", "id"),
    "completed_at": ("completed_at", "id"),
}
DEFAULT_SORT = "open_first"


def sorted_items(queryset, sort):
    """``sort`` is a key of SORTS, optionally prefixed with ``-``."""
    key = sort.lstrip("-") if sort else DEFAULT_SORT
    fields = SORTS.get(key, SORTS[DEFAULT_SORT])
    if sort and sort.startswith("-"):
        fields = tuple(name[1:] if name.startswith("-") else f"-{name}" for name in fields)
    if any(name.lstrip("-") == "is_closed" for name in fields):
        queryset = queryset.annotate(is_closed=is_closed_key())
    return queryset.order_by(*fields)


# What the list shows of each row, in ``ListedItem``'s order: plain values, no model
# instances (fifty rows of four models each were a good part of building the list).
LIST_VALUES = (
    "id",
    "title",
    "status",
    "priority",
    "due_date",
    "created_at",
    "completed_at",
    "team_id",
    "assignee_id",
    "team__name",
    "postmortem__title",
    "postmortem__severity",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
)


@dataclass(slots=True)
class ListedItem:
    """One row of the item list (``LIST_VALUES``); the view sets the last two."""

    pk: int
    title: str
    status: str
    priority: str
    due_date: datetime.date
    created_at: datetime.datetime
    completed_at: datetime.datetime | None
    team_id: int
    assignee_id: int | None
    team_name: str
    postmortem_title: str
    postmortem_severity: str
    assignee_username: str | None
    assignee_first_name: str | None
    assignee_last_name: str | None
    is_overdue: bool = False
    can_bulk: bool = False

    @property
    def is_open(self) -> bool:
        return self.status in ActionItem.OPEN_STATUSES

    @property
    def assignee_name(self) -> str:
        """As ``User.get_full_name() or get_username()``."""
        full = f"{self.assignee_first_name} {self.assignee_last_name}".strip()
        return full or self.assignee_username or ""


def dashboard_list(queryset, sort):
    """The item list's rows as ``LIST_VALUES`` tuples (``ListedItem(*row)``): one query per
    page, whatever the number of rows. Sorted by due date alone the list walks the
    (due_date, id) index; the default (open first) sorts the filtered rows, keeping only
    the page it needs."""
    return sorted_items(queryset, sort).values_list(*LIST_VALUES)
