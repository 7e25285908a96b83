"""Blame detection for postmortem prose, in English and Korean.

``find_blame(text, people=...)`` returns the phrases that turn a write-up from "how did the
system let this happen" into "who did this": counterfactuals, "human error", a person named
as the cause, carelessness, blame verbs and hindsight words. Each finding carries character
offsets into ``text`` (Python string indices, so Korean counts one per syllable), a stable
rule id, why the phrase harms learning, and a system-focused rewording hint.

Precision matters as much as recall: a hint on a neutral sentence teaches authors to ignore
hints. So most verb rules look at the subject of the clause: "the deploy failed to start"
is a system and is left alone, "Bob failed to check" is not. Quoted text (Markdown
blockquotes, "inline quotes" of chat logs) and code are masked out before matching; the
mask keeps offsets.

Everything is compiled at import; ``find_blame`` is pure (no database, no settings), so
the lint endpoint can call it per keystroke and the bench can time it.
"""

import re
import time
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    phrase: str
    rule: str
    message: str
    suggestion: str

    def as_dict(self):
        return {
            "start": self.start,
            "end": self.end,
            "phrase": self.phrase,
            "rule": self.rule,
            "message": str(self.message),
            "suggestion": str(self.suggestion),
        }


# --- Masking quotes and code --------------------------------------------------------------

_FENCE = re.compile(r"^[ ]{0,3}(```+|~~~+)[^\n]*\n.*?(?:^[ ]{0,3}\1[^\n]*$|\Z)", re.M | re.S)
# Inline code stays on its line, so one stray backtick cannot hide the rest of a section.
_INLINE_CODE = re.compile(r"(`+)(?!`)[^\n]+?(?<!`)\1(?!`)")
_BLOCKQUOTE = re.compile(r"^[ ]{0,3}>[^\n]*", re.M)
_INLINE_QUOTE = re.compile(r"\"[^\"\n]{1,400}\"|“[^”\n]{1,400}”|「[^」\n]{1,400}」")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")
_MASKS = (
    (_FENCE, ("```", "~~~")),
    (_INLINE_CODE, ("`",)),
    (_BLOCKQUOTE, (">",)),
    (_INLINE_QUOTE, ('"', "“", "「")),
)


def _blank(chars, start, end):
    for i in range(start, end):
        if chars[i] != "\n":
            chars[i] = " "


def mask(text):
    """``text`` with quotes and code replaced by spaces (newlines kept): same length."""
    chars = None
    current = text
    for pattern, marks in _MASKS:
        if not any(mark in current for mark in marks):
            continue
        for m in pattern.finditer(current):
            if chars is None:
                chars = list(text)
            _blank(chars, m.start(), m.end())
        if chars is not None:
            current = "".join(chars)
    if "    " in current or "\t" in current:
        chars = chars if chars is not None else list(text)
        _mask_indented_code(text, chars)
        current = "".join(chars)
    return current


def _mask_indented_code(text, chars):
    """Lines indented four spaces (or a tab) after a blank line, outside lists, are code."""
    pos = 0
    previous_blank = True
    in_code = False
    in_list = False
    for line in text.split("\n"):
        stripped = line.strip()
        indented = line.startswith(("    ", "\t"))
        if not stripped:
            previous_blank = True
        else:
            if _LIST_ITEM.match(line) and not indented:
                in_list = True
            elif not indented:
                in_list = False
            if indented and not in_list and (previous_blank or in_code):
                in_code = True
                _blank(chars, pos, pos + len(line))
            else:
                in_code = False
            previous_blank = False
        pos += len(line) + 1


# --- Who is the subject? ------------------------------------------------------------------


def _words(text):
    return text.split()


PERSON = "person"
NAME = "name"
SYSTEM = "system"
UNKNOWN = "unknown"

