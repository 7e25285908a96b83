import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions import kaizen
from actions.models import ActionItem, KaizenReview
from tests.factories import (
    ActionItemFactory,
    ContributingFactorFactory,
    PostmortemFactory,
    ThemeFactory,
    UserFactory,
)

URL = "/kaizen/"


def week_start(weeks_ago):
    """A moment on Wednesday of the week ``weeks_ago`` weeks before the last completed one."""
    end = kaizen.last_completed_week_end() - datetime.timedelta(weeks=weeks_ago)
    return kaizen.day_start(end - datetime.timedelta(days=4)) + datetime.timedelta(hours=10)


def incident(team, theme, weeks_ago, **kwargs):
    pm = PostmortemFactory(team=team, started_at=week_start(weeks_ago), **kwargs)
    factor = ContributingFactorFactory(postmortem=pm)
    factor.themes.add(theme)
    return pm, factor


def roll_up(weeks=12):
    kaizen.rollup_weeks(weeks=weeks)


def theme_order(response):
    return [t.name for t in response.context["trends"]]


def test_url_name_points_at_the_kaizen_page():
    assert reverse("actions:kaizen") == URL


@pytest.mark.django_db
def test_themes_are_ranked_by_how_many_weeks_they_recur(alice_client, team):
    often, once = ThemeFactory(name="Config drift"), ThemeFactory(name="Alert fatigue")
    for weeks_ago in (0, 1, 2):
        incident(team, often, weeks_ago)
    for _ in range(4):  # more postmortems, but all in one week
        incident(team, once, 0)
    roll_up()

    response = alice_client.get(URL)

    assert response.status_code == 200
    assert theme_order(response) == ["Config drift", "Alert fatigue"]


@pytest.mark.django_db
def test_badges_mark_new_and_recurring_themes(alice_client, team):
    recurring, new = ThemeFactory(name="Risky deploys"), ThemeFactory(name="Missing runbook")
    for weeks_ago in (0, 1, 3):
        incident(team, recurring, weeks_ago)
    roll_up()
    # New in the latest period: the week in progress.
    pm = PostmortemFactory(team=team, started_at=timezone.now())
    ContributingFactorFactory(postmortem=pm).themes.add(new)

    response = alice_client.get(URL)
    trends = {t.name: t for t in response.context["trends"]}
    html = response.content.decode()

    assert trends["Risky deploys"].is_recurring and not trends["Risky deploys"].is_new
    assert trends["Missing runbook"].is_new and not trends["Missing runbook"].is_recurring
    assert html.count('data-badge="recurring"') == 1
    assert html.count('data-badge="new"') == 1


@pytest.mark.django_db
def test_a_theme_seen_before_the_window_is_not_new(alice_client, team):
    theme = ThemeFactory(name="Capacity headroom")
    incident(team, theme, 8)
    incident(team, theme, 0)
    roll_up()

    response = alice_client.get(URL + "?weeks=4")

    (trend,) = response.context["trends"]
    assert not trend.is_new
    assert len(trend.counts) == 4 + 1  # and this week so far


@pytest.mark.django_db
def test_twelve_weeks_and_custom_ranges_choose_the_periods(alice_client, team):
    theme = ThemeFactory(name="Config drift")
    incident(team, theme, 6)
    roll_up()

    assert alice_client.get(URL).context["trends"] == []
    (trend,) = alice_client.get(URL + "?weeks=12").context["trends"]
    assert len(trend.counts) == 12 + 1 and trend.total == 1

    day = week_start(6).date()
    response = alice_client.get(URL, {"from": day.isoformat(), "to": day.isoformat()})
    (trend,) = response.context["trends"]
    assert trend.counts == [1]


@pytest.mark.django_db
def test_team_filter_shows_only_that_teams_roll_up(alice_client, team, other_team):
    mine, theirs = ThemeFactory(name="Mine"), ThemeFactory(name="Theirs")
    incident(team, mine, 0)
    incident(other_team, theirs, 0)
    roll_up()

    response = alice_client.get(URL, {"team": team.pk})

    assert theme_order(response) == ["Mine"]
    assert theme_order(alice_client.get(URL)) == ["Mine", "Theirs"]


@pytest.mark.django_db
def test_warning_lists_recurring_themes_without_an_open_preventive_action(alice_client, team):
    bare, covered = ThemeFactory(name="Alert fatigue"), ThemeFactory(name="Config drift")
    for weeks_ago in (0, 1):
        incident(team, bare, weeks_ago)
        pm, factor = incident(team, covered, weeks_ago)
    ActionItemFactory(postmortem=pm, factor=factor, kind=ActionItem.Kind.PREVENT)
    pm, factor = incident(team, bare, 2)
    ActionItemFactory(postmortem=pm, factor=factor, kind=ActionItem.Kind.DETECT)
    ActionItemFactory(
        postmortem=pm,
        factor=factor,
        kind=ActionItem.Kind.PREVENT,
        status="done",
        completed_at=week_start(0),
    )
    roll_up()

    response = alice_client.get(URL)

    assert [t.name for t in response.context["unprevented"]] == ["Alert fatigue"]
    assert 'id="unprevented"' in response.content.decode()


