import re

import pytest
from django.urls import reverse

from postmortems.models import ContributingFactor, Theme
from tests.factories import (
    ActionItemFactory,
    ContributingFactorFactory,
    PostmortemFactory,
    ThemeFactory,
)

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def postmortem(team):
    return PostmortemFactory(team=team)


@pytest.fixture
def restricted(team):
    return PostmortemFactory(team=team, restricted=True)


@pytest.fixture
def alert_fatigue(db):
    return ThemeFactory(name="Alert fatigue", slug="alert-fatigue")


def url(name, postmortem, *args):
    return reverse(f"postmortems:{name}", args=[postmortem.pk, *args])


def test_member_adds_a_factor_with_an_existing_and_a_new_theme(
    alice_client, alice, postmortem, alert_fatigue
):
    response = alice_client.post(
        url("factor_add", postmortem),
        {
            "category": "monitoring",
            "description": "The alert was tuned for **daytime** traffic only.",
            "themes": [alert_fatigue.pk],
            "new_themes": "Config drift, 야간 트래픽",
        },
    )
    assert response.status_code == 302
    assert response.url == f"/postmortems/{postmortem.pk}/#factors"
    factor = postmortem.factors.get()
    assert factor.category == "monitoring"
    assert "<strong>daytime</strong>" in factor.description_html
    assert sorted(t.slug for t in factor.themes.all()) == [
        "alert-fatigue",
        "config-drift",
        "야간-트래픽",
    ]
    assert {h.history_user for h in factor.history.all()} == {alice}


def test_typing_the_name_of_an_existing_theme_reuses_it(alice_client, postmortem, alert_fatigue):
    alice_client.post(
        url("factor_add", postmortem),
        {"category": "monitoring", "description": "x", "new_themes": "alert fatigue"},
    )
    assert list(postmortem.factors.get().themes.all()) == [alert_fatigue]
    assert Theme.objects.count() == 1