_PERSON_WORDS_EN = frozenset(
    _words(
        """
    i we he she they you someone somebody nobody anyone anybody everyone
    engineer engineers developer developers dev devs operator operators on-call oncall
    on-caller on-callers sre sres admin admins administrator administrators reviewer
    reviewers author authors manager managers responder responders intern interns
    contractor contractors person people colleague colleagues teammate teammates
    hire hires newbie junior dba dbas ic commander lead staff human humans user
    guy guys folks owner owners maintainer maintainers approver approvers member members
    employee employees him them us me her whoever team teams squad crew ops
    """
    )
)
_SYSTEM_WORDS_EN = frozenset(
    _words(
        """
    alert alerts alarm alarms job jobs cron cronjob check checks probe probes pipeline
    pipelines deploy deploys deployment deployments rollout rollouts release releases
    canary canaries retry retries failover service services script scripts config configs
    configuration limit limits threshold thresholds test tests suite monitor monitors
    monitoring pager paging autoscaler autoscaling system systems cache caches balancer
    balancers lb pod pods node nodes container containers cluster clusters database
    databases db replica replicas primary migration migrations query queries worker
    workers queue queues consumer consumers producer api apis endpoint endpoints request
    requests process processes daemon agent agents build builds ci cd runner runners
    dashboard dashboards healthcheck scheduler controller certificate certificates cert
    certs dns proxy gateway server servers host hosts hook webhook webhooks backup backups
    restore snapshot snapshots disk disks volume volumes network link connection
    connections client clients library sdk upgrade patch change changes commit commits
    pr flag flags toggle code tool tooling terraform kubernetes k8s redis postgres
    postgresql mysql kafka nginx envoy istio vault consul elasticsearch app
    application runbook runbooks playbook there lock mutex timeout timeouts handler
    router firewall vpn cdn bucket index indexes cronjobs validation validator linter
    hpa operator-sdk helm chart charts image images binary mechanism safeguard guardrail
    guardrails logic policy rule rules function lambda instance instances vm vms region
    zone traffic load version feature page
    """
    )
)
_SKIP_EN = frozenset(
    _words(
        """
    just simply also then again accidentally mistakenly inadvertently initially apparently
    unfortunately clearly obviously completely totally still never ever really probably
    likely already actually quickly repeatedly had has have did does do was were is are
    been not also somehow later finally eventually themselves himself herself all both
    """
    )
)

_PERSON_WORDS_KO = tuple(
    _words(
        "담당자 작업자 운영자 개발자 엔지니어 온콜 당직자 신입 입사자 팀원 관리자 리뷰어 "
        "사람 누군가 우리 저희 제가 내가 그가 그녀 대리 과장 차장 부장 팀장 매니저 선임 "
        "책임 인턴 팀 팀원들 담당"
    )
)
# Pronouns, matched whole: "제가" -> "제", "누가" -> "누".
_PRONOUNS_KO = frozenset(_words("제 저 나 내 그 그녀 우리 저희 누군가 누군 누 당신 본인"))
_SYSTEM_WORDS_KO = tuple(
    _words(
        "설정 배포 변경 트래픽 디스크 캐시 서버 노드 네트워크 인증서 쿼리 마이그레이션 "
        "버그 코드 파드 클러스터 장비 스크립트 알림 경보 로드밸런서 밸런서 스케줄러 "
        "파이프라인 잡 작업이 모니터링 헬스체크 프록시 게이트웨이 인스턴스 데이터베이스 "
        "디비 복제 레플리카 큐 워커 프로세스 시스템 서비스 카나리 롤아웃 검증 테스트가 "
        "대시보드 런북 메모리 CPU DB API CI DNS Redis Kafka 타임아웃 재시도 백업 장치 "
        "절차 단계 프롬프트 가드 스토리지 볼륨 컨테이너 이미지 플래그 라이브러리 의존성 "
        "업데이트 패치 요청 연결 인덱스 락 용량 한도 임계값"
    )
)
_KO_PARTICLES = tuple(
    _words(
        "께서는 께서 에게서는 에서는 으로는 까지는 부터는 에게 한테 에는 에도 로는 에서 으로 "
        "까지 부터 이가 은 는 이 가 의 도 을 를 와 과 랑 만 에 로"
    )
)
_KO_SUBJECT_PARTICLES = ("께서", "이", "가", "은", "는")
_KO_OBJECT_LIKE = tuple(
    _words(
        "을 를 에 에서 로 으로 와 과 도 만 까지 부터 의 에게서는 에서는 으로는 까지는 "
        "부터는 에게 한테 에는 에도 로는"
    )
)

_TOKEN = re.compile(r"[@\w](?:[\w'’.\-]*\w)?")


class Subject(NamedTuple):
    kind: str
    start: int = -1
    end: int = -1


def _is_hangul(word):
    return any("\uac00" <= c <= "\ud7a3" for c in word)


