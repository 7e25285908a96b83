"""The Korean translation is complete, and pages, exports and forms come out in Korean.

Workflow for new strings: ``make messages``-style extraction with
``DEBUG=true .venv/bin/python manage.py makemessages -l ko --ignore .venv --ignore var
--ignore tests --no-obsolete``, translate the new entries in
``locale/ko/LC_MESSAGES/django.po`` (합니다체), and these tests pass again. In Python, read
a label into a name before an f-string uses it: xgettext does not look inside an f-string's
braces, so ``f"{gettext('Log out')}"`` is never extracted.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from actions.models import ActionItem
from postmortems.language import find_blame
from postmortems.models import Postmortem, Profile, TimelineEvent
from postmortems.views.lint import GUIDE_EXAMPLES
from tests.factories import (
    ActionItemFactory,
    ContributingFactorFactory,
    PostmortemFactory,
    TimelineEventFactory,
)

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "locale" / "ko" / "LC_MESSAGES" / "django.po"


def _require_gettext():
    if shutil.which("msgfmt") and shutil.which("xgettext"):
        return
    if os.environ.get("CI") == "true":
        pytest.fail("gettext (msgfmt, xgettext) is required when CI=true")
    pytest.skip("gettext is not installed")


def _statistics(po):
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", os.devnull, str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode, (result.stdout + result.stderr).strip()


# --- The catalogue ----------------------------------------------------------------------------


def test_the_korean_catalogue_has_no_untranslated_or_fuzzy_entries():
    _require_gettext()
    code, output = _statistics(PO)
    assert code == 0, output
    assert "translated message" in output
    assert "untranslated" not in output, output
    assert "fuzzy" not in output, output


def test_the_korean_catalogue_declares_one_plural_form_and_its_style():
    text = PO.read_text(encoding="utf-8")
    assert '"Plural-Forms: nplurals=1; plural=0;\\n"' in text
    assert '"Language: ko\\n"' in text
    assert "합니다체" in text.split("msgid", 1)[0]


def test_placeholders_survive_translation():
    entries = re.findall(
        r'^msgid "((?:[^"\\]|\\.)*(?:"\n"(?:[^"\\]|\\.)*)*)"\n'
        r'(?:msgid_plural "((?:[^"\\]|\\.)*)"\n)?'
        r'msgstr(?:\[0\])? "((?:[^"\\]|\\.)*(?:"\n"(?:[^"\\]|\\.)*)*)"',
        PO.read_text(encoding="utf-8"),
        re.M,
    )
    placeholder = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
    assert len(entries) > 700
    for msgid, plural, msgstr in entries:
        if not msgid:
            continue  # the header
        wanted = set(placeholder.findall(plural or msgid))
        assert set(placeholder.findall(msgstr)) == wanted, msgid


def test_every_string_in_the_code_is_in_the_catalogue_and_translated(tmp_path):
    """Extract the strings again from a copy of the project (so the real catalogue is not
    touched) and check the merged copy: a string added without a translation fails here."""
    _require_gettext()
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", "var", ".git", "tests", "node_modules", "__pycache__", "*.mo", ".*cache"
        ),
    )
    env = {
        **os.environ,
        "DEBUG": "true",
        "HINDSIGHT_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.pop("DATABASE_URL", None)
    env.pop("CELERY_BROKER_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "ko", "--no-obsolete", "-v", "0"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    extracted = copy / "locale" / "ko" / "LC_MESSAGES" / "django.po"
    code, output = _statistics(extracted)
    assert code == 0, output
    assert "untranslated" not in output, output
    assert "fuzzy" not in output, output
    # And nothing the catalogue translates is lost to the extraction: xgettext reads no
    # call inside an f-string's braces, so ``f"{gettext('Log out')}"`` would quietly drop
    # its translation the next time the catalogue is made (labels are read before the
    # f-string instead), and an entry no code uses any more is removed from the catalogue.
    assert _messages(extracted) == _messages(PO)


def _messages(po):
    """The (context, msgid) pairs of a catalogue, its header and obsolete entries aside."""
    text = subprocess.run(
        ["msgattrib", "--no-wrap", "--no-location", "--no-obsolete", str(po)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pairs = set(re.findall(r'^(?:msgctxt "(.*)"\n)?msgid "(.*)"$', text, re.M))
    return pairs - {("", "")}


# --- Pages in Korean --------------------------------------------------------------------------


@pytest.fixture
def korean_reader(team, alice, manager, login, db):
    Profile.objects.update_or_create(user=manager, defaults={"language": "ko"})
    pm = PostmortemFactory(
        team=team,
        title="결제 지연",
        summary="캐시 노드 교체 후 결제 API 응답이 느려졌습니다.",
        status=Postmortem.Status.PUBLISHED,
    )
    pm.authors.add(alice)
    TimelineEventFactory(postmortem=pm, kind=TimelineEvent.Kind.DETECTION, text="알림 발생")
    factor = ContributingFactorFactory(postmortem=pm, description="알림 임계값이 낮았습니다.")
    ActionItemFactory(postmortem=pm, factor=factor, title="임계값 조정", assignee=alice)
    return login(Client(), manager), pm


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _h1(html):
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert match, "no <h1>"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def _hangul(text):
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)


PAGES = [
    # url (with {pm} / {item} / {team}), words the Korean page shows, English it must not show
    ("/", ["내 열린 액션", "포스트모템 작성"], ["My open actions", "Write a postmortem"]),
    ("/postmortems/", ["검색", "포스트모템 1건"], ["Search", "Clear", "Started"]),
    (
        "/postmortems/{pm}/",
        ["타임라인", "기여 요인", "액션 아이템", "Markdown 내보내기", "탐지"],
        ["Timeline", "Contributing factors", "Export Markdown", "Detection", "Print"],
    ),
    ("/postmortems/{pm}/edit/", ["저장", "요약", "영향"], ["What went well", "Save"]),
    ("/postmortems/{pm}/history/", ["기록"], ["History of", "Back to the postmortem"]),
    ("/postmortems/{pm}/findings/", ["비난 표현 발견 사항"], ["Blameless-language findings"]),
    (
        "/postmortems/guide/blameless/",
        ["비난 없이 쓰기", "더 나은 문장으로 이끄는 질문", "포스트모템은 누구의 잘못인지가"],
        ["Writing blamelessly", "Questions that lead to better sentences", "A postmortem asks"],
    ),
    ("/postmortems/new/", ["새 포스트모템"], ["New postmortem", "Severity"]),
    ("/actions/", ["필터 적용", "담당자", "우선순위"], ["Apply filters", "Export CSV"]),
    ("/actions/{item}/", ["상태 변경", "마감"], ["Change status", "Owner team", "Reminders"]),
    ("/kaizen/", ["카이젠: 반복되는 주제", "최근 4주"], ["Recurring themes", "Last 4 weeks"]),
    ("/kaizen/themes/", ["반복되는 주제", "새 주제"], ["New theme", "Merge two themes"]),
    ("/metrics/", ["장애 지표", "CSV 다운로드"], ["Incident metrics", "Download CSV"]),
    ("/profile/", ["프로필과 설정", "시간대", "언어"], ["Profile and preferences", "Time zone"]),
    ("/teams/{team}/settings/", ["팀 설정", "테스트 메시지 보내기"], ["Send test message"]),
]


@pytest.mark.parametrize(("url", "korean", "english"), PAGES, ids=[p[0] for p in PAGES])
def test_pages_render_in_korean_for_a_korean_reader(korean_reader, url, korean, english):
    client, pm = korean_reader
    item = ActionItem.objects.get(postmortem=pm)
    html = _page(client, url.format(pm=pm.pk, item=item.pk, team=pm.team.slug))
    assert '<html lang="ko">' in html
    assert _hangul(_h1(html)), _h1(html)
    for word in korean:
        assert word in html, word
    visible = re.sub(r"<(script|style)\b.*?</\1>|<[^>]+>", " ", html, flags=re.S)
    for word in english:
        assert re.search(rf"(?<![\w/.-]){re.escape(word)}(?![\w/.-])", visible) is None, word


def test_the_markdown_export_has_korean_headings(korean_reader):
    client, pm = korean_reader
    text = client.get(f"/postmortems/{pm.pk}/export.md").content.decode()
    for heading in ("## 요약", "## 타임라인", "## 기여 요인", "## 액션 아이템"):
        assert heading in text
    assert "| 항목 | 값 |" in text
    assert "| 제목 | 상태 | 우선순위 | 담당자 | 마감 |" in text
    for english in ("## Timeline", "## Summary", "| Field | Value |", "Times in "):
        assert english not in text


def _first_line(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode("utf-8-sig").splitlines()[0]


def test_the_action_items_csv_has_korean_headers(korean_reader):
    client, _pm = korean_reader
    header = _first_line(client.get("/actions/export.csv"))
    assert header.startswith("ID,제목,포스트모템 ID,포스트모템,심각도,팀,담당자,상태,")
    assert "마감일" in header and "due_date" not in header


def test_the_csv_headers_stay_the_stable_keys_in_english(alice_client):
    assert _first_line(alice_client.get("/actions/export.csv")).startswith("id,title,")
    assert _first_line(alice_client.get("/metrics/export.csv")).startswith("month,severity,")


def test_the_metrics_csv_has_korean_headers(korean_reader):
    client, _pm = korean_reader
    header = _first_line(client.get("/metrics/export.csv"))
    assert header.startswith("월,심각도,장애 수,MTTD 중앙값(분),")
    assert "mttd" not in header


def test_form_errors_come_out_in_korean(korean_reader):
    client, pm = korean_reader
    response = client.post(
        f"/postmortems/{pm.pk}/timeline/add/",
        {"occurred_at": "not a time", "kind": "note", "text": ""},
    )
    html = response.content.decode()
    assert "필수 항목입니다." in html  # Django's own catalogue
    assert "This field is required." not in html


def test_the_guides_examples_keep_their_point_in_korean():
    """The translated "instead of" sentences still read as blame, the "write" ones do not."""
    people = ("민수", "지영")
    with translation.override("ko"):
        for rule, (bad, better, _bad_ko, _better_ko) in GUIDE_EXAMPLES.items():
            assert rule in {f.rule for f in find_blame(str(bad), people=people)}, str(bad)
            assert find_blame(str(better), people=people) == [], str(better)
