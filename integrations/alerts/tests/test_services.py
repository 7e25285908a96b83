from integrations import secrets
from integrations.alerts import services
from integrations.models import AlertSource


def test_a_bearer_secret_is_kept_only_as_a_digest(team):
    source, secret = services.alert_source_create(team=team, kind="opsgenie")
    source.refresh_from_db()
    assert source.secret_digest == secrets.digest(secret)
    assert source.signing_key_encrypted == ""
    assert secret not in str(AlertSource.objects.filter(pk=source.pk).values().get())


def test_a_pagerduty_signing_secret_is_kept_encrypted(team):
    source, secret = services.alert_source_create(team=team, kind="pagerduty")
    source.refresh_from_db()
    assert secret not in source.signing_key_encrypted
    assert secrets.decrypt(source.signing_key_encrypted) == secret


def test_a_secret_the_tool_made_is_used_as_given(team):
    source, secret = services.alert_source_create(team=team, kind="pagerduty", secret=" pd-abc ")
    assert secret == "pd-abc"
    assert secrets.decrypt(source.signing_key_encrypted) == "pd-abc"


def test_replacing_the_secret_invalidates_the_old_one(team):
    source, old = services.alert_source_create(team=team, kind="grafana")
    new = services.alert_source_rotate_secret(source=source)
    assert new != old
    assert secrets.matches(new, source.secret_digest)
    assert not secrets.matches(old, source.secret_digest)


def test_the_team_table_wins_over_the_defaults_and_unknown_values_are_sev3(team):
    services.severity_rules_save(team=team, rules={"critical": "SEV2"})
    assert services.severity_for(team, "Critical") == "SEV2"
    assert services.severity_for(team, "P1") == "SEV1"
    assert services.severity_for(team, "whatever") == "SEV3"


# --- The team's audit log: who changed the integration settings, never the secret -----------


def _audit(team):
    from postmortems.models import AuditEvent

    return list(AuditEvent.objects.filter(team=team).order_by("id"))


def test_adding_rotating_and_removing_a_source_are_in_the_audit_log_without_secrets(team, manager):
    from postmortems.models import AuditEvent

    source, first = services.alert_source_create(
        team=team, kind="pagerduty", name="Primary", by=manager
    )
    second = services.alert_source_rotate_secret(source=source, by=manager, secret="pd-given")
    third = services.alert_source_rotate_secret(source=source, by=manager)
    source_pk = source.pk
    services.alert_source_delete(source=source, by=manager)

    events = _audit(team)
    assert [e.action for e in events] == [
        AuditEvent.Action.ALERT_SOURCE_ADDED,
        AuditEvent.Action.ALERT_SOURCE_SECRET_ROTATED,
        AuditEvent.Action.ALERT_SOURCE_SECRET_ROTATED,
        AuditEvent.Action.ALERT_SOURCE_REMOVED,
    ]
    assert {(e.actor, e.target_type, e.target_id) for e in events} == {
        (manager, "integrations.alertsource", source_pk)
    }
    assert events[0].detail == {"kind": "pagerduty", "name": "Primary"}
    assert [e.detail["generated"] for e in events[1:3]] == [False, True]
    logged = str([(e.detail, e.detail_text) for e in events])
    for secret in (first, second, third):
        assert secret not in logged


def test_a_severity_table_change_records_what_changed(team, manager):
    from postmortems.models import AuditEvent

    services.severity_rules_save(team=team, rules={"p1": "SEV1", "p2": "SEV2"}, by=manager)
    services.severity_rules_save(team=team, rules={"p1": "SEV2", "crit": "SEV1"}, by=manager)

    events = _audit(team)
    assert [(e.action, e.actor) for e in events] == [
        (AuditEvent.Action.SEVERITY_TABLE_CHANGED, manager)
    ] * 2
    assert events[0].detail == {"added": {"p1": "SEV1", "p2": "SEV2"}}
    assert events[1].detail == {
        "added": {"crit": "SEV1"},
        "changed": {"p1": "SEV1 → SEV2"},
        "removed": ["p2"],
    }


def test_saving_the_same_severity_table_records_nothing(team, manager):
    services.severity_rules_save(team=team, rules={"p1": "SEV1"}, by=manager)
    services.severity_rules_save(team=team, rules={"P1 ": "SEV1"}, by=manager)
    assert len(_audit(team)) == 1