_DETERMINERS = frozenset(
    _words("the a an this that these those our their its his her my your every each some any")
)
_NEGATIONS = frozenset(_words("no not nobody never without none neither nor nobody's"))
_BREAK_SET = frozenset(".!?;:,()[]\n")
_LAST_BREAK = re.compile(r"[.!?;:,()\[\]\n][^.!?;:,()\[\]\n]*\Z")
_BREAK_WORDS = frozenset(
    _words(
        "and but because so when while after before since although though until if which who "
        "that then once as"
    )
)


def _clause_tokens(masked, pos):
    """Tokens of the clause that ends at ``pos``, nearest first (at most ~25 words back)."""
    lo = max(0, pos - 160)
    last_break = _LAST_BREAK.search(masked, lo, pos)
    if last_break:
        lo = last_break.start() + 1
    tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(masked, lo, pos)]
    clause = []
    for word, start, end in reversed(tokens):
        if word.lower() in _BREAK_WORDS or word.endswith(("는데", "지만")):
            break
        clause.append((word, start, end))
    return clause


def _ko_strip(word):
    """(stem, honorific, particle) of a Korean token: "민수님이" -> ("민수", True, "이")."""
    particle = ""
    for p in _KO_PARTICLES:
        if word.endswith(p) and len(word) > len(p):
            particle = p
            word = word[: -len(p)]
            break
    honorific = False
    for h in ("님", "씨"):
        if word.endswith(h) and len(word) > 1:
            word = word[:-1].rstrip()
            honorific = True
            break
    return word, honorific, particle


def _classify_en(word, people):
    low = word.lower().strip(".'’-")
    if low.endswith(("'s", "’s")):
        low = low[:-2]
    if low in _SYSTEM_WORDS_EN or (low.endswith("s") and low[:-1] in _SYSTEM_WORDS_EN):
        return SYSTEM
    if low in _PERSON_WORDS_EN:
        return PERSON
    if word.startswith("@") and len(word) > 2:
        return NAME
    if low in people:
        return NAME
    return UNKNOWN


def _classify_ko(word, people):
    stem, honorific, particle = _ko_strip(word)
    if honorific:
        if stem.endswith(_PERSON_WORDS_KO):
            return PERSON, particle
        return NAME, particle
    if stem.lower() in people or word.lower() in people:
        return NAME, particle
    if stem in _PRONOUNS_KO or stem.endswith(_PERSON_WORDS_KO):
        return PERSON, particle
    if any(s in stem for s in _SYSTEM_WORDS_KO):
        return SYSTEM, particle
    return UNKNOWN, particle


def _name_span(tokens, index, people):
    """Extend a name token back over the first name of a full name ("Alex Kim")."""
    _word, start, end = tokens[index]
    if index + 1 < len(tokens):
        prev, pstart, _pend = tokens[index + 1]
        if prev.lower() in people:
            start = pstart
    return start, end


def find_subject(masked, pos, people=frozenset(), korean=False, tokens=None):
    """Who or what does the clause ending at ``pos`` have as its subject?"""
    if tokens is None:
        tokens = _clause_tokens(masked, pos)
    for i, (word, start, end) in enumerate(tokens):
        if korean and not _is_hangul(word):
            # Latin words inside Korean prose ("DNS 레코드를") are parts of nouns.
            if _classify_en(word, people) == NAME:
                return Subject(NAME, start, end)
            continue
        if _is_hangul(word):
            kind, particle = _classify_ko(word, people)
            stem = word[: len(word) - len(particle)] if particle else word
            if stem in ("님", "씨") and i + 1 < len(tokens):
                # "민수 씨가": the name is the word before the honorific.
                return Subject(NAME, tokens[i + 1][1], end - len(particle))
            if kind == NAME:
                return Subject(NAME, start, end - len(particle))
            # Objects and bare nouns (the first half of "설정 변경을") are not the subject.
            if (particle in _KO_OBJECT_LIKE or not particle) and kind != PERSON:
                continue
            if kind in (PERSON, SYSTEM):
                return Subject(kind, start, end)
            if particle in ("은", "는") and stem.endswith(("하", "되", "있", "없", "않")):
                continue  # "재부팅하는 것을": a verb describing a noun, not a topic
            if particle in _KO_SUBJECT_PARTICLES:
                # People are named (님, 씨, the people list) or are a role or pronoun; any
                # other marked subject ("풀러는", "재시도가") is a thing.
                return Subject(SYSTEM, start, end)
            continue
        low = word.lower()
        if low in _SKIP_EN or low.endswith(("ly", "n't")):
            continue
        kind = _classify_en(word, people)
        if (
            kind == UNKNOWN
            and i + 1 < len(tokens)
            and f"{tokens[i + 1][0]} {word}".lower() in people
        ):
            kind = NAME
        if kind == NAME:
            start, end = _name_span(tokens, i, people)
            return Subject(NAME, start, end)
        if kind != UNKNOWN:
            # "Bob's change broke prod": the change is the subject, Bob is the cause named.
            if kind == SYSTEM and i + 1 < len(tokens):
                owner = tokens[i + 1][0]
                if owner.endswith(("'s", "’s")) and _classify_en(owner, people) == NAME:
                    return Subject(NAME, tokens[i + 1][1], tokens[i + 1][2] - 2)
            return Subject(kind, start, end)
        # "the pooler", "a bad merge", "the config push": a thing, not a person.
        before = [t[0].lower() for t in tokens[i + 1 : i + 3]]
        if any(w in _DETERMINERS or w in _SYSTEM_WORDS_EN for w in before):
            return Subject(SYSTEM, start, end)
        return Subject(UNKNOWN, start, end)
    return Subject(UNKNOWN)


