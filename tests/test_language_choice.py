"""Which language a page is in: the user's saved choice (the menu's switcher, remembered on
the profile), else the browser's Accept-Language, else ``LANGUAGE_CODE``."""

import re

import pytest
from django.test import Client

from postmortems.models import Profile
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _home(client, **headers):
    response = client.get("/", **headers)
    assert response.status_code == 200
    return response


def _is_korean(response):
    html = response.content.decode()
    return '<html lang="ko">' in html and "로그아웃" in html and "Log out" not in html


def _is_english(response):
    html = response.content.decode()
    return '<html lang="en">' in html and "Log out" in html and "로그아웃" not in html


def test_the_switcher_remembers_the_choice_on_the_profile(alice, alice_client):
    response = alice_client.post("/i18n/setlang/", {"language": "ko", "next": "/postmortems/"})
    assert response.status_code == 302
    assert response["Location"] == "/postmortems/"
    assert Profile.objects.get(user=alice).language == "ko"
    assert _is_korean(_home(alice_client))


def test_the_choice_follows_the_user_into_a_new_session(alice, login):
    first = login(Client(), alice)
    first.post("/i18n/setlang/", {"language": "ko", "next": "/"})

    # Another browser: no language cookie, no session, an English Accept-Language.
    later = login(Client(), alice)
    assert _is_korean(_home(later, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"))


def test_the_choice_is_per_user(alice, login):
    login(Client(), alice).post("/i18n/setlang/", {"language": "ko", "next": "/"})
    bob = UserFactory(username="bob")
    assert _is_english(_home(login(Client(), bob)))


def test_switching_back_to_english_is_remembered_too(alice, login):
    login(Client(), alice).post("/i18n/setlang/", {"language": "ko", "next": "/"})
    login(Client(), alice).post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert Profile.objects.get(user=alice).language == "en"
    assert _is_english(_home(login(Client(), alice), HTTP_ACCEPT_LANGUAGE="ko"))


def test_an_unknown_language_is_not_saved(alice, alice_client):
    alice_client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert Profile.objects.get_or_create(user=alice)[0].language == ""


def test_without_a_choice_the_browsers_language_decides(alice, alice_client):
    assert _is_korean(_home(alice_client, HTTP_ACCEPT_LANGUAGE="ko-KR,ko;q=0.9,en;q=0.8"))
    assert _is_english(_home(alice_client, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9"))


def test_the_login_page_follows_the_browsers_language(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="ko")
    assert "Hindsight 로그인" in response.content.decode()


def test_without_a_choice_or_a_browser_language_the_default_applies(alice_client, settings):
    assert _is_english(_home(alice_client))
    settings.LANGUAGE_CODE = "ko"
    assert _is_korean(_home(alice_client))


def test_a_language_the_app_does_not_offer_falls_back_to_the_default(alice_client):
    assert _is_english(_home(alice_client, HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9"))


def test_the_profile_page_saves_the_language_and_shows_the_next_page_in_it(alice, alice_client):
    response = alice_client.post(
        "/profile/", {"time_zone": "Asia/Seoul", "language": "ko"}, follow=True
    )
    assert "설정을 저장했습니다." in response.content.decode()
    assert Profile.objects.get(user=alice).language == "ko"


@pytest.mark.django_db
def test_the_language_menu_applies_on_change_and_keeps_its_button_for_no_javascript(
    alice_client,
):
    html = alice_client.get("/").content.decode()
    assert 'id="nav-language" class="form-select" data-submit-on-change' in html
    # app.js hides the button; without JavaScript it still sends the form.
    assert re.search(r'<button type="submit"[^>]*data-hidden-with-js>Go</button>', html)
