import json

import pytest
from django.core.management import call_command

from postmortems import services as dismissal_services
from postmortems.models import BlameDismissal, BlameHint
from tests.factories import ContributingFactorFactory, PostmortemFactory, TimelineEventFactory

SENTENCE = "Root cause: human error during the failover."


@pytest.fixture
def postmortem(team):
    return PostmortemFactory(team=team, summary=SENTENCE)


def dismiss(client, postmortem, reason="", **extra):
    data = {
        "location": "section:summary",
        "rule": "human-error",
        "phrase": "human error",
        "sentence": SENTENCE,
        "reason": reason,
        **extra,
    }
    return client.post(
        f"/postmortems/{postmortem.pk}/blame/dismiss/", data, **extra.pop("headers", {})
    )


def lint(client, postmortem, text=SENTENCE):
    return client.post(
        "/postmortems/lint/",
        {"text": text, "field": "summary", "postmortem": postmortem.pk},
        HTTP_ACCEPT="application/json",
    ).json()["findings"]


def test_live_hints_offer_not_blame_to_people_who_may_edit(alice_client, postmortem):
    response = alice_client.post(
        "/postmortems/lint/", {"text": SENTENCE, "field": "summary", "postmortem": postmortem.pk}
    )
    html = response.content.decode()
    assert f'hx-post="/postmortems/{postmortem.pk}/blame/dismiss/"' in html
    assert 'name="sentence" value="Root cause: human error during the failover."' in html
    assert "Not blame" in html


def test_live_hints_without_a_postmortem_offer_no_dismissal(alice_client):
    html = alice_client.post("/postmortems/lint/", {"text": SENTENCE}).content.decode()
    assert "<mark>human error" in html
    assert "blame/dismiss" not in html


def test_a_dismissed_hint_stays_hidden_for_that_sentence_only(alice_client, alice, postmortem):
    response = dismiss(alice_client, postmortem, reason="We quote the vendor's report.")
    assert response.status_code == 302
    dismissal = BlameDismissal.objects.get()
    assert (dismissal.by, dismissal.rule, dismissal.reason) == (
        alice,
        "human-error",
        "We quote the vendor's report.",
    )
    assert lint(alice_client, postmortem) == []
    assert lint(alice_client, postmortem, "It was human error again.") != []
    other = PostmortemFactory(team=postmortem.team, summary=SENTENCE)
    assert lint(alice_client, other) != []


