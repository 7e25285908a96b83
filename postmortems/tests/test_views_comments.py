import re

import pytest
from django.urls import reverse

from postmortems import services
from postmortems.models import ReviewComment
from tests.factories import ContributingFactorFactory, PostmortemFactory, TimelineEventFactory

HTMX = {"HTTP_HX_REQUEST": "true"}

pytestmark = pytest.mark.django_db


def _add(client, pm, **data):
    return client.post(reverse("postmortems:comment_create", args=[pm.pk]), data)


def test_comment_on_a_section_is_saved_and_shown(alice_client, alice, team):
    pm = PostmortemFactory(team=team)
    response = _add(alice_client, pm, body="Was the *7 minutes* measured?", anchor="section:impact")
    comment = ReviewComment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{pm.get_absolute_url()}#comment-{comment.pk}"
    assert (comment.author, comment.anchor) == (alice, "section:impact")
    html = alice_client.get(pm.get_absolute_url()).content.decode()
    assert "Was the <em>7 minutes</em> measured?" in html


def test_comment_on_a_factor(alice_client, team):
    pm = PostmortemFactory(team=team)
    factor = ContributingFactorFactory(postmortem=pm)
    _add(alice_client, pm, body="Which threshold?", anchor=f"factor:{factor.pk}")
    assert ReviewComment.objects.get().anchor == f"factor:{factor.pk}"


def test_reply_joins_the_thread(alice_client, manager, team):
    pm = PostmortemFactory(team=team)
    root = services.review_comment_create(postmortem=pm, by=manager, body="Why?")
    _add(alice_client, pm, body="Because.", parent=root.pk)
    reply = ReviewComment.objects.exclude(pk=root.pk).get()
    assert reply.parent == root
    html = alice_client.get(pm.get_absolute_url()).content.decode()
    assert f'id="comment-{reply.pk}"' in html


def test_reply_to_a_comment_of_another_postmortem_is_404(alice_client, manager, team):
    pm = PostmortemFactory(team=team)
    other = services.review_comment_create(
        postmortem=PostmortemFactory(team=team), by=manager, body="x"
    )
    assert _add(alice_client, pm, body="y", parent=other.pk).status_code == 404


def test_script_in_a_comment_is_not_rendered(alice_client, team):
    pm = PostmortemFactory(team=team)
    _add(alice_client, pm, body='<img src=x onerror="alert(1)"> [x](javascript:alert(1))')
    html = alice_client.get(pm.get_absolute_url()).content.decode()
    assert "onerror" not in html
    assert "javascript:alert" not in html


def test_empty_comment_re_renders_with_an_error(alice_client, team):
    pm = PostmortemFactory(team=team)
    response = _add(alice_client, pm, body="   ")
    assert response.status_code == 400
    assert "Write something first." in response.content.decode()
    assert not ReviewComment.objects.exists()


def test_unknown_anchor_keeps_the_text(alice_client, team):
    pm = PostmortemFactory(team=team)
    response = _add(alice_client, pm, body="Keep me", anchor="event:424242")
    assert response.status_code == 400
    assert "Keep me" in response.content.decode()


def test_any_reader_may_comment_on_a_public_postmortem(outsider_client, team):
    pm = PostmortemFactory(team=team)
    assert _add(outsider_client, pm, body="Great write-up").status_code == 302


def test_outsider_cannot_comment_on_or_resolve_a_restricted_postmortem(
    outsider_client, manager, team
):
    pm = PostmortemFactory(team=team, restricted=True)
    comment = services.review_comment_create(postmortem=pm, by=manager, body="x")
    assert _add(outsider_client, pm, body="hi").status_code == 404
    url = reverse("postmortems:comment_resolve", args=[pm.pk, comment.pk])
    assert outsider_client.post(url).status_code == 404


def test_editor_resolves_and_reopens_a_thread(alice_client, alice, manager, team):
    pm = PostmortemFactory(team=team)
    comment = services.review_comment_create(postmortem=pm, by=manager, body="Q")
    url = reverse("postmortems:comment_resolve", args=[pm.pk, comment.pk])
    alice_client.post(url, {"resolved": "1"})
    comment.refresh_from_db()
    assert comment.resolved and comment.resolved_by == alice
    alice_client.post(url, {"resolved": "0"})
    comment.refresh_from_db()
    assert not comment.resolved


