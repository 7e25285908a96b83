def test_teams_and_themes_are_readable_by_any_member(api, outsider, team):
    body = api(outsider).get("/api/v1/teams/").json()
    assert {row["slug"] for row in body["results"]} == {"payments", "search"}
    assert api(outsider).get("/api/v1/themes/").status_code == 200


def test_metrics_answer_the_web_figures(api, alice):
    body = api(alice).get("/api/v1/metrics/", {"from": "2026-01-01", "to": "2026-03-31"}).json()
    assert body["first"] == "2026-01-01"
    assert [m["month"] for m in body["months"]] == ["2026-01-01", "2026-02-01", "2026-03-01"]
    assert body["totals"]["all"]["incidents"] == 0


def test_metrics_refuse_a_date_that_is_not_one(api, alice):
    assert api(alice).get("/api/v1/metrics/", {"from": "yesterday"}).status_code == 400


def test_the_blame_check_gives_offsets_even_with_a_read_token(api, alice):
    text = "Bob should have checked the dashboard."
    response = api(alice, scope="read").post("/api/v1/lint/", {"text": text})
    assert response.status_code == 200
    finding = response.json()["findings"][0]
    assert text[finding["start"] : finding["end"]] == finding["phrase"]


def test_the_blame_check_refuses_oversized_text(api, alice, settings):
    settings.LINT_MAX_BYTES = 100
    assert api(alice).post("/api/v1/lint/", {"text": "x" * 101}).status_code == 413


def test_the_schema_is_openapi_3_json(client, db):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in ("/api/v1/postmortems/", "/api/v1/postmortems/{id}/", "/api/v1/action-items/"):
        assert path in schema["paths"]


def test_the_docs_page_works_offline(client, db):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    assert b"swagger-ui" in response.content
    assert b"cdn" not in response.content.lower()


def test_metrics_count_only_incidents_the_caller_may_open(api, outsider, alice, team):
    import datetime

    from django.utils import timezone

    from tests.factories import PostmortemFactory

    started = timezone.now() - datetime.timedelta(days=3)
    PostmortemFactory(team=team, restricted=True, started_at=started)
    PostmortemFactory(team=team, started_at=started)
    assert api(alice).get("/api/v1/metrics/").json()["totals"]["all"]["incidents"] == 2
    assert api(outsider).get("/api/v1/metrics/").json()["totals"]["all"]["incidents"] == 1


def test_metrics_refuse_a_range_wider_than_the_web_allows(api, alice, settings):
    settings.MAX_REPORT_RANGE_DAYS = 30
    response = api(alice).get("/api/v1/metrics/", {"from": "2026-01-01", "to": "2026-03-01"})
    assert response.status_code == 400
