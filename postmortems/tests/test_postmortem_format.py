from django.utils import translation

from postmortems.templatetags.postmortem_format import choice_label
from tests.factories import ActionItemFactory, ContributingFactorFactory


def test_choice_label_reads_like_get_display_in_the_active_language(db):
    item = ActionItemFactory(status="in_progress", kind="detect")
    factor = ContributingFactorFactory(category="monitoring")
    for language in ("en", "ko"):
        with translation.override(language):
            assert choice_label(item, "status") == item.get_status_display()
            assert choice_label(item, "kind") == item.get_kind_display()
            assert choice_label(factor, "category") == factor.get_category_display()
    with translation.override("ko"):
        assert choice_label(item, "status") != "In progress"


def test_an_unknown_value_shows_as_stored(db):
    item = ActionItemFactory.build(status="someday")
    assert choice_label(item, "status") == "someday"
