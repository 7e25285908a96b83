import time

import pytest

from postmortems.language import RULE_IDS, Finding, find_blame, mask
from tests.bench.blame_eval import benchmark

PEOPLE = ("Alex", "Alex Kim", "Kim", "bob", "민수", "김민수", "jdoe")


def rules(text, people=PEOPLE):
    return {f.rule for f in find_blame(text, people=people)}


def phrases(text, people=PEOPLE):
    return [(f.rule, f.phrase) for f in find_blame(text, people=people)]


def test_rule_ids_are_the_stable_six():
    assert RULE_IDS == (
        "counterfactual",
        "human-error",
        "person-as-cause",
        "carelessness",
        "blame-verb",
        "hindsight-bias",
    )


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("The outage was caused by human error.", "human-error"),
        ("We should have caught this in staging.", "counterfactual"),
        ("The outage could have been avoided with more care.", "counterfactual"),
        ("The on-call engineer failed to acknowledge the page.", "blame-verb"),
        ("Someone forgot to renew the certificate.", "blame-verb"),
        ("The change was pushed carelessly.", "carelessness"),
        ("The DBA was negligent.", "carelessness"),
        ("The engineer didn't bother to run the tests.", "carelessness"),
        ("Obviously the queue would back up.", "hindsight-bias"),
        ("He simply ran the script against production.", "hindsight-bias"),
        ("The responder just needed to restart the consumer.", "hindsight-bias"),
        ("Whoever broke prod should write this up.", "blame-verb"),
        ("이번 장애의 원인은 휴먼 에러였다.", "human-error"),
        ("인적 오류로 분류했다.", "human-error"),
        ("작업자가 실수로 테이블을 삭제했다.", "human-error"),
        ("배포 전에 설정을 확인했어야 했다.", "counterfactual"),
        ("런북만 읽었더라면 바로 복구했을 것이다.", "counterfactual"),
        ("부주의한 설정 변경이었다.", "carelessness"),
        # A role named as the cause is a person as the cause, as with a name.
        ("담당자의 잘못으로 장애가 발생했다.", "person-as-cause"),
        ("담당자 때문에 장애가 발생했다.", "person-as-cause"),
        ("담당자가 설정을 확인하지 않았다.", "blame-verb"),
    ],
)
def test_each_rule_catches_its_phrases(text, rule):
    assert rule in rules(text)


def test_a_failing_system_is_not_blame():
    assert find_blame("The deploy failed to start because the image tag was missing.") == []
    assert find_blame("Pods failed to schedule after the node pool hit its limit.") == []


def test_a_forward_looking_proposal_is_not_a_counterfactual():
    assert find_blame("We should have an alert for replica lag.") == []
    assert rules("Bob should have checked the replica lag.") == {
        "counterfactual",
        "person-as-cause",
    }


def test_korean_obligation_in_the_past_is_not_a_counterfactual():
    # "had to restart" is narration; "should have checked" is hindsight.
    assert find_blame("클러스터를 재시작해야 했다.") == []
    assert rules("클러스터 상태를 확인했어야 했다.") == {"counterfactual"}


def test_a_system_cause_before_때문에_is_not_flagged():
    assert find_blame("설정 변경 때문에 장애가 발생했다.") == []


def test_findings_carry_message_suggestion_and_exact_offsets():
    text = "At 10:02 the on-call engineer failed to page the database team."
    (finding,) = find_blame(text)
    assert isinstance(finding, Finding)
    assert text[finding.start : finding.end] == finding.phrase == "failed to"
    assert finding.rule == "blame-verb"
    assert str(finding.message)
    assert str(finding.suggestion)


def test_offsets_count_korean_characters_not_bytes():
    text = "장애 대응 중 민수님이 설정 확인을 깜빡해서 결제가 30분간 중단되었다."
    found = find_blame(text, people=PEOPLE)
    assert [(f.rule, f.phrase) for f in found] == [
        ("person-as-cause", "민수님"),
        ("blame-verb", "깜빡해서"),
    ]
    for f in found:
        assert text[f.start : f.end] == f.phrase
    assert found[0].start == text.index("민수님")


