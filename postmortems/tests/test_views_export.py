import datetime

import pytest
from django.urls import reverse

from postmortems.models import Profile
from tests.factories import (
    ActionItemFactory,
    ContributingFactorFactory,
    PostmortemFactory,
    ThemeFactory,
    TimelineEventFactory,
)

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 0, 0, tzinfo=datetime.UTC)


def _postmortem(team):
    pm = PostmortemFactory(
        team=team,
        title="Checkout | errors",
        severity="SEV2",
        started_at=START,
        detected_at=START + datetime.timedelta(minutes=7),
        mitigated_at=START + datetime.timedelta(minutes=40),
        resolved_at=START + datetime.timedelta(hours=2),
        summary="Checkout failed for **40 minutes**.",
        impact="12% of payments retried.",
    )
    TimelineEventFactory(
        postmortem=pm, occurred_at=START + datetime.timedelta(minutes=7), text="Pager fired"
    )
    factor = ContributingFactorFactory(postmortem=pm, description="Alert tuned for daytime")
    factor.themes.add(ThemeFactory(name="Alert fatigue", slug="alert-fatigue"))
    ActionItemFactory(postmortem=pm, title="Night-time alert profile", status="in_progress")
    return pm


def test_export_is_a_markdown_download_with_everything(alice_client, alice, team):
    Profile.objects.filter(user=alice).update(time_zone="Asia/Seoul")
    pm = _postmortem(team)
    response = alice_client.get(reverse("postmortems:export", args=[pm.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/markdown")
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"postmortem-{pm.pk}-checkout-errors.md" in response["Content-Disposition"]
    text = response.content.decode()
    assert text.startswith("# Checkout | errors\n")
    assert "| Team | Payments |" in text
    assert "| Started | 2026-03-02 09:00 KST |" in text
    assert "| Time to detect | 7 min (from the incident times) |" in text
    assert "Checkout failed for **40 minutes**." in text
    assert "12% of payments retried." in text
    assert "**2026-03-02 09:07 KST** · Note — Pager fired" in text
    assert "Alert tuned for daytime" in text and "Themes: Alert fatigue" in text
    assert "| Night-time alert profile | In progress | P2 |" in text


def test_pipes_in_table_cells_are_escaped(alice_client, team):
    pm = PostmortemFactory(team=team)
    ActionItemFactory(postmortem=pm, title="Split A | B")
    text = alice_client.get(reverse("postmortems:export", args=[pm.pk])).content.decode()
    assert "| Split A \\| B |" in text


def test_restricted_export_is_404_for_outsiders(outsider_client, team):
    pm = PostmortemFactory(team=team, restricted=True)
    assert outsider_client.get(reverse("postmortems:export", args=[pm.pk])).status_code == 404


def test_export_of_an_empty_postmortem_says_what_is_missing(alice_client, team):
    pm = PostmortemFactory(
        team=team,
        summary="",
        started_at=None,
        detected_at=None,
        mitigated_at=None,
        resolved_at=None,
    )
    text = alice_client.get(reverse("postmortems:export", args=[pm.pk])).content.decode()
    assert "_No timeline events._" in text
    assert "_No action items._" in text
    assert "| Started | — |" in text


def test_korean_title_gives_a_unicode_file_name(alice_client, team):
    pm = PostmortemFactory(team=team, title="결제 지연")
    response = alice_client.get(reverse("postmortems:export", args=[pm.pk]))
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment;")
