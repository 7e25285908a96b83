import pytest


def test_favicon_ico_answers_with_the_static_icon_without_a_login(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith(".svg")
    assert "/static/img/favicon" in response["Location"]


@pytest.mark.django_db
def test_every_page_names_its_icon(alice_client):
    html = alice_client.get("/").content.decode()
    assert '<link rel="icon" href="/static/img/favicon' in html
