"""The CSV export written by PostgreSQL: ``COPY (the export's query) TO STDOUT WITH
(FORMAT csv)``, streamed to the response as it arrives.

The query is the export queryset itself (visibility rule, dashboard filters, sort), each
column wrapped in the SQL that formats it exactly as ``python_csv_chunks`` does: the
spreadsheet-formula neutralising of ``postmortems.csv_cells`` as two regular expressions,
dates and times in ISO 8601 in the current time zone, empty text as an empty cell.
Parameters are bound on the client by psycopg (COPY takes none of its own).
"""

from collections.abc import Iterator

from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import Case, F, Func, TextField, Value, When
from django.db.models.functions import Cast, NullIf
from django.utils import timezone

from postmortems import csv_cells

from ..models import ActionItem
from .export import EXPORT_COLUMNS, EXPORT_KINDS
from .listing import sorted_items

ROW_BYTES_PER_CHUNK = 128 * 1024

# csv_cells' rules, in PostgreSQL's regular expressions (a bracket expression takes the
# characters literally; "-" last so it is not a range).
_SPACES = " \u3000"
_TRIGGERS = "".join(c for c in csv_cells.TRIGGERS if c != "-") + "-"
_LEADING = f"^[{_SPACES}]*[{_TRIGGERS}]"
_SEPARATED = f"[{csv_cells.SEPARATORS}][{_SPACES}]*[{_TRIGGERS}]"
_EITHER = f"{_LEADING}|{_SEPARATED}"
_AFTER_SEPARATOR = f"([{csv_cells.SEPARATORS}][{_SPACES}]*)(?=[{_TRIGGERS}])"


class CsvText(Func):
    """A text column as ``csv_cells.neutralise`` leaves it; NULL (an empty cell) when empty.

    One regular expression per cell tells whether either rule applies (rarely); only then
    are the rules applied. ``known`` values (a choice column's, none of which a rule
    touches) skip even that: comparing short strings is cheaper than a regular expression.
    """

    output_field = TextField()

    def __init__(self, expression, *, known=()):
        super().__init__(expression)
        self.known = tuple(known)

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        value = f"({sql})::text"
        neutralised = (
            f"NULLIF(CASE WHEN {value} ~ %s "
            f"THEN CASE WHEN {value} ~ %s THEN '''' ELSE '' END"
            f" || regexp_replace({value}, %s, %s, 'g') "
            f"ELSE {value} END, '')"
        )
        neutralised_params = (
            *params,
            _EITHER,
            *params,
            _LEADING,
            *params,
            _AFTER_SEPARATOR,
            "\\1'",
            *params,
        )
        if not self.known:
            return neutralised, neutralised_params
        marks = ", ".join(["%s"] * len(self.known))
        return (
            f"CASE WHEN {value} IN ({marks}) THEN {value} ELSE {neutralised} END",
            (*params, *self.known, *params, *neutralised_params),
        )


class CsvDate(Func):
    """A date or time as ``csv_cell`` writes it (times in the session's zone, which
    ``copy_csv_chunks`` sets to the current one).

    JSON's text of a date or time is ISO 8601 whatever the session's ``DateStyle``
    (``2026-12-05T11:24:21+05:30``, no fraction once truncated to the second), as
    ``isoformat(timespec="seconds")`` writes it, offsets in seconds included (``TZH:TZM``
    cut them to minutes); a fifth less time than ``to_char`` with a format.
    """

    output_field = TextField()

    def __init__(self, expression, *, with_time):
        super().__init__(expression)
        self.with_time = with_time

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        if self.with_time:
            sql = f"date_trunc('second', {sql})"
        return f"to_jsonb({sql}) #>> '{{}}'", params


def _column(name, source):
    kind = EXPORT_KINDS.get(name, "text")
    if kind == "number":
        return F(source)
    if kind in ("date", "datetime"):
        return CsvDate(F(source), with_time=kind == "datetime")
    known = _choices(source)
    relation, _, field = source.rpartition("__")
    if known or not relation:
        return CsvText(F(source), known=known)
    # A column of a joined table (a postmortem's title, a team's name, a username): the
    # rules' expression costs a little per character, and 95k items share 10k
    # postmortems, 200 teams and 800 people. The rows of that table whose text a rule
    # would touch are found once per statement (PostgreSQL runs an uncorrelated IN as
    # one hashed subquery, in the statement's snapshot); only items that point at one
    # are sent to the rules, which then decide. The subquery reads every row of that
    # table, postmortems a reader may not see included, and gives back only their keys.
    related = _model(relation)
    flagged = related._base_manager.filter(**{f"{field}__regex": _EITHER}).values("pk")
    return Case(
        When(**{f"{relation}__in": flagged}, then=CsvText(F(source))),
        default=NullIf(Cast(F(source), TextField()), Value("")),
        output_field=TextField(),
    )


def _model(relation):
    """The model at the end of ``relation`` (``"a__b"``), from ActionItem."""
    model = ActionItem
    for name in filter(None, relation.split("__")):
        model = model._meta.get_field(name).related_model
    return model


def _choices(source):
    """The stored values of a choice column, when neutralising leaves every one alone."""
    relation, _, name = source.rpartition("__")
    values = [value for value, _label in _model(relation)._meta.get_field(name).choices or ()]
    return values if all(csv_cells.neutralise(v) == v for v in values) else []


def copy_statement(queryset, sort):
    """``COPY (…) TO STDOUT WITH (FORMAT csv)`` of the export's rows, and its parameters."""
    columns = {f"csv_{n}": _column(name, source) for n, (name, source) in enumerate(EXPORT_COLUMNS)}
    rows = sorted_items(queryset, sort).annotate(**columns).values_list(*columns)
    sql, params = rows.query.get_compiler(using=rows.db).as_sql()
    return f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", tuple(params)


def copy_csv_chunks(queryset, sort) -> Iterator[bytes]:
    """The rows (no header) as PostgreSQL writes them, in chunks of about 128 kB.

    PostgreSQL sends one message per row, ending in a line feed; the Python writer (and so
    the export, since the first version) ends rows with CRLF, so each row's last byte is
    swapped. Line breaks inside a quoted cell stay as they are, as in the Python writer."""
    try:
        statement, params = copy_statement(queryset, sort)
    except EmptyResultSet:  # e.g. ``.none()``: no rows
        return
    using = queryset.db
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        # Times in the reader's zone: to_char uses the session's, for this transaction only.
        cursor.execute(
            "SELECT current_setting('TimeZone'), set_config('TimeZone', %s, true)",
            [timezone.get_current_timezone_name()],
        )
        (session_zone, _zone) = cursor.fetchone()
        with cursor.cursor.copy(statement, params) as copy:
            batch: list[memoryview] = []
            size = 0
            for row in copy:
                batch.append(row[:-1])
                size += len(row)
                if size >= ROW_BYTES_PER_CHUNK:
                    batch.append(memoryview(b""))
                    yield b"\r\n".join(batch)
                    batch, size = [], 0
            if batch:
                batch.append(memoryview(b""))
                yield b"\r\n".join(batch)
        # The connection goes on serving other queries in this transaction (tests, a caller's
        # atomic block): the session's zone is put back.
        cursor.execute("SELECT set_config('TimeZone', %s, true)", [session_zone])