def _object_after(masked, pos, people):
    """What follows ``pos`` in its clause ("blame [the retry policy]", "if only [we] …")."""
    words = []
    for m in _TOKEN.finditer(masked, pos, min(len(masked), pos + 80)):
        if _BREAK_SET.intersection(masked[pos : m.start()]):
            break
        words.append((m.group(), m.start(), m.end()))
        pos = m.end()
    for i, (word, start, end) in enumerate(words):
        low = word.lower()
        if low in _DETERMINERS or low in ("it", "on", "for", "to", "with", "of"):
            continue
        kind = _classify_en(word, people)
        if kind == UNKNOWN and i + 1 < len(words):
            if _classify_en(words[i + 1][0], people) == SYSTEM:
                return Subject(SYSTEM, start, end)  # "the batch job"
            continue  # an adjective: "the new engineer"
        return Subject(kind, start, end)
    return Subject(UNKNOWN)


def _negated(masked, tokens, korean, end):
    """Is the phrase denied? ("not careless", "nobody's fault", "휴먼 에러가 아니었다")"""
    if korean:
        return "아니" in masked[end : end + 8]
    words = [w.lower() for w, _s, _e in tokens[:2]]
    if words == ["one", "no"]:
        return True
    return any(w in _NEGATIONS or w.endswith(("n't", "n’t")) for w in words)


# --- Rules ---------------------------------------------------------------------------------

ALWAYS = "always"  # the phrase is blaming whoever the subject is
NOT_SYSTEM = "not-system"  # blaming unless a system is the subject ("the alert should have")
PERSON_ONLY = "person-only"  # blaming only with a person as the subject ("Bob failed to")
OBJECT = "object"  # blaming unless what follows is a system ("blame the retry policy")


class Pattern(NamedTuple):
    rule: str
    regex: re.Pattern
    policy: str
    korean: bool = False
    # Korean patterns match the ending ("했어야", "의 잘못"); the finding starts at the word.
    whole_word: bool = False
    # Cheap substring test first: most prose contains none of these, and skipping the
    # regex keeps a 10 kB section well inside the lint budget.
    needles: tuple = ()


_PARTICIPLES = (
    r"(?:\w{2,}ed|been|done|seen|known|caught|run|read|put|set|hit|told|sent|built|kept|"
    r"thought|brought|found|made|taken|given|written|gone|gotten|got|spotted|noticed|"
    r"asked|waited|left|held|paid|shut|stopped|understood|taught|fought|withheld)"
)
# Patterns run on the lower-cased text (same offsets), which is faster than re.I.
_EN = 0