def test_the_add_form_loads_inline_with_htmx(alice_client, postmortem, alert_fatigue):
    section = alice_client.get(url("factor_list", postmortem)).content.decode()
    assert f'hx-get="{url("factor_add", postmortem)}"' in section
    response = alice_client.get(url("factor_add", postmortem), **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert '<form id="factor-form-new"' in body
    assert "<html" not in body
    assert "Alert fatigue" in body


def test_htmx_add_returns_the_factors_section(alice_client, postmortem):
    response = alice_client.post(
        url("factor_add", postmortem),
        {"category": "deploy", "description": "Canary stage was skipped"},
        **HTMX,
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#factors"
    body = response.content.decode()
    assert 'id="factors"' in body and "Canary stage was skipped" in body
    assert "<html" not in body


def test_invalid_add_keeps_every_input_and_creates_nothing(alice_client, postmortem, alert_fatigue):
    response = alice_client.post(
        url("factor_add", postmortem),
        {
            "category": "root_cause",
            "description": "Dashboards lacked the queue depth",
            "themes": [alert_fatigue.pk],
            "new_themes": "Observability gaps",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Dashboards lacked the queue depth" in body
    assert 'value="Observability gaps"' in body
    checkbox = re.search(rf'<input[^>]*value="{alert_fatigue.pk}"[^>]*>', body)[0]
    assert "checked" in checkbox
    assert not ContributingFactor.objects.exists()
    assert Theme.objects.count() == 1


def test_invalid_htmx_add_returns_only_the_form(alice_client, postmortem):
    response = alice_client.post(
        url("factor_add", postmortem),
        {"category": "monitoring", "description": "", "new_themes": "!!"},
        **HTMX,
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#factor-form-new"
    body = response.content.decode()
    assert "cannot be used as a theme name" in body
    assert 'value="!!"' in body
    assert not ContributingFactor.objects.exists()


def test_the_form_explains_factors_are_about_systems_and_marks_text_for_linting(
    alice_client, postmortem
):
    body = alice_client.get(url("factor_add", postmortem)).content.decode()
    assert "not a person" in body
    assert "root cause" not in body.lower()
    textarea = re.search(r'<textarea[^>]*name="description"[^>]*>', body)[0]
    assert "data-lint" in textarea


def test_htmx_edit_form_is_filled_in_and_saving_replaces_themes(
    alice_client, postmortem, alert_fatigue
):
    factor = ContributingFactorFactory(postmortem=postmortem, description="Old text")
    factor.themes.set([alert_fatigue])
    form = alice_client.get(url("factor_edit", postmortem, factor.pk), **HTMX)
    body = form.content.decode()
    assert "Old text" in body and f'id="factor-form-{factor.pk}"' in body
    checkbox = re.search(rf'<input[^>]*value="{alert_fatigue.pk}"[^>]*>', body)[0]
    assert "checked" in checkbox
    response = alice_client.post(
        url("factor_edit", postmortem, factor.pk),
        {"category": "capacity", "description": "New text", "new_themes": "Headroom"},
        **HTMX,
    )
    assert response["HX-Retarget"] == "#factors"
    factor.refresh_from_db()
    assert (factor.category, factor.description) == ("capacity", "New text")
    assert [t.name for t in factor.themes.all()] == ["Headroom"]


def test_htmx_edit_form_takes_the_cards_place_with_the_focus_and_its_tools(
    alice_client, postmortem
):
    factor = ContributingFactorFactory(postmortem=postmortem, description="Old text")
    response = alice_client.get(url("factor_edit", postmortem, factor.pk), **HTMX)
    body = response.content.decode()
    assert body.lstrip().startswith(f'<li id="factor-{factor.pk}"')
    assert re.search(r'<select[^>]*name="category"[^>]*autofocus', body)
    assert f'href="/postmortems/{postmortem.pk}/actions/new/?factor={factor.pk}"' in body
    assert f'hx-post="{url("factor_delete", postmortem, factor.pk)}"' in body
    cancel = url("factor", postmortem, factor.pk)
    assert f'hx-get="{cancel}" hx-target="#factor-{factor.pk}"' in body


def test_the_card_alone_comes_back_read_only_with_its_action_items(alice_client, postmortem):
    factor = ContributingFactorFactory(postmortem=postmortem, description="Back to reading")
    item = ActionItemFactory(postmortem=postmortem, factor=factor, title="Warm the cache")
    response = alice_client.get(url("factor", postmortem, factor.pk), **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.strip().startswith(f'<li id="factor-{factor.pk}"')
    assert "Back to reading" in body and "<form" not in body
    assert f'<a href="/actions/{item.pk}/">Warm the cache</a>' in body
    assert re.search(r'<a class="edit" href="[^"]+/edit/" hx-get="[^"]+"[^>]*autofocus', body)
    plain = alice_client.get(url("factor", postmortem, factor.pk))
    assert plain.status_code == 302
    assert plain.url == f"/postmortems/{postmortem.pk}/#factor-{factor.pk}"


def test_a_reader_gets_the_card_without_an_edit_link(outsider_client, postmortem):
    factor = ContributingFactorFactory(postmortem=postmortem)
    response = outsider_client.get(url("factor", postmortem, factor.pk), **HTMX)
    assert response.status_code == 200
    assert url("factor_edit", postmortem, factor.pk) not in response.content.decode()
    assert outsider_client.get(url("factor_edit", postmortem, factor.pk)).status_code == 403


def test_plain_delete_asks_first_and_says_action_items_stay(alice_client, postmortem):
    factor = ContributingFactorFactory(postmortem=postmortem)
    item = ActionItemFactory(postmortem=postmortem, factor=factor)
    confirm = alice_client.get(url("factor_delete", postmortem, factor.pk))
    assert confirm.status_code == 200
    assert "action item stays" in confirm.content.decode()
    response = alice_client.post(url("factor_delete", postmortem, factor.pk))
    assert response.status_code == 302
    assert not ContributingFactor.objects.exists()
    item.refresh_from_db()
    assert item.factor is None


def test_htmx_delete_returns_the_section_without_it(alice_client, postmortem):
    factor = ContributingFactorFactory(postmortem=postmortem, description="Going away")
    response = alice_client.post(url("factor_delete", postmortem, factor.pk), **HTMX)
    assert response.status_code == 200
    assert "Going away" not in response.content.decode()


def test_a_factor_of_another_postmortem_is_not_found(alice_client, postmortem, team):
    other = ContributingFactorFactory(postmortem=PostmortemFactory(team=team))
    assert alice_client.get(url("factor_edit", postmortem, other.pk)).status_code == 404
    assert alice_client.post(url("factor_delete", postmortem, other.pk)).status_code == 404


def test_an_outsider_gets_404_on_a_restricted_postmortem(outsider_client, restricted):
    factor = ContributingFactorFactory(postmortem=restricted)
    assert outsider_client.get(url("factor_list", restricted)).status_code == 404
    for name in ("factor", "factor_edit"):
        for headers in ({}, HTMX):
            response = outsider_client.get(url(name, restricted, factor.pk), **headers)
            assert response.status_code == 404
    data = {"category": "monitoring", "description": "x"}
    assert outsider_client.post(url("factor_add", restricted), data).status_code == 404
    assert outsider_client.post(url("factor_edit", restricted, factor.pk), data).status_code == 404
    assert outsider_client.post(url("factor_delete", restricted, factor.pk)).status_code == 404
    assert ContributingFactor.objects.count() == 1


def test_an_outsider_gets_403_when_changing_an_open_postmortem(outsider_client, postmortem):
    factor = ContributingFactorFactory(postmortem=postmortem, description="Readable")
    page = outsider_client.get(url("factor_list", postmortem))
    assert page.status_code == 200
    assert "Readable" in page.content.decode()
    assert url("factor_add", postmortem) not in page.content.decode()
    data = {"category": "monitoring", "description": "x"}
    assert outsider_client.post(url("factor_add", postmortem), data).status_code == 403
    assert outsider_client.post(url("factor_edit", postmortem, factor.pk), data).status_code == 403
    assert outsider_client.post(url("factor_delete", postmortem, factor.pk)).status_code == 403
    factor.refresh_from_db()
    assert factor.description == "Readable"


def test_many_factors_render_in_a_fixed_number_of_queries(
    alice_client, postmortem, django_assert_max_num_queries
):
    themes = [ThemeFactory(name=f"Theme {i}", slug=f"theme-{i}") for i in range(5)]
    for i in range(50):
        factor = ContributingFactorFactory(postmortem=postmortem, description=f"Factor {i}")
        factor.themes.set(themes[: i % 5 + 1])
        ActionItemFactory(postmortem=postmortem, factor=factor)
    with django_assert_max_num_queries(12):
        response = alice_client.get(url("factor_list", postmortem))
    assert response.status_code == 200
    assert response.content.decode().count('class="card card-body contributing-factor"') == 50
