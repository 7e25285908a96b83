"""Login throttling (django-axes) and password reset, which exists only with mail set up."""

import importlib

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import NoReverseMatch, clear_url_caches, reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    # Dozens of password checks per test: the production hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _log_in(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def _fail(client, username, times):
    return [_log_in(client, username, "wrong-password").status_code for _ in range(times)][-1]


def test_twenty_wrong_passwords_lock_the_account_with_a_clear_message(client, alice, settings):
    assert settings.AXES_FAILURE_LIMIT == 20
    statuses = [_log_in(client, "alice", "nope").status_code for _ in range(20)]
    assert statuses[:19] == [200] * 19  # the login form again, with its error
    assert statuses[19] == 429
    response = _log_in(client, "alice", "nope")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed logins" in page
    assert "locked on this computer after 20 failed logins" in page
    assert "Try again in 30 minutes" in page


def test_the_right_password_fails_until_the_account_is_unlocked(client, alice):
    _fail(client, "alice", 20)
    response = _log_in(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session

    call_command("axes_reset_username", "alice", verbosity=0)
    response = _log_in(client, "alice", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_a_lockout_does_not_lock_other_users(client, alice):
    UserFactory(username="bob")
    _fail(client, "alice", 20)
    response = _log_in(Client(), "bob", PASSWORD)
    assert response.status_code == 302


def test_a_lockout_does_not_lock_the_same_user_elsewhere(client, alice):
    _fail(client, "alice", 20)
    elsewhere = Client(REMOTE_ADDR="203.0.113.9")
    assert _log_in(elsewhere, "alice", PASSWORD).status_code == 302


def test_a_successful_login_starts_the_count_again(client, alice):
    _fail(client, "alice", 19)
    assert _log_in(client, "alice", PASSWORD).status_code == 302
    client.logout()
    assert _fail(client, "alice", 19) == 200


def test_the_failure_limit_and_cool_off_come_from_the_environment(client, alice, settings):
    import datetime

    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=5)
    assert _fail(client, "alice", 3) == 429
    assert "Try again in 5 minutes" in _log_in(client, "alice", "x").content.decode()


def test_locked_out_users_can_be_unlocked_in_the_admin(client, superuser, alice, login):
    _fail(Client(), "alice", 20)
    login(client, superuser)
    response = client.get("/admin/axes/accessattempt/")
    assert response.status_code == 200
    assert "alice" in response.content.decode()


# --- Password reset -------------------------------------------------------------------------


@pytest.fixture
def reset_enabled(settings):
    """The URLconf as it is built when EMAIL_HOST is set."""
    import config.urls

    settings.EMAIL_HOST = "smtp.example.com"
    settings.PASSWORD_RESET_ENABLED = True
    settings.PASSWORD_RESET_LIMIT_PER_HOUR = 3
    importlib.reload(config.urls)
    clear_url_caches()
    yield
    settings.PASSWORD_RESET_ENABLED = False
    importlib.reload(config.urls)
    clear_url_caches()


def test_password_reset_is_not_offered_without_mail(client, settings):
    assert not settings.PASSWORD_RESET_ENABLED
    assert client.get("/accounts/password_reset/").status_code == 404
    with pytest.raises(NoReverseMatch):
        reverse("password_reset")
    assert "password_reset" not in client.get(LOGIN).content.decode()


def test_password_reset_is_offered_and_sends_mail_once_mail_is_set_up(client, alice, reset_enabled):
    alice.email = "alice@example.com"
    alice.save()
    assert "/accounts/password_reset/" in client.get(LOGIN).content.decode()
    response = client.post("/accounts/password_reset/", {"email": "alice@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1


def test_password_reset_requests_are_throttled(client, alice, reset_enabled):
    alice.email = "alice@example.com"
    alice.save()
    statuses = [
        client.post("/accounts/password_reset/", {"email": "alice@example.com"}).status_code
        for _ in range(4)
    ]
    assert statuses == [302, 302, 302, 429]
    assert len(mail.outbox) == 3
    response = client.post("/accounts/password_reset/", {"email": "other@example.com"})
    assert response.status_code == 429  # the same address, whatever the e-mail
    assert "Too many password reset requests" in response.content.decode()


def test_a_lockout_is_in_the_audit_log_of_the_accounts_teams(client, alice):
    from postmortems.models import AuditEvent, Membership
    from tests.factories import TeamFactory

    team = TeamFactory()
    Membership.objects.create(team=team, user=alice)

    _fail(client, "alice", 20)

    events = AuditEvent.objects.filter(action=AuditEvent.Action.LOCKOUT)
    assert team.pk in {event.team_id for event in events}
    assert {event.team_id for event in events} == set(alice.teams.values_list("pk", flat=True))
    assert {event.detail["username"] for event in events} == {"alice"}
