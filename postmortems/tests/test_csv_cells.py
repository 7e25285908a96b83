import csv
import io

import pytest

from postmortems import csv_cells


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "＝1+1", "＋1", "－1", "＠SUM(A1)", "  =1+1"],
)
def test_a_cell_starting_with_a_formula_character_gets_an_apostrophe(text):
    assert csv_cells.neutralise(text) == "'" + text.replace("\t=", "\t'=").replace("\r=", "\r'=")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (";=1+1", ";'=1+1"),
        ("a;=1+1", "a;'=1+1"),
        ("a,=1+1", "a,'=1+1"),
        ("a; ＝1+1", "a; '＝1+1"),
        ("a|@cmd", "a|'@cmd"),
        ("line\n=HYPERLINK(1)", "line\n'=HYPERLINK(1)"),
    ],
)
def test_a_formula_after_a_separator_is_neutralised_where_it_starts(text, expected):
    assert csv_cells.neutralise(text) == expected


@pytest.mark.parametrize("text", ["Alert on queue depth", "2026-01-01", "a-b", "", "x=1"])
def test_ordinary_text_is_left_alone(text):
    assert csv_cells.neutralise(text) == text


@pytest.mark.parametrize("value", [None, 3, -4, 2.5])
def test_values_that_are_not_text_are_left_alone(value):
    assert csv_cells.neutralise(value) == value


def test_the_writer_neutralises_every_text_cell_and_keeps_the_row_readable():
    out = io.StringIO()
    csv_cells.writer(out).writerow(["ok", "=1+1", "a;=1+1", -1])
    assert next(csv.reader(io.StringIO(out.getvalue()))) == ["ok", "'=1+1", "a;'=1+1", "-1"]


def test_no_module_writes_csv_without_the_neutralising_writer():

    from django.conf import settings

    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for app in ("config", "postmortems", "actions", "integrations")
        for path in (settings.BASE_DIR / app).rglob("*.py")
        if "tests" not in path.parts
        and path.name != "csv_cells.py"
        and ("csv.writer(" in path.read_text() or "csv.DictWriter(" in path.read_text())
    ]
    assert offenders == []
