from integrations.models import TrackerConnection

URL = "/teams/payments/integrations/"


def test_a_manager_connects_github_and_sees_the_webhook_secret_once(manager_client, settings):
    answer = manager_client.post(
        URL + "trackers/", {"kind": "github", "project": "acme/payments", "token": "tok-123"}
    )
    assert answer.status_code == 200
    connection = TrackerConnection.objects.get()
    page = answer.content.decode()
    assert connection.webhook_path() in page
    assert "tok-123" not in page
    assert "tok-123" not in connection.token_encrypted
    secret = answer.context["new_tracker"][2]
    assert secret not in manager_client.get(URL).content.decode()


def test_a_repository_must_be_owner_slash_name(manager_client):
    answer = manager_client.post(URL + "trackers/", {"kind": "github", "project": "payments"})
    assert answer.status_code == 400
    assert not TrackerConnection.objects.exists()


def test_members_who_are_not_managers_cannot_connect_trackers(alice_client):
    answer = alice_client.post(URL + "trackers/", {"kind": "github", "project": "a/b"})
    assert answer.status_code == 404


# --- Refused webhook deliveries are kept and listed with the alert sources' ------------------


def _github(team):
    from integrations.trackers import services

    return services.connection_create(team=team, kind="github", project="acme/payments")


def _signed(secret, body):
    import hashlib
    import hmac

    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _post_webhook(client, connection, body, signature=None, event="issues"):
    headers = {"HTTP_X_GITHUB_EVENT": event}
    if signature is not None:
        headers["HTTP_X_HUB_SIGNATURE_256"] = signature
    return client.post(
        connection.webhook_path(), data=body, content_type="application/json", **headers
    )


def test_a_webhook_with_a_bad_signature_is_kept_without_its_body(client, team):
    from integrations.models import RejectedDelivery

    connection, _secret = _github(team)
    body = b'{"action": "closed", "issue": {"number": 1}}'
    answer = _post_webhook(client, connection, body, signature="sha256=" + "0" * 64)
    assert answer.status_code == 401
    rejected = RejectedDelivery.objects.get()
    assert (rejected.team, rejected.tracker, rejected.source) == (team, connection, None)
    assert (rejected.status_code, rejected.reason) == (401, "signature does not match")
    assert rejected.kind == "github"
    assert rejected.excerpt == ""


def test_a_signed_but_unknown_payload_is_kept_with_the_reason_and_its_start(client, team):
    from integrations.models import RejectedDelivery

    connection, secret = _github(team)
    body = b'{"action": "closed"}'
    answer = _post_webhook(client, connection, body, signature=_signed(secret, body))
    assert answer.status_code == 400
    rejected = RejectedDelivery.objects.get()
    assert rejected.reason == answer.json()["error"] == "malformed payload: missing field issue"
    assert rejected.excerpt == body.decode()


def test_an_ignored_event_is_not_a_refusal(client, team):
    from integrations.models import RejectedDelivery

    connection, secret = _github(team)
    body = b'{"zen": "Keep it logically awesome."}'
    answer = _post_webhook(client, connection, body, signature=_signed(secret, body), event="ping")
    assert answer.json() == {"status": "ignored"}
    assert not RejectedDelivery.objects.exists()


def test_tracker_refusals_are_listed_on_the_integration_page(manager_client, client, team):
    connection, _secret = _github(team)
    _post_webhook(client, connection, b"{}", signature="sha256=" + "0" * 64)
    page = manager_client.get(URL).content.decode()
    rejected = page[page.index('id="rejected-deliveries"') :]
    assert "GitHub Issues acme/payments" in rejected
    assert "signature does not match" in rejected


def test_a_removed_tracker_s_refusals_stay_listed_under_its_kind(manager_client, client, team):
    from integrations.trackers import services

    connection, _secret = _github(team)
    _post_webhook(client, connection, b"{}", signature="sha256=" + "0" * 64)
    services.connection_delete(connection=connection)
    page = manager_client.get(URL).content.decode()
    rejected = page[page.index('id="rejected-deliveries"') :]
    assert "GitHub Issues" in rejected


def test_tracker_and_alert_refusals_share_the_teams_last_100(client, team):
    from integrations.alerts.services import alert_source_create, delivery_reject
    from integrations.models import RejectedDelivery

    source, _ = alert_source_create(team=team, kind="grafana")
    for _n in range(RejectedDelivery.KEEP):
        delivery_reject(team=team, source=source, status_code=401, reason="old")
    connection, _secret = _github(team)
    _post_webhook(client, connection, b"{}", signature="sha256=" + "0" * 64)
    kept = RejectedDelivery.objects.filter(team=team)
    assert kept.count() == RejectedDelivery.KEEP
    assert kept.first().tracker == connection


# --- The team's audit log: trackers connected and removed, never their token -----------------


def test_connecting_and_removing_a_tracker_are_in_the_audit_log_without_the_token(
    manager_client, manager, team
):
    from postmortems.models import AuditEvent

    answer = manager_client.post(
        URL + "trackers/", {"kind": "github", "project": "acme/payments", "token": "tok-123"}
    )
    webhook_secret = answer.context["new_tracker"][2]
    connection = TrackerConnection.objects.get()
    manager_client.post(f"{URL}trackers/{connection.pk}/delete/")

    events = list(AuditEvent.objects.filter(team=team).order_by("id"))
    assert [(e.action, e.actor, e.target_id) for e in events] == [
        (AuditEvent.Action.TRACKER_CONNECTED, manager, connection.pk),
        (AuditEvent.Action.TRACKER_REMOVED, manager, connection.pk),
    ]
    assert events[0].detail == {"kind": "github", "project": "acme/payments", "token": "stored"}
    page = manager_client.get("/teams/payments/audit/").content.decode()
    assert "Issue tracker connected" in page and "Issue tracker removed" in page
    for secret in ("tok-123", webhook_secret):
        assert secret not in page
        assert secret not in str([e.detail for e in events])
