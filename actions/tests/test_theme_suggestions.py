from types import SimpleNamespace

import pytest
from django.urls import reverse

from actions import kaizen
from tests.factories import ContributingFactorFactory, PostmortemFactory, ThemeFactory

URL = "/kaizen/themes/suggest/"


@pytest.fixture
def themes(alice):
    alert = ThemeFactory(
        name="Alert fatigue", keywords="alert, pager, noisy\n알림, 경보", slug="alert-fatigue"
    )
    drift = ThemeFactory(name="Config drift", keywords="drift, config\n설정", slug="config-drift")
    runbook = ThemeFactory(name="Missing runbook", keywords="runbook\n런북", slug="missing-runbook")
    return SimpleNamespace(alert=alert, drift=drift, runbook=runbook, reader=alice)


def names(suggestions):
    return [s.theme.name for s in suggestions]


def test_url_name_points_at_the_suggestion_endpoint():
    assert reverse("actions:theme_suggest") == URL


def test_keyword_matches_rank_first(themes):
    ranked = kaizen.suggest_themes(
        "The pager was noisy all night and the config was fine.", user=themes.reader
    )
    assert names(ranked)[:2] == ["Alert fatigue", "Config drift"]


def test_korean_keywords_match_with_particles_attached(themes):
    ranked = kaizen.suggest_themes("야간에 알림이 너무 많아서 경보를 놓쳤다", user=themes.reader)
    assert names(ranked)[0] == "Alert fatigue"
    assert ranked[0].keywords == ["알림", "경보"]


def test_english_keywords_match_whole_word_starts_only(themes):
    # "config" inside "reconfigured" is not the keyword "config".
    assert "Config drift" not in names(
        kaizen.suggest_themes("We reconfigured the load balancer", user=themes.reader)
    )


def test_words_shared_with_past_factors_of_a_theme_count(themes):
    ContributingFactorFactory(description="Replica lag on the reporting database went unseen.")
    tagged = ContributingFactorFactory(
        description="Replica lag grew while the failover script waited for a manual step."
    )
    tagged.themes.add(themes.runbook)

    ranked = kaizen.suggest_themes("Replica lag again during failover", user=themes.reader)

    assert names(ranked) == ["Missing runbook"]
    assert set(ranked[0].shared_words) == {"replica", "lag", "failover"}


def test_korean_words_shared_with_past_factors_count_as_written(themes):
    ContributingFactorFactory(description="배포 후 캐시 서버 용량 부족").themes.add(themes.drift)
    ranked = kaizen.suggest_themes("캐시 서버 용량", user=themes.reader)
    assert names(ranked) == ["Config drift"]


def test_more_keyword_hits_outrank_more_shared_words(themes):
    ContributingFactorFactory(description="disk full on the build host").themes.add(themes.runbook)
    ranked = kaizen.suggest_themes(
        "disk full on the build host; alert was noisy", user=themes.reader
    )
    assert names(ranked)[:2] == ["Alert fatigue", "Missing runbook"]


def test_unrelated_text_suggests_nothing(themes):
    assert kaizen.suggest_themes("Lunch was late.", user=themes.reader) == []
    assert kaizen.suggest_themes("", user=themes.reader) == []


def test_chosen_themes_can_be_left_out(themes):
    assert "Alert fatigue" not in names(
        kaizen.suggest_themes("noisy pager", user=themes.reader, exclude=[themes.alert.pk])
    )


@pytest.mark.django_db
def test_the_endpoint_answers_buttons_that_only_select_on_click(alice_client, themes):

    response = alice_client.post(URL, {"text": "The pager was noisy"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-theme-suggestion="{themes.alert.pk}"' in html
    assert 'type="button"' in html  # never submits the factor form by itself
    assert "hx-on" not in html  # the click is handled in static/js/app.js (CSP)
    assert "<html" not in html


@pytest.mark.django_db
def test_the_endpoint_reads_a_factor_forms_description_field(alice_client, themes):
    response = alice_client.post(URL, {"factors-0-description": "런북이 없어서 복구가 늦었다"})
    assert f'data-theme-suggestion="{themes.runbook.pk}"' in response.content.decode()


@pytest.mark.django_db
def test_the_endpoint_refuses_get(alice_client):
    assert alice_client.get(URL).status_code == 405


@pytest.mark.django_db
def test_themes_already_ticked_on_the_factor_form_are_not_suggested(alice_client, themes):
    response = alice_client.post(
        URL, {"description": "noisy pager, config drift", "themes": [str(themes.alert.pk)]}
    )
    html = response.content.decode()
    assert f'data-theme-suggestion="{themes.alert.pk}"' not in html
    assert f'data-theme-suggestion="{themes.drift.pk}"' in html


# --- Restricted factors (issue 15) --------------------------------------------------------------


@pytest.fixture
def restricted_factor(team, themes):
    factor = ContributingFactorFactory(
        postmortem=PostmortemFactory(team=team, restricted=True),
        description="Zanzibar quokka ledger reconciliation stalled.",
    )
    factor.themes.add(themes.runbook)
    return factor


def test_an_outsider_gets_no_word_of_a_restricted_factor(outsider_client, restricted_factor):
    response = outsider_client.post(URL, {"text": "zanzibar quokka ledger reconciliation"})

    body = response.content.decode()
    assert response.status_code == 200
    for word in ("zanzibar", "quokka", "ledger", "reconciliation"):
        assert word not in body.lower()
    assert "Missing runbook" not in body


def test_a_member_still_gets_suggestions_from_a_restricted_factor(alice_client, restricted_factor):
    response = alice_client.post(URL, {"text": "zanzibar quokka ledger reconciliation"})

    body = response.content.decode()
    assert "Missing runbook" in body
    assert "quokka" in body


def test_a_theme_first_typed_on_a_restricted_postmortem_is_not_suggested_to_outsiders(
    outsider, team
):
    theme = ThemeFactory(name="Quokka overflow", keywords="quokka")
    ContributingFactorFactory(postmortem=PostmortemFactory(team=team, restricted=True)).themes.add(
        theme
    )

    assert kaizen.suggest_themes("quokka again", user=outsider) == []