def test_the_reason_is_optional_and_htmx_gets_a_replacement(alice_client, postmortem):
    response = alice_client.post(
        f"/postmortems/{postmortem.pk}/blame/dismiss/",
        {"rule": "human-error", "phrase": "human error", "sentence": SENTENCE},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Marked as not blame" in response.content.decode()
    assert BlameDismissal.objects.get().reason == ""


def test_a_dismissed_hint_no_longer_holds_the_publish_gate(alice_client, postmortem):
    from postmortems import gates

    assert len(gates.unacknowledged_findings(postmortem)) == 1
    dismiss(alice_client, postmortem)
    assert gates.unacknowledged_findings(postmortem) == []


def test_a_phrase_that_is_not_in_the_sentence_is_refused(alice_client, postmortem):
    dismiss(alice_client, postmortem, phrase="careless")
    assert not BlameDismissal.objects.exists()


def test_outsiders_may_not_dismiss(outsider_client, postmortem):
    assert dismiss(outsider_client, postmortem).status_code == 403
    postmortem.restricted = True
    postmortem.save()
    assert dismiss(outsider_client, postmortem).status_code == 404
    assert not BlameDismissal.objects.exists()


def test_managers_see_their_teams_dismissals_from_team_settings(manager_client, alice, postmortem):
    dismissal_services.blame_dismiss(
        postmortem=postmortem,
        location="section:summary",
        rule="human-error",
        phrase="human error",
        sentence=SENTENCE,
        reason="Vendor's words.",
        by=alice,
    )
    settings_page = manager_client.get("/teams/payments/settings/").content.decode()
    assert "/teams/payments/blame-dismissals/" in settings_page
    page = manager_client.get("/teams/payments/blame-dismissals/").content.decode()
    assert "Vendor&#x27;s words." in page
    assert SENTENCE in page


def test_members_who_are_not_managers_get_404_on_the_dismissals_page(alice_client, postmortem):
    assert alice_client.get("/teams/payments/blame-dismissals/").status_code == 404


def test_a_restricted_dismissal_is_listed_only_for_who_may_open_it(
    manager, outsider, alice, postmortem, team
):
    from postmortems.selectors import team_dismissals

    open_one = PostmortemFactory(team=team, summary="It was human error.")
    for pm, sentence, phrase in (
        (postmortem, SENTENCE, "human error"),
        (open_one, "It was human error.", "human error"),
    ):
        dismissal_services.blame_dismiss(
            postmortem=pm,
            location="",
            rule="human-error",
            phrase=phrase,
            sentence=sentence,
            reason="",
            by=alice,
        )
    postmortem.restricted = True
    postmortem.save()
    assert {d.postmortem for d in team_dismissals(manager, team)} == {postmortem, open_one}
    assert {d.postmortem for d in team_dismissals(outsider, team)} == {open_one}


def test_export_writes_json_lines_and_leaves_out_restricted_ones(alice, postmortem, capsys):
    dismissal_services.blame_dismiss(
        postmortem=postmortem,
        location="section:summary",
        rule="human-error",
        phrase="human error",
        sentence=SENTENCE,
        reason="",
        by=alice,
    )
    hidden = PostmortemFactory(team=postmortem.team, restricted=True, summary="Human error.")
    dismissal_services.blame_dismiss(
        postmortem=hidden,
        location="",
        rule="human-error",
        phrase="Human error",
        sentence="Human error.",
        reason="",
        by=alice,
    )
    call_command("export_blame_dismissals", "--team", "payments", "--since", "2000-01-01")
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["text"], r["label"], r["rule"], r["team"]) for r in lines] == [
        (SENTENCE, "neutral", "human-error", "payments")
    ]
    call_command("export_blame_dismissals", "--include-restricted")
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_hints_are_recorded_as_fixed_when_reworded_and_dismissed_when_dismissed(
    alice, team, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        postmortem = PostmortemFactory(team=team, summary=SENTENCE, impact="We should have known.")
    assert set(BlameHint.objects.values_list("rule", "outcome")) == {
        ("human-error", "open"),
        ("counterfactual", "open"),
    }
    with django_capture_on_commit_callbacks(execute=True):
        postmortem.summary = "The failover script promoted a lagging replica."
        postmortem.save()
    dismissal_services.blame_dismiss(
        postmortem=postmortem,
        location="section:impact",
        rule="counterfactual",
        phrase="should have known",
        sentence="We should have known.",
        reason="",
        by=alice,
    )
    assert dict(BlameHint.objects.values_list("rule", "outcome")) == {
        "human-error": "fixed",
        "counterfactual": "dismissed",
    }


def test_metrics_show_dismissed_versus_fixed_per_rule(alice_client, alice, team):
    postmortem = PostmortemFactory(team=team)
    BlameHint.objects.create(
        postmortem=postmortem,
        location="section:summary",
        rule="human-error",
        sentence_key="a",
        phrase="human error",
        outcome="fixed",
    )
    BlameHint.objects.create(
        postmortem=postmortem,
        location="section:impact",
        rule="human-error",
        sentence_key="b",
        phrase="human error",
        outcome="dismissed",
    )
    html = alice_client.get("/metrics/").content.decode()
    assert "dismissed or fixed" in html
    assert '<tr data-rule="human-error">' in html
    assert "50%" in html


EVENT_SENTENCE = "The on-call engineer forgot to drain the node."


def lint_at(client, postmortem, location, text=EVENT_SENTENCE):
    return client.post(
        "/postmortems/lint/",
        {"text": text, "field": "timeline", "postmortem": postmortem.pk, "location": location},
        HTTP_ACCEPT="application/json",
    ).json()["findings"]


def test_an_event_edit_form_posts_its_place_with_the_hints(alice_client, postmortem):
    event = TimelineEventFactory(postmortem=postmortem, text=EVENT_SENTENCE)
    html = alice_client.get(
        f"/postmortems/{postmortem.pk}/timeline/{event.pk}/edit/", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert f'data-lint-location="event:{event.pk}"' in html


def test_a_factor_edit_form_posts_its_place_with_the_hints(alice_client, postmortem):
    factor = ContributingFactorFactory(postmortem=postmortem, description=EVENT_SENTENCE)
    html = alice_client.get(
        f"/postmortems/{postmortem.pk}/factors/{factor.pk}/edit/"
    ).content.decode()
    assert f'data-lint-location="factor:{factor.pk}"' in html


def test_a_new_event_form_has_no_place_yet(alice_client, postmortem):
    html = alice_client.get(f"/postmortems/{postmortem.pk}/timeline/add/").content.decode()
    assert 'data-lint-location="event:' not in html.split('id="id_event_new_text"')[1][:300]


@pytest.mark.parametrize("kind", ["event", "factor"])
def test_a_dismissal_in_an_event_or_factor_stops_the_hint_in_that_place_only(
    alice_client, alice, postmortem, kind
):
    if kind == "event":
        first, second = (
            TimelineEventFactory(postmortem=postmortem, text=EVENT_SENTENCE) for _ in range(2)
        )
    else:
        first, second = (
            ContributingFactorFactory(postmortem=postmortem, description=EVENT_SENTENCE)
            for _ in range(2)
        )
    response = dismiss(
        alice_client,
        postmortem,
        location=f"{kind}:{first.pk}",
        rule="blame-verb",
        phrase="forgot",
        sentence=EVENT_SENTENCE,
    )
    assert response.status_code == 302
    assert BlameDismissal.objects.get().location == f"{kind}:{first.pk}"
    assert lint_at(alice_client, postmortem, f"{kind}:{first.pk}") == []
    assert lint_at(alice_client, postmortem, f"{kind}:{second.pk}") != []
    assert lint_at(alice_client, postmortem, "section:summary") != []
    from postmortems import gates

    places = {item.location for item in gates.postmortem_findings(postmortem)}
    assert f"{kind}:{first.pk}" not in places
    assert f"{kind}:{second.pk}" in places


def test_the_same_sentence_may_be_dismissed_in_two_places(alice, postmortem):
    events = [TimelineEventFactory(postmortem=postmortem, text=EVENT_SENTENCE) for _ in range(2)]
    for event in events:
        dismissal_services.blame_dismiss(
            postmortem=postmortem,
            location=f"event:{event.pk}",
            rule="blame-verb",
            phrase="forgot",
            sentence=EVENT_SENTENCE,
            reason="",
            by=alice,
        )
    assert BlameDismissal.objects.count() == 2


def test_a_dismissal_of_text_with_no_place_yet_covers_the_postmortem(
    alice_client, alice, postmortem
):
    event = TimelineEventFactory(postmortem=postmortem, text=EVENT_SENTENCE)
    dismiss(
        alice_client,
        postmortem,
        location="",
        rule="blame-verb",
        phrase="forgot",
        sentence=EVENT_SENTENCE,
    )
    assert lint_at(alice_client, postmortem, f"event:{event.pk}") == []