@pytest.mark.django_db
def test_restricted_postmortems_are_neither_counted_nor_named_for_outsiders(
    client, login, outsider, alice, team
):
    theme = ThemeFactory(name="Config drift")
    secret, factor = incident(team, theme, 0, title="Secret acquisition outage", restricted=True)
    ActionItemFactory(postmortem=secret, factor=factor, title="Rotate the merger keys")
    incident(team, theme, 1, title="Public cache outage")
    roll_up()

    login(client, outsider)
    response = client.get(URL)
    html = response.content.decode()

    (trend,) = response.context["trends"]
    assert trend.total == 1
    assert "Public cache outage" in html
    assert "Secret acquisition outage" not in html
    assert "Rotate the merger keys" not in html
    assert f"/postmortems/{secret.pk}/" not in html

    login(client, alice)
    member = client.get(URL, {"team": team.pk})
    (trend,) = member.context["trends"]
    assert trend.total == 2
    assert "Secret acquisition outage" in member.content.decode()
    assert "Rotate the merger keys" in member.content.decode()


@pytest.mark.django_db
def test_a_theme_typed_only_on_a_restricted_postmortem_is_not_shown_to_outsiders(
    client, login, outsider, alice, team
):
    incident(team, ThemeFactory(name="Quokka overflow"), 0, restricted=True)
    roll_up()

    login(client, outsider)
    assert "Quokka overflow" not in client.get(URL).content.decode()
    assert "Quokka overflow" not in client.get("/kaizen/themes/").content.decode()

    login(client, alice)
    assert "Quokka overflow" in client.get(URL, {"team": team.pk}).content.decode()
    assert "Quokka overflow" in client.get("/kaizen/themes/").content.decode()


@pytest.mark.django_db
def test_a_restricted_postmortem_linked_to_a_review_does_not_show_its_action_title(
    outsider_client, alice, team
):
    secret = PostmortemFactory(team=team, restricted=True)
    item = ActionItemFactory(postmortem=secret, title="Rotate the merger keys")
    review = KaizenReview.objects.create(
        team=team,
        period_start=datetime.date(2026, 1, 5),
        period_end=datetime.date(2026, 1, 11),
        notes="We chose **alerting**.",
        notes_html="<p>We chose <strong>alerting</strong>.</p>",
        created_by=alice,
    )
    review.action_items.add(item)

    html = outsider_client.get(URL).content.decode()

    assert "We chose <strong>alerting</strong>." in html
    assert "Rotate the merger keys" not in html


# Session, user, profile, memberships, teams; the restricted postmortems the reader may open
# (none for a superuser, who may open all), roll-up rows with the week in progress, open
# item counts, the drill-down's postmortems and items, reviews with their items.
KAIZEN_QUERIES = 10


def _kaizen_data(team, other_team, alice, *, themes, first=0):
    """Themes recurring over the weeks and this week, items (some of a restricted
    postmortem), and a review with items, for the query-count test."""
    for n in range(first, first + themes):
        theme = ThemeFactory(name=f"Theme {n}")
        for weeks_ago in range(n % 4 + 1):
            pm, factor = incident(team if n % 2 else other_team, theme, weeks_ago)
            ActionItemFactory(postmortem=pm, factor=factor)
        this_week = PostmortemFactory(team=other_team, restricted=bool(n % 3))
        factor = ContributingFactorFactory(postmortem=this_week)
        factor.themes.add(theme)
        ActionItemFactory(postmortem=this_week, factor=factor, kind=ActionItem.Kind.PREVENT)
    review = KaizenReview.objects.create(
        team=team,
        period_start=datetime.date(2026, 1, 5),
        period_end=datetime.date(2026, 1, 11),
        notes="n",
        created_by=alice,
    )
    review.action_items.add(*ActionItem.objects.order_by("-pk")[:3])
    roll_up()


@pytest.mark.django_db
def test_the_page_reads_the_same_number_of_queries_however_much_data(
    client, login, alice, superuser, team, other_team
):
    """At most ten queries, for every reader and filter, and as many with four themes as
    with twelve (and a theme seen only this week, reviews with and without hidden items).
    A superuser may read one fewer on PostgreSQL: no restricted postmortem to look up."""
    counted = {}
    for themes, first in ((4, 0), (8, 4)):
        _kaizen_data(team, other_team, alice, themes=themes, first=first)
        for user in (alice, superuser):
            login(client, user)
            for query in ("", f"?team={team.pk}&weeks=12", "?weeks=12", f"?team={team.pk}"):
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(URL + query)
                assert response.status_code == 200
                assert len(queries) <= KAIZEN_QUERIES
                assert counted.setdefault((user.pk, query), len(queries)) == len(queries)
                if not query:
                    assert len(response.context["trends"]) == first + themes
    assert counted[(alice.pk, "")] == KAIZEN_QUERIES


