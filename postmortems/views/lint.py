"""Live blameless-language hints, and the "Writing blamelessly" guide.

``POST /postmortems/lint/`` (``postmortems:lint``) takes form fields ``text`` and optional
``field`` (a label, echoed back) and answers with the findings of
``language.find_blame``: an HTML fragment (``hints_html.hints_html``: the text with
each flagged phrase in ``<mark>``, why it harms learning, a rewording hint and a link to the
guide, inside an ``aria-live`` region) or, with ``Accept: application/json``,
``{"findings": [{start, end, phrase, rule, message, suggestion}, …]}``. Bodies over
``settings.LINT_MAX_BYTES`` answer 413. Login and CSRF apply as everywhere.

With ``postmortem`` (a pk the user may read) and optional ``location`` ("section:<field>",
"event:<pk>", "factor:<pk>"), hints dismissed as "Not blame" in that place are left out,
and people who may edit it get a "Not blame" button under each hint (``views/dismissals.py``).

Attaching hints to a textarea (the contract for forms):

1. Give the textarea a ``data-lint`` attribute; its value is the field label sent as
   ``field`` (e.g. ``data-lint="summary"``). In a form class::

       widgets = {"summary": forms.Textarea(attrs={"data-lint": "summary"})}

2. Include the hints slot right after the field (it also loads ``static/js/lint.js`` once)::

       {% include "partials/_lint_target.html" with field_id="id_summary" %}

   which renders ``<div id="hints-id_summary" aria-live="polite">``. ``lint.js`` listens on
   the document (so textareas inserted later by htmx work too): 600 ms after the last
   keystroke in any ``textarea[data-lint]`` it posts the text with the page's CSRF token and
   puts the fragment into ``#hints-<textarea id>`` (creating the slot after the textarea if
   the include is missing). Without JavaScript nothing changes; the findings page
   (``postmortems:findings``) lists the same hints after saving.
"""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import permissions, selectors
from ..hints_html import hints_html
from ..language import RULE_IDS, RULES, RULES_KO, find_blame, sentence_at, sentence_key
from ..models import Postmortem


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def highlight(text, findings):
    """``text`` cut into (piece, number or None) so a template can wrap findings in <mark>.

    Overlapping findings ("Bob" inside a longer phrase) are marked once, by the first.
    """
    pieces = []
    position = 0
    for number, finding in enumerate(findings, start=1):
        if finding.start < position:
            continue
        if finding.start > position:
            pieces.append((text[position : finding.start], None))
        pieces.append((text[finding.start : finding.end], number))
        position = finding.end
    if position < len(text):
        pieces.append((text[position:], None))
    return pieces