def test_reader_who_is_not_the_author_cannot_resolve(outsider_client, manager, team):
    pm = PostmortemFactory(team=team)
    comment = services.review_comment_create(postmortem=pm, by=manager, body="Q")
    url = reverse("postmortems:comment_resolve", args=[pm.pk, comment.pk])
    assert outsider_client.post(url, {"resolved": "1"}).status_code == 403
    comment.refresh_from_db()
    assert not comment.resolved


def test_comment_author_may_resolve_their_own_thread(outsider_client, outsider, team):
    pm = PostmortemFactory(team=team)
    comment = services.review_comment_create(postmortem=pm, by=outsider, body="Q")
    url = reverse("postmortems:comment_resolve", args=[pm.pk, comment.pk])
    assert outsider_client.post(url, {"resolved": "1"}).status_code == 302
    comment.refresh_from_db()
    assert comment.resolved


# --- The forms, loaded on demand ---------------------------------------------------------------


def _form(client, pm, **params):
    return client.get(reverse("postmortems:comment_create", args=[pm.pk]), params, **HTMX)


def test_the_page_has_no_comment_form_until_asked(alice_client, manager, team):
    pm = PostmortemFactory(team=team)
    services.review_comment_create(postmortem=pm, by=manager, body="Why?")
    html = alice_client.get(pm.get_absolute_url()).content.decode()
    assert 'name="body"' not in html
    assert 'id="id_anchor"' not in html
    url = reverse("postmortems:comment_create", args=[pm.pk])
    assert f'hx-get="{url}"' in html


def test_the_comment_form_names_every_part_and_takes_the_focus(alice_client, team):
    pm = PostmortemFactory(team=team)
    factor = ContributingFactorFactory(postmortem=pm, description="Threshold too high")
    event = TimelineEventFactory(postmortem=pm, text="Pager fired")
    response = _form(alice_client, pm)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert f'value="factor:{factor.pk}"' in body and f'value="event:{event.pk}"' in body
    assert 'value="section:impact"' in body
    assert 'name="csrfmiddlewaretoken"' in body
    assert re.search(r'<textarea[^>]*id="id_body"[^>]*autofocus', body)


def test_the_reply_form_belongs_to_its_thread(alice_client, manager, team):
    pm = PostmortemFactory(team=team)
    root = services.review_comment_create(postmortem=pm, by=manager, body="Why?")
    body = _form(alice_client, pm, parent=root.pk).content.decode()
    assert f'name="parent" value="{root.pk}"' in body
    assert 'id="id_anchor"' not in body
    assert re.search(r"<textarea[^>]*autofocus", body)


def test_without_javascript_the_form_is_a_page(alice_client, team):
    pm = PostmortemFactory(team=team)
    url = reverse("postmortems:comment_create", args=[pm.pk])
    response = alice_client.get(url)
    assert response.status_code == 200
    assert "<html" in response.content.decode() and 'name="body"' in response.content.decode()


def test_a_reply_form_for_another_postmortems_thread_is_404(alice_client, manager, team):
    pm = PostmortemFactory(team=team)
    other = services.review_comment_create(
        postmortem=PostmortemFactory(team=team), by=manager, body="x"
    )
    assert _form(alice_client, pm, parent=other.pk).status_code == 404
    assert _form(alice_client, pm, parent="x").status_code == 404


def test_an_outsider_gets_no_comment_form_on_a_restricted_postmortem(
    outsider_client, manager, team
):
    pm = PostmortemFactory(team=team, restricted=True)
    root = services.review_comment_create(postmortem=pm, by=manager, body="x")
    assert _form(outsider_client, pm).status_code == 404
    assert _form(outsider_client, pm, parent=root.pk).status_code == 404


def test_a_comment_with_an_error_shows_the_form_again_with_the_text(alice_client, team):
    pm = PostmortemFactory(team=team)
    long = "x" * 20_000
    response = _add(alice_client, pm, body=long, anchor="section:impact")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_anchor"' in html
    assert '<option value="section:impact" selected>' in html
