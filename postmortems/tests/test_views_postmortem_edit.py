import datetime
import re
import zoneinfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from postmortems.models import Postmortem, Profile
from tests.factories import PostmortemFactory

pytestmark = pytest.mark.django_db

SECTIONS = ("summary", "impact", "went_well", "got_lucky", "surprises")


def _form_data(pm=None, **overrides):
    data = {
        "title": pm.title if pm else "Search results empty for one region",
        "severity": pm.severity if pm else "SEV2",
        "team": pm.team_id if pm else "",
        "started_at": "2026-03-02T09:00",
        "detected_at": "2026-03-02T09:07",
        "mitigated_at": "2026-03-02T09:40",
        "resolved_at": "2026-03-02T11:00",
        "summary": pm.summary if pm else "",
        "impact": pm.impact if pm else "",
        "went_well": "",
        "got_lucky": "",
        "surprises": "",
    }
    if pm:
        data["version"] = pm.version
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_create_page_shows_the_form_with_lint_hooks_and_preview(alice_client, team):
    response = alice_client.get(reverse("postmortems:create"))
    assert response.status_code == 200
    html = response.content.decode()
    for name in SECTIONS:
        assert f'name="{name}"' in html
        assert f'id="preview-{name}"' in html
    assert len(re.findall(r"<textarea[^>]*\sdata-lint[\s=>]", html)) == 5
    assert 'id="hints-id_summary"' in html
    assert 'placeholder="2026-11-20 14:03"' in html  # one Tab stop, not six
    assert "SEV1 — critical" in html


def test_create_offers_only_the_users_teams(alice_client, team, other_team):
    response = alice_client.get(reverse("postmortems:create"))
    choices = [str(t) for t in response.context["form"].fields["team"].queryset]
    assert choices == ["Payments"]


def test_create_refuses_a_team_the_user_is_not_in(alice_client, team, other_team):
    response = alice_client.post(
        reverse("postmortems:create"), _form_data(team=other_team.pk, title="x")
    )
    assert response.status_code == 400
    assert not Postmortem.objects.exists()


def test_create_saves_a_draft_with_times_read_in_the_users_zone(alice_client, alice, team):
    Profile.objects.filter(user=alice).update(time_zone="Asia/Seoul")
    response = alice_client.post(
        reverse("postmortems:create"), _form_data(team=team.pk, summary="We *learned*.")
    )
    pm = Postmortem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == pm.get_absolute_url()
    assert pm.started_at == datetime.datetime(2026, 3, 2, 0, 0, tzinfo=datetime.UTC)
    assert pm.summary_html == "<p>We <em>learned</em>.</p>"
    assert list(pm.authors.all()) == [alice]


def test_edit_page_shows_times_in_the_users_zone_with_its_name(alice_client, alice, team):
    Profile.objects.filter(user=alice).update(time_zone="Asia/Seoul")
    pm = PostmortemFactory(
        team=team, started_at=datetime.datetime(2026, 3, 2, 0, 0, tzinfo=datetime.UTC)
    )
    html = alice_client.get(reverse("postmortems:edit", args=[pm.pk])).content.decode()
    assert 'value="2026-03-02 09:00"' in html
    assert "Asia/Seoul" in html
    assert f'name="version" value="{pm.version}"' in html


