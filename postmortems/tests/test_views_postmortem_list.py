import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from postmortems.models import Postmortem
from tests.factories import PostmortemFactory

pytestmark = pytest.mark.django_db

URL = reverse("postmortems:list")


def _titles(response):
    return [pm.title for pm in response.context["page"].object_list]


def test_empty_list_invites_the_first_postmortem(alice_client):
    response = alice_client.get(URL)
    assert response.status_code == 200
    assert "Write the first postmortem" in response.content.decode()


def test_search_matches_title_and_sections(alice_client, team):
    PostmortemFactory(team=team, title="DNS outage", summary="Resolver cache expired")
    PostmortemFactory(team=team, title="Slow checkout", impact="Payments timed out at the bank")
    PostmortemFactory(team=team, title="Unrelated", summary="Nothing here")
    assert _titles(alice_client.get(URL, {"q": "dns"})) == ["DNS outage"]
    assert _titles(alice_client.get(URL, {"q": "bank"})) == ["Slow checkout"]


def test_search_finds_korean_text(alice_client, team):
    PostmortemFactory(
        team=team, title="결제 지연", summary="캐시 노드 교체 후 결제가 느려졌습니다."
    )
    PostmortemFactory(team=team, title="Other", summary="English only")
    assert _titles(alice_client.get(URL, {"q": "결제"})) == ["결제 지연"]
    assert _titles(alice_client.get(URL, {"q": "캐시"})) == ["결제 지연"]


def test_search_without_results_says_so(alice_client, team):
    PostmortemFactory(team=team, title="DNS outage")
    response = alice_client.get(URL, {"q": "nothing-like-this"})
    assert "Nothing matches these filters." in response.content.decode()


def test_filters_by_team_severity_and_status(alice_client, team, other_team):
    PostmortemFactory(team=team, title="A", severity="SEV1", status=Postmortem.Status.PUBLISHED)
    PostmortemFactory(team=team, title="B", severity="SEV2")
    PostmortemFactory(team=other_team, title="C", severity="SEV1")
    assert _titles(alice_client.get(URL, {"team": other_team.pk})) == ["C"]
    assert sorted(_titles(alice_client.get(URL, {"severity": "SEV1"}))) == ["A", "C"]
    assert _titles(alice_client.get(URL, {"status": "published"})) == ["A"]


def test_filters_by_start_date_range(alice_client, team):
    now = timezone.now()
    PostmortemFactory(team=team, title="old", started_at=now - datetime.timedelta(days=40))
    PostmortemFactory(team=team, title="new", started_at=now - datetime.timedelta(days=2))
    since = (timezone.localdate() - datetime.timedelta(days=10)).isoformat()
    until = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    assert _titles(alice_client.get(URL, {"started_from": since})) == ["new"]
    assert _titles(alice_client.get(URL, {"started_to": until})) == ["old"]


def test_sort_by_title(alice_client, team):
    for title in ("b", "c", "a"):
        PostmortemFactory(team=team, title=title)
    assert _titles(alice_client.get(URL, {"sort": "title"})) == ["a", "b", "c"]


def test_restricted_postmortems_never_appear_for_outsiders(outsider_client, team):
    PostmortemFactory(team=team, title="Secret breach", restricted=True, summary="leak")
    PostmortemFactory(team=team, title="Public one", summary="leak")
    assert _titles(outsider_client.get(URL)) == ["Public one"]
    assert _titles(outsider_client.get(URL, {"q": "leak"})) == ["Public one"]
    assert _titles(outsider_client.get(URL, {"q": "Secret"})) == []


def test_team_members_see_their_restricted_postmortems(alice_client, team):
    PostmortemFactory(team=team, title="Secret breach", restricted=True)
    assert _titles(alice_client.get(URL)) == ["Secret breach"]


def test_pagination_shows_25_per_page(alice_client, team):
    PostmortemFactory.create_batch(30, team=team)
    first = alice_client.get(URL)
    second = alice_client.get(URL, {"page": 2})
    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 5


@pytest.mark.parametrize("count", [3, 25])
def test_query_count_does_not_grow_with_the_page(
    alice_client, team, count, django_assert_max_num_queries
):
    PostmortemFactory.create_batch(count, team=team)
    with django_assert_max_num_queries(7):
        response = alice_client.get(URL)
    assert len(response.context["page"].object_list) == count


def test_bad_filter_values_do_not_break_the_page(alice_client, team):
    PostmortemFactory(team=team)
    response = alice_client.get(URL, {"severity": "SEV9", "started_from": "not-a-date"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