# --- Kaizen review notes ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_member_records_a_review_with_the_teams_action_items(alice_client, alice, team):
    item = ActionItemFactory(postmortem=PostmortemFactory(team=team), team=team)

    response = alice_client.post(
        reverse("actions:kaizen_review_create"),
        {
            "team": team.pk,
            "period_start": "2026-01-05",
            "period_end": "2026-02-01",
            "notes": "We chose to **fix paging**.<script>alert(1)</script>",
            "action_items": [item.pk],
        },
    )

    assert response.status_code == 302
    review = KaizenReview.objects.get()
    assert review.created_by == alice
    assert list(review.action_items.all()) == [item]
    assert "<strong>fix paging</strong>" in review.notes_html
    assert "<script>" not in review.notes_html


@pytest.mark.django_db
def test_items_of_another_team_cannot_be_linked(alice_client, team, other_team):
    foreign = ActionItemFactory(postmortem=PostmortemFactory(team=other_team), team=other_team)

    response = alice_client.post(
        reverse("actions:kaizen_review_create"),
        {
            "team": team.pk,
            "period_start": "2026-01-05",
            "period_end": "2026-02-01",
            "notes": "x",
            "action_items": [foreign.pk],
        },
    )

    assert response.status_code == 400
    assert not KaizenReview.objects.exists()


@pytest.mark.django_db
def test_members_write_reviews_only_for_their_own_team(alice_client, other_team):
    response = alice_client.post(
        reverse("actions:kaizen_review_create"),
        {
            "team": other_team.pk,
            "period_start": "2026-01-05",
            "period_end": "2026-02-01",
            "notes": "x",
        },
    )

    assert response.status_code == 400
    assert not KaizenReview.objects.exists()


@pytest.mark.django_db
def test_people_without_a_team_cannot_open_the_review_form(client, login, db):
    login(client, UserFactory(username="loner"))
    assert client.get(reverse("actions:kaizen_review_create")).status_code == 404


@pytest.mark.django_db
def test_drill_down_lists_the_first_visible_items_and_counts_the_rest(
    client, login, outsider, team
):
    theme = ThemeFactory(name="Config drift")
    secret, secret_factor = incident(team, theme, 0, restricted=True)
    ActionItemFactory(
        postmortem=secret,
        factor=secret_factor,
        title="Hidden early item",
        due_date=datetime.date(2020, 1, 1),
        kind=ActionItem.Kind.PREVENT,
    )
    pm, factor = incident(team, theme, 1)
    for n in range(kaizen.DRILL_LIMIT + 2):
        ActionItemFactory(
            postmortem=pm, factor=factor, title=f"Visible item {n}", kind=ActionItem.Kind.DETECT
        )
    roll_up()
    login(client, outsider)

    (trend,) = client.get(URL).context["trends"]

    assert len(trend.action_items) == kaizen.DRILL_LIMIT
    assert trend.action_item_count == kaizen.DRILL_LIMIT + 2
    assert all(item["title"].startswith("Visible") for item in trend.action_items)
    assert trend.has_open_prevent  # the restricted item still counts as prevention


@pytest.mark.django_db
def test_this_weeks_incidents_show_before_the_weekly_roll_up_marked_so_far(alice_client, team):
    theme = ThemeFactory(name="Flaky deploys")
    incident(team, theme, 1)
    roll_up()
    PostmortemFactory(team=team)  # no theme: not counted
    this_week = PostmortemFactory(team=team, started_at=timezone.now())
    ContributingFactorFactory(postmortem=this_week).themes.add(theme)
    fresh = ThemeFactory(name="New this week")
    ContributingFactorFactory(postmortem=this_week).themes.add(fresh)

    response = alice_client.get(URL)

    trends = {t.name: t for t in response.context["trends"]}
    assert trends["Flaky deploys"].counts == [0, 0, 1, 0, 1]
    assert trends["New this week"].counts == [0, 0, 0, 0, 1]
    assert trends["New this week"].is_new and not trends["Flaky deploys"].is_new
    assert 'data-badge="so-far"' in response.content.decode()
    assert response.context["last"] == timezone.localdate()


@pytest.mark.django_db
def test_a_custom_range_of_finished_weeks_has_no_week_in_progress(alice_client, team):
    day = week_start(2).date()
    response = alice_client.get(URL, {"from": day.isoformat(), "to": day.isoformat()})
    assert 'data-badge="so-far"' not in response.content.decode()