def test_bad_times_re_render_with_everything_typed(alice_client, team):
    data = _form_data(
        team=team.pk,
        title="Queue backlog",
        resolved_at="2026-03-02T09:30",
        summary="Keep this text, please.",
    )
    response = alice_client.post(reverse("postmortems:create"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "cannot be resolved before it was mitigated" in html
    assert "Keep this text, please." in html
    assert 'value="Queue backlog"' in html
    assert not Postmortem.objects.exists()


def test_future_times_and_a_missing_title_are_refused(alice_client, team):
    future = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = alice_client.post(
        reverse("postmortems:create"),
        _form_data(
            team=team.pk,
            title="",
            started_at=None,
            detected_at=None,
            mitigated_at=None,
            resolved_at=future,
        ),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "title" in errors and "resolved_at" in errors


def test_a_section_over_the_limit_is_refused(alice_client, team, settings):
    settings.POSTMORTEM_SECTION_MAX_CHARS = 20
    response = alice_client.post(
        reverse("postmortems:create"), _form_data(team=team.pk, impact="y" * 21)
    )
    assert response.status_code == 400
    assert "impact" in response.context["form"].errors


def test_edit_saves_and_bumps_the_version(alice_client, team):
    pm = PostmortemFactory(team=team)
    response = alice_client.post(
        reverse("postmortems:edit", args=[pm.pk]), _form_data(pm, summary="Updated")
    )
    assert response.status_code == 302
    pm.refresh_from_db()
    assert (pm.summary, pm.version) == ("Updated", 2)


@pytest.mark.parametrize("version", [None, "", "abc", "0", "1.5"])
def test_an_edit_without_a_usable_version_is_refused_not_saved(alice_client, team, version):
    pm = PostmortemFactory(team=team, summary="Before")
    response = alice_client.post(
        reverse("postmortems:edit", args=[pm.pk]),
        _form_data(pm, summary="Overwritten", version=version),
    )
    assert response.status_code == 400
    assert "did not say which version" in response.content.decode()
    pm.refresh_from_db()
    assert (pm.summary, pm.version) == ("Before", 1)


def test_creating_a_postmortem_needs_no_version(alice_client, team):
    response = alice_client.post(reverse("postmortems:create"), _form_data(team=team.pk))
    assert response.status_code == 302


def test_stale_save_answers_409_with_both_texts(client, alice, manager, team, login):
    pm = PostmortemFactory(team=team, summary="Original", impact="Same impact")
    alice_client = login(client, alice)
    mona_client = login(Client(), manager)
    form_alice = _form_data(pm, summary="Alice: the cache warmed slowly.")
    form_mona = _form_data(pm, summary="Mona: eviction storms after failover.")

    assert (
        alice_client.post(reverse("postmortems:edit", args=[pm.pk]), form_alice).status_code == 302
    )
    response = mona_client.post(reverse("postmortems:edit", args=[pm.pk]), form_mona)

    assert response.status_code == 409
    html = response.content.decode()
    assert "Alice: the cache warmed slowly." in html
    assert "Mona: eviction storms after failover." in html
    assert 'name="version" value="2"' in html
    pm.refresh_from_db()
    assert pm.summary == "Alice: the cache warmed slowly."


def test_conflict_page_takes_sections_only_the_other_person_changed(
    client, alice, manager, team, login
):
    pm = PostmortemFactory(team=team, summary="S0", impact="I0")
    alice_client = login(client, alice)
    mona_client = login(Client(), manager)
    alice_client.post(reverse("postmortems:edit", args=[pm.pk]), _form_data(pm, impact="I-alice"))
    response = mona_client.post(
        reverse("postmortems:edit", args=[pm.pk]), _form_data(pm, summary="S-mona")
    )
    assert response.status_code == 409
    form = response.context["form"]
    assert form.initial["impact"] == "I-alice"
    assert form.initial["summary"] == "S-mona"
    assert response.context["conflicts"] == []


def test_saving_the_merged_conflict_form_succeeds(client, alice, manager, team, login):
    pm = PostmortemFactory(team=team, summary="S0")
    alice_client = login(client, alice)
    mona_client = login(Client(), manager)
    alice_client.post(reverse("postmortems:edit", args=[pm.pk]), _form_data(pm, summary="A"))
    mona_client.post(reverse("postmortems:edit", args=[pm.pk]), _form_data(pm, summary="B"))
    merged = _form_data(pm, summary="A and B", version=2)
    response = mona_client.post(reverse("postmortems:edit", args=[pm.pk]), merged)
    assert response.status_code == 302
    pm.refresh_from_db()
    assert (pm.summary, pm.version) == ("A and B", 3)


def test_published_postmortems_stay_editable(alice_client, team):
    pm = PostmortemFactory(team=team, status=Postmortem.Status.PUBLISHED)
    response = alice_client.post(
        reverse("postmortems:edit", args=[pm.pk]), _form_data(pm, summary="Clarified")
    )
    assert response.status_code == 302
    pm.refresh_from_db()
    assert pm.status == Postmortem.Status.PUBLISHED
    assert pm.summary == "Clarified"


def test_someone_who_can_read_but_not_edit_gets_403(outsider_client, team):
    # Visible but not editable answers 403, as on every other page (docs/architecture.md).
    pm = PostmortemFactory(team=team)
    assert outsider_client.get(reverse("postmortems:edit", args=[pm.pk])).status_code == 403
    response = outsider_client.post(reverse("postmortems:edit", args=[pm.pk]), _form_data(pm))
    assert response.status_code == 403


def test_someone_who_cannot_read_gets_404(outsider_client, team):
    pm = PostmortemFactory(team=team, restricted=True)
    assert outsider_client.get(reverse("postmortems:edit", args=[pm.pk])).status_code == 404


def test_an_author_from_another_team_can_edit(outsider_client, outsider, team):
    pm = PostmortemFactory(team=team)
    pm.authors.add(outsider)
    assert outsider_client.get(reverse("postmortems:edit", args=[pm.pk])).status_code == 200
    response = outsider_client.post(
        reverse("postmortems:edit", args=[pm.pk]), _form_data(pm, summary="From Search")
    )
    assert response.status_code == 302


def test_preview_renders_sanitised_markdown(alice_client):
    response = alice_client.post(
        reverse("postmortems:preview"),
        {"preview_field": "summary", "summary": "**bold** <script>alert(1)</script>"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>bold</strong>" in html
    assert "<script>" not in html


def test_preview_is_post_only(alice_client):
    assert alice_client.get(reverse("postmortems:preview")).status_code == 405


def test_zone_is_kept_utc_in_the_database(alice_client, alice, team):
    Profile.objects.filter(user=alice).update(time_zone="America/New_York")
    alice_client.post(reverse("postmortems:create"), _form_data(team=team.pk))
    pm = Postmortem.objects.get()
    local = pm.started_at.astimezone(zoneinfo.ZoneInfo("America/New_York"))
    assert (local.hour, local.minute) == (9, 0)


def test_conflict_page_names_other_fields_both_changed(client, alice, manager, team, login):
    pm = PostmortemFactory(team=team, title="T0")
    alice_client = login(client, alice)
    mona_client = login(Client(), manager)
    alice_client.post(reverse("postmortems:edit", args=[pm.pk]), _form_data(pm, title="T-alice"))
    response = mona_client.post(
        reverse("postmortems:edit", args=[pm.pk]), _form_data(pm, title="T-mona")
    )
    assert response.status_code == 409
    assert response.context["form"].initial["title"] == "T-mona"
    assert response.context["other_changes"][0]["theirs"] == "T-alice"
    assert "T-alice" in response.content.decode()
