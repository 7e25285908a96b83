"""Which Korean sentences can fire a rule at all — decided without the analyser.

Kiwi costs about 20 µs per character, so a sentence goes through it only when it holds
what some rule needs before it can report anything: a failure verb, a judgement noun, a
past tense before a counterfactual ending, a negation next to a duty verb, and, for the
rules that need someone to blame, a word that can name a person. Every surface form here
is derived from the rules' own word lists (``words_ko``, ``cues_ko``), so a verb added to
a list is a trigger too; ``tests`` check on the whole corpus that the findings are the
same with this filter as without it.

Conjugation changes only the last syllable of a stem, and keeps its first consonant:
잊/잊었, 놓치/놓쳐/놓쳤, 따르/따라, 보/봐/봤, 하/해/했. So a stem is matched as its syllables
but the last, then any syllable with the same first consonant and the same (or the
contracted) vowel.
"""

import re
from functools import cache

from . import words_ko as W
from .actors_en import NAME, PERSON
from .actors_en import classify as classify_latin
from .cues_ko import (
    _ACTION_NOUNS,
    _CARELESS,
    _CONCESSIVE_ENDINGS,
    _CONDITIONAL_ENDINGS,
    _FAILURE_PHRASES,
    _HINDSIGHT,
    _HUMAN_ERROR,
    _OUTCOME,
    _POSSESSED_ERRORS,
)
from .nouns_ko import CAUSE_NOUNS
from .predicates_ko import OUTCOME_VERBS

_BASE = 0xAC00
_VOWELS = 21
_FINALS = 28
_PAST_FINAL = 20  # ㅆ
# Vowel index → the vowels it contracts to before 어/아 (ㅣ+어 → ㅕ, ㅗ+아 → ㅘ, …).
_CONTRACTED = {8: (9,), 13: (14,), 20: (6,), 18: (4, 0), 0: (1,), 11: (10,)}


def _syllable(char):
    code = ord(char) - _BASE
    if not 0 <= code < 11172:
        return None
    return code // (_VOWELS * _FINALS), (code // _FINALS) % _VOWELS, code % _FINALS


def _class(initial, vowels, finals):
    chars = [
        chr(_BASE + (initial * _VOWELS + vowel) * _FINALS + final)
        for vowel in vowels
        for final in finals
    ]
    return "[" + "".join(chars) + "]"


def stem_pattern(lemma):
    """A regular expression for the conjugated forms of a verb lemma ("놓치다" →
    "놓[치친칠...쳐쳤...]"); a 하다 verb by its noun ("확인하다" → "확인")."""
    stem = lemma[:-1] if lemma.endswith("다") else lemma
    if stem.endswith("하") and len(stem) > 1:
        return re.escape(stem[:-1])
    parts = _syllable(stem[-1])
    if parts is None:
        return re.escape(stem)
    initial, vowel, final = parts
    if final:
        # Regular stems keep a final consonant; ㄷ, ㅂ, ㅅ and ㅎ may change or drop it.
        finals = (final, 8, 0) if final in (7, 17, 19, 27) else (final,)
        body = _class(initial, (vowel,), finals)
    else:
        # An open stem takes ㄴ, ㄹ, ㅁ, ㅂ or ㅆ of an ending: 본, 볼, 봄, 봅니다, 봤다.
        body = _class(initial, (vowel, *_CONTRACTED.get(vowel, ())), (0, 4, 8, 16, 17, 20))
    return re.escape(stem[:-1]) + body


def _alternation(patterns):
    return "|".join(sorted(set(patterns), key=lambda p: (-len(p), p)))


def _words(words):
    return _alternation(re.escape(w) for w in words)


def _top_level_branches(pattern):
    """``pattern`` cut at each "|" outside groups and character classes."""
    branches = []
    depth = start = i = 0
    in_class = False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 1  # the escaped character is a literal
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            i += pattern.startswith("^", i + 1)
            i += pattern.startswith("]", i + 1)  # "[]…]", "[^]…]": a literal "]"
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            branches.append(pattern[start:i])
            start = i + 1
        i += 1
    branches.append(pattern[start:])
    return branches


_NOT_LITERAL = frozenset("\\()[].^$|?*+{")


def _by_first_character(pattern):
    """``pattern`` with its branches that start with the same literal character joined
    ("확인|확정" → "확(?:인|정)"): the same matches, but where a branch starts, the engine
    tries one branch per character instead of every branch (the long expressions below
    have a hundred and more). Only searched, so the branches' order does not matter."""
    groups = {}
    for branch in _top_level_branches(pattern):
        if len(branch) > 1 and branch[0] not in _NOT_LITERAL and branch[1] not in "*+?{":
            groups.setdefault(branch[0], []).append(branch[1:])
        else:
            groups.setdefault(branch, []).append("")  # kept whole
    return "|".join(
        head + rests[0] if len(rests) == 1 else head + "(?:" + "|".join(rests) + ")"
        for head, rests in groups.items()
    )


