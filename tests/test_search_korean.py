"""The postmortem list search finds Korean text on SQLite and on PostgreSQL.

Korean attaches particles to words ("결제가", "결제를"), and PostgreSQL's ``english``
configuration would stem and drop Hangul, so a search for "결제" has to find "결제가" in a
section, not only a title that happens to hold the bare word.
"""

import pytest
from django.test import Client
from django.urls import reverse

from postmortems.models import Postmortem, Profile
from tests.factories import PostmortemFactory

pytestmark = pytest.mark.django_db

URL = reverse("postmortems:list")


def _titles(client, q):
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    return sorted(pm.title for pm in response.context["page"].object_list)


@pytest.fixture
def korean_postmortems(team):
    PostmortemFactory(
        team=team,
        title="결제 지연",
        summary="캐시 노드 교체 후 결제 API 응답이 느려졌습니다.",
    )
    PostmortemFactory(
        team=team,
        title="Checkout errors",
        summary="정산 배치가 실패해서 결제가 두 번 승인되었습니다.",
        impact="고객 120명에게 중복 청구가 발생했습니다.",
    )
    PostmortemFactory(
        team=team,
        title="DNS 장애",
        summary="리졸버 캐시가 만료되어 내부 DNS 조회가 실패했습니다.",
    )
    PostmortemFactory(team=team, title="Unrelated", summary="English only, nothing Korean.")


def test_a_korean_word_is_found_in_a_title(alice_client, korean_postmortems):
    assert "결제 지연" in _titles(alice_client, "지연")


def test_a_korean_word_with_a_particle_attached_is_found_in_a_section(
    alice_client, korean_postmortems
):
    # "결제가" in the summary, "결제" in the other title.
    assert _titles(alice_client, "결제") == ["Checkout errors", "결제 지연"]


def test_a_korean_word_is_found_in_a_later_section(alice_client, korean_postmortems):
    assert _titles(alice_client, "중복 청구") == ["Checkout errors"]


def test_every_word_of_a_korean_query_must_match(alice_client, korean_postmortems):
    assert _titles(alice_client, "캐시 만료") == ["DNS 장애"]
    assert _titles(alice_client, "캐시 정산") == []


def test_a_query_mixing_korean_and_english_matches_both_words(alice_client, korean_postmortems):
    assert _titles(alice_client, "DNS 장애") == ["DNS 장애"]
    assert _titles(alice_client, "API 결제") == ["결제 지연"]


def test_a_korean_word_that_is_nowhere_finds_nothing(alice_client, korean_postmortems):
    response = alice_client.get(URL, {"q": "데이터센터"})
    assert list(response.context["page"].object_list) == []


def test_korean_search_keeps_restricted_postmortems_hidden(alice, outsider, team, login):
    PostmortemFactory(team=team, title="결제 보안 점검", restricted=True)
    assert _titles(login(Client(), alice), "보안") == ["결제 보안 점검"]
    assert _titles(login(Client(), outsider), "보안") == []


def test_korean_search_on_the_korean_interface(alice_client, alice, korean_postmortems):
    Profile.objects.update_or_create(user=alice, defaults={"language": "ko"})
    response = alice_client.get(URL, {"q": "결제"})
    html = response.content.decode()
    assert "결제 지연" in html
    assert "포스트모템 2건" in html
    assert Postmortem.objects.count() == 4
