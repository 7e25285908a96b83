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
