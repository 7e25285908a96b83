import pytest

from postmortems import services
from postmortems.models import Postmortem, TimelineEvent
from tests.factories import (
    ActionItemFactory,
    ContributingFactorFactory,
    PostmortemFactory,
    ReadyPostmortemFactory,
    TimelineEventFactory,
)

LIST = "/api/v1/postmortems/"


def detail(pk):
    return f"/api/v1/postmortems/{pk}/"


@pytest.fixture
def restricted(team):
    return PostmortemFactory(team=team, restricted=True, title="Card data exposure")


# --- Read --------------------------------------------------------------------------------


def test_list_shows_what_the_web_list_shows(api, alice, outsider, team, restricted):
    open_one = PostmortemFactory(team=team, title="Cache stampede")
    member_ids = [row["id"] for row in api(alice).get(LIST).json()["results"]]
    outsider_ids = [row["id"] for row in api(outsider).get(LIST).json()["results"]]
    assert set(member_ids) == {open_one.pk, restricted.pk}
    assert outsider_ids == [open_one.pk]


def test_a_restricted_postmortem_is_404_for_an_outsider_everywhere(api, outsider, restricted):
    client = api(outsider)
    for path in ("", "export/", "timeline-events/", "factors/"):
        assert client.get(detail(restricted.pk) + path).status_code == 404
    assert client.patch(detail(restricted.pk), {"version": 1, "title": "x"}).status_code == 404
    assert client.post(detail(restricted.pk) + "submit/").status_code == 404


def test_detail_has_timeline_factors_themes_and_action_items(api, alice, team):
    postmortem = PostmortemFactory(team=team)
    TimelineEventFactory(postmortem=postmortem, text="Pager went off")
    factor = ContributingFactorFactory(postmortem=postmortem)
    factor.themes.create(name="Alert fatigue", slug="alert-fatigue")
    ActionItemFactory(postmortem=postmortem, factor=factor, title="Tune the alert")
    body = api(alice).get(detail(postmortem.pk)).json()
    assert [e["text"] for e in body["timeline_events"]] == ["Pager went off"]
    assert body["factors"][0]["themes"] == ["Alert fatigue"]
    assert body["themes"] == ["Alert fatigue"]
    assert [a["title"] for a in body["action_items"]] == ["Tune the alert"]


def test_list_filters_are_the_web_filters(api, alice, team):
    PostmortemFactory(team=team, severity="SEV1", title="Checkout down")
    PostmortemFactory(team=team, severity="SEV3", title="Slow search")
    client = api(alice)
    assert [r["title"] for r in client.get(LIST, {"severity": "SEV1"}).json()["results"]] == [
        "Checkout down"
    ]
    assert [r["title"] for r in client.get(LIST, {"q": "search"}).json()["results"]] == [
        "Slow search"
    ]


def test_an_invalid_filter_is_a_400_not_ignored(api, alice):
    assert api(alice).get(LIST, {"severity": "SEV9"}).status_code == 400


def test_cursor_pages_stay_stable_while_postmortems_are_added(api, alice, team):
    made = [PostmortemFactory(team=team) for _ in range(5)]
    client = api(alice)
    first = client.get(LIST, {"page_size": 2}).json()
    PostmortemFactory.create_batch(3, team=team)  # newer rows land before the first page
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()
    seen = [r["id"] for r in first["results"] + second["results"] + third["results"]]
    assert seen == [p.pk for p in reversed(made)]
    assert third["next"] is None


def test_list_queries_do_not_grow_with_rows(api, alice, team, django_assert_max_num_queries):
    client = api(alice)
    PostmortemFactory.create_batch(2, team=team)
    client.get(LIST)  # the token's last-used time is written once a minute at most
    with django_assert_max_num_queries(2):
        assert client.get(LIST).status_code == 200
    PostmortemFactory.create_batch(30, team=team)
    with django_assert_max_num_queries(2):
        assert len(client.get(LIST).json()["results"]) == 32


def test_detail_queries_do_not_grow_with_the_timeline(
    api, alice, team, django_assert_max_num_queries
):
    postmortem = PostmortemFactory(team=team)
    client = api(alice)
    client.get(detail(postmortem.pk))
    TimelineEventFactory.create_batch(20, postmortem=postmortem)
    ActionItemFactory.create_batch(10, postmortem=postmortem)
    for _ in range(5):
        ContributingFactorFactory(postmortem=postmortem).themes.create(
            name=f"Theme {_}", slug=f"theme-{_}"
        )
    with django_assert_max_num_queries(9):
        assert client.get(detail(postmortem.pk)).status_code == 200