PATTERNS = (
    # Counterfactuals
    Pattern(
        COUNTERFACTUAL,
        re.compile(
            r"\b(?:should|shouldn[’']t|should\s+not|ought\s+to)\s+(?:have|[’']ve)\s+"
            r"(?:(?:just|simply|really|at\s+least|also|first)\s+)?" + _PARTICIPLES + r"\b"
            r"|\bshould[’']ve\s+\w+",
            _EN,
        ),
        NOT_SYSTEM,
    ),
    Pattern(
        COUNTERFACTUAL,
        re.compile(
            r"\b(?:could|might)(?:\s+(?:easily|simply|just))?\s+(?:have|[’']ve)\s+(?:been\s+)?"
            r"(?:avoided|prevented|caught|noticed|spotted|checked|tested|verified|stopped|"
            r"known|asked|escalated|read|foreseen|anticipated)\b",
            _EN,
        ),
        NOT_SYSTEM,
    ),
    Pattern(
        COUNTERFACTUAL,
        re.compile(
            r"\b(?:should|could|ought\s+to)(?:n[’']t|\s+not)?\s+(?:have|[’']ve)\s+been\s+"
            r"(?:easily\s+)?(?:avoided|prevented|caught|noticed|spotted|detected|checked|tested|"
            r"verified|reviewed|escalated|known|obvious|stopped|found|foreseen)\b",
            _EN,
        ),
        ALWAYS,
    ),
    Pattern(COUNTERFACTUAL, re.compile(r"\bif\s+only\b", _EN), OBJECT),
    # Human error
    Pattern(
        HUMAN_ERROR,
        re.compile(
            r"\b(?:human|operator|manual|people)[\s-]+(?:errors?|mistakes?|failures?)\b"
            r"(?!\s+(?:rates?|counts?|budgets?|codes?|messages?|logs?|handling|handlers?|paths?|"
            r"metrics?|ratio|pages?|states?))"
            r"|\bpebkac\b|\bfat[\s-]?finger(?:ed|ing|s)?\b"
            r"|\b(?:made|make|making|makes)\s+(?:a|an|the|another|one)?\s*(?:simple\s+|silly\s+|"
            r"stupid\s+|rookie\s+|careless\s+|big\s+|huge\s+)?(?:mistakes?|errors?|blunders?)\b"
            r"|\b(?:rookie|silly|stupid|dumb)\s+(?:mistakes?|errors?)\b",
            _EN,
        ),
        ALWAYS,
    ),
    # Carelessness
    Pattern(
        CARELESSNESS,
        re.compile(
            r"\bcareless(?:ly|ness)?\b|\bnegligen(?:t|tly|ce)\b|\bsloppy\b|\bsloppily\b"
            r"|\breckless(?:ly|ness)?\b|\blazy\b|\blaziness\b|\bincompeten(?:t|ce)\b"
            r"|\bdid(?:n[’']t|\s+not)\s+(?:even\s+)?bother\b|\bwithout\s+(?:even\s+)?bothering\b"
            r"|\b(?:nobody|no\s+one|never)\s+(?:even\s+)?bothered\b"
            r"|\bnot\s+paying\s+attention\b|\bwas(?:n[’']t|\s+not)\s+paying\s+attention\b"
            r"|\bwithout\s+thinking\b|\binattentive(?:ly)?\b|\bcut\s+corners\b",
            _EN,
        ),
        ALWAYS,
    ),
    # Blame verbs
    Pattern(BLAME_VERB, re.compile(r"\bfail(?:ed|s)?\s+to\b", _EN), PERSON_ONLY),
    Pattern(
        BLAME_VERB,
        re.compile(
            r"\bforg(?:ot|otten|etting|ets)\b|\bneglect(?:ed|s)?\s+to\b|\bmessed\s+up\b"
            r"|\bscrewed\s+up\b|\bdropped\s+the\s+ball\b|\bbotched\b"
            r"|\bbroke\s+(?:prod|production|the\s+build|main|master|staging|the\s+site|"
            r"everything|checkout|the\s+deploy|the\s+release|things)\b"
            r"|\btook\s+(?:down\s+(?:prod|production|the\s+site|everything)|"
            r"(?:prod|production|the\s+site|everything)\s+down)\b"
            r"|\bignored\s+(?:the\s+|an?\s+|all\s+|several\s+|repeated\s+|multiple\s+)?"
            r"(?:\w+\s+)?(?:alerts?|alarms?|warnings?|pages?|runbook|checklist|process|policy)\b"
            r"|\bdid(?:n[’']t|\s+not)\s+(?:even\s+)?(?:check|test|verify|read|follow|look|"
            r"review|notice|ask|wait|think|double-check)\b"
            r"|\bnever\s+(?:checked|tested|verified|read|followed|reviewed|bothered)\b"
            r"|\bmissed\s+(?:the\s+|an?\s+|all\s+|several\s+|both\s+)?(?:\w+\s+)?"
            r"(?:alerts?|alarms?|pages?|warnings?|signs?|signals?)\b",
            _EN,
        ),
        NOT_SYSTEM,
    ),
    Pattern(
        BLAME_VERB,
        re.compile(
            r"\b(?:is|was|are|were)\s+to\s+blame\b|\bat\s+fault\b|[’']s\s+fault\b",
            _EN,
        ),
        NOT_SYSTEM,
    ),
    Pattern(
        BLAME_VERB,
        re.compile(
            r"\bblam(?:e|ed|es|ing)\b(?!\s*-?less)(?!\s+(?:is|was|are|were)\b)"
            r"|\bfault\s+(?:lies|lay)\s+with\b|\bthe\s+culprit\s+was\b",
            _EN,
        ),
        OBJECT,
    ),
    Pattern(
        BLAME_VERB,
        re.compile(
            r"\bcaused\s+(?:the|this|an|a)\s+(?:\w+\s+)?(?:outage|incident|downtime|failure|"
            r"problem)\b",
            _EN,
        ),
        PERSON_ONLY,
    ),
    # Hindsight bias
    Pattern(
        HINDSIGHT_BIAS,
        re.compile(
            r"\bsimply\b(?!\s+(?:put|no|not|never|nothing|none|too|because|"
            r"(?:had|did|was|were|could|can|do|does|is|are|would)(?:n[’']t|\s+not|not)|had\s+no)\b)"
            r"|\ball\s+(?:\w+\s+){1,2}had\s+to\s+do\s+was\b",
            _EN,
        ),
        NOT_SYSTEM,
    ),
    Pattern(
        HINDSIGHT_BIAS,
        re.compile(
            r"\bobvious(?:ly)?\b|\bany\s+(?:competent|reasonable|decent|experienced)\s+\w+"
            r"|\b(?:just|simply)\s+(?:needed|had)\s+(?:\w+\s+)?to\b"
            r"|\bcommon\s+sense\b|\bof\s+course\b|\bit\s+was\s+just\s+a\s+matter\s+of\b",
            _EN,
        ),
        ALWAYS,
    ),
    # --- Korean
    Pattern(
        HUMAN_ERROR,
        re.compile(
            r"휴먼\s?에러|휴먼\s?오류|인적\s?(?:오류|실수|과실|요인)|사람의\s?실수"
            r"|(?:작업자|운영자|담당자|개발자)(?:의)?\s?(?:단순\s?)?실수|단순\s?실수"
            r"|실수로|실수(?:를|가)?\s?(?:했|해서|하여|한|하는)"
        ),
        ALWAYS,
        korean=True,
    ),
    Pattern(
        CARELESSNESS,
        re.compile(
            r"부주의|안일(?:한|하게|했|함)|태만|소홀(?:히|했|하게|한)|경솔(?:하게|한|했)"
            r"|대충\s?(?:확인|보고|검토|넘|했)|무책임(?:한|하게)?|방심(?:한|했|해서|하여)"
            r"|확인(?:도|조차)\s?(?:하지\s?않|안\s?하)|신경(?:을)?\s?(?:안|쓰지\s?않)"
        ),
        ALWAYS,
        korean=True,
    ),
    Pattern(
        COUNTERFACTUAL,
        re.compile(
            # "있었어야" (there should have been a guard) names a missing safeguard: fine.
            r"(?:했|(?<![있없])었|았|였|됐|웠|켰|렸|냈|졌|봤|썼|줬|뒀|놨|갔|왔|말았|겼|쳤|셨|혔)"
            r"(?:어야(?:\s?(?:했|하는|한다|하지|함|했는데|했다|했지|지))?|더라면)"
        ),
        NOT_SYSTEM,
        korean=True,
        whole_word=True,
    ),
    Pattern(
        BLAME_VERB,
        re.compile(
            r"깜빡(?:했|하고|해서|하여|한|하는)?|잊어\s?버(?:리고|렸|려서)|잊(?:고|었|은\s?채)"
            r"|누락(?:했|하고|해서|하여|시켰|시켜)|빠뜨(?:렸|리고|려서)|놓(?:쳤|쳐서|치고|친)"
            r"|잘못\s(?:입력|설정|배포|실행|삭제|변경|작성|판단|적용|수정|조작|눌|건드)"
            r"|(?:확인|테스트|검토|검증)(?:을|를|도|조차)?\s?(?:하지\s?않|안\s?하|안\s?해|않고)"
            r"|(?:따르지|지키지)\s?않"
            r"|장애를\s?(?:냈|내|일으|유발|발생시)"
        ),
        NOT_SYSTEM,
        korean=True,
    ),
    Pattern(
        BLAME_VERB,
        re.compile(r"의\s?(?:잘못|과실|실수|탓)|\s?탓(?:이다|이었다|으로|에|이)"),
        NOT_SYSTEM,
        korean=True,
        whole_word=True,
    ),
    Pattern(
        HINDSIGHT_BIAS,
        re.compile(
            r"누가\s?봐도|뻔한|뻔히|너무나?\s?당연한|명백한\s?(?:실수|잘못)"
            r"|그냥\s?[가-힣\s]{0,20}?만\s?(?:하면|했으면|했어도)\s?(?:됐|되는|될)"
            r"|만\s?하면\s?되는\s?(?:일|것|거)"
        ),
        NOT_SYSTEM,
        korean=True,
        whole_word=True,
    ),
)

