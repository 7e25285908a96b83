import datetime

import pytest

from integrations.models import AlertIncident, RejectedDelivery
from postmortems.models import Postmortem, TimelineEvent

from . import payloads as pd

UTC = datetime.UTC


@pytest.fixture
def source(make_source):
    return make_source("pagerduty")


@pytest.fixture
def send(source, deliver):
    """Sign and deliver a payload as PagerDuty does."""
    src, secret = source

    def post(payload, *, key=None, header=None):
        raw = pd.body(payload)
        signature = header if header is not None else pd.signature(key or secret, raw)
        return deliver(src, raw, headers={"X-PagerDuty-Signature": signature})

    return post


def at(hour, minute, second=0):
    return datetime.datetime(2026, 11, 20, hour, minute, second, tzinfo=UTC)


def test_resolved_incident_becomes_one_draft_with_its_times_and_timeline(send):
    for payload in (pd.triggered(), pd.acknowledged(), pd.annotated(), pd.resolved()):
        assert send(payload).status_code == 200
    postmortem = Postmortem.objects.get()
    assert postmortem.status == Postmortem.Status.DRAFT
    assert postmortem.title == "Checkout API error rate above 5%"
    assert postmortem.severity == "SEV1"
    assert (postmortem.started_at, postmortem.detected_at, postmortem.resolved_at) == (
        at(14, 0),
        at(14, 6, 30),
        at(15, 10),
    )
    events = list(postmortem.timeline_events.order_by("occurred_at"))
    assert [(e.kind, e.source) for e in events] == [
        (TimelineEvent.Kind.DETECTION, "PagerDuty"),
        (TimelineEvent.Kind.KEY_MOMENT, "PagerDuty"),
        (TimelineEvent.Kind.NOTE, "PagerDuty"),
        (TimelineEvent.Kind.REPAIR, "PagerDuty"),
    ]
    assert events[1].text == "Acknowledged by Alice Kim"
    assert events[2].text == "Note by Alice Kim: Rolled back the 14:02 deploy."
    assert "acme.pagerduty.com/incidents/PGR0VU2" in postmortem.summary


def test_no_draft_exists_before_the_incident_resolves(send):
    send(pd.triggered())
    send(pd.acknowledged())
    assert not Postmortem.objects.exists()
    assert AlertIncident.objects.get().status == AlertIncident.Status.ACKNOWLEDGED


def test_a_redelivered_event_changes_nothing(send):
    for payload in (pd.triggered(), pd.resolved()):
        send(payload)
    answer = send(pd.resolved())
    assert answer.json()["status"] == "duplicate"
    assert Postmortem.objects.count() == 1
    assert TimelineEvent.objects.count() == 2


def test_events_arriving_out_of_order_end_in_the_same_draft(send):
    send(pd.resolved())
    send(pd.acknowledged())
    send(pd.triggered())
    incident = AlertIncident.objects.get()
    assert incident.status == AlertIncident.Status.RESOLVED
    postmortem = Postmortem.objects.get()
    assert (postmortem.started_at, postmortem.detected_at, postmortem.resolved_at) == (
        at(14, 0),
        at(14, 6, 30),
        at(15, 10),
    )
    assert postmortem.timeline_events.count() == 3


def test_a_resolve_without_a_trigger_still_makes_a_draft(send):
    answer = send(pd.resolved())
    assert answer.status_code == 200
    postmortem = Postmortem.objects.get()
    # The incident's created_at comes with every event.
    assert postmortem.started_at == at(14, 0)
    assert postmortem.detected_at is None
    assert postmortem.resolved_at == at(15, 10)


def test_a_late_acknowledgement_fills_in_the_draft_but_keeps_what_the_author_changed(send):
    send(pd.triggered())
    send(pd.resolved())
    postmortem = Postmortem.objects.get()
    Postmortem.objects.filter(pk=postmortem.pk).update(title="Checkout errors after deploy")
    send(pd.acknowledged())
    postmortem.refresh_from_db()
    assert postmortem.title == "Checkout errors after deploy"
    assert postmortem.detected_at == at(14, 6, 30)


def test_the_team_severity_table_maps_the_priority(send, team):
    from integrations.alerts.services import severity_rules_save

    severity_rules_save(team=team, rules={"p1": "SEV2"})
    send(pd.resolved())
    assert Postmortem.objects.get().severity == "SEV2"


def test_a_wrong_signature_is_refused_with_401_and_listed(send, team):
    answer = send(pd.resolved(), key="not-the-secret")
    assert answer.status_code == 401
    assert not Postmortem.objects.exists()
    rejected = RejectedDelivery.objects.get(team=team)
    assert (rejected.status_code, rejected.reason) == (401, "signature does not match")
    assert rejected.excerpt == ""  # a stranger's bytes are not kept


def test_a_missing_signature_is_refused(send):
    assert send(pd.resolved(), header="").status_code == 401


def test_one_matching_signature_among_several_is_enough(send, source):
    _src, secret = source
    raw = pd.body(pd.resolved())
    header = f"v1={'0' * 64}, {pd.signature(secret, raw)}"
    assert send(pd.resolved(), header=header).status_code == 200


def test_a_signature_over_another_body_is_refused(send, source):
    _src, secret = source
    header = pd.signature(secret, pd.body(pd.triggered()))
    assert send(pd.resolved(), header=header).status_code == 401


def test_a_malformed_payload_is_refused_with_400_and_its_reason(send, team):
    payload = pd.resolved()
    del payload["event"]["occurred_at"]
    answer = send(payload)
    assert answer.status_code == 400
    assert answer.json()["error"] == "malformed payload: missing field event.occurred_at"
    assert RejectedDelivery.objects.get(team=team).excerpt.startswith('{"event"')


def test_the_ping_is_answered_and_ignored(send):
    answer = send(pd.ping())
    assert (answer.status_code, answer.json()["status"]) == (200, "ignored")
    assert not AlertIncident.objects.exists()
