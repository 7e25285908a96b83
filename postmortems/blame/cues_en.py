"""English cues: the regular expressions (over the lower-cased sentence) that find a
candidate phrase, each with the rule it belongs to and the *kind* of judgement
``rules_en`` applies in its clause:

- ``term``: a judgement in itself ("human error", "careless", "blindingly obvious");
  a finding unless denied in its clause ("not careless", "nobody's fault").
- ``not_system``: blaming unless a system acts ("the scheduler ignored the flag").
- ``person``: blaming only with a person, role, team or company acting ("Bob failed to").
- ``object_person``: the cue sits after the verb ("ran it on the wrong host"); the
  clause's subject must be a person, and a passive clause has none.
- ``omission``: a person did not do their part ("did not follow the runbook"), unless the
  sentence explains why ("… because the prompt did not show it").
- ``modal``: "should/could/would have …": a person acting, or a passive with a human
  action ("should not have been removed"); a system's expected behaviour is left alone.
- ``conditional``: "if X had …", "had X …": judged by X.
- ``object``: judged by what follows ("blame the retry policy", "because of @sam").
- ``hindsight``: "obviously", "clearly": only about the past, not "obviously we want …".
- ``owner``: "Jordan's change is what broke …": the owner before "'s" is the cause.
"""

import re
from functools import cache
from typing import NamedTuple

from . import words_en as W
from .morph_en import all_forms
from .rules import (
    BLAME_VERB,
    CARELESSNESS,
    COUNTERFACTUAL,
    HINDSIGHT_BIAS,
    HUMAN_ERROR,
    PERSON_AS_CAUSE,
)

TERM = "term"
NOT_SYSTEM = "not_system"
PERSON_ONLY = "person"
OBJECT_PERSON = "object_person"
OMISSION = "omission"
MODAL = "modal"
CONDITIONAL = "conditional"
OBJECT = "object"
HINDSIGHT = "hindsight"
OWNER = "owner"


class Cue(NamedTuple):
    rule: str
    kind: str
    regex: re.Pattern
    in_questions: bool = True
    names_only: bool = False  # an ``object`` cue that only counts a named person
    # The regex runs only on sentences with one of these words (a set lookup costs far
    # less than scanning the sentence with a long alternation); empty: always.
    triggers: frozenset = frozenset()


def _words(text):
    return frozenset(text.split())


def _alt(words):
    return "(?:" + "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True)) + ")"


_NOT = r"(?:did\s*n[’']t|did\s+not|does\s*n[’']t|does\s+not|never|failed\s+to|neglected\s+to)"
_ADVERB = r"(?:(?:just|simply|really|even|at\s+least|also|first|easily|ever)\s+)?"