def test_export_is_the_web_markdown(api, alice, team):
    postmortem = PostmortemFactory(team=team, title="Queue backlog")
    response = api(alice).get(detail(postmortem.pk) + "export/")
    assert response["Content-Type"].startswith("text/markdown")
    assert "# Queue backlog" in response.content.decode()


# --- Write -------------------------------------------------------------------------------


def test_create_makes_a_draft_with_the_caller_as_author(api, alice, team):
    response = api(alice).post(
        LIST,
        {"title": "Login errors", "team": team.pk, "severity": "SEV2", "summary": "Logins failed."},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft"
    assert body["authors"] == ["alice"]
    assert body["version"] == 1


def test_create_under_someone_elses_team_is_refused_like_on_the_web(api, outsider, team):
    response = api(outsider).post(LIST, {"title": "x", "team": team.pk}, format="json")
    assert response.status_code == 400
    assert "team" in response.json()


def test_a_read_token_cannot_write(api, alice, team):
    postmortem = PostmortemFactory(team=team)
    client = api(alice, scope="read")
    assert client.get(detail(postmortem.pk)).status_code == 200
    assert client.post(LIST, {"title": "x", "team": team.pk}, format="json").status_code == 403
    patch = client.patch(detail(postmortem.pk), {"version": 1, "title": "y"}, format="json")
    assert patch.status_code == 403
    assert client.post(detail(postmortem.pk) + "submit/").status_code == 403
    assert Postmortem.objects.get(pk=postmortem.pk).title == postmortem.title


def test_patch_with_the_current_version_saves_and_bumps_it(api, alice, team):
    postmortem = PostmortemFactory(team=team)
    response = api(alice).patch(
        detail(postmortem.pk), {"version": 1, "impact": "Half of logins failed."}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 2
    assert response.json()["impact"] == "Half of logins failed."


def test_patch_with_a_stale_version_is_409_with_the_current_version(api, alice, team):
    postmortem = PostmortemFactory(team=team)
    client = api(alice)
    client.patch(detail(postmortem.pk), {"version": 1, "title": "First"}, format="json")
    response = client.patch(detail(postmortem.pk), {"version": 1, "title": "Second"}, format="json")
    assert response.status_code == 409
    assert response.json()["current_version"] == 2
    assert Postmortem.objects.get(pk=postmortem.pk).title == "First"


def test_patch_without_a_version_is_400(api, alice, team):
    postmortem = PostmortemFactory(team=team)
    assert api(alice).patch(detail(postmortem.pk), {"title": "x"}, format="json").status_code == 400


def test_a_visible_postmortem_of_another_team_cannot_be_edited(api, outsider, team):
    postmortem = PostmortemFactory(team=team)
    response = api(outsider).patch(detail(postmortem.pk), {"version": 1, "title": "x"})
    assert response.status_code == 403


def test_review_workflow_follows_the_web_rules(api, alice, manager, team):
    postmortem = ReadyPostmortemFactory(team=team, summary="The cache node was replaced.")
    postmortem.authors.set([alice])
    postmortem.reviewers.set([manager])
    author, reviewer = api(alice), api(manager)
    assert author.post(detail(postmortem.pk) + "submit/").json()["status"] == "in_review"
    # Only reviewers and managers publish.
    assert author.post(detail(postmortem.pk) + "publish/").status_code == 403
    published = reviewer.post(detail(postmortem.pk) + "publish/", {}, format="json")
    assert published.json()["status"] == "published"
    again = reviewer.post(detail(postmortem.pk) + "submit/")
    assert again.status_code == 409
    assert "draft" in again.json()["detail"].lower()


def test_publishing_with_blame_findings_is_409_with_the_findings(api, alice, manager, team):
    postmortem = ReadyPostmortemFactory(team=team, summary="Bob should have checked the dashboard.")
    postmortem.authors.set([alice])
    postmortem.reviewers.set([manager])
    api(alice).post(detail(postmortem.pk) + "submit/")
    response = api(manager).post(detail(postmortem.pk) + "publish/", {}, format="json")
    assert response.status_code == 409
    assert response.json()["findings"][0]["location"] == "section:summary"


def test_not_required_needs_a_reason(api, manager, team):
    postmortem = PostmortemFactory(team=team)
    client = api(manager)
    assert client.post(detail(postmortem.pk) + "not-required/", {}).status_code == 400
    response = client.post(
        detail(postmortem.pk) + "not-required/", {"reason": "A test alert."}, format="json"
    )
    assert response.json()["status"] == "not_required"


def test_an_author_cannot_mark_their_own_postmortem_not_required_through_the_api(
    api, manager, team
):
    postmortem = PostmortemFactory(team=team)
    postmortem.authors.set([manager])
    response = api(manager).post(
        detail(postmortem.pk) + "not-required/", {"reason": "A test alert."}, format="json"
    )
    assert response.status_code == 409
    assert "you are an author" in response.json()["detail"]
    assert Postmortem.objects.get(pk=postmortem.pk).status == Postmortem.Status.DRAFT


def test_with_self_review_allowed_the_api_marks_it_and_the_history_records_it(api, manager, team):
    team.allow_self_review = True
    team.save()
    postmortem = PostmortemFactory(team=team)
    postmortem.authors.set([manager])
    response = api(manager).post(
        detail(postmortem.pk) + "not-required/", {"reason": "A test alert."}, format="json"
    )
    assert response.json()["status"] == "not_required"
    latest = postmortem.history.order_by("-history_id").first()
    assert latest.history_change_reason == services.SELF_REVIEW_REASON


# --- Timeline and factors -----------------------------------------------------------------


def test_timeline_events_are_added_one_or_many_at_once(api, alice, team):
    postmortem = PostmortemFactory(team=team)
    client = api(alice)
    path = detail(postmortem.pk) + "timeline-events/"
    one = client.post(
        path,
        {"occurred_at": "2026-11-20T14:03:00Z", "kind": "detection", "text": "Alert fired"},
        format="json",
    )
    assert one.status_code == 201, one.json()
    many = client.post(
        path + "bulk/",
        {
            "events": [
                {"occurred_at": "2026-11-20T14:10:00Z", "kind": "repair", "text": "Rolled back"},
                {"occurred_at": "2026-11-20T14:20:00Z", "text": "Errors stopped"},
            ]
        },
        format="json",
    )
    assert many.status_code == 201, many.json()
    texts = [e["text"] for e in client.get(path).json()]
    assert texts == ["Alert fired", "Rolled back", "Errors stopped"]


def test_a_bulk_add_with_one_bad_event_adds_none(api, alice, team):
    postmortem = PostmortemFactory(team=team)
    response = api(alice).post(
        detail(postmortem.pk) + "timeline-events/bulk/",
        {"events": [{"occurred_at": "2026-11-20T14:10:00Z", "text": "ok"}, {"text": "no time"}]},
        format="json",
    )
    assert response.status_code == 400
    assert not TimelineEvent.objects.filter(postmortem=postmortem).exists()


def test_a_timeline_text_over_the_web_limit_is_refused(api, alice, team):
    postmortem = PostmortemFactory(team=team)
    response = api(alice).post(
        detail(postmortem.pk) + "timeline-events/",
        {"occurred_at": "2026-11-20T14:10:00Z", "text": "x" * 10_001},
        format="json",
    )
    assert response.status_code == 400
    assert "text" in response.json()


def test_timeline_events_can_be_changed_pinned_and_deleted(api, alice, team):
    event = TimelineEventFactory(postmortem=PostmortemFactory(team=team), text="before")
    client = api(alice)
    path = f"{detail(event.postmortem_id)}timeline-events/{event.pk}/"
    changed = client.patch(path, {"text": "after", "pinned": True}, format="json").json()
    assert (changed["text"], changed["pinned"]) == ("after", True)
    assert client.delete(path).status_code == 204
    assert not TimelineEvent.objects.filter(pk=event.pk).exists()


def test_factors_take_theme_names_and_create_new_themes(api, alice, team):
    postmortem = PostmortemFactory(team=team)
    response = api(alice).post(
        detail(postmortem.pk) + "factors/",
        {
            "category": "monitoring",
            "description": "The alert only covered daytime traffic.",
            "themes": ["Alert fatigue"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["themes"] == ["Alert fatigue"]


def test_outsiders_cannot_add_to_a_visible_postmortems_timeline(api, outsider, team):
    postmortem = PostmortemFactory(team=team)
    response = api(outsider).post(
        detail(postmortem.pk) + "timeline-events/",
        {"occurred_at": "2026-11-20T14:10:00Z", "text": "x"},
        format="json",
    )
    assert response.status_code == 403


def test_times_without_an_offset_are_utc_whatever_the_profile_zone(api, alice, team):
    alice.profile.time_zone = "Asia/Seoul"
    alice.profile.save()
    postmortem = PostmortemFactory(team=team)
    client = api(alice)
    client.force_login(alice)  # the web session brings the profile's zone on web pages
    response = client.post(
        detail(postmortem.pk) + "timeline-events/",
        {"occurred_at": "2026-11-20T14:03:00", "text": "Alert fired"},
    )
    assert response.json()["occurred_at"] == "2026-11-20T14:03:00Z"
