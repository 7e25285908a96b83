"""The dashboard's item list: sorting and the rows a page shows."""

from ..models import is_closed_key

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


# What the list shows of each row: the postmortem's long text columns stay in the database.
LIST_FIELDS = (
    "id",
    "title",
    "status",
    "priority",
    "due_date",
    "created_at",
    "completed_at",
    "team_id",
    "assignee_id",
    "postmortem_id",
    "team__name",
    "postmortem__title",
    "postmortem__severity",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
)


def dashboard_list(queryset, sort):
    """The item list's rows: one query per page, whatever the number of rows. Sorted by
    due date alone the list walks the (due_date, id) index; the default (open first) sorts
    the filtered rows, keeping only the page it needs."""
    return (
        sorted_items(queryset, sort)
        .select_related("team", "assignee", "postmortem")
        .only(*LIST_FIELDS)
    )
