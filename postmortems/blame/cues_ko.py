"""Korean cues: the phrases found by regular expression (human error, carelessness,
hindsight), and the small word sets the Korean judgement uses (``triggers_ko`` derives
from them what a sentence must contain to be analysed at all)."""

import re

# Writing about blame, not blaming.
_META = re.compile(
    r"(?:라는|이라는)\s?(?:표현|말|단어|용어|문장)|비난\s?없는|비난하지|탓하지\s?(?:맙|말)"
    r"|쓰지\s?않는\s?이유|뻔해\s?보이는|뜻은\s?아니|법이다|표현을\s?(?:지웠|바꿨|뺐)"
)
_HUMAN_ERROR = re.compile(
    r"휴먼\s?(?:에러|오류)|인적\s?(?:오류|실수|과실|요인|에러)|사람의\s?(?:단순\s?)?실수"
    r"|사람\s?문제|사람이\s?문제|운영\s?미숙|조작\s?(?:실수|미숙)|인재(?=로|라는|였|다|\s?사고)"
)
# Every branch starts with a literal character, so the engine jumps between those
# characters instead of trying the pattern at every position (a branch that opened with
# an optional group, "(?:사전\s?)?…", made it try everywhere).
_CARELESS = re.compile(
    r"대충|귀찮아|대수롭지\s?않게|손을\s?놓|아마추어|조심성\s?없|꼼꼼하지\s?못|졸면서|멋대로|임의로"
    r"|도장만|밀어붙|생각하지\s?않고|허술하게|안전\s?불감증|기강\s?해이|신경(?:을)?\s?(?:안|쓰지\s?않)"
    r"|사전\s?(?:공지|승인|허가|검증|확인)\s?없이|공지\s?없이|승인\s?없이|허가\s?없이|검증\s?없이"
    r"|확인\s?없이|으려\s?(?:하지|들지)\s?않|려\s?(?:하지|들지)\s?않"
)
_HINDSIGHT = re.compile(
    r"누가\s?봐도|뻔(?:했|한|히|하)|너무나?\s?당연한|명백한\s?(?:실수|잘못|태만)|상식(?:적으로|이다)"
    r"|조금만\s?생각해\s?보면|그냥\s?[가-힣A-Za-z\s]{0,20}?만\s?(?:하면|했으면|했어도)\s?(?:됐|되는|될)"
    r"|[가-힣]{1,10}(?<!있으)(?:기만|만)\s?하면\s?(?:됐|되는\s?(?:일|것|거))|한\s?줄이면|그대로\s?나와\s?있"
    r"|누구나\s?(?:예상|알\s?수|알았)|기본\s?지식만|(?:합리적인|경력이\s?있는|경험\s?많은|유능한)"
    r"\s?[가-힣]+(?:이|)라면|당연히\s?(?:다들|모두|누구나)|만\s?봤어도\s?바로|분명하다|분명했다"
)
_FAILURE_PHRASES = re.compile(r"내버려\s?두|(?:켜|열어|꺼)\s?(?:둔|놓은)\s?채")
_CAUSAL_ENDINGS = frozenset(("어서", "아서", "어", "아", "여", "니까", "으니까", "므로", "으므로"))
_CONDITIONAL_ENDINGS = frozenset(("면", "으면", "다면", "더라면", "었더라면", "라면"))
_CONCESSIVE_ENDINGS = frozenset(("어도", "아도", "여도"))
# An incident happening. Only searched (is there one, from where?); each of its branches
# starts with a literal, so the engine skips to those characters.
_OUTCOME = re.compile(
    "|".join(
        noun + r"[가이는은]?\s?(?:가\s)?(?:났|발생|일어|생겼|터졌)"
        for noun in ("장애", "사고", "문제", "오류", "에러", "먹통", "중단", "다운", "마비")
    )
    + r"|멈췄|멈추었|중단됐|중단되었|다운됐|다운되었|막혔|끊겼|마비됐|만료됐|만료되었|늦어졌|길어졌"
    r"|차단됐|차단되었|폭주|삭제됐|원인(?:이다|이었|입니다|이 되었)|책임(?:이다|이 있)"
)
# Finding or fixing the wrong thing is not blame: "잘못된 설정 값을 찾아 되돌렸다".
_REMEDIES = frozenset(
    (
        "찾다",
        "발견하다",
        "되돌리다",
        "고치다",
        "수정하다",
        "확인하다",
        "교체하다",
        "제거하다",
        "롤백하다",
        "찾아내다",
        "파악하다",
        "막다",
        "거부하다",
        "걸러내다",
        "감지하다",
        "표시하다",
        "보여주다",
        "지우다",
    )
)
_COMPLIANCE_OBJECTS = frozenset(
    (
        "원칙",
        "규정",
        "절차",
        "정책",
        "지침",
        "약속",
        "규칙",
        "계약",
        "SLA",
        "원칙을",
        "이중화",
    )
)


_POSSESSED_ERRORS = frozenset(("오류", "에러", "판단", "오판", "조작"))
# "보안팀의 방화벽 변경이 … 막았다": a team's or person's action named as the cause.
_ACTION_NOUNS = frozenset(
    (
        "결정",
        "변경",
        "판단",
        "마이그레이션",
        "스크립트",
        "배포",
        "작업",
        "설정",
        "명령",
        "코드",
        "커밋",
        "푸시",
        "조작",
        "지시",
        "대응",
        "조치",
    )
)
_CAUSE_WORDS = re.compile(
    r"원인|때문|탓|책임|막았|막혔|멈췄|망가|잠근|잠갔|늦었|늦어|장애가|중단|만료|끊|다운|부족했|미흡"
)
