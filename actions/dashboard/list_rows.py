"""The dashboard's item list as the paginator reads it: for the unfiltered list on
PostgreSQL, a statement compiled once per process."""

import datetime
import functools
from types import SimpleNamespace
from typing import Any

from django.db import connection

from ..models import ActionItem
from .cache import RESTRICTED_VISIBLE_ATTR
from .filters import listed_items, unfiltered, visible_given
from .listing import dashboard_list


def dashboard_rows(user: Any, filters: dict[str, Any], sort: str, *, today: datetime.date) -> Any:
    """The item list's rows (``LIST_VALUES`` tuples) of the items ``user`` may see that
    match ``filters``, in ``sort``'s order, for the paginator to slice: one query per page.

    The unfiltered list on PostgreSQL, the page a manager opens, runs a statement compiled
    once per process for its sort order and the number of restricted postmortems the
    reader may read (``CompiledRows``): building and compiling the query took as long as
    the database took to plan and run it. Any other list is ``dashboard_list``'s query."""
    if connection.vendor == "postgresql" and unfiltered(filters) and user.is_authenticated:
        if user.is_superuser:
            return CompiledRows(*_compiled_list(sort, None), ())
        ids = getattr(user, RESTRICTED_VISIBLE_ATTR, None)
        if ids is not None and len(ids) <= COMPILED_READABLE_MAX:
            return CompiledRows(*_compiled_list(sort, len(ids)), ids)
    return dashboard_list(listed_items(user, filters, today=today), sort)


# A reader who may read more restricted postmortems than this has the ORM build the list
# (each number up to it may have a statement of its own in ``_compiled_list``'s cache).
COMPILED_READABLE_MAX = 100
# Stand-ins for the readable ids while the statement is compiled: far from any parameter
# the statement has of its own (the open statuses, 0 and 1).
_STAND_IN = -(2**62)


@functools.lru_cache(maxsize=64)
def _compiled_list(sort: str, readable: int | None) -> tuple[str, tuple[Any, ...], tuple[int, ...]]:
    """The unfiltered list's statement in ``sort``'s order, without its page: SQL,
    parameters, and where the ``readable`` ids go among them (None: a superuser's, which
    has no visibility condition)."""
    items: Any
    if readable is None:
        superuser = SimpleNamespace(is_authenticated=True, is_superuser=True)
        items = ActionItem.objects.visible_to(superuser)
    else:
        items = visible_given([_STAND_IN - n for n in range(readable)])
    sql, params = dashboard_list(items, sort).query.sql_with_params()
    stand_ins = {_STAND_IN - n: n for n in range(readable or 0)}
    slots = tuple(stand_ins.get(param, -1) if type(param) is int else -1 for param in params)
    if sorted(slot for slot in slots if slot >= 0) != list(range(readable or 0)):
        raise ValueError(f"the list's statement does not hold each readable id once: {params}")
    return sql, tuple(params), slots


# What it keeps follows from the code alone, never from data or a reader (the ids are the
# request's parameters): like compiled templates, it lasts as long as the process, and
# ``tests.bench`` keeps it when it makes a request cold.
_compiled_list.per_process = True  # type: ignore[attr-defined]


class CompiledRows:
    """The rows of a compiled list statement (``_compiled_list``) for the readable ``ids``,
    which the paginator slices: each slice is one query with its ``LIMIT`` and
    ``OFFSET``. The paginator is told the count (the figures counted the items)."""

    def __init__(self, sql: str, params: tuple[Any, ...], slots: tuple[int, ...], ids: Any):
        self.sql = f"{sql} LIMIT %s OFFSET %s"
        self.params = [
            ids[slot] if slot >= 0 else param for param, slot in zip(params, slots, strict=True)
        ]

    def __getitem__(self, index: slice) -> list[tuple[Any, ...]]:
        start, stop, _step = index.indices(2**62)
        with connection.cursor() as cursor:
            cursor.execute(self.sql, [*self.params, max(stop - start, 0), start])
            return cursor.fetchall()
