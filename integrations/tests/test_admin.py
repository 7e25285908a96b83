"""The admin changes integration settings through the same audit trail as the team's page."""

from integrations.alerts import services
from integrations.models import AlertSource, SeverityRule
from postmortems.models import AuditEvent


def _admin(client, superuser):
    client.force_login(superuser)
    return client


def test_removing_an_alert_source_in_the_admin_is_audited(client, superuser, team):
    source, _secret = services.alert_source_create(team=team, kind="grafana", name="Grafana")
    answer = _admin(client, superuser).post(
        f"/admin/integrations/alertsource/{source.pk}/delete/", {"post": "yes"}
    )
    assert answer.status_code == 302
    assert not AlertSource.objects.exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.ALERT_SOURCE_REMOVED)
    assert (event.actor, event.team, event.target_id) == (superuser, team, source.pk)


def test_changing_a_severity_rule_in_the_admin_is_audited(client, superuser, team):
    rule = SeverityRule.objects.create(team=team, value="p1", severity="SEV1")
    admin = _admin(client, superuser)
    answer = admin.post(
        f"/admin/integrations/severityrule/{rule.pk}/change/",
        {"team": team.pk, "value": "p1", "severity": "SEV2"},
    )
    assert answer.status_code == 302
    admin.post(f"/admin/integrations/severityrule/{rule.pk}/delete/", {"post": "yes"})
    details = [
        e.detail
        for e in AuditEvent.objects.filter(
            action=AuditEvent.Action.SEVERITY_TABLE_CHANGED
        ).order_by("id")
    ]
    assert details == [{"changed": {"p1": "p1 = SEV1 → SEV2"}}, {"removed": ["p1"]}]
