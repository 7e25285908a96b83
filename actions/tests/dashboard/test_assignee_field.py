"""The filter's assignee field: a username, with the matching people fetched as one types
(``/actions/assignees/``) rather than every person written into the page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.dashboard.options import ASSIGNEE_MATCHES
from tests.factories import ActionItemFactory, MembershipFactory, UserFactory

from .support import URL, titles

pytestmark = pytest.mark.django_db

PEOPLE = "/actions/assignees/"


def _options(response):
    return response.content.decode()


def test_a_username_filters_as_the_persons_id_does(alice_client, alice, manager, postmortem):
    ActionItemFactory(postmortem=postmortem, title="Hers", assignee=alice)
    ActionItemFactory(postmortem=postmortem, title="His", assignee=manager)
    ActionItemFactory(postmortem=postmortem, title="Nobody's")
    by_name = alice_client.get(f"{URL}?assignee_username=alice")
    by_id = alice_client.get(f"{URL}?assignee={alice.pk}")
    assert titles(by_name) == titles(by_id) == ["Hers"]
    assert by_name.context["figures"] == by_id.context["figures"]


def test_an_unknown_username_matches_no_item(alice_client, alice, postmortem):
    ActionItemFactory(postmortem=postmortem, assignee=alice)
    response = alice_client.get(f"{URL}?assignee_username=nobody")
    assert titles(response) == []
    assert response.context["ignored"] == []


def test_the_field_shows_the_username_the_page_filters_by(alice_client, alice, postmortem):
    ActionItemFactory(postmortem=postmortem)
    for query in (f"assignee={alice.pk}", "assignee_username=alice"):
        content = alice_client.get(f"{URL}?{query}").content.decode()
        assert 'name="assignee_username" value="alice"' in content
    content = alice_client.get(URL).content.decode()
    assert 'name="assignee_username" value=""' in content


def test_the_filter_form_lists_no_people(alice_client, alice, manager, postmortem):
    ActionItemFactory(postmortem=postmortem)
    content = alice_client.get(URL).content.decode()
    assert "Alice Kim (alice)" not in content and "Mona Park" not in content
    assert f'hx-get="{PEOPLE}"' in content and 'list="f-assignee-people"' in content


def test_the_bulk_form_lists_no_people_and_reads_none(manager_client, manager, alice, postmortem):
    """A manager's bulk form offers people as one types, as the filter does: a cold page
    reads no one (801 names were 57 kB of the page and 2 ms of a cold request)."""
    ActionItemFactory(postmortem=postmortem)
    manager_client.get(URL)  # the session
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        content = manager_client.get(URL).content.decode()
    assert 'id="bulk-form"' in content
    assert "Alice Kim (alice)" not in content and f'<option value="{alice.pk}">' not in content
    assert 'name="assignee_username"' in content and 'list="bulk-assignee-people"' in content
    assert content.count(f'hx-get="{PEOPLE}"') == 2
    # The people's query was the filter's teams glued to the people with UNION ALL.
    assert not any("auth_user" in q["sql"] and "UNION" in q["sql"] for q in cold)
    # The people a manager may assign are those the field offers.
    assert _options(manager_client.get(PEOPLE, {"assignee_username": "alice"})) == (
        '<option value="alice">Alice Kim (alice)</option>'
    )


def test_people_who_match_every_word_are_offered(alice_client, alice, manager, team):
    MembershipFactory(
        team=team, user=UserFactory(username="kimchi", first_name="Joon", last_name="")
    )
    assert _options(alice_client.get(PEOPLE, {"assignee_username": "alice kim"})) == (
        '<option value="alice">Alice Kim (alice)</option>'
    )
    found = _options(alice_client.get(PEOPLE, {"assignee_username": "KIM"}))
    assert found == (
        '<option value="alice">Alice Kim (alice)</option>'
        '<option value="kimchi">Joon (kimchi)</option>'
    )


def test_only_people_of_a_team_are_offered(alice_client, alice):
    UserFactory(
        username="alicia", first_name="Alicia", last_name=""
    )  # of no team: never assignable
    assert "alicia" not in _options(alice_client.get(PEOPLE, {"assignee_username": "ali"}))


def test_the_answer_is_capped(alice_client, team):
    for n in range(ASSIGNEE_MATCHES + 5):
        MembershipFactory(team=team, user=UserFactory(username=f"sam{n:02}"))
    found = _options(alice_client.get(PEOPLE, {"assignee_username": "sam"}))
    assert found.count("<option") == ASSIGNEE_MATCHES


def test_blank_text_offers_nobody(alice_client, alice):
    assert _options(alice_client.get(PEOPLE, {"assignee_username": "  "})) == ""
    assert _options(alice_client.get(PEOPLE)) == ""


def test_names_are_escaped(alice_client, team):
    MembershipFactory(
        team=team, user=UserFactory(username="eve", first_name='<b>"Eve"</b>', last_name="")
    )
    found = _options(alice_client.get(PEOPLE, {"assignee_username": "eve"}))
    assert found == ('<option value="eve">&lt;b&gt;&quot;Eve&quot;&lt;/b&gt; (eve)</option>')


def test_the_people_need_a_login(client, alice):
    response = client.get(PEOPLE, {"assignee_username": "alice"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_people_are_only_read(alice_client, alice):
    assert alice_client.post(PEOPLE, {"assignee_username": "alice"}).status_code == 405