# A word denied where it stands: "실수하지 않았다", "잊지 못했다", "잘못이 아니었습니다".
# Every rule that reads a failure verb, an error or carelessness noun or "잘못" drops it
# when its own clause denies it (``predicates_ko``: a negated predicate; ``nouns_ko.
# denied_after``: 않다, 못하다 or 아니다 later in the clause), so such a word cannot fire.
_DENIAL = r"(?:하?지\s?(?:않|못)|[이가은는]?\s?아[니닙])"
_DENIED_HERE = "(?!" + _DENIAL + ")"


@cache
def _always():
    """Words that can make a finding whoever acts (or with nobody written). "잘못" before
    a verb ("잘못 입력했다") is one; "잘못된 X" needs someone who did it. A word denied
    right after it ("실수하지 않았다") is none."""
    failure = [stem_pattern(lemma) for lemma in W.FAILURE]
    words = [re.escape(w) for w in W.CARELESS_NOUNS | W.ERROR_NOUNS]
    # The look-ahead goes on each branch, not on a group around them: a pattern whose
    # every top-level branch starts with a literal lets the engine skip to those
    # characters; a group in front makes it try every position (six times slower).
    branches = [p + _DENIED_HERE for p in failure + words] + [r"잘못(?!\s?되|\s?된)" + _DENIED_HERE]
    return re.compile(_by_first_character(_alternation(branches) + "|더라면"))


# The branches of the phrase expressions that do not start with a literal, each with a
# wider one that does: a match of the branch holds a match of the wider one.
_WIDER = (
    (
        _FAILURE_PHRASES,
        r"|(?:켜|열어|꺼)\s?(?:둔|놓은)\s?채",
        r"|켜\s?(?:둔|놓은)\s?채|열어\s?(?:둔|놓은)\s?채|꺼\s?(?:둔|놓은)\s?채",
    ),
    (
        _HINDSIGHT,
        r"|[가-힣]{1,10}(?<!있으)(?:기만|만)\s?하면\s?(?:됐|되는\s?(?:일|것|거))",
        r"|만\s?하면\s?(?:됐|되는)",
    ),
    (
        _HINDSIGHT,
        r"|(?:합리적인|경력이\s?있는|경험\s?많은|유능한)\s?[가-힣]+(?:이|)라면",
        r"|합리적인|경력이|경험|유능한",
    ),
)


def _widened(regex):
    pattern = regex.pattern
    for of, branch, wider in _WIDER:
        if of is regex:
            if branch not in pattern:
                raise ValueError(f"{branch!r} changed: widen it again")
            pattern = pattern.replace(branch, wider)
    return pattern


# The rules' own phrase expressions, searched one by one (joined into one alternation
# they lose the literal-prefix scans that make each of them quick). A carelessness
# phrase counts even when denied (the rule does not read denial); the others are
# dropped by their rule when denied in their clause, so one denied where it stands
# ("휴먼 에러가 아니었다") cannot fire.
_PHRASES = ((_HUMAN_ERROR, True), (_FAILURE_PHRASES, True), (_CARELESS, False), (_HINDSIGHT, True))
_DENIED_AT = re.compile(_DENIAL)


# The phrase expressions with a branch that does not start with a literal are tried at
# every position; each is searched in its widened form first, which skips to the literals
# (several times quicker), and a text that form does not match holds no match of it.
_GUARDS = {id(regex): re.compile(_widened(regex)) for regex, _branch, _wider in _WIDER}


def phrase_matches(regex, text):
    """``regex.finditer(text)`` for one of the phrase expressions, skipped when its
    widened form finds nothing."""
    guard = _GUARDS.get(id(regex))
    if guard is not None and not guard.search(text):
        return ()
    return regex.finditer(text)


@cache
def _any_phrase():
    """The phrase expressions' widened forms as one: a text it does not match holds no
    phrase, found in one search instead of one per expression (most sentences)."""
    return re.compile(_by_first_character("|".join(_widened(r) for r, _deniable in _PHRASES)))


def may_hold_phrase(text):
    """Could one of the phrase expressions match in ``text``?"""
    return _any_phrase().search(text) is not None


def _phrase(text):
    if not may_hold_phrase(text):
        return False
    for regex, deniable in _PHRASES:
        for m in phrase_matches(regex, text):
            if not (deniable and _DENIED_AT.match(text, m.end())):
                return True
    return False


