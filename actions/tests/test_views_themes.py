import datetime

import pytest
from django.urls import reverse

from actions import kaizen
from actions.models import ThemeRollup
from postmortems.models import Theme
from tests.factories import ContributingFactorFactory, PostmortemFactory, ThemeFactory

LIST = "/kaizen/themes/"
MERGE = "/kaizen/themes/merge/"


def test_url_names_point_at_the_theme_pages():
    assert reverse("actions:themes") == LIST
    assert reverse("actions:theme_merge") == MERGE


@pytest.mark.django_db
def test_any_member_sees_the_themes_but_no_forms(alice_client):
    ThemeFactory(name="Config drift", keywords="drift")
    response = alice_client.get(LIST)
    assert response.status_code == 200
    assert "Config drift" in response.content.decode()
    assert response.context["form"] is None


@pytest.mark.django_db
def test_a_team_manager_creates_a_theme_with_english_and_korean_keywords(manager_client):
    response = manager_client.post(
        LIST,
        {
            "name": "알림 피로",
            "keywords_en": "alert, pager",
            "keywords_ko": "알림,경보",
            "description": "Too many alerts.",
        },
    )

    assert response.status_code == 302
    theme = Theme.objects.get()
    assert theme.keyword_list == ["alert", "pager", "알림", "경보"]
    assert theme.slug == "알림-피로"


@pytest.mark.django_db
def test_members_who_manage_no_team_cannot_create_or_edit(alice_client):
    theme = ThemeFactory(name="Config drift")
    assert alice_client.post(LIST, {"name": "X"}).status_code == 404
    assert alice_client.get(reverse("actions:theme_edit", args=[theme.pk])).status_code == 404
    assert alice_client.post(MERGE, {}).status_code == 404
    assert Theme.objects.count() == 1


@pytest.mark.django_db
def test_editing_splits_keywords_back_by_language_and_keeps_history(manager_client):
    theme = ThemeFactory(name="Config drift", keywords="drift, 설정\nconfig")
    url = reverse("actions:theme_edit", args=[theme.pk])

    form = manager_client.get(url).context["form"]
    assert form.initial["keywords_en"] == "drift, config"
    assert form.initial["keywords_ko"] == "설정"

    response = manager_client.post(
        url, {"name": "Configuration drift", "keywords_en": "drift", "keywords_ko": "설정"}
    )
    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.name == "Configuration drift"
    assert theme.history.count() == 2


@pytest.mark.django_db
def test_duplicate_names_are_refused(manager_client):
    ThemeFactory(name="Config drift")
    response = manager_client.post(LIST, {"name": "config DRIFT"})
    assert response.status_code == 400
    assert Theme.objects.count() == 1


@pytest.mark.django_db
def test_merge_asks_for_confirmation_first(manager_client):
    source, target = ThemeFactory(name="Alerting noise"), ThemeFactory(name="Alert fatigue")
    ContributingFactorFactory().themes.add(source)

    response = manager_client.post(MERGE, {"source": source.pk, "target": target.pk})

    assert response.status_code == 200
    assert response.context["confirming"]
    assert response.context["factor_count"] == 1
    assert Theme.objects.filter(pk=source.pk).exists()


@pytest.mark.django_db
def test_merge_moves_factors_deletes_the_source_and_keeps_history(manager_client, manager):
    source, target = ThemeFactory(name="Alerting noise"), ThemeFactory(name="Alert fatigue")
    both = ContributingFactorFactory()
    both.themes.add(source, target)
    only_source = ContributingFactorFactory()
    only_source.themes.add(source)
    untouched = ContributingFactorFactory()

    response = manager_client.post(
        MERGE, {"source": source.pk, "target": target.pk, "confirm": "on"}
    )

    assert response.status_code == 302
    assert not Theme.objects.filter(pk=source.pk).exists()
    assert set(target.factors.all()) == {both, only_source}
    assert list(untouched.themes.all()) == []
    deleted = Theme.history.filter(id=source.pk, history_type="-").get()
    assert deleted.history_user == manager
    assert only_source.history.count() >= 2  # the tag change is in the factor's history


@pytest.mark.django_db
def test_merge_recomputes_the_roll_ups_the_source_was_in(manager_client, settings):
    source, target = ThemeFactory(name="Alerting noise"), ThemeFactory(name="Alert fatigue")
    end = kaizen.last_completed_week_end()
    pm = PostmortemFactory(started_at=kaizen.day_start(end) - datetime.timedelta(hours=5))
    ContributingFactorFactory(postmortem=pm).themes.add(source)
    kaizen.rollup(end)

    manager_client.post(MERGE, {"source": source.pk, "target": target.pk, "confirm": "on"})

    row = ThemeRollup.objects.get(theme=target, team__isnull=True, period_end=end)
    assert row.postmortem_count == 1


@pytest.mark.django_db
def test_a_theme_cannot_be_merged_into_itself(manager_client):
    theme = ThemeFactory(name="Config drift")
    response = manager_client.post(MERGE, {"source": theme.pk, "target": theme.pk, "confirm": "on"})
    assert response.status_code == 400
    assert Theme.objects.filter(pk=theme.pk).exists()
