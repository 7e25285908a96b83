import pytest

from postmortems.models import Postmortem
from postmortems.models.postmortem import ReadableBy
from tests.factories import MembershipFactory, PostmortemFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def postmortems(team, other_team):
    """One open postmortem and one restricted one per way of being let in."""
    reader = UserFactory(username="reader")
    MembershipFactory(team=other_team, user=reader)
    open_one = PostmortemFactory(team=team, title="open")
    hidden = PostmortemFactory(team=team, title="hidden", restricted=True)
    own_team = PostmortemFactory(team=other_team, title="own team", restricted=True)
    shown = {"open": open_one, "own team": own_team}
    for relation in ("authors", "reviewers", "viewers"):
        pm = PostmortemFactory(team=team, title=relation, restricted=True)
        getattr(pm, relation).add(reader)
        shown[relation] = pm
    # Somebody else listed everywhere on the hidden one lets nobody else in.
    somebody = UserFactory(username="somebody")
    for relation in ("authors", "reviewers", "viewers"):
        getattr(hidden, relation).add(somebody)
    return reader, shown, hidden


def test_visible_to_lets_in_each_way_and_no_other(postmortems):
    reader, shown, hidden = postmortems
    visible = Postmortem.objects.visible_to(reader)
    assert set(visible.values_list("title", flat=True)) == set(shown)
    assert list(Postmortem.objects.exclude(pk__in=visible.values("pk"))) == [hidden]


def test_visible_to_holds_as_a_subquery(postmortems):
    # Nested, the postmortem table takes a generated alias (U0): the rule's own subqueries
    # must still compare with that postmortem, not with themselves.
    reader, shown, _hidden = postmortems
    inner = Postmortem.objects.visible_to(reader).values("pk")
    assert "U0" in str(Postmortem.objects.filter(pk__in=inner).query)
    titles = Postmortem.objects.filter(pk__in=inner).values_list("title", flat=True)
    assert set(titles) == set(shown)


def test_visible_to_negated_is_exactly_the_rest(postmortems):
    reader, _shown, hidden = postmortems
    assert list(Postmortem.objects.exclude(ReadableBy(reader.pk))) == [hidden]


def test_visible_to_superuser_and_anonymous(postmortems, superuser):
    from django.contrib.auth.models import AnonymousUser

    assert Postmortem.objects.visible_to(superuser).count() == Postmortem.objects.count()
    assert not Postmortem.objects.visible_to(AnonymousUser()).exists()
