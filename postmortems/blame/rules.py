"""The six rules: stable ids, and per language why a phrase harms learning and a rewording.

Rule ids are a contract (the lint JSON, acknowledgements, dismissals and the metrics page
store them). English texts are translated like any other string; the Korean texts are
written in Korean, because the author writing Korean gets a Korean hint whatever the UI
language is.
"""

from typing import NamedTuple

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

COUNTERFACTUAL = "counterfactual"
HUMAN_ERROR = "human-error"
PERSON_AS_CAUSE = "person-as-cause"
CARELESSNESS = "carelessness"
BLAME_VERB = "blame-verb"
HINDSIGHT_BIAS = "hindsight-bias"

RULE_IDS = (
    COUNTERFACTUAL,
    HUMAN_ERROR,
    PERSON_AS_CAUSE,
    CARELESSNESS,
    BLAME_VERB,
    HINDSIGHT_BIAS,
)


class RuleText(NamedTuple):
    title: Promise
    message: Promise
    suggestion: Promise


RULES = {
    COUNTERFACTUAL: RuleText(
        _("Counterfactuals"),
        _(
            "“Should have” describes a world that did not happen. It judges a decision by "
            "an outcome nobody could see at the time, and hides why the choice made sense "
            "then."
        ),
        _(
            "Describe what people knew and saw at that moment, and what would have made "
            "the other path easy: “The dashboard did not show replica lag, so …”."
        ),
    ),
    HUMAN_ERROR: RuleText(
        _("“Human error”"),
        _(
            "“Human error” ends the investigation where it should start: people act "
            "sensibly given the tools and information they have."
        ),
        _(
            "Ask what made the action easy to get wrong: the interface, missing "
            "confirmation, unclear runbook, time pressure. Name that condition instead."
        ),
    ),
    PERSON_AS_CAUSE: RuleText(
        _("A person as the cause"),
        _(
            "Naming a person as the cause invites blame, makes people hide details next "
            "time, and leaves the system that allowed it unchanged."
        ),
        _(
            "Make the system or the action the subject: “A config change with a typo "
            "reached production because validation ran only in CI.”"
        ),
    ),
    CARELESSNESS: RuleText(
        _("Carelessness and negligence"),
        _(
            "Calling someone careless or negligent is a judgement of character, not a "
            "finding. It explains nothing about why the safeguard was missing."
        ),
        _(
            "Describe the conditions: workload, alerts, missing checks, ambiguous "
            "signals. What would have made the safe path the easy one?"
        ),
    ),
    BLAME_VERB: RuleText(
        _("Blame verbs"),
        _(
            "“Failed to”, “forgot”, “broke prod” frame the event as a personal failure "
            "and stop the question at the person."
        ),
        _(
            "Say what happened and what the system did or did not provide: “The "
            "checklist had no step for …”, “The change reached production without …”."
        ),
    ),
    HINDSIGHT_BIAS: RuleText(
        _("Hindsight bias"),
        _(
            "“Obviously”, “simply”, “just needed to” are only true after the fact. They "
            "make the problem look trivial and the people involved look foolish."
        ),
        _(
            "Drop the word, and describe how the situation looked before the outcome "
            "was known, including what made it hard."
        ),
    ),
}

# Korean rules speak Korean: the author writing Korean gets a Korean hint whatever the UI.
RULES_KO = {
    COUNTERFACTUAL: RuleText(
        RULES[COUNTERFACTUAL].title,
        _(
            "“~했어야 했다”, “~만 했더라면”은 일어나지 않은 일을 기준으로 당시의 판단을 "
            "평가합니다. 그때 왜 그 선택이 합리적이었는지가 가려집니다."
        ),
        _(
            "당시에 무엇을 알고 무엇을 볼 수 있었는지, 다른 선택을 쉽게 만들었을 조건이 "
            "무엇인지 적어 보세요. 예: “대시보드에 복제 지연이 보이지 않아 …”."
        ),
    ),
    HUMAN_ERROR: RuleText(
        RULES[HUMAN_ERROR].title,
        _(
            "“휴먼 에러”, “인적 오류”는 조사가 시작되어야 할 곳에서 조사를 끝냅니다. "
            "사람은 주어진 도구와 정보 안에서 합리적으로 행동합니다."
        ),
        _(
            "그 동작을 쉽게 틀리게 만든 조건(화면, 확인 단계 부재, 불분명한 런북, 시간 "
            "압박)을 찾아 그 조건을 적어 보세요."
        ),
    ),
    PERSON_AS_CAUSE: RuleText(
        RULES[PERSON_AS_CAUSE].title,
        _(
            "사람을 원인으로 지목하면 비난으로 이어지고, 다음에는 세부 사항이 숨겨지며, "
            "그 일을 가능하게 한 시스템은 그대로 남습니다."
        ),
        _(
            "시스템이나 동작을 주어로 써 보세요. 예: “검증이 CI에서만 실행되어 오타가 "
            "포함된 설정 변경이 운영에 반영되었다.”"
        ),
    ),
    CARELESSNESS: RuleText(
        RULES[CARELESSNESS].title,
        _(
            "“부주의”, “안일함”은 사람에 대한 평가일 뿐 원인 분석이 아닙니다. 왜 안전장치가 "
            "없었는지 설명하지 못합니다."
        ),
        _(
            "업무량, 알림, 빠진 점검, 모호한 신호 같은 조건을 적어 보세요. 무엇이 있었다면 "
            "안전한 길이 쉬운 길이 되었을까요?"
        ),
    ),
    BLAME_VERB: RuleText(
        RULES[BLAME_VERB].title,
        _(
            "“깜빡했다”, “누락했다”, “~의 잘못”은 사건을 개인의 실패로 만들고 질문을 "
            "사람에서 멈추게 합니다."
        ),
        _(
            "무슨 일이 있었고 시스템이 무엇을 제공하지 않았는지 적어 보세요. 예: "
            "“체크리스트에 … 단계가 없었다”."
        ),
    ),
    HINDSIGHT_BIAS: RuleText(
        RULES[HINDSIGHT_BIAS].title,
        _(
            "“누가 봐도”, “그냥 ~만 하면 됐다”는 결과를 안 뒤에만 참입니다. 문제를 사소하게, "
            "관련된 사람을 어리석게 보이게 합니다."
        ),
        _(
            "그 표현을 빼고, 결과를 알기 전에 상황이 어떻게 보였는지와 "
            "무엇이 어려웠는지 적어 보세요."
        ),
    ),
}


def rule_text(rule, korean):
    return (RULES_KO if korean else RULES)[rule]