def _too_large(request, field):
    message = _(
        "The text is too long to check (more than %(kb)s kB). Split it into smaller sections."
    ) % {"kb": settings.LINT_MAX_BYTES // 1024}
    if _wants_json(request):
        return JsonResponse({"error": message, "findings": []}, status=413)
    return HttpResponse(hints_html(field=field, error=message), status=413)


@require_POST
def lint(request):
    if not _body_fits(request):
        return _too_large(request, "")
    field = request.POST.get("field", "")[:100]
    text = request.POST.get("text", "")
    if len(text.encode()) > settings.LINT_MAX_BYTES:
        return _too_large(request, field)
    findings = find_blame(text, people=selectors.lint_people())
    postmortem = _postmortem(request)
    location = _location(request, field)
    # Each finding with its sentence, which only a postmortem's hints need (they can be
    # dismissed); kept in pairs, as a Finding's hash would hash its lazily translated texts.
    hinted = [(f, sentence_at(text, f.start) if postmortem else "") for f in findings]
    if postmortem is not None and findings:
        # "Not blame" said earlier for this rule on this sentence in this place: not shown.
        dismissed = selectors.dismissed_keys(postmortem)
        hinted = [
            (f, sentence)
            for f, sentence in hinted
            if not selectors.dismissal_covers(dismissed, location, f.rule, sentence_key(sentence))
        ]
        findings = [f for f, _ in hinted]
    if _wants_json(request):
        return JsonResponse({"field": field, "findings": [f.as_dict() for f in findings]})
    can_dismiss = postmortem is not None and permissions.can_edit_postmortem(
        request.user, postmortem
    )
    return HttpResponse(
        hints_html(
            field=field,
            findings=[
                (number, f, RULES[f.rule].title, sentence)
                for number, (f, sentence) in enumerate(hinted, start=1)
            ],
            pieces=highlight(text, findings) if findings else [],
            postmortem=postmortem if can_dismiss else None,
            location=location,
        )
    )


def _postmortem(request):
    """The postmortem the text belongs to (``postmortem`` field), if the user may read it."""
    pk = request.POST.get("postmortem", "")
    if not pk.isdigit():
        return None
    return selectors.visible_postmortems(request.user).filter(pk=int(pk)).first()


def _location(request, field):
    location = request.POST.get("location", "")[:40]
    if not location and field in Postmortem.SECTIONS:
        location = f"section:{field}"
    return location


def _body_fits(request):
    # Checked before the body is parsed: an oversized paste is refused, not read.
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    return length <= settings.LINT_MAX_BYTES


# Bad and better sentences for the guide: English (translatable) and Korean.
GUIDE_EXAMPLES = {
    "counterfactual": (
        gettext_lazy("Bob should have checked the replica lag before the failover."),
        gettext_lazy(
            "The failover runbook did not mention replica lag, and the dashboard used during "
            "the failover did not show it."
        ),
        "민수님이 페일오버 전에 복제 지연을 확인했어야 했다.",
        "페일오버 런북에 복제 지연 확인 단계가 없었고, 당시 보던 대시보드에도 표시되지 않았다.",
    ),
    "human-error": (
        gettext_lazy("Root cause: human error while editing the load balancer rules."),
        gettext_lazy(
            "The load balancer console applies rule edits immediately, with no diff or "
            "confirmation step."
        ),
        "근본 원인: 로드밸런서 규칙 수정 중 발생한 휴먼 에러.",
        "로드밸런서 콘솔은 규칙 변경을 확인 단계나 변경 내역 없이 즉시 적용한다.",
    ),
    "person-as-cause": (
        gettext_lazy("Alex broke prod by pushing an untested config."),
        gettext_lazy(
            "A config change reached production without running the validation, because "
            "validation runs only in CI and the hotfix path skips CI."
        ),
        "지영님이 검증하지 않은 설정을 배포해서 장애가 발생했다.",
        (
            "핫픽스 경로는 CI를 건너뛰고 검증은 CI에서만 실행되어, "
            "검증되지 않은 설정이 운영에 반영되었다."
        ),
    ),
    "carelessness": (
        gettext_lazy("The DBA carelessly ran the migration at peak time."),
        gettext_lazy(
            "The migration ran at 12:00, when write traffic peaks; nothing in the migration "
            "tooling shows the current load or suggests a window."
        ),
        "DBA가 부주의하게 피크 시간에 마이그레이션을 실행했다.",
        (
            "마이그레이션은 쓰기 트래픽이 가장 많은 12시에 실행되었고, "
            "도구는 현재 부하나 권장 시간대를 보여 주지 않는다."
        ),
    ),
    "blame-verb": (
        gettext_lazy("The on-call engineer failed to acknowledge the page for 25 minutes."),
        gettext_lazy(
            "The page was acknowledged after 25 minutes: it arrived during a second incident "
            "and the escalation policy had no secondary responder."
        ),
        "온콜 담당자가 호출을 25분 동안 확인하지 않았다.",
        (
            "호출은 25분 뒤에 확인되었다. 다른 장애 대응 중에 도착했고, "
            "에스컬레이션 정책에 두 번째 응답자가 없었다."
        ),
    ),
    "hindsight-bias": (
        gettext_lazy("Obviously, the responder just needed to restart the consumer."),
        gettext_lazy(
            "Restarting the consumer fixed it. At 10:05 the graphs pointed at the database, "
            "and the consumer's lag was not on the incident dashboard."
        ),
        "누가 봐도 컨슈머를 재시작만 하면 됐다.",
        (
            "컨슈머 재시작으로 해결되었다. 10시 5분 당시 그래프는 DB 문제를 가리켰고, "
            "컨슈머 지연은 장애 대시보드에 없었다."
        ),
    ),
}


@require_GET
def blameless_guide(request):
    korean = (get_language() or "").startswith("ko")
    rules = []
    for rule in RULE_IDS:
        bad, better, bad_ko, better_ko = GUIDE_EXAMPLES[rule]
        rules.append(
            {
                "id": rule,
                "text": RULES[rule],
                "text_ko": RULES_KO[rule],
                "bad": bad,
                "better": better,
                "bad_ko": bad_ko,
                "better_ko": better_ko,
            }
        )
    return render(request, "postmortems/blameless_guide.html", {"rules": rules, "korean": korean})
