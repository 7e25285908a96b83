"""The after-commit recording of blame hints: once per postmortem per transaction, and a
rolled-back transaction leaves nothing behind that stops the next one."""

import pytest
from django.db import transaction

from postmortems import services
from postmortems.models import BlameHint
from tests.factories import PostmortemFactory, TimelineEventFactory

NEUTRAL = "The deploy finished at 10:02."


class Boom(Exception):
    pass


@pytest.fixture
def recordings(monkeypatch):
    calls = []
    original = services.blame_hints_record

    def counting(*, postmortem):
        calls.append(postmortem.pk)
        original(postmortem=postmortem)

    monkeypatch.setattr(services, "blame_hints_record", counting)
    return calls


def _created(team, capture):
    with capture(execute=True):
        return PostmortemFactory(team=team, summary=NEUTRAL)


def test_several_saves_in_one_transaction_record_the_hints_once(
    team, recordings, django_capture_on_commit_callbacks
):
    postmortem = _created(team, django_capture_on_commit_callbacks)
    recordings.clear()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        postmortem.summary = "It was human error."
        postmortem.save()
        TimelineEventFactory(postmortem=postmortem, text="Bob forgot to drain the node.")
        postmortem.save()
    assert recordings == [postmortem.pk]
    assert set(BlameHint.objects.values_list("rule", flat=True)) >= {"human-error"}


def test_a_rolled_back_savepoint_does_not_stop_the_next_save_from_recording(
    team, recordings, django_capture_on_commit_callbacks
):
    postmortem = _created(team, django_capture_on_commit_callbacks)
    recordings.clear()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(Boom), transaction.atomic():
            postmortem.summary = "It was human error."
            postmortem.save()
            raise Boom
        postmortem.summary = "We should have known."
        postmortem.save()
    assert recordings == [postmortem.pk]
    assert list(BlameHint.objects.values_list("rule", flat=True)) == ["counterfactual"]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_leaves_no_stale_marker(team, recordings):
    postmortem = PostmortemFactory(team=team, summary=NEUTRAL)
    recordings.clear()
    with pytest.raises(Boom), transaction.atomic():
        postmortem.summary = "It was human error."
        postmortem.save()
        raise Boom
    assert recordings == []
    with transaction.atomic():
        postmortem.summary = "We should have known."
        postmortem.save()
    assert recordings == [postmortem.pk]
    assert list(BlameHint.objects.values_list("rule", flat=True)) == ["counterfactual"]


@pytest.mark.django_db(transaction=True)
def test_each_committed_transaction_records_again(team, recordings):
    postmortem = PostmortemFactory(team=team, summary=NEUTRAL)
    for text in ("It was human error.", "The failover promoted a lagging replica."):
        with transaction.atomic():
            postmortem.summary = text
            postmortem.save()
    assert recordings == [postmortem.pk, postmortem.pk, postmortem.pk]
    assert dict(BlameHint.objects.values_list("rule", "outcome")) == {"human-error": "fixed"}
