import pytest

from postmortems import services
from postmortems.models import ReviewComment
from tests.factories import PostmortemFactory

pytestmark = pytest.mark.django_db


def test_an_admin_edit_stores_the_rendered_markdown(client, superuser, team):
    comment = services.review_comment_create(
        postmortem=PostmortemFactory(team=team), by=superuser, body="old"
    )
    client.force_login(superuser)
    response = client.post(
        f"/admin/postmortems/reviewcomment/{comment.pk}/change/",
        {
            "postmortem": comment.postmortem_id,
            "anchor": "general",
            "author": superuser.pk,
            "body": "**edited**",
        },
    )
    assert response.status_code == 302
    assert ReviewComment.objects.get().body_html == "<p><strong>edited</strong></p>"
