"""Property: no posted form data makes a form endpoint answer 5xx (issue 16).

Every form gets valid data with any subset of its fields replaced by generated values —
year-1 and year-9999 times (the author's zone is east of UTC, where year 1 underflows),
Unicode digits, 30-digit ids, NUL characters, long and empty strings — and must answer
with the form and its errors, a redirect or a 4xx, never 500."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from postmortems.models import Profile
from tests.factories import (
    ActionItemFactory,
    ContributingFactorFactory,
    PostmortemFactory,
    ThemeFactory,
)

from .fuzz import KNOWN_BAD, params

PEOPLE = ["authors", "reviewers", "viewers"]
TIMES = ["started_at", "detected_at", "mitigated_at", "resolved_at"]
SECTIONS = ["summary", "impact", "went_well", "got_lucky", "surprises"]


@pytest.fixture
def world(manager, team):
    Profile.objects.update_or_create(user=manager, defaults={"time_zone": "Asia/Seoul"})
    postmortem = PostmortemFactory(team=team)
    postmortem.authors.add(manager)
    factor = ContributingFactorFactory(postmortem=postmortem)
    theme = ThemeFactory()
    factor.themes.add(theme)
    item = ActionItemFactory(postmortem=postmortem, factor=factor)
    return {"pm": postmortem, "factor": factor, "theme": theme, "item": item, "team": team}


def forms(w, manager):
    """(path, valid data, fields to vary) for every form endpoint."""
    pm, team = w["pm"], w["team"]
    postmortem = {
        "title": "Checkout errors",
        "severity": "SEV2",
        "team": team.pk,
        "started_at": "2026-11-20T14:03",
        "summary": "Errors rose.",
    }
    postmortem_fields = ["title", "severity", "team", "restricted", *PEOPLE, *TIMES, *SECTIONS]
    item = {"title": "Alert on queue depth", "kind": "detect", "priority": "P2", "team": team.pk}
    item_fields = ["title", "kind", "priority", "team", "assignee", "due_date", "factor"]
    return {
        "postmortem new": ("/postmortems/new/", postmortem, postmortem_fields),
        "postmortem edit": (
            f"/postmortems/{pm.pk}/edit/",
            {**postmortem, "version": pm.version},
            [*postmortem_fields, "version"],
        ),
        "timeline add": (
            f"/postmortems/{pm.pk}/timeline/add/",
            {"occurred_at": "2026-11-20T14:05", "kind": "note", "text": "Paged."},
            ["occurred_at", "kind", "text"],
        ),
        "timeline paste": (
            f"/postmortems/{pm.pk}/timeline/import/",
            {"text": "2026-11-20 14:03 Alert fired\n14:10 Rolled back", "action": "save"},
            ["text", "action", "digest"],
        ),
        "factor add": (
            f"/postmortems/{pm.pk}/factors/add/",
            {"category": "monitoring", "description": "No alert.", "themes": w["theme"].pk},
            ["category", "description", "themes", "new_themes"],
        ),
        "action item create": (
            f"/postmortems/{pm.pk}/actions/new/",
            item,
            [*item_fields, "inline"],
        ),
        "action item edit": (
            f"/actions/{w['item'].pk}/",
            item,
            [*item_fields, "tracker_url", "notes"],
        ),
        "action item status": (
            f"/actions/{w['item'].pk}/status/",
            {"action": "block", "reason": "Waiting."},
            ["action", "reason"],
        ),
        "dashboard bulk": (
            "/actions/bulk/",
            {"items": w["item"].pk, "status": "in_progress"},
            ["items", "status", "assignee", "assignee_username", "next"],
        ),
        "not required": (
            f"/postmortems/{pm.pk}/not-required/",
            {"reason": "A duplicate.", "version": pm.version},
            ["reason", "version"],
        ),
        "comment": (
            f"/postmortems/{pm.pk}/comments/",
            {"body": "Which alert?", "anchor": "general"},
            ["body", "anchor", "parent"],
        ),
        "theme suggest": (
            "/kaizen/themes/suggest/",
            {"text": "alert did not fire"},
            ["text", "exclude", "themes", "description"],
        ),
        "theme create": (
            "/kaizen/themes/",
            {"name": "Alerting"},
            ["name", "keywords_en", "keywords_ko", "description"],
        ),
        "theme merge": ("/kaizen/themes/merge/", {}, ["source", "target", "confirm"]),
        "kaizen review": (
            "/kaizen/reviews/new/",
            {"team": team.pk, "period_start": "2026-11-01", "period_end": "2026-11-28"},
            ["team", "period_start", "period_end", "notes", "action_items"],
        ),
        "lint": ("/postmortems/lint/", {"text": "He broke it."}, ["text", "field"]),
        "preview": ("/postmortems/preview/", {"text": "*hi*"}, ["text", "preview_field"]),
        "team settings": (
            f"/teams/{team.slug}/settings/",
            {"language": "en"},
            ["slack_webhook_url", "language"],
        ),
        "profile": (
            "/profile/",
            {"time_zone": "Asia/Seoul", "language": "en"},
            ["time_zone", "language", "slack_member_id"],
        ),
    }


FORMS = [
    "postmortem new",
    "postmortem edit",
    "timeline add",
    "timeline paste",
    "factor add",
    "action item create",
    "action item edit",
    "action item status",
    "dashboard bulk",
    "not required",
    "comment",
    "theme suggest",
    "theme create",
    "theme merge",
    "kaizen review",
    "lint",
    "preview",
    "team settings",
    "profile",
]


@pytest.mark.parametrize("name", FORMS)
@given(data=st.data())
def test_no_posted_data_makes_a_form_fail(manager_client, manager, world, name, data):
    path, valid, fields = forms(world, manager)[name]
    posted = data.draw(params(fields, **valid), label="posted")
    response = manager_client.post(path, posted)
    assert response.status_code < 500


@pytest.mark.parametrize("name", FORMS)
def test_the_values_that_once_failed_are_refused_below_500(manager_client, manager, world, name):
    path, valid, fields = forms(world, manager)[name]
    for field in fields:
        for value in KNOWN_BAD:
            response = manager_client.post(path, {**valid, field: value})
            assert response.status_code < 500, (field, value)
