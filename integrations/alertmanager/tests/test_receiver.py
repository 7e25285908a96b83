import datetime

import pytest
from django.utils import timezone

from actions import metrics
from actions.tests.test_metrics_stored import differences
from integrations.models import AlertIncident
from postmortems.models import Postmortem
from tests.factories import UserFactory

from . import payloads as am


@pytest.fixture
def source(make_source):
    return make_source("alertmanager")


@pytest.fixture
def send(source, deliver):
    src, secret = source

    def post(payload, *, token=None):
        return deliver(src, payload, headers={"Authorization": f"Bearer {token or secret}"})

    return post


def at(hour, minute):
    return datetime.datetime(2026, 11, 20, hour, minute, tzinfo=datetime.UTC)


def test_a_group_resolves_into_a_draft_when_its_last_alert_ends(send):
    send(am.firing())
    send(am.partly_resolved())
    assert not Postmortem.objects.exists()
    send(am.resolved())
    postmortem = Postmortem.objects.get()
    assert postmortem.title == "Checkout p99 latency above 2 s"
    assert postmortem.severity == "SEV1"
    assert (postmortem.started_at, postmortem.detected_at, postmortem.resolved_at) == (
        at(8, 0),
        None,
        at(8, 41),
    )
    assert postmortem.timeline_events.count() == 4  # two alerts fired, two resolved


def test_repeated_notifications_of_a_firing_group_add_nothing(send):
    send(am.firing())
    assert send(am.firing()).json()["status"] == "duplicate"
    assert AlertIncident.objects.get().entries.count() == 2


def test_a_stale_firing_notification_after_the_resolve_keeps_it_resolved(send):
    send(am.resolved())
    send(am.firing())
    assert AlertIncident.objects.get().status == AlertIncident.Status.RESOLVED
    assert Postmortem.objects.count() == 1


def test_another_payload_version_is_refused_with_400(send):
    answer = send(am.group("firing", [am.alert("firing")], version="3"))
    assert answer.status_code == 400
    assert "unsupported payload version" in answer.json()["error"]


def test_a_delivery_without_alerts_is_refused_with_400(send):
    assert send(am.group("firing", [])).status_code == 400


def test_a_wrong_bearer_secret_is_refused(send):
    assert send(am.resolved(), token="nope").status_code == 401


def test_an_internal_alertmanager_url_is_dropped_not_refused(send):
    payload = am.resolved()
    payload["externalURL"] = "http://alertmanager:9093"
    assert send(payload).status_code == 200
    assert AlertIncident.objects.get().url == ""
    assert Postmortem.objects.get().summary == "Opened from Alertmanager."


def test_group_keys_longer_than_the_column_stay_distinct(send):
    first, second = am.resolved(), am.resolved()
    first["groupKey"] = "x" * 300 + "a"
    second["groupKey"] = "x" * 300 + "b"
    send(first)
    send(second)
    assert AlertIncident.objects.count() == 2


def test_a_draft_made_by_an_alert_is_in_the_stored_metrics_at_once(send):
    send(am.firing())
    send(am.resolved())
    admin = UserFactory(is_superuser=True)
    today = timezone.localdate()
    assert differences(admin, today=today, first=datetime.date(2026, 1, 1)) == []
    with timezone.override(datetime.UTC):
        stored = metrics.stored_report(first=datetime.date(2026, 11, 1), last=today, today=today)
    assert stored.bucket(datetime.date(2026, 11, 1), "SEV1").incidents == 1
