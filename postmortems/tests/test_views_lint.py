import json

from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from postmortems.language import find_blame
from postmortems.models import Profile
from postmortems.views.lint import GUIDE_EXAMPLES
from tests.factories import UserFactory

URL = "/postmortems/lint/"


def test_lint_url_is_named():
    assert reverse("postmortems:lint") == URL


def test_login_is_required(client, db):
    response = client.post(URL, {"text": "It was human error."})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_only_post_is_allowed(alice_client):
    assert alice_client.get(URL).status_code == 405


def test_json_lists_findings_with_offsets(alice_client):
    text = "민수님이 설정 확인을 깜빡했다. Root cause: human error."
    response = alice_client.post(
        URL, {"text": text, "field": "summary"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200
    data = response.json()
    assert data["field"] == "summary"
    found = {(f["rule"], f["phrase"]) for f in data["findings"]}
    assert ("human-error", "human error") in found
    assert ("person-as-cause", "민수님") in found
    for f in data["findings"]:
        assert text[f["start"] : f["end"]] == f["phrase"]
        assert f["message"] and f["suggestion"]


def test_html_fragment_highlights_phrases_and_links_the_guide(alice_client):
    response = alice_client.post(URL, {"text": "The on-call engineer forgot to <b>drain</b> it."})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<mark title="forgot">forgot<sup' in html
    assert 'aria-live="polite"' in html
    assert "/postmortems/guide/blameless/#rule-blame-verb" in html
    # The user's text is escaped, never rendered as markup.
    assert "&lt;b&gt;drain&lt;/b&gt;" in html
    assert "<b>drain</b>" not in html


def test_neutral_text_says_nothing_was_found(alice_client):
    response = alice_client.post(URL, {"text": "The deploy failed to start."})
    assert response.status_code == 200
    assert "No blaming language found." in response.content.decode()
    assert "<mark" not in response.content.decode()


def test_organisation_users_are_recognised_as_people(alice_client):
    UserFactory(username="bkim", first_name="Bora", last_name="Kim")
    response = alice_client.post(
        URL, {"text": "Bora failed to renew the certificate."}, HTTP_ACCEPT="application/json"
    )
    rules = {f["rule"] for f in response.json()["findings"]}
    assert rules == {"person-as-cause", "blame-verb"}


def test_a_renamed_user_is_hinted_at_once(alice_client):
    user = UserFactory(username="bkim", first_name="Bora", last_name="Kim")
    text = {"text": "Sol failed to renew the certificate."}
    response = alice_client.post(URL, text, HTTP_ACCEPT="application/json")
    assert response.json()["findings"] == []
    user.first_name = "Sol"
    user.save()
    response = alice_client.post(URL, text, HTTP_ACCEPT="application/json")
    assert {f["rule"] for f in response.json()["findings"]} == {"person-as-cause", "blame-verb"}


def test_people_are_read_in_one_query_whatever_their_number(
    alice_client, django_assert_max_num_queries
):
    UserFactory.create_batch(30)
    alice_client.post(URL, {"text": "Alice forgot."})
    # Session, user, profile and the people's stored names.
    with django_assert_max_num_queries(4):
        alice_client.post(URL, {"text": "Alice forgot again."})


def test_text_over_the_limit_is_refused_with_413(alice_client, settings):
    settings.LINT_MAX_BYTES = 1000
    response = alice_client.post(URL, {"text": "x" * 2000})
    assert response.status_code == 413
    assert "too long to check" in response.content.decode()


def test_413_answers_json_to_json_clients(alice_client, settings):
    settings.LINT_MAX_BYTES = 1000
    response = alice_client.post(URL, {"text": "가" * 600}, HTTP_ACCEPT="application/json")
    assert response.status_code == 413
    assert "too long" in response.json()["error"]


def test_text_at_the_limit_is_checked(alice_client, settings):
    settings.LINT_MAX_BYTES = 4000
    response = alice_client.post(URL, {"text": "human error " + "x" * 3000})
    assert response.status_code == 200


def test_csrf_is_enforced(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(URL, {"text": "human error"})
    assert response.status_code == 403


def test_csrf_token_from_the_page_is_accepted(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    page = client.get("/postmortems/guide/blameless/")
    token = page.context["csrf_token"]
    response = client.post(
        URL, {"text": "human error"}, HTTP_X_CSRFTOKEN=str(token), HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200
    assert json.loads(response.content)["findings"][0]["rule"] == "human-error"


def test_guide_explains_every_rule(alice_client):
    response = alice_client.get("/postmortems/guide/blameless/")
    assert response.status_code == 200
    html = response.content.decode()
    for rule in (
        "counterfactual",
        "human-error",
        "person-as-cause",
        "carelessness",
        "blame-verb",
        "hindsight-bias",
    ):
        assert f'id="rule-{rule}"' in html
    assert "Instead of" in html


def test_guide_shows_korean_examples_in_korean(alice, alice_client):
    Profile.objects.update_or_create(user=alice, defaults={"language": "ko"})
    html = alice_client.get("/postmortems/guide/blameless/").content.decode()
    assert "휴먼 에러" in html
    assert "민수님이 페일오버 전에 복제 지연을 확인했어야 했다." in html


def test_guide_shows_english_examples_in_english(alice_client):
    html = alice_client.get("/postmortems/guide/blameless/").content.decode()
    assert "Bob should have checked the replica lag before the failover." in html
    assert "민수님이 페일오버 전에" not in html


def test_guide_bad_examples_are_flagged_and_better_ones_are_not():
    people = ("Bob", "Alex", "민수", "지영")
    for rule, (bad, better, bad_ko, better_ko) in GUIDE_EXAMPLES.items():
        assert rule in {f.rule for f in find_blame(str(bad), people=people)}, bad
        assert rule in {f.rule for f in find_blame(bad_ko, people=people)}, bad_ko
        assert find_blame(str(better), people=people) == [], better
        assert find_blame(better_ko, people=people) == [], better_ko


def test_lint_target_snippet_renders_a_live_slot():
    html = render_to_string("partials/_lint_target.html", {"field_id": "id_summary"})
    assert '<div id="hints-id_summary"' in html
    assert 'aria-live="polite"' in html
    assert 'data-lint-url="/postmortems/lint/"' in html
    assert "js/lint.js" in html
