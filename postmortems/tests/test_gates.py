import pytest
from django.core.exceptions import ValidationError

from postmortems import gates, services
from postmortems.models import BlameAcknowledgement, Postmortem
from tests.factories import ContributingFactorFactory, PostmortemFactory, TimelineEventFactory


@pytest.fixture
def postmortem(team):
    return PostmortemFactory(
        team=team,
        summary="Checkout failed for 40 minutes. Root cause: human error.",
        impact="Customers could not pay.",
    )


def test_a_clean_postmortem_has_no_findings(team):
    postmortem = PostmortemFactory(team=team)
    TimelineEventFactory(postmortem=postmortem, text="Alert fired for elevated 5xx rate.")
    assert gates.postmortem_findings(postmortem) == []
    assert gates.unacknowledged_findings(postmortem) == []


def test_findings_are_located_in_sections_events_and_factors(postmortem, alice):
    event = TimelineEventFactory(postmortem=postmortem, text="Alice forgot to drain the node.")
    factor = ContributingFactorFactory(
        postmortem=postmortem, description="The reviewer should have spotted the typo."
    )
    found = {(f.location, f.rule, f.phrase) for f in gates.postmortem_findings(postmortem)}
    assert found == {
        ("section:summary", "human-error", "human error"),
        (f"event:{event.pk}", "person-as-cause", "Alice"),
        (f"event:{event.pk}", "blame-verb", "forgot"),
        (f"factor:{factor.pk}", "counterfactual", "should have spotted"),
    }


def test_an_unacknowledged_finding_is_reported(postmortem):
    (finding,) = gates.unacknowledged_findings(postmortem)
    assert finding.location == "section:summary"
    assert finding.rule == "human-error"
    assert finding.before.endswith("Root cause: ")
    assert not finding.acknowledged


def test_an_acknowledged_finding_is_not_reported(postmortem, alice):
    services.blame_acknowledge(
        postmortem=postmortem,
        location="section:summary",
        rule="human-error",
        phrase="human error",
        reason="Quoting the vendor's report.",
        by=alice,
    )
    assert gates.unacknowledged_findings(postmortem) == []
    (finding,) = gates.postmortem_findings(postmortem)
    assert finding.acknowledged
    assert finding.acknowledgement.by == alice


def test_an_acknowledgement_covers_only_its_location(postmortem, alice):
    postmortem.impact = "Impact came from human error too."
    postmortem.save()
    services.blame_acknowledge(
        postmortem=postmortem,
        location="section:summary",
        rule="human-error",
        phrase="human error",
        reason="Quote.",
        by=alice,
    )
    (left,) = gates.unacknowledged_findings(postmortem)
    assert left.location == "section:impact"


def test_acknowledgement_records_who_when_and_why(postmortem, alice):
    acknowledgement = services.blame_acknowledge(
        postmortem=postmortem,
        location="section:summary",
        rule="human-error",
        phrase="human error",
        reason="  Direct quote from the vendor.  ",
        by=alice,
    )
    acknowledgement.refresh_from_db()
    assert acknowledgement.by == alice
    assert acknowledgement.reason == "Direct quote from the vendor."
    assert acknowledgement.created_at is not None
    assert acknowledgement.history.first().history_user == alice


def test_acknowledging_again_replaces_the_reason(postmortem, alice, manager):
    for by, reason in ((alice, "Quote."), (manager, "Quote from the vendor report.")):
        services.blame_acknowledge(
            postmortem=postmortem,
            location="section:summary",
            rule="human-error",
            phrase="human error",
            reason=reason,
            by=by,
        )
    acknowledgement = BlameAcknowledgement.objects.get()
    assert (acknowledgement.by, acknowledgement.reason) == (
        manager,
        "Quote from the vendor report.",
    )


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("reason", {"reason": "   "}),
        ("reason", {"reason": "x" * 301}),
        ("rule", {"rule": "rudeness"}),
        ("location", {"location": "section:title"}),
        ("location", {"location": "event:999999"}),
    ],
)
def test_acknowledgement_needs_a_short_reason_and_a_real_place(postmortem, alice, field, changes):
    arguments = {
        "postmortem": postmortem,
        "location": "section:summary",
        "rule": "human-error",
        "phrase": "human error",
        "reason": "Quote.",
        "by": alice,
        **changes,
    }
    with pytest.raises(ValidationError) as caught:
        services.blame_acknowledge(**arguments)
    assert field in caught.value.message_dict
    assert not BlameAcknowledgement.objects.exists()


def test_an_event_of_another_postmortem_is_not_a_place_to_acknowledge(postmortem, alice):
    elsewhere = TimelineEventFactory(text="Someone forgot.")
    with pytest.raises(ValidationError):
        services.blame_acknowledge(
            postmortem=postmortem,
            location=f"event:{elsewhere.pk}",
            rule="blame-verb",
            phrase="forgot",
            reason="Quote.",
            by=alice,
        )


def test_publishing_is_refused_until_findings_are_acknowledged(postmortem, manager):
    postmortem.status = Postmortem.Status.IN_REVIEW
    postmortem.no_action_items_reason = "Fixed during the incident."
    postmortem.save()
    ContributingFactorFactory(postmortem=postmortem)
    with pytest.raises(services.PostmortemHasFindings):
        services.postmortem_publish(postmortem=postmortem, by=manager)
    services.blame_acknowledge(
        postmortem=postmortem,
        location="section:summary",
        rule="human-error",
        phrase="human error",
        reason="The customer's words, quoted.",
        by=manager,
    )
    services.postmortem_publish(postmortem=postmortem, by=manager)
    postmortem.refresh_from_db()
    assert postmortem.status == Postmortem.Status.PUBLISHED


def test_findings_use_a_bounded_number_of_queries(postmortem, django_assert_max_num_queries):
    for n in range(5):
        TimelineEventFactory(postmortem=postmortem, text=f"Step {n}: the on-call forgot it.")
        ContributingFactorFactory(postmortem=postmortem, description="Human error, again.")
    # the people's names, events, factors, acknowledgements, and the "Not blame" dismissals
    with django_assert_max_num_queries(5):
        assert len(gates.postmortem_findings(postmortem)) == 11
