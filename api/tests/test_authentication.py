import datetime

from django.utils import timezone

from api import services
from api.models import ApiToken


def test_a_request_without_a_token_is_answered_401_not_redirected_to_login(api, db):
    response = api().get("/api/v1/postmortems/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_unknown_token_is_refused(api, db):
    client = api()
    client.credentials(HTTP_AUTHORIZATION="Bearer hs_not-a-real-token")
    assert client.get("/api/v1/postmortems/").status_code == 401


def test_a_valid_token_acts_as_its_owner_and_records_when_it_was_used(api, alice):
    client = api(alice)
    assert client.get("/api/v1/postmortems/").status_code == 200
    token = ApiToken.objects.get(user=alice)
    assert token.last_used_at is not None


def test_a_revoked_token_stops_working(api, alice, token_for):
    token = token_for(alice)
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.get("/api/v1/teams/").status_code == 200
    services.api_token_revoke(token=ApiToken.objects.get(user=alice), by=alice)
    assert client.get("/api/v1/teams/").status_code == 401


def test_an_expired_token_stops_working(api, alice, token_for):
    token = token_for(alice)
    ApiToken.objects.filter(user=alice).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.get("/api/v1/teams/").status_code == 401


def test_only_a_keyed_hash_of_the_token_is_stored(alice, token_for):
    token = token_for(alice)
    stored = ApiToken.objects.get(user=alice)
    assert token not in (stored.digest, stored.prefix)
    assert token.startswith(stored.prefix)


def test_too_many_requests_answer_429_with_retry_after(api, alice, settings):
    settings.API_THROTTLE_RATE = "3/min"
    client = api(alice)
    statuses = [client.get("/api/v1/teams/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/teams/")
    assert 0 < int(response["Retry-After"]) <= 60


def test_the_throttle_counts_each_token_on_its_own(api, alice, settings):
    settings.API_THROTTLE_RATE = "2/min"
    first, second = api(alice), api(alice)
    assert [first.get("/api/v1/teams/").status_code for _ in range(3)][-1] == 429
    assert second.get("/api/v1/teams/").status_code == 200
