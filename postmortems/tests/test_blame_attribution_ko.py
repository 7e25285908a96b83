"""Korean hints name the rule the sentence breaks: a person, role, team or company named
as the cause is "person-as-cause", not a blame verb."""

import pytest

from postmortems.blame import find_blame


def rules(text):
    return {f.rule for f in find_blame(text, people=("민수",))}


@pytest.mark.parametrize(
    "text",
    [
        "장애의 근본 원인은 점검을 건너뛴 야간 운영자였다.",
        "이번 중단의 책임은 인프라팀에 있다.",
        "배포를 승인한 리뷰어의 잘못이다.",
        "네트워크팀의 라우팅 변경이 결제 트래픽을 막았다.",
        "호스팅 업체가 검증되지 않은 패치를 적용해 서비스가 중단됐다.",
    ],
)
def test_a_role_team_or_company_named_as_the_cause_is_person_as_cause(text):
    assert "person-as-cause" in rules(text)
    assert "blame-verb" not in rules(text)


def test_an_action_that_fell_short_is_a_blame_verb_not_a_cause():
    assert rules("당직자의 대응이 늦었다.") == {"blame-verb"}


@pytest.mark.parametrize(
    "text",
    [
        "운영팀이 노드를 재시작해서 지연이 줄었다.",
        "인프라팀의 라우팅 변경으로 지연이 줄었다.",
        "장애의 근본 원인은 만료된 인증서였다.",
    ],
)
def test_people_acting_without_causing_the_incident_are_not_blamed(text):
    assert rules(text) == set()
