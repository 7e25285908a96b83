from integrations import secrets
from integrations.models import AlertSource, SeverityRule

URL = "/teams/payments/integrations/"


def test_a_manager_sees_the_integration_page(manager_client):
    answer = manager_client.get(URL)
    assert answer.status_code == 200
    assert b"Rejected deliveries" in answer.content


def test_a_member_who_is_not_a_manager_gets_404(alice_client):
    assert alice_client.get(URL).status_code == 404


def test_adding_a_source_shows_its_secret_once(manager_client):
    answer = manager_client.post(URL + "alert-sources/", {"kind": "opsgenie", "name": "Ops"})
    assert answer.status_code == 200
    source = AlertSource.objects.get()
    secret = answer.context["new_secret"][1]
    assert secrets.matches(secret, source.secret_digest)
    assert secret.encode() in answer.content
    assert secret.encode() not in manager_client.get(URL).content


def test_an_unknown_kind_is_refused(manager_client):
    answer = manager_client.post(URL + "alert-sources/", {"kind": "nagios"})
    assert answer.status_code == 400
    assert not AlertSource.objects.exists()


def test_another_teams_source_cannot_be_removed(manager_client, other_team):
    from integrations.alerts.services import alert_source_create

    theirs, _secret = alert_source_create(team=other_team, kind="grafana")
    answer = manager_client.post(f"{URL}alert-sources/{theirs.pk}/delete/")
    assert answer.status_code == 404
    assert AlertSource.objects.filter(pk=theirs.pk).exists()


def test_the_severity_table_is_saved_from_its_text(manager_client, team):
    answer = manager_client.post(URL + "severities/", {"rules": "P1 = SEV1\ncritical=sev2\n"})
    assert answer.status_code == 302
    assert dict(SeverityRule.objects.values_list("value", "severity")) == {
        "p1": "SEV1",
        "critical": "SEV2",
    }


def test_a_bad_severity_line_is_pointed_out(manager_client):
    answer = manager_client.post(URL + "severities/", {"rules": "P1 -> SEV1"})
    assert answer.status_code == 400
    assert "Line 1" in answer.content.decode()


def test_integration_changes_appear_in_the_teams_audit_log(manager_client, manager):
    manager_client.post(URL + "alert-sources/", {"kind": "opsgenie", "name": "Ops"})
    manager_client.post(URL + "severities/", {"rules": "P1 = SEV1"})
    source = AlertSource.objects.get()
    rotated = manager_client.post(f"{URL}alert-sources/{source.pk}/secret/", {"secret": ""})
    new_secret = rotated.context["new_secret"][1]

    page = manager_client.get("/teams/payments/audit/").content.decode()
    for label in ("Alert source added", "Severity table changed", "Alert source secret replaced"):
        assert label in page
    assert new_secret not in page
    assert new_secret not in manager_client.get("/teams/payments/audit.csv").content.decode()
