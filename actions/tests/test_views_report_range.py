"""/metrics/ and /kaizen/ read ?team=&from=&to= through one bounded form."""

import datetime

import pytest


@pytest.mark.parametrize("path", ["/metrics/", "/kaizen/", "/metrics/export.csv"])
@pytest.mark.parametrize(
    "query", [{"to": "9999-12-31"}, {"from": "0001-01-01"}, {"team": "²"}, {"team": "9" * 30}]
)
def test_an_impossible_filter_is_answered_not_a_server_error(alice_client, path, query):
    assert alice_client.get(path, query).status_code == 200


def test_a_range_wider_than_allowed_is_an_error_naming_the_latest_end(alice_client, settings):
    settings.MAX_REPORT_RANGE_DAYS = 30
    response = alice_client.get("/metrics/", {"from": "2026-01-01", "to": "2026-03-01"})
    page = response.content.decode()
    assert "at most 30 days" in page
    assert "01/30/2026" in page or "2026-01-30" in page


def test_a_date_outside_the_window_names_the_window(alice_client):
    page = alice_client.get("/kaizen/", {"to": "9999-12-31"}).content.decode()
    assert "1970-01-01" in page
    assert "2199-12-31" in page


def test_a_range_inside_the_limit_is_shown(alice_client):
    today = datetime.date.today()
    first = today - datetime.timedelta(days=100)
    page = alice_client.get("/metrics/", {"from": first.isoformat()}).content.decode()
    assert "at most" not in page
