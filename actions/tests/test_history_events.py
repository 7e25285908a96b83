import pytest
from django.utils import translation

from actions import services
from actions.history_events import describe, stored
from tests.factories import ActionItemFactory


def test_events_are_stored_as_words_and_read_as_sentences():
    assert stored("blocked", "waits for the vendor") == "blocked: waits for the vendor"
    assert describe("blocked: waits for the vendor") == "Blocked: waits for the vendor"
    assert describe("created") == "Created"


def test_each_reader_sees_the_event_in_their_language():
    with translation.override("ko"):
        assert describe("created") == "생성"


def test_rows_stored_as_english_sentences_are_translated_too():
    with translation.override("ko"):
        assert describe("Created") == "생성"
    assert describe("Won't do: duplicate") == "Won't do: duplicate"


def test_unknown_text_is_shown_as_it_is():
    assert describe("Merged into Alerts") == "Merged into Alerts"


def test_a_long_reason_fits_the_history_column():
    assert len(stored("wont_do", "x" * 500)) == 100


@pytest.mark.django_db
def test_the_item_page_shows_created_in_the_readers_language(alice_client, alice, team):
    item = ActionItemFactory(postmortem__team=team, team=team)
    services.action_item_block(item=item, by=alice, reason="벤더 대기")
    alice_client.post("/i18n/setlang/", {"language": "ko", "next": "/"})
    html = alice_client.get(f"/actions/{item.pk}/").content.decode()
    assert "<strong>막힘: 벤더 대기</strong>" in html
    assert "<strong>생성</strong>" in html
    assert ">blocked: " not in html
