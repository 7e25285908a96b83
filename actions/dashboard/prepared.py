"""A cursor whose statements PostgreSQL prepares once per connection.

Django's cursors on psycopg 3 are ``ClientCursor``s: the values are written into the
statement, so each statement is parsed and planned on every run. The dashboard's two
statements that a cold page always runs, the item list (``list_rows``) and the read of
the stored counts (``counts``), are the same text for every reader but for their values;
sent with server-side parameters, the connection prepares them the first time
(``DATABASE_PREPARED_STATEMENTS``) and PostgreSQL keeps a generic plan."""

from typing import Any

import psycopg
from django.db import connection
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper


def server_side_cursor() -> Any:
    """A cursor of the default connection that sends parameters apart from the statement
    (psycopg's ``Cursor``), wrapped as Django wraps its own: execute wrappers, and the
    debug log when it is on."""
    connection.ensure_connection()
    connection.validate_thread_sharing()
    cursor = psycopg.Cursor(connection.connection)
    if connection.queries_logged:
        return _LoggedStatement(cursor, connection)
    return CursorWrapper(cursor, connection)


class _LoggedStatement(CursorDebugWrapper):
    """Django's debug cursor, logging the statement as sent, with its parameters: it reads
    the query a ``ClientCursor`` wrote, which a server-side binding cursor does not keep."""

    def execute(self, sql: Any, params: Any = None) -> Any:
        with self.debug_sql(sql, params):
            return CursorWrapper.execute(self, sql, params)
