"""Timestamps read from PostgreSQL by psycopg's compiled loader, as Django reads them.

Django registers, on every PostgreSQL connection, a ``timestamptz`` loader that derives from
psycopg's *pure-Python* one (``psycopg_any.BaseTzLoader``): psycopg's compiled loaders
cannot be subclassed, so every timestamp a query returns is parsed in Python, about 2 µs
each, even with ``psycopg[binary]`` installed (Django ticket #36960, psycopg issue #1273).
A page of the dashboard's list, a postmortem's timeline or an API page reads tens to
hundreds of them.

``TimestamptzLoader`` here wraps the loader psycopg itself registers for ``timestamptz``
(the compiled one where ``psycopg[binary]`` is installed, else the same pure-Python one)
and does what Django's does after it: the value gets the connection's time zone as its
``tzinfo`` (``datetime.UTC`` with ``USE_TZ``). Its ``timezone`` attribute is the one
Django compares before registering its own loader on a cursor, so Django keeps it. It is
installed when a connection opens (``connection_created``, ``apps.PostmortemsConfig``).
"""

from typing import Any

from psycopg import abc, adapt, adapters
from psycopg.postgres import types
from psycopg.pq import Format

TIMESTAMPTZ_OID = types["timestamptz"].oid

# psycopg's own loader of timestamptz text, as its global adapters map holds it.
_found = adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
if _found is None:  # psycopg registers one for every built-in type
    raise ImportError("psycopg has no loader of timestamptz text")
_PSYCOPG_LOADER: type[abc.Loader] = _found


def loader_for(zone: Any) -> type[adapt.Loader]:
    """A loader of ``timestamptz`` text whose values carry ``zone`` (None: naive), as
    Django's ``register_tzloader(zone, …)`` makes them."""

    class TimestamptzLoader(adapt.Loader):
        timezone = zone

        def __init__(self, oid: int, context: Any = None) -> None:
            super().__init__(oid, context)
            self._load = _PSYCOPG_LOADER(oid, context).load

        def load(self, data: Any) -> Any:
            return self._load(data).replace(tzinfo=zone)

    return TimestamptzLoader


def install(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created`` receiver: PostgreSQL connections read timestamps with
    ``loader_for`` their time zone."""
    if connection.vendor != "postgresql":
        return
    connection.connection.adapters.register_loader(TIMESTAMPTZ_OID, loader_for(connection.timezone))
