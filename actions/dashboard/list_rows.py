"""The dashboard's item list as the paginator reads it: for the unfiltered list on
PostgreSQL, a statement compiled once per process and prepared once per connection."""

import datetime
import re
from types import SimpleNamespace
from typing import Any

import psycopg
from django.db import connection

from postmortems.process_cache import per_process

from ..models import ActionItem
from .cache import RESTRICTED_VISIBLE_ATTR
from .filters import listed_items, unfiltered, visible_given
from .listing import dashboard_list
from .prepared import server_side_cursor


def dashboard_rows(user: Any, filters: dict[str, Any], sort: str, *, today: datetime.date) -> Any:
    """The item list's rows (``LIST_VALUES`` tuples) of the items ``user`` may see that
    match ``filters``, in ``sort``'s order, for the paginator to slice: one query per page.

    The unfiltered list on PostgreSQL, the page a manager opens, runs a statement compiled
    once per process for its sort order (``CompiledRows``): building and compiling the
    query took as long as the database took to plan and run it, and planning it took
    longer than running it. Any other list is ``dashboard_list``'s query."""
    if connection.vendor == "postgresql" and unfiltered(filters) and user.is_authenticated:
        if user.is_superuser:
            return CompiledRows(_compiled_list(sort, restricted=False), None)
        ids = getattr(user, RESTRICTED_VISIBLE_ATTR, None)
        if ids is not None:
            return CompiledRows(_compiled_list(sort, restricted=True), ids)
    return dashboard_list(listed_items(user, filters, today=today), sort)


# Stands for the readable ids while the statement is compiled: a value no id takes.
_STAND_IN = -(2**62)
_STAND_IN_LIST = re.compile(rf"\bIN \(\s*{_STAND_IN}\s*\)")


# Kept for the process: the ids are the request's parameter, the rest follows from the code.
@per_process(maxsize=32)
def _compiled_list(sort: str, *, restricted: bool) -> str:
    """The unfiltered list's statement in ``sort``'s order, without its page, every value
    written in but the ids of the restricted postmortems the reader may read: with
    ``restricted``, one parameter, an array (``visible_given``'s rule, whose ``IN`` list
    reads ``= ANY``); else a superuser's, with no visibility condition. The same text for
    every reader, so that a connection prepares it once and PostgreSQL keeps its plan;
    the statement's own values are written in so that the plan sees them (the open-first
    order's index is on an expression of the open statuses)."""
    if restricted:
        items = visible_given([_STAND_IN])
    else:
        superuser = SimpleNamespace(is_authenticated=True, is_superuser=True)
        items = ActionItem.objects.visible_to(superuser)
    sql, params = dashboard_list(items, sort).query.sql_with_params()
    connection.ensure_connection()
    # psycopg writes the values in as it would send them with client-side binding.
    text = psycopg.ClientCursor(connection.connection).mogrify(sql, params).replace("%", "%%")
    if restricted:
        text, found = _STAND_IN_LIST.subn("= ANY(%s)", text)
        if found != 1:
            raise ValueError(f"the list's statement does not hold the readable ids once: {sql}")
    return text


class CompiledRows:
    """The rows of a compiled list statement (``_compiled_list``) for the readable ``ids``
    (None: a superuser's statement, which has none), which the paginator slices: each
    slice is one query with its ``LIMIT`` and ``OFFSET`` written in (a plan for a page size
    and offset, known, is the plan of that page). The paginator is told the count (the
    figures counted the items).

    Sent with server-side parameters, so that the connection prepares the statement
    (``prepared.server_side_cursor``), through Django's cursor wrapper, so that it is
    counted and logged as every query is."""

    def __init__(self, text: str, ids: Any):
        self.text = text
        self.params = [] if ids is None else [list(ids)]

    def __getitem__(self, index: slice) -> list[tuple[Any, ...]]:
        start, stop, _step = index.indices(2**62)
        query = f"{self.text} LIMIT {max(stop - start, 0):d} OFFSET {start:d}"
        with server_side_cursor() as cursor:
            cursor.execute(query, self.params)
            return cursor.fetchall()
