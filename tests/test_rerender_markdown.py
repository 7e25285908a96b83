import datetime
import io

import pytest
from django.core.management import call_command

from actions.models import ActionItem, KaizenReview
from postmortems import services
from postmortems.models import ContributingFactor, Postmortem, ReviewComment, TimelineEvent
from postmortems.rerender import markdown_models
from tests.factories import (
    ActionItemFactory,
    ContributingFactorFactory,
    PostmortemFactory,
    TimelineEventFactory,
)

pytestmark = pytest.mark.django_db

OLD_HTML = '<p><code class="position-fixed w-100 h-100">Session expired</code></p>'


def _rerender():
    out = io.StringIO()
    call_command("rerender_markdown", stdout=out)
    return out.getvalue()


def test_every_model_with_stored_markdown_is_covered():
    assert set(markdown_models()) == {
        Postmortem,
        TimelineEvent,
        ContributingFactor,
        ReviewComment,
        ActionItem,
        KaizenReview,
    }


def test_html_stored_under_an_older_policy_is_rendered_again(team, alice):
    pm = PostmortemFactory(team=team, summary="`Session expired`", impact="*None*")
    event = TimelineEventFactory(postmortem=pm, text="**Paged**")
    factor = ContributingFactorFactory(postmortem=pm, description="No alert")
    comment = services.review_comment_create(postmortem=pm, by=alice, body="Why?")
    item = ActionItemFactory(postmortem=pm, notes="Add _one_")
    review = KaizenReview.objects.create(
        team=team,
        period_start=datetime.date(2026, 1, 5),
        period_end=datetime.date(2026, 1, 11),
        notes="Chose **paging**",
    )
    for model in (Postmortem, TimelineEvent, ContributingFactor, ReviewComment):
        model.objects.update(**{html: OLD_HTML for _, html in model.markdown_fields})
    ActionItem.objects.update(notes_html=OLD_HTML)
    KaizenReview.objects.update(notes_html=OLD_HTML)

    _rerender()

    pm.refresh_from_db()
    assert pm.summary_html == "<p><code>Session expired</code></p>"
    assert pm.impact_html == "<p><em>None</em></p>"
    assert pm.went_well_html == ""
    assert TimelineEvent.objects.get(pk=event.pk).text_html == "<p><strong>Paged</strong></p>"
    assert ContributingFactor.objects.get(pk=factor.pk).description_html == "<p>No alert</p>"
    assert ReviewComment.objects.get(pk=comment.pk).body_html == "<p>Why?</p>"
    assert ActionItem.objects.get(pk=item.pk).notes_html == "<p>Add <em>one</em></p>"
    assert KaizenReview.objects.get(pk=review.pk).notes_html == (
        "<p>Chose <strong>paging</strong></p>"
    )


def test_rows_already_current_are_left_alone_and_counted(team):
    pm = PostmortemFactory(team=team, summary="Fine")
    services.postmortem_update(
        postmortem=pm, data={"summary": "Fine"}, by=None, expected_version=pm.version
    )
    PostmortemFactory(team=team, summary="Stale")  # the factory stores no HTML

    out = _rerender()

    assert "postmortems.Postmortem: 1 of 2 rows re-rendered" in out


def test_rerendering_adds_no_history_and_keeps_updated_at(team):
    pm = PostmortemFactory(team=team, summary="**x**")
    before = (pm.history.count(), Postmortem.objects.get(pk=pm.pk).updated_at)

    _rerender()

    pm.refresh_from_db()
    assert pm.summary_html == "<p><strong>x</strong></p>"
    assert (pm.history.count(), pm.updated_at) == before
