import io
import json

import pytest
from django.core.management import CommandError, call_command

from integrations import secrets
from integrations.models import AlertSource


def test_alert_source_add_prints_url_and_secret_as_json_on_its_last_line(team, settings):
    settings.SITE_URL = "https://hindsight.example.com"
    out = io.StringIO()
    call_command(
        "alert_source", "add", "--team", "payments", "--kind", "pagerduty", "--json", stdout=out
    )
    line = json.loads(out.getvalue().strip().splitlines()[-1])
    source = AlertSource.objects.get()
    assert line["url"] == f"https://hindsight.example.com/integrations/alerts/{source.public_id}/"
    assert secrets.decrypt(source.signing_key_encrypted) == line["secret"]


def test_alert_source_add_refuses_an_unknown_team(db):
    with pytest.raises(CommandError):
        call_command("alert_source", "add", "--team", "nobody", "--kind", "grafana")
