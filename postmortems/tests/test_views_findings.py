import pytest
from django.urls import reverse

from postmortems import services
from postmortems.models import BlameAcknowledgement
from tests.factories import PostmortemFactory, TimelineEventFactory


@pytest.fixture
def postmortem(team):
    return PostmortemFactory(team=team, summary="Root cause: human error during the failover.")


def url(postmortem):
    return f"/postmortems/{postmortem.pk}/findings/"


def acknowledge(client, postmortem, reason="Quoted from the vendor's report.", **extra):
    data = {
        "location": "section:summary",
        "rule": "human-error",
        "phrase": "human error",
        "reason": reason,
        **extra,
    }
    return client.post(url(postmortem), data)


def test_findings_page_lists_each_finding_with_a_form(alice_client, postmortem):
    response = alice_client.get(url(postmortem))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<mark>human error</mark>" in html
    assert "1 finding is open." in html
    assert 'name="reason"' in html
    assert "/postmortems/guide/blameless/#rule-human-error" in html


def test_findings_url_is_named(postmortem):
    assert reverse("postmortems:findings", args=[postmortem.pk]) == url(postmortem)


def test_outsider_gets_404_on_a_restricted_postmortem(outsider_client, postmortem):
    postmortem.restricted = True
    postmortem.save()
    assert outsider_client.get(url(postmortem)).status_code == 404
    assert acknowledge(outsider_client, postmortem).status_code == 404
    assert not BlameAcknowledgement.objects.exists()


def test_outsider_may_read_but_not_acknowledge_an_open_postmortem(outsider_client, postmortem):
    response = outsider_client.get(url(postmortem))
    assert response.status_code == 200
    assert 'name="reason"' not in response.content.decode()
    assert acknowledge(outsider_client, postmortem).status_code == 403
    assert not BlameAcknowledgement.objects.exists()


def test_acknowledging_records_it_and_shows_who_and_why(alice_client, alice, postmortem):
    response = acknowledge(alice_client, postmortem)
    assert response.status_code == 302
    assert response["Location"] == url(postmortem)
    acknowledgement = BlameAcknowledgement.objects.get()
    assert acknowledgement.by == alice
    html = alice_client.get(url(postmortem)).content.decode()
    assert "Acknowledged" in html
    assert "by Alice Kim on" in html
    assert "Quoted from the vendor&#x27;s report." in html
    assert "Every finding is acknowledged." in html


def test_reviewers_see_acknowledgements(manager_client, alice, postmortem, client):
    services.blame_acknowledge(
        postmortem=postmortem,
        location="section:summary",
        rule="human-error",
        phrase="human error",
        reason="Direct quote.",
        by=alice,
    )
    html = manager_client.get(url(postmortem)).content.decode()
    assert "by Alice Kim on" in html
    assert "Direct quote." in html


def test_reason_is_required_and_the_form_keeps_its_input(alice_client, postmortem):
    response = acknowledge(alice_client, postmortem, reason="   ")
    assert response.status_code == 400
    html = response.content.decode()
    assert "This field is required." in html
    assert "is-invalid" in html
    assert not BlameAcknowledgement.objects.exists()


def test_a_too_long_reason_is_refused_and_kept(alice_client, postmortem):
    reason = "because " * 50
    response = acknowledge(alice_client, postmortem, reason=reason)
    assert response.status_code == 400
    assert f'value="{reason}"' in response.content.decode()
    assert not BlameAcknowledgement.objects.exists()


def test_a_phrase_that_is_not_in_the_text_cannot_be_acknowledged(alice_client, postmortem):
    response = acknowledge(alice_client, postmortem, phrase="negligent", rule="carelessness")
    assert response.status_code == 400
    assert "no longer in the postmortem" in response.content.decode()
    assert not BlameAcknowledgement.objects.exists()


def test_acknowledgements_of_removed_phrases_stay_visible(alice_client, postmortem):
    acknowledge(alice_client, postmortem)
    postmortem.summary = "The failover tool applied the change to both regions at once."
    postmortem.save()
    html = alice_client.get(url(postmortem)).content.decode()
    assert "No blaming language found." in html
    assert "Earlier acknowledgements" in html


def test_timeline_findings_are_listed_with_their_place(alice_client, postmortem):
    TimelineEventFactory(postmortem=postmortem, text="The on-call forgot to page the DBA.")
    html = alice_client.get(url(postmortem)).content.decode()
    assert "Timeline," in html
    assert "<mark>forgot</mark>" in html
    assert "2 findings are open." in html


def test_page_has_a_bounded_number_of_queries(
    alice_client, postmortem, django_assert_max_num_queries
):
    for n in range(8):
        TimelineEventFactory(postmortem=postmortem, text=f"Step {n}: someone forgot it.")
    alice_client.get(url(postmortem))
    # 11: the people's names for the colleague-name rule are read on every request (one
    # query of a stored column), never cached per process.
    with django_assert_max_num_queries(11):
        alice_client.get(url(postmortem))
