"""The CSV export written by PostgreSQL's COPY gives the same text as the Python writer."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.utils import timezone

from actions import selectors
from actions.dashboard.export_copy import copy_csv_chunks, copy_statement
from actions.models import ActionItem
from tests.factories import (
    ActionItemFactory,
    MembershipFactory,
    PostmortemFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="COPY is PostgreSQL's (CI runs it there)"
    ),
]

# Titles that exercise every rule of csv_cells.neutralise and of CSV quoting.
TRICKY_TITLES = [
    "Plain title",
    '=HYPERLINK("http://evil")',
    "+1 more alert",
    "-2 minus",
    "@SUM(A1)",
    "\tTabbed",
    "\rCarriage",
    "  =spaced",
    "\u3000＝full width",
    "＋１",
    "a;=1+1",
    "; -2+3",
    "x,\t=y",
    "pipe| @here",
    "comma, then text",
    'say "hello"',
    "two\nlines =no",
    "line\n=formula",
    "경보 임계값 조정, 2단계",
    "trailing space ",
    "",
]


def both(queryset, sort="open_first"):
    python = "".join(selectors.python_csv_chunks(queryset, sort))
    copied = b"".join(copy_csv_chunks(queryset, sort)).decode()
    return python, copied


@pytest.fixture
def mixed(team, other_team, alice):
    """Items of every status and text shape, on open and restricted postmortems."""
    public = PostmortemFactory(team=team, title="=Public, outage", severity="SEV1")
    secret = PostmortemFactory(team=team, title="Secret incident", restricted=True)
    tricky_user = UserFactory(username="-dash+user@example")
    now = timezone.now()
    statuses = [s for s, _label in ActionItem.Status.choices]
    for n, title in enumerate(TRICKY_TITLES):
        status = statuses[n % len(statuses)]
        ActionItemFactory(
            postmortem=secret if n % 4 == 3 else public,
            team=other_team if n % 4 == 3 else team,
            title=title,
            status=status,
            status_reason="because" if status in ("blocked", "wont_do") else "",
            priority=f"P{n % 4 + 1}",
            assignee=[None, alice, tricky_user][n % 3],
            due_date=timezone.localdate() + datetime.timedelta(days=n - 10),
            completed_at=now - datetime.timedelta(hours=n * 7, microseconds=123456)
            if status in ("done", "wont_do")
            else None,
            tracker_url="" if n % 2 else f"https://tracker.example.com/T-{n}?a=1,b=2",
        )
    return public, secret


@pytest.mark.parametrize("sort", ["open_first", "-due_date", "team", "title", "-completed_at"])
def test_copy_and_python_paths_write_the_same_csv(mixed, alice, sort):
    python, copied = both(selectors.visible_action_items(alice), sort)
    assert copied == python
    assert python.count("\r\n") >= len(TRICKY_TITLES) - len(TRICKY_TITLES) // 4


@pytest.mark.parametrize("zone", ["Asia/Seoul", "America/St_Johns", "UTC"])
def test_times_are_written_in_the_current_zone_on_both_paths(mixed, alice, zone):
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        python, copied = both(selectors.visible_action_items(alice))
    assert copied == python
    offset = datetime.datetime.now(zoneinfo.ZoneInfo(zone)).isoformat()[-6:]
    assert offset in copied


def test_the_session_zone_is_put_back_after_the_copy(mixed, alice):
    with timezone.override(zoneinfo.ZoneInfo("Asia/Seoul")):
        b"".join(copy_csv_chunks(selectors.visible_action_items(alice), "due_date"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('TimeZone')")
        assert cursor.fetchone()[0] == "UTC"


def test_restricted_items_stay_out_of_the_copy_for_an_outsider(mixed, outsider):
    python, copied = both(selectors.visible_action_items(outsider))
    assert copied == python
    assert "Secret incident" not in copied
    assert '"=Public, outage' not in copied  # neutralised ...
    assert "\"'=Public, outage" in copied  # ... and still there


def test_dashboard_filters_reach_the_copy_as_bound_parameters(mixed, alice):
    hostile = "x') TO STDOUT; DROP TABLE items; --"
    items = selectors.dashboard_items(alice, {"q": hostile, "priority": "P1"})
    statement, params = copy_statement(items, "due_date")
    assert hostile not in statement
    assert any(hostile in str(param) for param in params)
    python, copied = both(items)
    assert copied == python == ""
    filtered = selectors.dashboard_items(alice, {"q": "full width", "status": ["open", "done"]})
    python, copied = both(filtered)
    assert copied == python
    assert (
        copied.count("\r\n")
        == ActionItem.objects.filter(
            title__icontains="full width", status__in=["open", "done"]
        ).count()
    )


def test_an_abandoned_copy_leaves_the_connection_usable(mixed, alice):
    chunks = copy_csv_chunks(selectors.visible_action_items(alice), "due_date")
    assert next(chunks)
    chunks.close()
    assert ActionItem.objects.count() == len(TRICKY_TITLES)


def test_rows_arrive_in_several_chunks_when_large(postmortem, alice, monkeypatch):
    from actions.dashboard import export_copy

    monkeypatch.setattr(export_copy, "ROW_BYTES_PER_CHUNK", 200)
    ActionItem.objects.bulk_create(
        ActionItem(
            postmortem=postmortem,
            team=postmortem.team,
            title=f"Item {n}",
            due_date=timezone.localdate(),
        )
        for n in range(40)
    )
    chunks = list(copy_csv_chunks(selectors.visible_action_items(alice), "due_date"))
    assert len(chunks) > 5
    assert all(chunk.endswith(b"\r\n") for chunk in chunks)
    assert b"".join(chunks).decode() == "".join(
        selectors.python_csv_chunks(selectors.visible_action_items(alice), "due_date")
    )


def test_a_stored_value_outside_the_choices_is_still_neutralised(postmortem, alice):
    item = ActionItemFactory(postmortem=postmortem, title="Odd status")
    ActionItem.objects.filter(pk=item.pk).update(status="=1+1", kind="@x")
    python, copied = both(selectors.visible_action_items(alice))
    assert copied == python
    assert ",'=1+1," in copied
    assert ",'@x," in copied


def test_an_empty_queryset_copies_nothing(mixed):
    assert list(copy_csv_chunks(ActionItem.objects.none(), "due_date")) == []


# A joined table's text (a postmortem's title, a team's name, a username) goes through the
# rules only when its row is among those a rule touches, found once per statement.
JOINED_TEXTS = [
    ("=Team, formula", "Plain postmortem", "plain-user"),
    ("Plain team", "a;=1+1 outage", "+plus-user"),
    ("Ops | @here", "\u3000＝full width", "@at-user"),
    ("Tab\tteam", "Plain, with comma", "-dash-user"),
]


def test_joined_tables_texts_are_neutralised_only_where_a_rule_applies(alice):
    for n, (team_name, title, username) in enumerate(JOINED_TEXTS):
        team = TeamFactory(name=team_name, slug=f"joined-{n}")
        MembershipFactory(team=team, user=alice)
        ActionItemFactory(
            postmortem=PostmortemFactory(team=team, title=title),
            team=team,
            title=f"Item {n}",
            assignee=UserFactory(username=username),
        )
    python, copied = both(selectors.visible_action_items(alice))
    assert copied == python
    for text in ("'=Team, formula", "a;'=1+1 outage", "'+plus-user", "Ops | '@here"):
        assert text in copied
    for text in ("Plain team", "Plain postmortem", "Plain, with comma", "plain-user"):
        assert f",{text}," in copied or f',"{text}",' in copied


def test_joined_tables_are_read_once_per_statement_not_once_per_item(mixed, alice):
    statement, params = copy_statement(selectors.visible_action_items(alice), "due_date")
    query = statement.removeprefix("COPY (").removesuffix(") TO STDOUT WITH (FORMAT csv)")
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {query}", params)
        (plan,) = cursor.fetchone()[0]

    def nodes(node):
        yield node
        for child in node.get("Plans", ()):
            yield from nodes(child)

    assert plan["Plan"]["Actual Rows"] == len(TRICKY_TITLES)
    scans = {
        node["Relation Name"]: node["Actual Loops"]
        for node in nodes(plan["Plan"])
        if "~" in node.get("Filter", "")
    }
    # Each joined table's rows a rule touches are found by one scan, whatever the items.
    assert scans == {"postmortems_postmortem": 1, "postmortems_team": 1, "auth_user": 1}


def test_an_offset_in_seconds_is_written_as_python_writes_it(postmortem, alice):
    # Amsterdam's local mean time until 1937 was 19 minutes 32 seconds ahead of UTC.
    item = ActionItemFactory(postmortem=postmortem, title="Old", status="done")
    old = datetime.datetime(1890, 1, 1, 12, 0, 0, 500000, tzinfo=datetime.UTC)
    ActionItem.objects.filter(pk=item.pk).update(completed_at=old)
    with timezone.override(zoneinfo.ZoneInfo("Europe/Amsterdam")):
        python, copied = both(selectors.visible_action_items(alice))
    assert copied == python
    assert "1890-01-01T12:19:32+00:19:32" in copied
