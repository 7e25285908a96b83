import pytest

from postmortems.anchors import Anchor, anchor_exists, parse_anchor
from tests.factories import ContributingFactorFactory, PostmortemFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "anchor"),
    [
        ("general", Anchor("general", "")),
        ("section:summary", Anchor("section", "summary")),
        ("event:12", Anchor("event", "12")),
        ("factor:3", Anchor("factor", "3")),
    ],
)
def test_anchors_are_read_as_kind_and_reference(text, anchor):
    assert parse_anchor(text) == anchor


@pytest.mark.parametrize("text", ["", "section:", "event:x", "factor:1;drop", "comment:1"])
def test_anything_else_is_no_anchor(text):
    assert parse_anchor(text) is None


def test_an_anchor_exists_only_on_its_own_postmortem(team):
    postmortem, other = PostmortemFactory(team=team), PostmortemFactory(team=team)
    factor = ContributingFactorFactory(postmortem=other)
    assert anchor_exists(postmortem, Anchor("section", "summary"))
    assert not anchor_exists(postmortem, Anchor("section", "title"))
    assert not anchor_exists(postmortem, Anchor("factor", str(factor.pk)))
    assert anchor_exists(other, Anchor("factor", str(factor.pk)))