@cache
def _mood():
    """A counterfactual ending: 어야 (must) or a conditional or concessive one."""
    endings = {"어야", "아야", "여야"} | _CONDITIONAL_ENDINGS | _CONCESSIVE_ENDINGS
    return re.compile(r"([가-힣])(?:" + _words(endings) + ")")


# A noun with its subject or topic particle: "체크섬이", "단계가", "런북은".
_SUBJECT_END = frozenset("이가은는도")


def _existence(text, at):
    """Is the past tense at ``at`` that of 있다/없다 as a verb of its own ("단계가
    있었다면"), not the auxiliary of another verb ("적혀 있었다면")?"""
    if at < 1 or text[at - 1] not in "있없" or text[at] != "었":
        return False
    start = at - 1
    if start > 0 and not text[start - 1].isspace():
        return False
    before = text[:start].rstrip()
    return bool(before) and before[-1] in _SUBJECT_END


def _passive(text, at):
    """Is the past tense at ``at`` that of a passive (되다, 지다): "표시되었다면", "됐다면"?"""
    return text[at] in "됐졌" or (text[at] == "었" and at > 0 and text[at - 1] == "되")


def _past(char):
    parts = _syllable(char)
    return parts is not None and parts[2] == _PAST_FINAL


# The negations the rules read: 않다, 못하다, and the adverbs 못 and 안 (a word of its own,
# not the noun of "5분 안에").
# "응답하지 않으면 …" is a condition, not an omission (the rules skip a predicate ending
# in 면 with no past tense), so 않으면 and 못하면 do not count; 않으면서 does.
_NEGATION = r"(?:않(?!으면(?!서))|못(?!하면(?!서))|(?<![가-힣])안(?![에의으]))"


def _literal_first(pattern):
    """``pattern`` as branches that each start with one literal character: a leading
    character class is spelled out ("[보본볼]" → "보", "본", "볼"). A pattern whose every
    top-level branch starts with a literal lets the engine skip to those characters
    instead of trying every position."""
    if not pattern.startswith("["):
        return [pattern]
    end = pattern.index("]")
    return [re.escape(char) + pattern[end + 1 :] for char in pattern[1:end]]


@cache
def _omission():
    """A duty verb (or a duty noun with 하다) and a negation close after it, as the
    analyser finds them in one predicate: "확인하지 않았다", "점검을 하지 못했다",
    "확인 안 했다" — or the adverb before it: "안 봤다". Only searched (is there one?),
    so its branches may come in any order."""
    stems = [stem_pattern(lemma) for lemma in W.DUTY if lemma != "하다"]
    stems += [re.escape(noun) for noun in W.DUTY_NOUNS]
    duty = _alternation(stems)
    # A passive ("갱신되지 않았다") is no one's omission.
    then_denied = r"(?!\s?(?:되|됐|돼|된))[^.!?;,]{0,10}?" + _NEGATION
    branches = [branch + then_denied for stem in stems for branch in _literal_first(stem)]
    # The adverb, as a word of its own (the look-behind after it keeps the branch
    # starting with a literal): "안 봤다", "못 했다".
    branches += [rf"{adverb}(?<![가-힣]{adverb})\s?(?:{duty})" for adverb in ("안", "못")]
    return re.compile(_by_first_character(_alternation(branches)))


@cache
def _outcome_caused():
    """An incident as the object of a verb that makes one: "장애를 냈다"."""
    verbs = _alternation(stem_pattern(lemma) for lemma in OUTCOME_VERBS)
    return re.compile("(?:" + _words(W.BAD_OUTCOMES) + r")[을를]?\s?(?:" + verbs + ")")


@cache
def _with_someone():
    """Cues that are blame only when a person, role, team or company is written."""
    return re.compile(
        # "잘못이 아니었습니다": the fault denied where it stands (``nouns_ko``).
        r"잘못"
        + _DENIED_HERE
        + "|"
        + _words(CAUSE_NOUNS - {"잘못"} | {"원인", "엉뚱"})
        + r"|의\s?[^.!?]*?(?:"
        + _words(_POSSESSED_ERRORS | _ACTION_NOUNS)
        + ")"
    )


# What may follow a noun inside its word: particles, the copula, honorifics, plural.
_PARTICLE = re.compile(r"(?:께서는|께서|에게|한테|이었|이다|입니|였|이|가|은|는|도|의|에|들|님|씨)")
_PARTICLE_FIRST = frozenset("께에한이입였가은는도의들님씨")
_WORD = re.compile(r"[0-9A-Za-z@_.\-가-힣]+")
_LATIN_WORD = re.compile(r"[A-Za-z@][A-Za-z0-9_.\-]*")


