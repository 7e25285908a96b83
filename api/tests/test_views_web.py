from api import services
from api.models import ApiToken, Webhook


def test_a_token_created_on_the_profile_is_shown_once(alice_client, alice):
    page = alice_client.get("/profile/")
    assert b"Personal API tokens" in page.content
    response = alice_client.post(
        "/profile/api-tokens/", {"name": "bot", "scope": "read", "expires_in": "30"}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = response.context["token"]
    assert token.encode() in response.content
    assert ApiToken.objects.get(user=alice).scope == "read"
    assert token.encode() not in alice_client.get("/profile/").content


def test_a_manager_sees_and_revokes_a_members_token(manager_client, alice, team):
    record, _token = services.api_token_create(user=alice, name="alice's bot")
    page = manager_client.get(f"/teams/{team.slug}/settings/")
    assert b"alice&#x27;s bot" in page.content
    response = manager_client.post(f"/api-tokens/{record.pk}/revoke/")
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.revoked_at is not None


def test_nobody_else_can_revoke_a_token(outsider_client, alice):
    record, _token = services.api_token_create(user=alice, name="bot")
    assert outsider_client.post(f"/api-tokens/{record.pk}/revoke/").status_code == 404
    record.refresh_from_db()
    assert record.revoked_at is None


def test_a_manager_adds_a_webhook_and_sends_a_test_event(
    manager_client, team, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_ALLOWED_HOSTS = ["hooks.example.com"]
    response = manager_client.post(
        f"/teams/{team.slug}/webhooks/",
        {"url": "https://hooks.example.com/in", "events": ["postmortem.published"]},
    )
    hook = Webhook.objects.get(team=team)
    assert response.status_code == 302
    assert hook.secret.startswith("whsec_")
    with django_capture_on_commit_callbacks(execute=False):
        manager_client.post(f"/teams/{team.slug}/webhooks/{hook.pk}/test/")
    page = manager_client.get(f"/teams/{team.slug}/webhooks/{hook.pk}/")
    assert b"webhook.test" in page.content


def test_a_webhook_outside_the_allow_list_is_a_form_error(manager_client, team, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["hooks.example.com"]
    response = manager_client.post(
        f"/teams/{team.slug}/webhooks/",
        {"url": "https://internal.example.net/in", "events": ["postmortem.published"]},
    )
    assert response.status_code == 400
    assert not Webhook.objects.exists()


def test_members_who_are_not_managers_cannot_open_the_webhooks(alice_client, team):
    assert alice_client.get(f"/teams/{team.slug}/webhooks/").status_code == 404


def test_a_switched_off_webhook_shows_a_banner_on_the_team_settings(manager_client, team, manager):
    Webhook.objects.create(
        team=team,
        url="https://hooks.example.com/x",
        secret="whsec_x",
        events=["x"],
        disabled_reason="5 deliveries in a row failed",
    )
    page = manager_client.get(f"/teams/{team.slug}/settings/")
    assert b"A webhook is switched off." in page.content
