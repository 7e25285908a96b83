import csv
import datetime
import io

import pytest
from django.utils import timezone

from actions import selectors
from actions.dashboard import export as export_module
from actions.models import ActionItem
from tests.factories import ActionItemFactory, PostmortemFactory

pytestmark = pytest.mark.django_db

URL = "/actions/export.csv"


def read(response):
    assert response.streaming
    body = b"".join(response.streaming_content).decode()
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))


@pytest.fixture
def postmortem(team):
    return PostmortemFactory(team=team, title="Checkout outage", severity="SEV2")


def test_export_has_a_header_and_iso_dates(alice_client, alice, postmortem):
    completed = datetime.datetime(2026, 2, 3, 4, 5, 6, tzinfo=datetime.UTC)
    item = ActionItemFactory(
        postmortem=postmortem,
        title="Alert on queue depth",
        assignee=alice,
        status="done",
        completed_at=completed,
        due_date=datetime.date(2026, 2, 10),
        priority="P1",
        kind="detect",
        tracker_url="https://tracker.example.com/T-1",
    )
    response = alice_client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = read(response)
    assert rows == [
        {
            "id": str(item.pk),
            "title": "Alert on queue depth",
            "postmortem_id": str(postmortem.pk),
            "postmortem": "Checkout outage",
            "severity": "SEV2",
            "team": "Payments",
            "assignee": "alice",
            "status": "done",
            "priority": "P1",
            "kind": "detect",
            "due_date": "2026-02-10",
            "created_at": timezone.localtime(item.created_at).isoformat(timespec="seconds"),
            "completed_at": "2026-02-03T04:05:06+00:00",
            "tracker_url": "https://tracker.example.com/T-1",
        }
    ]


def test_export_follows_the_dashboard_filters_and_sort(alice_client, postmortem):
    today = timezone.localdate()
    ActionItemFactory(
        postmortem=postmortem, title="Late", due_date=today - datetime.timedelta(days=1)
    )
    ActionItemFactory(
        postmortem=postmortem, title="Later", due_date=today - datetime.timedelta(days=9)
    )
    ActionItemFactory(
        postmortem=postmortem, title="Fine", due_date=today + datetime.timedelta(days=9)
    )
    rows = read(alice_client.get(f"{URL}?overdue=1&sort=-due_date"))
    assert [r["title"] for r in rows] == ["Late", "Later"]


def test_export_leaves_out_restricted_items_the_user_cannot_see(outsider_client, team):
    ActionItemFactory(postmortem=PostmortemFactory(team=team), title="Public")
    ActionItemFactory(postmortem=PostmortemFactory(team=team, restricted=True), title="Secret")
    rows = read(outsider_client.get(URL))
    assert [r["title"] for r in rows] == ["Public"]


def test_export_with_bad_filters_still_answers(alice_client, postmortem):
    ActionItemFactory(postmortem=postmortem, title="Kept")
    rows = read(alice_client.get(f"{URL}?team=abc&due_within=-1&sort=nope"))
    assert [r["title"] for r in rows] == ["Kept"]


def test_cells_that_spreadsheets_would_run_as_formulas_are_neutralised(alice_client, postmortem):
    ActionItemFactory(postmortem=postmortem, title='=HYPERLINK("http://evil")')
    rows = read(alice_client.get(URL))
    assert rows[0]["title"].startswith("'=")


def test_export_is_a_lazy_stream_of_bom_header_and_rows(alice_client, postmortem):
    ActionItem.objects.bulk_create(
        ActionItem(
            postmortem=postmortem,
            team=postmortem.team,
            title=f"Item {n}",
            due_date=timezone.localdate(),
        )
        for n in range(25)
    )
    response = alice_client.get(URL)
    # Nothing is read before the body is consumed: the response is a lazy stream.
    iterator = iter(response.streaming_content)
    assert next(iterator) == "\ufeff".encode()
    assert next(iterator).startswith(b"id,title,")
    rest = b"".join(iterator).decode().splitlines()
    assert len(rest) == 25


def test_python_path_reads_rows_in_chunks_not_all_at_once(alice, postmortem, monkeypatch):
    ActionItem.objects.bulk_create(
        ActionItem(
            postmortem=postmortem,
            team=postmortem.team,
            title=f"Item {n}",
            due_date=timezone.localdate(),
        )
        for n in range(25)
    )
    seen = {}
    real = export_module.export_rows

    def spy(queryset, sort, *, chunk_size=2000):
        seen["chunk_size"] = chunk_size
        return real(queryset, sort, chunk_size=10)

    monkeypatch.setattr(export_module, "export_rows", spy)
    chunks = selectors.python_csv_chunks(selectors.visible_action_items(alice), "due_date")
    assert not isinstance(chunks, list)
    assert len("".join(chunks).splitlines()) == 25
    assert seen["chunk_size"] == 2000


def test_export_rows_is_a_chunked_iterator_over_tuples(postmortem, alice):
    ActionItemFactory(postmortem=postmortem)
    rows = selectors.export_rows(selectors.visible_action_items(alice), "due_date")
    assert not isinstance(rows, list)
    assert isinstance(next(rows), tuple)


@pytest.mark.parametrize(
    ("title", "expected"),
    [("＝1+1", "'＝1+1"), ("a;=1+1", "a;'=1+1"), ("; -2+3", "; '-2+3")],
)
def test_full_width_and_separated_formulas_are_neutralised_too(
    alice_client, postmortem, title, expected
):
    ActionItemFactory(postmortem=postmortem, title=title)
    rows = read(alice_client.get(URL))
    assert rows[0]["title"] == expected
    assert rows[0]["postmortem"] == "Checkout outage"


def test_export_starts_with_a_byte_order_mark_so_excel_reads_korean_names(
    alice_client, alice, postmortem
):
    alice.first_name, alice.last_name = "민수", "김"
    alice.save()
    ActionItemFactory(postmortem=postmortem, title="경보 임계값 조정", assignee=alice)
    body = b"".join(alice_client.get(URL).streaming_content)
    assert body.startswith(b"\xef\xbb\xbfid,title,")
    assert "경보 임계값 조정" in body.decode("utf-8-sig")
