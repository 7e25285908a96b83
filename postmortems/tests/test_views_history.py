import pytest
from django.urls import reverse

from postmortems import services
from postmortems.models import Postmortem
from tests.factories import PostmortemFactory, ReadyPostmortemFactory

pytestmark = pytest.mark.django_db


def test_history_lists_who_changed_what(alice_client, alice, manager, team):
    pm = ReadyPostmortemFactory(team=team, title="Before", summary="line one\nline two")
    pm.reviewers.add(manager)
    services.postmortem_update(
        postmortem=pm,
        data={"title": "After", "summary": "line one\nline 2", "severity": "SEV4"},
        by=alice,
        expected_version=1,
    )
    services.postmortem_submit_for_review(postmortem=pm, by=alice)
    response = alice_client.get(reverse("postmortems:history", args=[pm.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Alice Kim" in html
    assert "<del>Before</del> → <ins>After</ins>" in html
    assert "-line two" in html and "+line 2" in html
    assert "SEV4 — low" in html
    assert "<del>Draft</del> → <ins>In review</ins>" in html
    assert "Created." in html


def test_history_is_newest_first(alice_client, alice, team):
    pm = PostmortemFactory(team=team)
    services.postmortem_update(postmortem=pm, data={"title": "v2"}, by=alice, expected_version=1)
    entries = alice_client.get(reverse("postmortems:history", args=[pm.pk])).context["entries"]
    assert [e["record"].version for e in entries] == [2, 1]


def test_restricted_history_is_404_for_outsiders(outsider_client, team):
    pm = PostmortemFactory(team=team, restricted=True)
    assert outsider_client.get(reverse("postmortems:history", args=[pm.pk])).status_code == 404


def test_any_reader_sees_the_history_of_a_public_postmortem(outsider_client, team):
    pm = PostmortemFactory(team=team, status=Postmortem.Status.PUBLISHED)
    assert outsider_client.get(reverse("postmortems:history", args=[pm.pk])).status_code == 200


def test_removed_markdown_rule_lines_show_in_the_diff(alice_client, alice, team):
    pm = PostmortemFactory(team=team, summary="above\n---\nbelow")
    services.postmortem_update(
        postmortem=pm, data={"summary": "above\nbelow"}, by=alice, expected_version=1
    )
    html = alice_client.get(reverse("postmortems:history", args=[pm.pk])).content.decode()
    assert '<span class="del">----</span>' in html


def test_history_shows_changes_to_the_people(
    alice_client, alice, manager, team, django_assert_max_num_queries
):
    pm = PostmortemFactory(team=team)
    pm.authors.set([alice])
    services.postmortem_update(
        postmortem=pm, data={"reviewers": [manager]}, by=alice, expected_version=1
    )
    for version in range(2, 12):
        services.postmortem_update(
            postmortem=pm, data={"title": f"v{version}"}, by=alice, expected_version=version
        )
    url = reverse("postmortems:history", args=[pm.pk])
    # A fixed number of queries however many versions there are.
    with django_assert_max_num_queries(20):
        html = alice_client.get(url).content.decode()
    assert "Reviewers" in html
    assert "Mona Park" in html
    assert "Alice Kim" in html