def _person_word(word, people):
    if word.lower() in people:
        return True
    if word.isascii() and _LATIN_WORD.fullmatch(word):  # Hangul cannot match: no call
        return classify_latin(word, people) in (PERSON, NAME)
    if word in W.PERSON or word in W.PRONOUNS:
        return True
    if word in W.NOT_PERSON or word in W.SYSTEM:
        return False
    return len(word) >= 2 and word.endswith(W.ROLE_SUFFIXES)


def someone_written(text, people):
    """Could a word of ``text`` be a person, role, team or company (or a name in
    ``people``) as the analyser would read it: the word without its particle?"""
    if "님" in text or "씨" in text or "@" in text:
        return True
    for m in _WORD.finditer(text):
        word = m.group()
        if _person_word(word, people):
            return True
        for cut in range(len(word) - 1, 0, -1):
            if (
                word[cut] in _PARTICLE_FIRST
                and _PARTICLE.match(word, cut)
                and _person_word(word[:cut], people)
            ):
                return True
    return False


# What every way of firing below needs, as one expression searched once per sentence:
# most sentences hold none of it and are settled by that one search instead of a dozen.
# Each branch starts with a literal character (so the engine skips to those characters),
# and each may match more than the check it stands for, never less: a sentence it does
# not match cannot fire.
_PAST_SYLLABLES = "".join(
    chr(_BASE + (initial * _VOWELS + vowel) * _FINALS + _PAST_FINAL)
    for initial in range(19)
    for vowel in range(_VOWELS)
)


@cache
def _prefilter():
    """A superset of the sentences ``could_fire`` lets through (``tests`` check that it
    decides the same on the corpus as without it)."""
    endings = {"어야", "아야", "여야"} | _CONDITIONAL_ENDINGS | _CONCESSIVE_ENDINGS
    branches = [
        # _always: the failure verbs, the error and carelessness nouns, 잘못, 더라면.
        *(b for lemma in W.FAILURE for b in _literal_first(stem_pattern(lemma))),
        *(re.escape(w) for w in W.CARELESS_NOUNS | W.ERROR_NOUNS),
        "잘못",
        "더라면",
        # _phrase: the phrases (each branch of these starts with a literal).
        *(_widened(regex) for regex, _deniable in _PHRASES),
        # _mood: an ending after a past tense (the only ones that count but 더라면).
        *(re.escape(e) + f"(?<=[{_PAST_SYLLABLES}]{re.escape(e)})" for e in endings),
        # _omission: its negation (the adverb branches start with 안 or 못).
        "않|못|안",
        # _with_someone (each branch starts with a literal).
        _with_someone().pattern,
        # _outcome_caused: an outcome noun and a verb after it.
        *(
            re.escape(w)
            + r"[을를]?\s?(?:"
            + _alternation(stem_pattern(v) for v in OUTCOME_VERBS)
            + ")"
            for w in W.BAD_OUTCOMES
        ),
        # _OUTCOME (each branch starts with a literal).
        _OUTCOME.pattern,
    ]
    return re.compile(_by_first_character("|".join(branches)))


def could_fire(text, people):
    """Can any Korean rule report something in this sentence? When False, the sentence
    is left alone without analysing it."""
    if not _prefilter().search(text):
        return False
    if _always().search(text):
        return True
    passive_condition = False
    if _phrase(text):
        return True
    for m in _mood().finditer(text):
        if not (_past(m.group(1)) or m.group(0).endswith("더라면")):
            continue
        if m.group(1) in "있없" and not m.group(0).endswith("더라면"):
            # "있어야", "없다면": the ㅆ is the stem's, not a past tense, and a
            # counterfactual needs one ("있었어야" has 었 before the ending).
            continue
        if _existence(text, m.start()):
            continue  # "체크섬이 있었다면": 있다 and 없다 are no one's choice
        if _passive(text, m.start()) and not m.group(0).endswith(("어야", "아야", "여야")):
            passive_condition = True  # "표시되었다면": only with a person written
            continue
        return True
    # Every omission holds a negation (않, 못, 안), which many sentences have none of.
    if ("않" in text or "못" in text or "안" in text) and _omission().search(text):
        return True
    if _outcome_caused().search(text):
        return True
    # The rules that need someone written: a passive condition, a cause or fault noun
    # (_with_someone), or someone acting before an incident ("현우 씨가 … 재시작하는 바람에
    # 장애가 났다"); whether someone is written is asked once.
    needs_someone = passive_condition or _with_someone().search(text) or _OUTCOME.search(text)
    return bool(needs_someone) and someone_written(text, people)
