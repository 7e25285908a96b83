import datetime
import zoneinfo

from integrations.slack_import.paste import parse_paste

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
UTC = datetime.UTC


def parse(text, tz=UTC):
    return parse_paste(
        text, tz=tz, first_day=datetime.date(2026, 11, 20), today=datetime.date(2026, 12, 3)
    )


def test_lines_are_read_in_the_authors_zone_under_their_day():
    result = parse(
        "Thursday, November 20th\n[11:58 PM] carol: checkout is failing\n"
        "Friday, November 21st\n[12:03 AM] bob: rolling back",
        tz=SEOUL,
    )
    assert result.errors == []
    assert [(m.author, m.at) for m in result.messages] == [
        ("carol", datetime.datetime(2026, 11, 20, 14, 58, tzinfo=UTC)),
        ("bob", datetime.datetime(2026, 11, 20, 15, 3, tzinfo=UTC)),
    ]


def test_a_line_without_a_time_continues_the_message_above():
    result = parse("[10:02 AM] carol: the API returns 500s\nfor every card payment")
    assert result.messages[0].text == "the API returns 500s\nfor every card payment"


def test_24_hour_times_iso_days_today_and_korean_days_are_understood():
    result = parse(
        "2026-11-19\n[14:05] dave: one\nToday\n[09:15] dave: two\n"
        "11월 18일 수요일\n[오후 3:04] 민수: 셋"
    )
    assert [m.at for m in result.messages] == [
        datetime.datetime(2026, 11, 19, 14, 5, tzinfo=UTC),
        datetime.datetime(2026, 12, 3, 9, 15, tzinfo=UTC),
        datetime.datetime(2026, 11, 18, 15, 4, tzinfo=UTC),
    ]


def test_text_before_any_message_is_an_error_with_its_line_number():
    result = parse("hello there\n[10:02 AM] carol: hi")
    assert [number for number, _message in result.errors] == [1]
    assert len(result.messages) == 1


def test_an_impossible_time_is_an_error():
    result = parse("[13:02 PM] carol: hi")
    assert result.errors and not result.messages


def test_a_day_that_does_not_exist_is_an_error():
    result = parse("February 30th\n[10:00] carol: hi")
    assert result.errors[0][0] == 1