@cache
def cues():
    """The English cues, compiled once (inflections come from lemminflect)."""
    failure = _alt(all_forms(W.FAILURE_VERBS) | all_forms(W.FAILURE_PHRASES))
    duty = _alt(all_forms(W.DUTY_VERBS))
    failure_triggers = frozenset(
        form.split()[0] for form in all_forms(W.FAILURE_VERBS) | all_forms(W.FAILURE_PHRASES)
    )
    duty_past = _alt(
        {f for f in all_forms(W.DUTY_VERBS) if f.endswith("ed")} | {"read", "kept", "met"}
    )
    return (
        # --- human error
        Cue(
            HUMAN_ERROR,
            TERM,
            re.compile(
                r"\b(?:human|operator|manual|people|user|employee|staff|worker|technician|"
                r"personnel)[\s-]+(?:errors?|mistakes?|failures?|typos?|slips?|problems?)\b"
                r"(?!\s+(?:rates?|counts?|budgets?|codes?|messages?|logs?|handling|handlers?|"
                r"paths?|metrics?|ratio|pages?|states?|reported|fields?))"
                r"|\bpebkac\b|\bfat[\s-]?finger(?:ed|ing|s)?\b|\bhonest\s+mistake\b"
                r"|\b(?:simple|silly|stupid|rookie|dumb|careless|clumsy)\s+(?:mistakes?|errors?|"
                r"blunders?|typos?)\b|\bmistake\s+by\b|\berror\s+by\s+(?:a|an|the|one|our)\b"
                r"|\b(?:human|people)\s+factor\s+was\b|\ba\s+people\s+problem\b"
            ),
            triggers=_words(
                "human operator manual people user employee staff worker technician "
                "personnel pebkac fat fatfinger fat-finger fat-fingered honest simple "
                "silly stupid rookie dumb careless clumsy mistake error"
            ),
        ),
        Cue(
            HUMAN_ERROR,
            NOT_SYSTEM,
            re.compile(
                r"\b(?:made|make|making|makes)\s+(?:a|an|the|another|one)?\s*(?:\w+\s+)?"
                r"(?:mistakes?|errors?|blunders?|typos?)\b"
                r"|[’']s\s+(?:mistakes?|errors?|typos?|blunders?|slip)\b"
            ),
            triggers=_words(
                "made make making makes mistake mistakes error errors typo typos blunder "
                "blunders slip"
            ),
        ),
        Cue(
            HUMAN_ERROR,
            PERSON_ONLY,
            re.compile(
                r"\bby\s+(?:a\s+)?mistake\b|\bin\s+error\b|\bmistakenly\b|\baccidentally\b"
                r"|\binadvertently\b|\bunintentionally\b|\bby\s+accident\b"
            ),
            in_questions=False,
            triggers=_words(
                "mistake error mistakenly accidentally inadvertently unintentionally accident"
            ),
        ),
        # --- carelessness
        Cue(
            CARELESSNESS,
            TERM,
            re.compile(
                r"\bcareless(?:ly|ness)?\b|\bnegligen(?:t|tly|ce)\b|\bslopp(?:y|ily|iness)\b"
                r"|\breckless(?:ly|ness)?\b|\blazy\b|\blaziness\b|\bincompeten(?:t|ce|tly)\b"
                r"|\bcomplacen(?:t|cy|ce)\b|\blax\b|\bhast(?:y|ily)\b|\bcut(?:ting)?\s+corners\b"
                r"|\basleep\s+at\s+the\s+wheel\b|\bamateur(?:s|ish)?\b|\bhalf-asleep\b"
                r"|\black\s+of\s+(?:\w+\s+)?(?:diligence|care|attention|discipline|rigou?r|"
                r"professionalism|ownership)\b|\bno\s+regard\s+for\b|\bnot\s+careful\s+enough\b"
                r"|\b(?:could\s*n[’']t|could\s+not|did\s*n[’']t|did\s+not|never|nobody|no\s+one)"
                r"\s+(?:even\s+)?(?:be\s+)?bother(?:ed)?\b|\bnot\s+paying\s+attention\b"
                r"|\bwithout\s+(?:even\s+)?(?:thinking|bothering)\b|\binattentive(?:ly)?\b"
                r"|\bout\s+of\s+habit\b|\brubber[\s-]?stamp(?:ed|ing|s)?\b|\bshocking\s+lack\b"
                r"|\bwithout\s+(?:anyone|anybody|someone|a\s+second\s+look)\b"
            ),
            triggers=_words(
                "careless carelessly carelessness negligent negligently negligence sloppy "
                "sloppily sloppiness reckless recklessly recklessness lazy laziness "
                "incompetent incompetence incompetently complacent complacency "
                "complacence lax hasty hastily cut cutting asleep amateur amateurs "
                "amateurish half-asleep lack regard careful bother bothered paying "
                "thinking bothering inattentive inattentively habit rubber rubber-stamp "
                "rubber-stamped rubber-stamping rubberstamp stamp stamped shocking "
                "without"
            ),
        ),
        Cue(
            CARELESSNESS,
            OBJECT_PERSON,
            re.compile(
                r"\bwithout\s+(?:even\s+)?(?:looking|reading|checking|validating|verifying|"
                r"testing|opening|asking|telling|investigating|reviewing|notice|warning|"
                r"approval|permission|a\s+ticket|a\s+review|review|a\s+dry[\s-]run|a\s+plan|"
                r"a\s+rollback\s+plan|a\s+backup|a\s+snapshot|consulting|informing|waiting)\b"
                r"|\bagainst\s+(?:the\s+)?(?:policy|process|rules|procedure|advice)\b"
            ),
            triggers=_words("without against"),
        ),
        # --- blame verbs
        Cue(
            BLAME_VERB,
            PERSON_ONLY,
            re.compile(r"\bfail(?:ed|s)?\s+to\b"),
            triggers=_words("fail failed fails"),
        ),
        Cue(BLAME_VERB, NOT_SYSTEM, re.compile(r"\b" + failure + r"\b"), triggers=failure_triggers),
        Cue(
            BLAME_VERB,
            NOT_SYSTEM,
            re.compile(
                r"\bbroke\s+(?:" + "|".join(sorted(W.BROKE_OBJECTS)) + r")\b"
                r"|\b(?:took|taken|take|takes|taking)\s+(?:down\s+(?:prod|production|the\s+site|"
                r"everything|the\s+\w+\s+api)|(?:prod|production|the\s+site|everything)\s+down)\b"
                r"|\bmiss(?:ed|es)?\s+(?:the\s+|an?\s+|all\s+|several\s+|both\s+|three\s+|"
                r"two\s+|multiple\s+)?(?:\w+\s+)?" + _alt(W.MISSED_OBJECTS) + r"\b"
                r"|\bwas\s+slow\s+to\b|\bdropped\s+the\s+ball\b|\bwent\s+back\s+to\s+(?:sleep|bed)\b"
            ),
            triggers=_words(
                "broke took taken take takes taking miss missed misses slow dropped went"
            ),
        ),
        Cue(
            BLAME_VERB,
            OBJECT_PERSON,
            re.compile(
                r"\b(?:the|a)\s+wrong\b|\binstead\s+of\b|\b(?:straight|directly)\s+(?:in)?to\s+"
                r"(?:prod|production)\b|\bagainst\s+production\b"
            ),
            triggers=_words("wrong instead straight directly against"),
        ),
        Cue(
            BLAME_VERB,
            OMISSION,
            re.compile(r"\b" + _NOT + r"\s+(?:even\s+)?" + duty + r"\b"),
            triggers=_words("did didn't didn’t does doesn't doesn’t never failed neglected"),
        ),
        Cue(
            BLAME_VERB,
            OMISSION,
            re.compile(r"\bnever\s+" + duty_past + r"\b"),
            triggers=_words("never"),
        ),
        Cue(
            BLAME_VERB,
            TERM,
            re.compile(
                r"\b(?:is|was|are|were)\s+to\s+blame\b|\bat\s+fault\b|[’']s\s+fault\b"
                r"|\b(?:blame|fault)\s+lies\b|\bfault\s+lay\b|\bresponsible\s+for\s+(?:this|the)\s+"
                r"(?:outage|incident|failure|downtime|data\s+loss)\b"
            ),
            triggers=_words("blame fault responsible lies lay"),
        ),
        Cue(
            BLAME_VERB,
            OBJECT,
            re.compile(
                r"\bblam(?:e|ed|es|ing)\b(?!\s*-?\s*(?:less|free))(?!\s+(?:is|was|are|were)\b)"
                r"|\bthe\s+culprit\s+was\b"
            ),
            triggers=_words("blame blamed blames blaming culprit"),
        ),
        Cue(
            PERSON_AS_CAUSE,
            OBJECT,
            re.compile(
                r"\b(?:because\s+of|due\s+to|thanks\s+to|caused\s+by|down\s+to|"
                r"root\s+cause\s+(?:is|was)|reason\s+(?:is|was)|culprit\s+(?:is|was)|"
                r"(?:is|was)\s+(?:all\s+)?on|lies\s+(?:squarely\s+)?with)\b"
            ),
            triggers=_words("because due thanks caused down root reason culprit on lies"),
        ),
        Cue(
            PERSON_AS_CAUSE,
            PERSON_ONLY,
            re.compile(
                r"\b(?:caused|triggered|broke|started)\s+(?:the|this|an?|a\s+\w+[\s-]hour)\s+"
                r"(?:\w+\s+)?(?:outage|incident|downtime|failure|problem|fire)\b"
                r"|\b(?:is|was)\s+the\s+reason\b|\bsingle-handedly\b|\bled\s+(?:directly\s+)?to\b"
            ),
            triggers=_words("caused triggered broke started reason single-handedly led"),
        ),
        Cue(
            BLAME_VERB,
            OWNER,
            re.compile(
                r"[’']s\s+(?:\w+\s+){0,2}(?:change|changes|migration|decision|push|commit|deploy|"
                r"script|refactor|config|command|pr|update|rule|typo|mistake|call)\b"
                r"(?=.{0,200}\b(?:broke|broken|caused|locked|blocked|took|led|triggered|brought|is\s+what|"
                r"was\s+what|deleted|wiped|dropped|disabled|knocked)\b)"
            ),
        ),
        Cue(
            PERSON_AS_CAUSE,
            OBJECT,
            re.compile(r"\bbecause\b(?!\s+of\b)"),
            names_only=True,
            triggers=_words("because"),
        ),
        Cue(
            CARELESSNESS,
            TERM,
            re.compile(r"\b(?:nobody|no\s+one|never)\b[^.;:]{0,40}?\bbother(?:ed|ing)?\b"),
            triggers=_words("bother bothered bothering"),
        ),
        Cue(
            BLAME_VERB,
            OBJECT_PERSON,
            re.compile(
                r"\b(?:pushed|shipped|deployed|merged|applied|committed|released|introduced|"
                r"rolled\s+out)\s+(?:a|an|the)\s+(?:bad|broken|faulty|buggy|untested|incorrect|"
                r"invalid)\b"
            ),
            triggers=_words(
                "pushed shipped deployed merged applied committed released introduced rolled"
            ),
        ),
        Cue(
            HINDSIGHT_BIAS,
            TERM,
            re.compile(
                r"\b(?:just|simply|only)\s+(?:needed|took|required)\s+(?:someone|somebody|anyone|"
                r"one\s+person|a\s+person|a\s+human)\s+to\b"
            ),
            triggers=_words("needed took required"),
        ),
        # --- counterfactuals
        Cue(
            COUNTERFACTUAL,
            MODAL,
            re.compile(
                r"\b(?:should|could|would|might|must|ought\s+to)(?:\s*n[’']t|\s+not|\s+never)?\s+"
                + _ADVERB
                + r"(?:have|[’']ve)\s+"
                + _ADVERB
                + r"(?:been\s+)?(?:\w+ed|known|done|seen|run|caught|taken|found|read|written|"
                r"thought|gone|left|kept|told|sent|put|set|spotted|noticed|understood|broken|"
                r"shown|given|drawn|chosen|made|asked|waited|hit|shut|paid)\b"
                r"|\bshould[’']ve\s+\w+"
            ),
            in_questions=False,
            triggers=_words(
                "should could would might must ought should've could've would've might've "
                "must've should’ve could’ve would’ve might’ve must’ve shouldn't couldn't "
                "wouldn't mightn't mustn't shouldn’t couldn’t wouldn’t"
            ),
        ),
        Cue(
            COUNTERFACTUAL,
            CONDITIONAL,
            re.compile(
                r"\bif\s+(?:only\s+)?(?:[@\w'’-]+\s+){1,4}?had\s+(?!no\b|to\b|a\b|an\b|the\b)"
                r"|(?:^|[,;:]\s*|\n)\s*had\s+(?:[@\w'’-]+\s+){1,4}?"
                r"(?:been\s+paying|\w+ed|done|taken|known|read|run|gone|waited|bothered)\b"
            ),
            in_questions=False,
            triggers=_words("if had"),
        ),
        Cue(
            COUNTERFACTUAL,
            OBJECT,
            re.compile(r"\bif\s+only\b"),
            in_questions=False,
            triggers=_words("only"),
        ),
        Cue(
            COUNTERFACTUAL,
            TERM,
            re.compile(
                r"\b(?:should|must|need\s+to|needs\s+to|have\s+to)\s+be\s+(?:a\s+lot\s+|much\s+)?"
                r"more\s+" + _alt(W.MORE_CAREFUL) + r"\b"
                r"|\bshould\s+have\s+known\s+better\b|\bknown\s+better\s+than\b"
            ),
            triggers=_words("more known better"),
        ),
        Cue(
            COUNTERFACTUAL,
            NOT_SYSTEM,
            re.compile(
                r"\bshould\s+have\s+been\s+(?:run|reviewed|tested|checked|caught|done)\s+by\b"
            ),
            triggers=_words("should"),
        ),
        # --- hindsight
        Cue(
            HINDSIGHT_BIAS,
            TERM,
            re.compile(
                r"\bblindingly\s+obvious\b|\bany\s+(?:competent|reasonable|decent|experienced|"
                r"sensible|half-decent|good)\s+\w+|\bcommon\s+sense\b"
                r"|\b(?:any\s?one|anybody|everyone)\s+(?:could\s+(?:have\s+)?(?:see|seen|tell|"
                r"spot|know)|would\s+have|with\s+(?:basic|any|half|a\s+little|some)|who\s+cared"
                r"|knows\b|knew\b)"
                r"|\bstaring\s+(?:us|them|him|her|you)\s+in\s+the\s+face\b"
                r"|\bright\s+there\s+in\s+the\b|\ball\s+it\s+took\s+was\b|\bwas\s+trivial\b"
                r"|\ball\s+(?:\w+\s+){1,2}(?:had|needed)\s+to\s+do\s+was\b"
                r"|\b(?:one|a\s+single|a\s+quick)\s+(?:look|glance)\s+at\b"
                r"|\bwould\s+have\s+taken\s+(?:only\s+|just\s+)?(?:one|a|five|a\s+few)\s+"
                r"(?:look|glance|minutes?|seconds?)\b|\bit\s+was\s+just\s+a\s+matter\s+of\b"
                r"|\bshould\s+have\s+been\s+(?:obvious|clear|apparent|evident)\b"
                r"|\beveryone\s+knows\b|\bsurely\b"
            ),
            triggers=_words(
                "blindingly any common anyone anybody everyone staring right all took "
                "trivial one single quick glance look taken matter should knows surely"
            ),
        ),
        Cue(
            HINDSIGHT_BIAS,
            NOT_SYSTEM,
            re.compile(
                r"\b(?:just|simply)\s+(?:needed|had)\s+(?:\w+\s+)?to\b"
                r"|\bsimply\b(?!\s+(?:put|no|not|never|nothing|none|too|because|"
                r"(?:had|did|was|were|could|can|do|does|is|are|would)(?:n[’']t|\s+not|not)|"
                r"had\s+no|exits?|waits?|returns?|restarting|stated)\b)"
            ),
            triggers=_words("just simply"),
        ),
        Cue(
            HINDSIGHT_BIAS,
            HINDSIGHT,
            re.compile(r"\bobvious(?:ly)?\b|\bclearly\b|\bof\s+course\b"),
            triggers=_words("obvious obviously clearly course"),
        ),
    )


# Talking about blame, not blaming: essays, guides, section titles.
