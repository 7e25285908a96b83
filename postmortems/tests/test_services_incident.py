"""postmortem_sync_from_incident: a draft from an alerting tool's incident."""

import datetime
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError

from postmortems.models import Postmortem
from postmortems.services import postmortem_sync_from_incident

T0 = datetime.datetime(2026, 11, 20, 14, 0, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class Line:
    occurred_at: datetime.datetime
    kind: str
    text: str
    source: str = "PagerDuty"


def fields(**changes):
    return {"title": "Checkout errors", "severity": "SEV2", "started_at": T0, **changes}


def test_a_new_incident_becomes_a_draft_with_its_events_and_their_source(team):
    postmortem = postmortem_sync_from_incident(
        team=team, fields=fields(), events=[Line(T0, "detection", "Triggered")]
    )
    assert postmortem.status == Postmortem.Status.DRAFT
    event = postmortem.timeline_events.get()
    assert (event.source, event.text_html) == ("PagerDuty", "<p>Triggered</p>")


def test_an_update_keeps_what_the_author_changed_and_fills_what_is_empty(team):
    postmortem = postmortem_sync_from_incident(team=team, fields=fields())
    Postmortem.objects.filter(pk=postmortem.pk).update(title="Written by the author")
    later = T0 + datetime.timedelta(minutes=5)
    postmortem_sync_from_incident(
        team=team,
        postmortem=postmortem,
        previous=fields(),
        fields=fields(title="Checkout errors (renamed in the tool)", detected_at=later),
    )
    postmortem.refresh_from_db()
    assert postmortem.title == "Written by the author"
    assert postmortem.detected_at == later
    assert postmortem.version == 2


def test_a_postmortem_that_left_draft_only_gains_events(team):
    postmortem = postmortem_sync_from_incident(team=team, fields=fields())
    Postmortem.objects.filter(pk=postmortem.pk).update(status="in_review")
    postmortem_sync_from_incident(
        team=team,
        postmortem=postmortem,
        previous=fields(),
        fields=fields(severity="SEV1"),
        events=[Line(T0, "note", "Late note")],
    )
    postmortem.refresh_from_db()
    assert postmortem.severity == "SEV2"
    assert postmortem.timeline_events.count() == 1


def test_impossible_times_save_nothing(team):
    with pytest.raises(ValidationError):
        postmortem_sync_from_incident(
            team=team,
            fields=fields(detected_at=T0 - datetime.timedelta(hours=1)),
            events=[Line(T0, "note", "x")],
        )
    assert not Postmortem.objects.exists()


def test_only_incident_fields_may_be_set(team):
    with pytest.raises(TypeError):
        postmortem_sync_from_incident(team=team, fields={"restricted": True})