def test_korean_rules_explain_in_korean():
    (finding,) = find_blame("원인은 휴먼 에러였다.")
    assert "휴먼 에러" in str(finding.message)


def test_a_name_in_a_neutral_role_is_not_flagged():
    assert find_blame("Alex paged the on-call at 10:05.", people=PEOPLE) == []
    assert find_blame("Alex Kim rolled back the release at 10:21.", people=PEOPLE) == []
    assert find_blame("민수님이 롤백을 시작했다.", people=PEOPLE) == []
    assert find_blame("지영 씨가 10시 5분에 온콜을 호출했다.", people=PEOPLE) == []


def test_a_name_as_the_actor_of_a_failure_is_flagged():
    assert ("person-as-cause", "Alex Kim") in phrases("Alex Kim forgot to drain the node.")
    assert ("person-as-cause", "jdoe") in phrases("jdoe broke prod with a config push.")
    assert ("person-as-cause", "@sam") in phrases("The outage happened because of @sam.")
    assert ("person-as-cause", "민수님") in phrases("민수님이 백업을 확인하지 않았다.")
    assert "person-as-cause" in rules("지영 씨 때문에 장애가 발생했다.")


def test_names_are_only_people_when_listed():
    assert "person-as-cause" in rules("Bob failed to verify the backup.", people=["Bob"])
    # Without the name list, "Kafka failed to" and "Bob failed to" look alike: not flagged.
    assert find_blame("Bob failed to verify the backup.") == []


def test_a_username_that_is_also_a_system_word_stays_a_system():
    assert find_blame("The deploy failed to start.", people=["deploy"]) == []


def test_blockquotes_inline_quotes_and_code_are_ignored():
    text = (
        "> Bob: sorry, human error on my side\n"
        'In chat the on-call wrote "I forgot to drain it" and “my mistake, careless”.\n'
        "The log said `failed: human error`.\n"
        "\n"
        "```\n"
        "operator forgot the flag; human error\n"
        "```\n"
        "\n"
        "    indented code: somebody forgot\n"
    )
    assert find_blame(text, people=PEOPLE) == []


def test_masking_keeps_offsets_after_a_quote():
    text = '민수님이 "휴먼 에러" 라고 말했지만, 원인은 인적 오류였다고 적었다.'
    assert len(mask(text)) == len(text)
    (finding,) = find_blame(text)
    assert finding.phrase == "인적 오류"
    assert text[finding.start : finding.end] == "인적 오류"


def test_list_items_indented_under_a_bullet_are_prose_not_code():
    text = "- Timeline:\n\n    The engineer forgot to drain the node.\n"
    assert "blame-verb" in rules(text)


def test_find_blame_of_empty_text_is_empty():
    assert find_blame("") == []


def test_findings_are_ordered_and_serialisable():
    found = find_blame("Obviously Bob forgot. It was human error.", people=["Bob"])
    assert [f.start for f in found] == sorted(f.start for f in found)
    data = [f.as_dict() for f in found]
    assert {d["rule"] for d in data} == {
        "hindsight-bias",
        "person-as-cause",
        "blame-verb",
        "human-error",
    }
    assert all(isinstance(d["message"], str) for d in data)


def test_ten_kilobytes_are_checked_within_the_budget():
    # A median over many runs, so a busy machine does not fail the test; the budget is 5 ms
    # per 10 kB section, asserted with headroom for slow CI machines.
    assert benchmark(size=10_000, rounds=30) < 15


def test_a_typical_section_is_fast():
    text = ("The canary rolled back at 10:04 and error rates recovered within a minute. " * 140)[
        :10_000
    ]
    began = time.perf_counter()
    for _ in range(20):
        find_blame(text, people=PEOPLE)
    assert (time.perf_counter() - began) / 20 < 0.015


def test_a_stray_backtick_does_not_hide_the_rest_of_the_text():
    text = "Run the `drain script.\n\nThe on-call forgot to drain the node. See `kubectl drain`."
    assert "blame-verb" in rules(text)
