import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from postmortems.private_cache import PrivateCacheMiddleware
from tests.factories import PASSWORD, PostmortemFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/postmortems/", "/actions/", "/actions/export.csv"])
def test_pages_for_a_signed_in_user_are_private_and_not_stored(alice_client, path):
    response = alice_client.get(path)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_a_restricted_postmortem_and_its_markdown_export_are_not_stored(alice_client, team):
    pm = PostmortemFactory(team=team, restricted=True)
    for url in (pm.get_absolute_url(), reverse("postmortems:export", args=[pm.pk])):
        response = alice_client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, no-store", url


def test_an_error_page_for_a_signed_in_user_is_not_stored_either(outsider_client, team):
    pm = PostmortemFactory(team=team, restricted=True)
    response = outsider_client.get(pm.get_absolute_url())
    assert response.status_code == 404
    assert response["Cache-Control"] == "private, no-store"


def test_the_response_that_signs_someone_in_is_not_stored(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"


def test_static_files_stay_cacheable_for_a_signed_in_user(alice):
    request = RequestFactory().get("/static/css/app.css")
    request.user = alice
    middleware = PrivateCacheMiddleware(lambda request: HttpResponse("body {}"))
    assert "Cache-Control" not in middleware(request)

    request = RequestFactory().get("/postmortems/")
    request.user = AnonymousUser()
    assert "Cache-Control" not in middleware(request)
