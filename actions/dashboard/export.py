"""The CSV export's columns and rows (the filtered list, streamed)."""

from .listing import sorted_items

EXPORT_COLUMNS = (
    ("id", "id"),
    ("title", "title"),
    ("postmortem_id", "postmortem_id"),
    ("postmortem", "postmortem__title"),
    ("severity", "postmortem__severity"),
    ("team", "team__name"),
    ("assignee", "assignee__username"),
    ("status", "status"),
    ("priority", "priority"),
    ("kind", "kind"),
    ("due_date", "due_date"),
    ("created_at", "created_at"),
    ("completed_at", "completed_at"),
    ("tracker_url", "tracker_url"),
)


def export_rows(queryset, sort, *, chunk_size=2000):
    """Tuples for the CSV export, read in chunks (never the whole result in memory)."""
    return (
        sorted_items(queryset, sort)
        .values_list(*(source for _name, source in EXPORT_COLUMNS))
        .iterator(chunk_size=chunk_size)
    )
