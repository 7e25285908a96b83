import datetime

import pytest

from integrations.models import RejectedDelivery
from postmortems.models import Postmortem

from . import payloads as og


@pytest.fixture
def source(make_source):
    return make_source("opsgenie")


@pytest.fixture
def send(source, deliver):
    src, secret = source

    def post(payload, *, token=None):
        return deliver(src, payload, headers={"Authorization": f"Bearer {token or secret}"})

    return post


def at(hour, minute):
    return datetime.datetime(2026, 11, 20, hour, minute, tzinfo=datetime.UTC)


def test_create_acknowledge_close_becomes_a_draft(send):
    for payload in (og.create(), og.acknowledge(), og.add_note(), og.close()):
        assert send(payload).status_code == 200
    postmortem = Postmortem.objects.get()
    assert postmortem.title == "Payment gateway timeouts above 2%"
    assert postmortem.severity == "SEV2"
    assert (postmortem.started_at, postmortem.detected_at, postmortem.resolved_at) == (
        at(9, 0),
        at(9, 4),
        at(10, 15),
    )
    texts = list(postmortem.timeline_events.values_list("text", flat=True))
    assert texts == [
        "Alert created: Payment gateway timeouts above 2%",
        "Acknowledged by alice@example.com",
        "Note by alice@example.com: Gateway vendor confirms a regional outage.",
        "Closed by alice@example.com",
    ]
    assert set(postmortem.timeline_events.values_list("source", flat=True)) == {"Opsgenie"}


def test_a_close_that_arrives_first_still_makes_one_draft(send):
    send(og.close())
    send(og.create())
    send(og.acknowledge())
    postmortem = Postmortem.objects.get()
    assert postmortem.detected_at == at(9, 4)
    assert postmortem.timeline_events.count() == 3


def test_a_repeated_action_is_a_duplicate(send):
    send(og.create())
    send(og.close())
    assert send(og.close()).json()["status"] == "duplicate"
    assert Postmortem.objects.get().timeline_events.count() == 2


def test_a_wrong_bearer_secret_is_refused(send, team):
    answer = send(og.close(), token="guess")
    assert answer.status_code == 401
    assert RejectedDelivery.objects.get(team=team).reason == "missing or wrong bearer secret"


def test_an_unknown_action_is_refused_with_400(send):
    answer = send(og.action("Explode", 1))
    assert answer.status_code == 400
    assert "unknown action" in answer.json()["error"]


def test_a_timestamp_of_the_wrong_type_is_refused_with_400(send):
    answer = send(og.action("Close", "yesterday"))
    assert answer.status_code == 400
    assert answer.json()["error"] == "malformed payload: field alert.updatedAt has the wrong type"
