"""The CSV export's columns and rows (the filtered list, streamed).

Two ways to the same bytes: on PostgreSQL the database writes the CSV itself
(``COPY (…) TO STDOUT WITH (FORMAT csv)``, see ``export_copy``), an order of magnitude
faster than formatting 100k rows in Python; elsewhere ``python_csv_chunks`` formats them
with ``postmortems.csv_cells``. ``export_csv_chunks`` picks one; both give identical text
for the same rows (a test compares them on PostgreSQL).
"""

from collections.abc import Iterator

from django.db import connections
from django.utils import timezone

from postmortems import csv_cells

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

# How each non-text column is written (the others are text, neutralised).
EXPORT_KINDS = {
    "id": "number",
    "postmortem_id": "number",
    "due_date": "date",
    "created_at": "datetime",
    "completed_at": "datetime",
}

# Rows per chunk handed to the response: fewer, larger writes to the socket.
ROWS_PER_CHUNK = 500


def export_rows(queryset, sort, *, chunk_size=2000):
    """Tuples for the CSV export, read in chunks (never the whole result in memory)."""
    return (
        sorted_items(queryset, sort)
        .values_list(*(source for _name, source in EXPORT_COLUMNS))
        .iterator(chunk_size=chunk_size)
    )


def csv_cell(value):
    """One value as the export writes it: dates in ISO 8601, times in the current zone to
    the second, nothing for None."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        if hasattr(value, "hour"):
            return timezone.localtime(value).isoformat(timespec="seconds")
        return value.isoformat()
    return value


class Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value):
        return value


def python_csv_chunks(queryset, sort, *, chunk_size=2000) -> Iterator[str]:
    """The rows (no header) as CSV text formatted in Python, a few hundred rows a chunk."""
    writer = csv_cells.writer(Echo())
    batch = []
    for row in export_rows(queryset, sort, chunk_size=chunk_size):
        batch.append(writer.writerow([csv_cell(value) for value in row]))
        if len(batch) >= ROWS_PER_CHUNK:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def export_csv_chunks(queryset, sort) -> Iterator[str | bytes]:
    """The rows (no header) as CSV chunks: written by PostgreSQL's COPY where it runs,
    in Python elsewhere. Nothing is read before the first chunk is asked for."""
    if connections[queryset.db].vendor == "postgresql":
        from .export_copy import copy_csv_chunks

        return copy_csv_chunks(queryset, sort)
    return python_csv_chunks(queryset, sort)
