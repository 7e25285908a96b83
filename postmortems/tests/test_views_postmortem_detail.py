import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from postmortems import gates, services
from postmortems.models import ContributingFactor, Postmortem, ReviewComment, TimelineEvent
from tests.factories import (
    ActionItemFactory,
    ContributingFactorFactory,
    PostmortemFactory,
    ReadyPostmortemFactory,
    ThemeFactory,
    TimelineEventFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _full_postmortem(team, *, events, factors, actions):
    pm = PostmortemFactory(team=team, summary="Checkout **slowed**.")
    services.postmortem_update(
        postmortem=pm, data={"summary": pm.summary}, by=None, expected_version=1
    )
    pm.authors.add(UserFactory(username="author1"))
    pm.reviewers.add(UserFactory(username="reviewer1"))
    start = timezone.now() - datetime.timedelta(days=3)
    TimelineEvent.objects.bulk_create(
        TimelineEvent(
            postmortem=pm, occurred_at=start + datetime.timedelta(minutes=i), text=f"e{i}"
        )
        for i in range(events)
    )
    themes = [ThemeFactory(name="Alert fatigue", slug="alert-fatigue"), ThemeFactory()]
    made = ContributingFactor.objects.bulk_create(
        ContributingFactor(postmortem=pm, category="monitoring", description=f"f{i}")
        for i in range(factors)
    )
    for factor in made:
        factor.themes.set(themes)
    ActionItemFactory._meta.model.objects.bulk_create(
        ActionItemFactory.build(
            postmortem=pm,
            factor=made[i % len(made)],
            team=team,
            title=f"action {i}",
            assignee=pm.authors.first(),
            due_date=timezone.localdate(),
        )
        for i in range(actions)
    )
    commenter = pm.reviewers.first()
    for i in range(3):
        root = services.review_comment_create(postmortem=pm, by=commenter, body=f"comment {i}")
        services.review_comment_create(postmortem=pm, by=commenter, body="reply", parent=root)
    return pm


@pytest.mark.parametrize("size", [(1, 1, 1), (200, 50, 100)], ids=["small", "large"])
def test_detail_page_query_count_does_not_grow(
    alice_client, team, size, django_assert_max_num_queries
):
    events, factors, actions = size
    pm = _full_postmortem(team, events=events, factors=factors, actions=actions)
    with django_assert_max_num_queries(12):
        response = alice_client.get(reverse("postmortems:detail", args=[pm.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"action {actions - 1}" in html
    assert f"e{events - 1}" in html
    assert "Alert fatigue" in html


@pytest.mark.parametrize("size", [(1, 1, 1), (200, 50, 100)], ids=["small", "large"])
def test_detail_page_query_count_for_a_reader(
    outsider_client, team, size, django_assert_max_num_queries
):
    events, factors, actions = size
    pm = _full_postmortem(team, events=events, factors=factors, actions=actions)
    with django_assert_max_num_queries(12):
        response = outsider_client.get(reverse("postmortems:detail", args=[pm.pk]))
    assert response.status_code == 200


def test_detail_shows_header_durations_and_rendered_sections(alice_client, team):
    started = timezone.now() - datetime.timedelta(days=1)
    pm = PostmortemFactory(
        team=team,
        started_at=started,
        detected_at=started + datetime.timedelta(minutes=7),
        mitigated_at=started + datetime.timedelta(minutes=40),
        resolved_at=started + datetime.timedelta(days=1, hours=2),
        severity="SEV1",
        summary="Payments *paused*.",
        summary_html="<p>Payments <em>paused</em>.</p>",
    )
    html = alice_client.get(reverse("postmortems:detail", args=[pm.pk])).content.decode()
    assert "SEV1" in html and "Draft" in html and "Payments" in html
    assert "7 min" in html and "40 min" in html and "1 d 2 h 0 min" in html
    assert "<p>Payments <em>paused</em>.</p>" in html


def test_detail_shows_action_items_with_links(alice_client, team):
    pm = PostmortemFactory(team=team)
    item = ActionItemFactory(postmortem=pm, title="Add a cache warm-up step")
    html = alice_client.get(reverse("postmortems:detail", args=[pm.pk])).content.decode()
    assert "Add a cache warm-up step" in html
    assert f'href="/actions/{item.pk}/"' in html


def test_detail_counts_unresolved_comments(alice_client, alice, team):
    pm = PostmortemFactory(team=team)
    services.review_comment_create(postmortem=pm, by=alice, body="One")
    done = services.review_comment_create(postmortem=pm, by=alice, body="Two")
    services.review_comment_set_resolved(comment=done, by=alice, resolved=True)
    response = alice_client.get(reverse("postmortems:detail", args=[pm.pk]))
    assert response.context["unresolved_count"] == 1
    assert "1 unresolved comment" in response.content.decode()


def test_restricted_postmortem_is_404_for_an_outsider(outsider_client, team):
    pm = PostmortemFactory(team=team, restricted=True)
    assert outsider_client.get(reverse("postmortems:detail", args=[pm.pk])).status_code == 404


def test_restricted_postmortem_is_visible_to_a_listed_viewer(outsider_client, outsider, team):
    pm = PostmortemFactory(team=team, restricted=True)
    pm.viewers.add(outsider)
    response = outsider_client.get(reverse("postmortems:detail", args=[pm.pk]))
    assert response.status_code == 200
    assert not response.context["can_edit"]


def test_missing_postmortem_is_404(alice_client):
    assert alice_client.get(reverse("postmortems:detail", args=[999])).status_code == 404


def test_reviewer_sees_the_publish_button_and_member_does_not(client, login, alice, manager, team):
    pm = PostmortemFactory(team=team, status=Postmortem.Status.IN_REVIEW)
    url = reverse("postmortems:detail", args=[pm.pk])
    publish = reverse("postmortems:publish", args=[pm.pk])
    assert publish not in login(client, alice).get(url).content.decode()
    client.logout()
    assert publish in login(client, manager).get(url).content.decode()


def test_submit_for_review_then_publish_through_the_pages(client, login, alice, manager, team):
    pm = ReadyPostmortemFactory(team=team)
    pm.reviewers.add(manager)
    login(client, alice)
    response = client.post(reverse("postmortems:submit", args=[pm.pk]), follow=True)
    assert "Sent for review" in response.content.decode()
    client.logout()
    login(client, manager)
    response = client.post(reverse("postmortems:publish", args=[pm.pk]), follow=True)
    assert "Published" in response.content.decode()
    pm.refresh_from_db()
    assert pm.status == Postmortem.Status.PUBLISHED


def test_publish_refused_by_findings_links_to_them(manager_client, team, monkeypatch):
    monkeypatch.setattr(gates, "unacknowledged_findings", lambda pm: ["x", "y"])
    pm = ReadyPostmortemFactory(team=team, status=Postmortem.Status.IN_REVIEW)
    response = manager_client.post(reverse("postmortems:publish", args=[pm.pk]), follow=True)
    html = response.content.decode()
    assert "2 blame findings" in html
    assert f'href="/postmortems/{pm.pk}/findings/"' in html
    pm.refresh_from_db()
    assert pm.status == Postmortem.Status.IN_REVIEW


def test_publish_with_open_comments_asks_first(manager_client, manager, team):
    pm = ReadyPostmortemFactory(team=team, status=Postmortem.Status.IN_REVIEW)
    services.review_comment_create(postmortem=pm, by=manager, body="Open question")
    response = manager_client.post(reverse("postmortems:publish", args=[pm.pk]))
    assert response.status_code == 200
    assert 'name="confirm_unresolved" value="1"' in response.content.decode()
    assert Postmortem.objects.get(pk=pm.pk).status == Postmortem.Status.IN_REVIEW
    manager_client.post(reverse("postmortems:publish", args=[pm.pk]), {"confirm_unresolved": "1"})
    assert Postmortem.objects.get(pk=pm.pk).status == Postmortem.Status.PUBLISHED


def test_invalid_transition_is_shown_as_a_message(alice_client, team):
    pm = PostmortemFactory(team=team, status=Postmortem.Status.PUBLISHED)
    response = alice_client.post(reverse("postmortems:submit", args=[pm.pk]), follow=True)
    assert "Only a draft can be sent for review" in response.content.decode()


def test_mark_not_required_and_reopen_through_the_pages(manager_client, team):
    pm = PostmortemFactory(team=team)
    manager_client.post(reverse("postmortems:not_required", args=[pm.pk]), {"reason": "Drill"})
    pm.refresh_from_db()
    assert pm.status == Postmortem.Status.NOT_REQUIRED
    manager_client.post(reverse("postmortems:reopen", args=[pm.pk]))
    pm.refresh_from_db()
    assert pm.status == Postmortem.Status.DRAFT


def test_outsider_cannot_change_the_status_of_a_restricted_postmortem(outsider_client, team):
    pm = PostmortemFactory(team=team, restricted=True)
    for name in ("submit", "publish", "not_required", "reopen"):
        response = outsider_client.post(reverse(f"postmortems:{name}", args=[pm.pk]))
        assert response.status_code == 404


def test_timeline_and_factors_are_shown(alice_client, team):
    pm = PostmortemFactory(team=team)
    TimelineEventFactory(postmortem=pm, text="Pager fired for checkout latency")
    ContributingFactorFactory(postmortem=pm, description="Threshold tuned for daytime only")
    html = alice_client.get(reverse("postmortems:detail", args=[pm.pk])).content.decode()
    assert "Pager fired for checkout latency" in html
    assert "Threshold tuned for daytime only" in html


@pytest.mark.parametrize("size", [(1, 1, 1), (200, 50, 100)], ids=["small", "large"])
def test_detail_page_query_count_for_a_team_manager(
    manager_client, team, size, django_assert_max_num_queries
):
    events, factors, actions = size
    pm = _full_postmortem(team, events=events, factors=factors, actions=actions)
    with django_assert_max_num_queries(12):
        response = manager_client.get(reverse("postmortems:detail", args=[pm.pk]))
    assert response.status_code == 200
    assert reverse("postmortems:team_settings", args=[team.slug]) in response.content.decode()


def test_detail_serves_the_html_stored_on_save_without_rendering(alice_client, team, alice):
    pm = PostmortemFactory(team=team, summary="**source**", impact="**source**")
    TimelineEventFactory(postmortem=pm, text="**source**")
    ContributingFactorFactory(postmortem=pm, description="**source**")
    services.review_comment_create(postmortem=pm, by=alice, body="**source**")
    # What the renderer would never produce from the source: only the stored copy shows it.
    Postmortem.objects.filter(pk=pm.pk).update(
        **{f"{name}_html": f"<p>stored-{name}</p>" for name in Postmortem.SECTIONS}
    )
    TimelineEvent.objects.update(text_html="<p>stored-event</p>")
    ContributingFactor.objects.update(description_html="<p>stored-factor</p>")
    ReviewComment.objects.update(body_html="<p>stored-comment</p>")

    html = alice_client.get(reverse("postmortems:detail", args=[pm.pk])).content.decode()

    for name in ("summary", "impact", "event", "factor", "comment"):
        assert f"<p>stored-{name}</p>" in html
    assert "<strong>source</strong>" not in html


def _rows(team, n, *, tag):
    """A postmortem with ``n`` timeline events, factors and action items (no comments)."""
    pm = PostmortemFactory(team=team, title=f"Rows {tag}")
    start = timezone.now() - datetime.timedelta(days=2)
    TimelineEvent.objects.bulk_create(
        TimelineEvent(
            postmortem=pm,
            occurred_at=start + datetime.timedelta(minutes=i),
            text=f"event {i}",
            text_html=f"<p>event {i}</p>",
        )
        for i in range(n)
    )
    factors = ContributingFactor.objects.bulk_create(
        ContributingFactor(
            postmortem=pm,
            category="monitoring",
            description=f"f{i}",
            description_html=f"<p>f{i}</p>",
        )
        for i in range(n)
    )
    ActionItemFactory._meta.model.objects.bulk_create(
        ActionItemFactory.build(postmortem=pm, factor=factors[i], team=team, title=f"a{i}")
        for i in range(n)
    )
    return pm


def test_rows_carry_no_forms_and_the_page_grows_by_their_content_only(alice_client, team):
    # An editor's view, where every row used to carry its edit markup.
    pages = {}
    for n in (1, 101):
        pm = _rows(team, n, tag=n)
        response = alice_client.get(reverse("postmortems:detail", args=[pm.pk]))
        assert response.context["can_edit"]
        pages[n] = (pm, response.content.decode())
    small, large = pages[1][1], pages[101][1]
    for marker in ("<form", "<textarea", "<select", "csrfmiddlewaretoken", "hx-post"):
        assert large.count(marker) == small.count(marker), marker
    pm = pages[101][0]
    event = pm.timeline_events.first()
    assert reverse("postmortems:timeline_edit", args=[pm.pk, event.pk]) not in large
    # 100 more events, factors and action items (300 rows): each row's own markup is its
    # content and one link, not a form.
    assert (len(large) - len(small)) / 300 < 400


def test_rows_link_to_the_urls_their_views_answer(alice_client, team):
    pm = _rows(team, 2, tag="links")
    factor = pm.factors.first()
    item = pm.action_items.first()
    html = alice_client.get(reverse("postmortems:detail", args=[pm.pk])).content.decode()
    factor_edit = reverse("postmortems:factor_edit", args=[pm.pk, factor.pk])
    assert f'href="{factor_edit}" hx-get="{factor_edit}"' in html
    assert f'href="{reverse("actions:detail", args=[item.pk])}"' in html
    assert f'hx-get="{reverse("postmortems:timeline_list", args=[pm.pk])}?edit=1"' in html


def test_a_reader_sees_no_edit_links(outsider_client, team):
    pm = _rows(team, 2, tag="reader")
    html = outsider_client.get(reverse("postmortems:detail", args=[pm.pk])).content.decode()
    assert "/edit/" not in html
    assert "?edit=1" not in html