_NEEDLES = (
    ("should", "ought"),
    ("could", "might"),
    ("been",),
    ("only",),
    ("error", "mistake", "failure", "pebkac", "finger", "blunder"),
    _words(
        "careless negligen sloppy sloppily reckless lazy laziness incompeten bother attention "
        "thinking inattentive corners"
    ),
    ("fail",),
    _words("forg neglect messed screwed dropped botched broke took ignored did never missed"),
    ("blame", "fault"),
    ("blam", "fault", "culprit"),
    ("caused",),
    ("simply", "just", "had to do"),
    ("obvious", "any", "common", "course", "matter", "needed", "had"),
    ("휴먼", "인적", "실수"),
    ("부주의", "안일", "태만", "소홀", "경솔", "대충", "무책임", "방심", "확인", "신경"),
    ("어야", "더라면"),
    ("깜빡", "잊", "누락", "빠뜨", "잘못", "않", "안", "장애를", "놓"),
    ("잘못", "과실", "실수", "탓"),
    ("누가", "뻔", "당연", "명백", "하면"),
)
PATTERNS = tuple(p._replace(needles=n) for p, n in zip(PATTERNS, _NEEDLES, strict=True))

# "~ 때문에 장애가 발생": only when the cause before 때문에 is a person.
_KO_BECAUSE = re.compile(
    r"때문에\s?(?:[가-힣]+\s)?(?:장애|문제|사고|중단|오류|에러|이슈)(?:가|이)?\s?"
    r"(?:발생|났|생겼|일어났|터졌|시작)"
)
_KO_CAUSE_BEFORE = re.compile(r"([가-힣A-Za-z@_.]+(?:\s?(?:님|씨))?)\s?$")
_HANGUL = re.compile(r"[가-힣]")
_KO_OWNER = re.compile(r"([가-힣A-Za-z_.]+(?:\s?(?:님|씨))?)의")
_KO_NAME_HONORIFIC = re.compile(r"[가-힣]{2,4}\s?(?:님|씨)")
_EN_POSSESSIVE_FAULT = re.compile(
    r"[’']s\s+(?:fault|mistake|error|carelessness|negligence|screw-?up)\b"
)
_EN_OWNER = re.compile(r"@?\w(?:[\w.\-]*\w)?\Z")
_EN_BECAUSE_OF = re.compile(
    r"\b(?:because\s+of|due\s+to|blame[sd]?(?:\s+it\s+on)?)\s+(@?\w(?:[\w.\-]*\w)?)", _EN
)


