"""What every alert endpoint does whatever the tool: refusals, limits, one transaction."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from integrations.alerts import services
from integrations.alerts.incident import IncidentUpdate, LogEntry
from integrations.models import AlertIncident, AlertLogEntry, RejectedDelivery
from postmortems.models import Postmortem, TimelineEvent


@pytest.fixture
def source(make_source):
    return make_source("alertmanager")


def bearer(source):
    return {"Authorization": f"Bearer {source[1]}"}


def test_an_unknown_endpoint_is_404(client, db):
    answer = client.post(f"/integrations/alerts/{uuid.uuid4()}/", data=b"{}", content_type="x")
    assert answer.status_code == 404


def test_the_endpoint_takes_only_post(client, source):
    assert client.get(source[0].get_absolute_url()).status_code == 405


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[" * 100_000 + b"]" * 100_000, b"\xff\xfe\x00", b"[]", b'{"version": 4}'],
    ids=["text", "deeply nested", "bad bytes", "a list", "a number as version"],
)
def test_a_body_that_is_not_the_tools_json_is_a_400_never_a_500(deliver, source, body):
    answer = deliver(source[0], body, headers=bearer(source))
    assert answer.status_code == 400
    assert "error" in answer.json()


def test_a_body_over_the_upload_limit_is_refused_with_413(deliver, source, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    answer = deliver(source[0], b"{" + b" " * 2000 + b"}", headers=bearer(source))
    assert answer.status_code == 413


def test_the_team_keeps_only_the_last_100_refusals(deliver, source, team):
    for _ in range(RejectedDelivery.KEEP + 5):
        deliver(source[0], b"{}", headers={"Authorization": "Bearer wrong"})
    assert RejectedDelivery.objects.filter(team=team).count() == RejectedDelivery.KEEP


def test_a_draft_that_cannot_be_saved_leaves_nothing_behind(source):
    """Times in the future fail validation: no incident, no entry, no postmortem."""

    later = timezone.now() + datetime.timedelta(days=3)
    update = IncidentUpdate(
        external_id="x",
        title="From the future",
        entries=[LogEntry("k", AlertLogEntry.Kind.RESOLVE, later, "Resolved")],
    )
    with pytest.raises(ValidationError):
        services.incident_apply(source=source[0], update=update, label="Test")
    assert not AlertIncident.objects.exists()
    assert not AlertLogEntry.objects.exists()
    assert not Postmortem.objects.exists()
    assert not TimelineEvent.objects.exists()


def test_a_rejected_draft_answers_400_with_the_reason(deliver, source, team):
    from integrations.alertmanager.tests import payloads as am

    payload = am.resolved()
    for alert in payload["alerts"]:
        alert["endsAt"] = "2099-01-01T00:00:00Z"
    answer = deliver(source[0], payload, headers=bearer(source))
    assert answer.status_code == 400
    assert "future" in answer.json()["error"]
    assert RejectedDelivery.objects.get(team=team).status_code == 400


def test_nul_characters_in_the_payload_are_dropped_not_a_500(deliver, source):
    from integrations.alertmanager.tests import payloads as am

    payload = am.resolved()
    payload["commonAnnotations"]["summary"] = "Checkout\u0000 latency"
    answer = deliver(source[0], payload, headers=bearer(source))
    assert answer.status_code == 200
    assert Postmortem.objects.get().title == "Checkout latency"


def test_an_alert_storm_fills_the_timeline_up_to_its_limit_and_is_still_accepted(
    deliver, source, settings
):
    from integrations.alertmanager.tests import payloads as am

    settings.TIMELINE_PASTE_MAX_LINES = 10
    alerts = [am.alert("resolved", ends="2026-11-20T08:20:00Z", instance=str(n)) for n in range(8)]
    answer = deliver(source[0], am.group("resolved", alerts), headers=bearer(source))
    assert answer.status_code == 200
    assert Postmortem.objects.get().timeline_events.count() == 10
    assert AlertLogEntry.objects.filter(copied=False).count() == 6