def _text_for(rule, korean):
    return (RULES_KO if korean else RULES)[rule]


def _finding(text, start, end, rule, korean):
    info = _text_for(rule, korean)
    return Finding(start, end, text[start:end], rule, info.message, info.suggestion)


def normalise_people(people):
    """Lower-cased names and usernames (with and without "@"); a frozenset ``find_blame``
    takes as it is, so callers with a fixed list normalise it once."""
    names = set()
    for person in people:
        if not person:
            continue
        person = str(person).strip()
        for variant in (person, person.lstrip("@")):
            if len(variant) >= 2:
                names.add(variant.lower())
    return frozenset(names)


_KO_VERB_ENDS = frozenset("했하해었았였않렸쳤됐")


def _word_end(text, pos):
    while pos < len(text) and "\uac00" <= text[pos] <= "\ud7a3":
        pos += 1
    return pos


def _word_start(text, pos):
    while pos > 0 and "\uac00" <= text[pos - 1] <= "\ud7a3":
        pos -= 1
    return pos


def _lower(text):
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    # A few characters lower-case to two ("İ"); keep those as they are so offsets hold.
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def find_blame(text, *, people=()):
    """Blaming phrases in ``text``, in order; see the module docstring."""
    if not text:
        return []
    people = people if isinstance(people, frozenset) else normalise_people(people)
    masked = mask(text)
    lowered = _lower(masked)
    has_hangul = _HANGUL.search(masked) is not None
    found = {}

    def add(start, end, rule, korean):
        key = (start, end, rule)
        if key not in found:
            found[key] = _finding(text, start, end, rule, korean)

    for pattern in PATTERNS:
        if pattern.korean and not has_hangul:
            continue
        if not any(needle in lowered for needle in pattern.needles):
            continue
        for m in pattern.regex.finditer(lowered):
            start, end = m.span()
            if pattern.whole_word:
                start = _word_start(masked, start)
            if pattern.korean and masked[end - 1 : end] in _KO_VERB_ENDS:
                end = _word_end(masked, end)  # "깜빡했" -> "깜빡했다"
            tokens = _clause_tokens(masked, start)
            if _negated(masked, tokens, pattern.korean, end):
                continue
            if pattern.policy == OBJECT:
                subject = _object_after(masked, end, people)
                if subject.kind == SYSTEM:
                    continue
                add(start, end, pattern.rule, pattern.korean)
                if subject.kind == NAME:
                    add(subject.start, subject.end, PERSON_AS_CAUSE, pattern.korean)
                continue
            subject = find_subject(masked, start, people, pattern.korean, tokens)
            if pattern.korean and subject.kind != NAME:
                # "지영님의 잘못": the owner inside the phrase is the person named.
                owner = _KO_OWNER.match(masked, start, end)
                if owner and _classify_ko(owner.group(1), people)[0] == NAME:
                    subject = Subject(NAME, owner.start(1), owner.end(1))
            if subject.kind == SYSTEM and pattern.policy != ALWAYS:
                continue
            if pattern.policy == PERSON_ONLY and subject.kind not in (PERSON, NAME):
                continue
            add(start, end, pattern.rule, pattern.korean)
            if subject.kind == NAME:
                add(subject.start, subject.end, PERSON_AS_CAUSE, pattern.korean)

    if has_hangul and "때문에" in masked:
        for m in _KO_BECAUSE.finditer(masked):
            before = _KO_CAUSE_BEFORE.search(masked, max(0, m.start() - 30), m.start())
            if before is None:
                continue
            cause = before.group(1)
            kind, _particle = _classify_ko(cause.replace(" ", ""), people)
            if _KO_NAME_HONORIFIC.fullmatch(cause) or kind == NAME:
                add(before.start(1), m.end(), PERSON_AS_CAUSE, True)
            elif kind == PERSON:
                add(before.start(1), m.end(), BLAME_VERB, True)

    if "s fault" in lowered or "s mistake" in lowered or "s error" in lowered or "s neg" in lowered:
        for m in _EN_POSSESSIVE_FAULT.finditer(lowered):
            owner = _EN_OWNER.search(masked, max(0, m.start() - 40), m.start())
            if owner and _classify_en(owner.group(), people) == NAME:
                add(owner.start(), owner.end(), PERSON_AS_CAUSE, False)

    if "because" in lowered or "due to" in lowered or "blame" in lowered:
        for m in _EN_BECAUSE_OF.finditer(lowered):
            if _classify_en(masked[m.start(1) : m.end(1)], people) == NAME:
                add(m.start(1), m.end(1), PERSON_AS_CAUSE, False)

    return sorted(found.values(), key=lambda f: (f.start, f.end, f.rule))


def benchmark(size=10_000, rounds=50, people=("alex", "bob", "민수")):
    """Milliseconds per call of ``find_blame`` on ``size`` characters of mixed prose."""
    sample = (
        "At 10:02 the deploy failed to start and the canary rolled back. Bob should have "
        "checked the dashboard. 민수님이 롤백을 시작했다. 설정을 확인했어야 했다. "
        "> quoted: human error\nThe alert fired and Alex paged the on-call. "
    )
    text = (sample * (size // len(sample) + 1))[:size]
    people = normalise_people(people)
    find_blame(text, people=people)
    timings = []
    for _round in range(rounds):
        began = time.perf_counter()
        find_blame(text, people=people)
        timings.append(time.perf_counter() - began)
    timings.sort()
    return timings[len(timings) // 2] * 1000  # the median: robust on a busy machine
