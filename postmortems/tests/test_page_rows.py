"""The postmortem page's rows written in Python: the markup the partials printed, every
value escaped, stored renderings printed as they are."""

import pytest

from postmortems import page_rows
from postmortems.selectors import postmortem_factors, postmortem_for_page
from tests.factories import (
    ActionItemFactory,
    ContributingFactorFactory,
    PostmortemFactory,
    ThemeFactory,
    UserFactory,
)

LABELS = {"edit_label": "Edit", "pinned_label": "Pinned", "imported_label": "Imported from"}


def _row(**overrides):
    row = {
        "pk": "7",
        "pinned": False,
        "source": "",
        "iso": "2026-01-02T03:04:00Z",
        "clock": "12:04 KST",
        "badge": "text-bg-info",
        "kind_label": "Detection",
        "html": "<p>Alerts <em>fired</em></p>",
    }
    return {**row, **overrides}


def _timeline(rows, editing=False, focus_edit=False):
    return page_rows.timeline_rows(
        rows, editing=editing, focus_edit=focus_edit, timeline_url="/pm/1/timeline/", **LABELS
    )


def test_a_timeline_row_prints_the_stored_html_as_it_is():
    html = _timeline([_row()])
    assert html == (
        '<li id="timeline-event-7"><time datetime="2026-01-02T03:04:00Z">12:04 KST</time> '
        '<span class="badge text-bg-info">Detection</span> '
        '<div class="rendered-md"><p>Alerts <em>fired</em></p></div></li>\n'
    )


def test_a_pinned_imported_row_being_edited_has_its_badges_and_edit_link():
    html = _timeline([_row(pinned=True, source="slack")], editing=True, focus_edit=True)
    assert '<li id="timeline-event-7" class="pinned">' in html
    assert '<span class="badge text-bg-light border">Pinned</span> ' in html
    assert 'title="Imported from slack">slack</span> ' in html
    assert (
        '<a class="edit" href="/pm/1/timeline/7/edit/" hx-get="/pm/1/timeline/7/edit/" '
        'aria-label="Edit 12:04 KST" autofocus>Edit</a></li>'
    ) in html


def test_a_timeline_row_escapes_what_a_user_typed():
    html = _timeline([_row(source='"><script>x</script>')])
    assert "<script>" not in html
    assert 'title="Imported from &quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in html


def test_a_read_only_timeline_has_no_edit_links():
    assert 'class="edit"' not in _timeline([_row(), _row(pk="8")])


def _factors(factors, can_edit=True):
    return page_rows.factor_rows(
        factors,
        can_edit=can_edit,
        focus_edit=False,
        factors_url="/pm/1/factors/",
        actions_url="/actions/",
        edit_label="Edit",
        items_label="Action items:",
    )


@pytest.mark.django_db
def test_factor_rows_are_the_same_from_the_page_and_from_the_fragment_selector():
    pm = PostmortemFactory(restricted=False)
    factor = ContributingFactorFactory(postmortem=pm)
    factor.themes.set([ThemeFactory(name="retry & backoff"), ThemeFactory(name="alerting")])
    ActionItemFactory(postmortem=pm, factor=factor, title="Cap <retries>")
    ContributingFactorFactory(postmortem=pm)

    page = postmortem_for_page(UserFactory(), pm.pk)
    assert page is not None
    from_page = _factors(page.factors.all())
    assert from_page == _factors(postmortem_factors(pm))
    assert (
        '<span class="badge text-bg-light border">#&nbsp;alerting</span> '
        '<span class="badge text-bg-light border">#&nbsp;retry &amp; backoff</span>'
    ) in from_page
    assert "Cap &lt;retries&gt;</a> · Open</li>" in from_page


@pytest.mark.django_db
def test_a_factor_without_stored_html_prints_its_text_escaped_with_line_breaks():
    factor = ContributingFactorFactory(description="One <i>\nTwo")
    factor.description_html = ""
    factor.theme_names = []
    factor.linked_action_items = []
    html = _factors([factor], can_edit=False)
    assert '<div class="rendered-md">One &lt;i&gt;<br>Two</div></li>\n' in html
    assert 'class="edit"' not in html
    assert "factor-items" not in html


# What the list page's ``{% for %}`` printed per row before ``postmortem_list_rows``.
_LIST_ROW_TEMPLATE = """{% load i18n %}{% for pm in rows %}<tr>
    <td><a href="{{ pm.get_absolute_url }}">{{ pm.title }}</a>{% if pm.restricted %} <span class="badge text-bg-warning">{% translate "Restricted" %}</span>{% endif %}</td>
    <td><span class="badge text-bg-danger" title="{{ pm.get_severity_display }}">{{ pm.severity }}</span></td>
    <td>{{ pm.get_status_display }}</td>
    <td>{{ pm.team.name }}</td>
    <td class="text-nowrap">{{ pm.started_at|zoned_date:"Y-m-d H:i T"|default:"—" }}</td>
  </tr>
  {% endfor %}"""  # noqa: E501


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ko"])
def test_list_rows_print_what_the_list_template_printed(language):
    import datetime

    from django.template import engines
    from django.utils import timezone, translation

    rows = [
        PostmortemFactory(title='Cache <b>"resize"</b> & co', restricted=True, severity="SEV1"),
        PostmortemFactory(
            title="No start",
            started_at=None,
            detected_at=None,
            mitigated_at=None,
            resolved_at=None,
            status="published",
        ),
        PostmortemFactory(
            title="Fall back",
            # 01:30 the second time in New York (EST): the zone is printed in that hour too.
            started_at=datetime.datetime(2026, 11, 1, 6, 30, tzinfo=datetime.UTC),
        ),
    ]
    for pm in rows:
        pm.team.name = "Ops & <Infra>"
    template = engines["django"].from_string(_LIST_ROW_TEMPLATE)
    with translation.override(language), timezone.override("America/New_York"):
        expected = template.render({"rows": rows})
        html = page_rows.postmortem_list_rows(rows)

    assert html == expected
    assert "&lt;b&gt;&quot;resize&quot;&lt;/b&gt; &amp; co" in html
    assert "01:30 EST" in html


_PUBLISHED_TEMPLATE = """{% for pm in recent %}<li class="list-group-item">
        <a href="{{ pm.get_absolute_url }}">{{ pm.title }}</a>
        <div class="small text-body-secondary">{{ pm.team.name }} · {{ pm.severity }} · {{ pm.published_at|zoned_date:"Y-m-d H:i T" }}</div>
      </li>
      {% endfor %}"""  # noqa: E501


@pytest.mark.django_db
def test_published_rows_print_what_the_home_template_printed():
    import datetime

    from django.template import engines
    from django.utils import timezone

    rows = [
        PostmortemFactory(
            title="<i>Fall</i> back",
            status="published",
            published_at=datetime.datetime(2026, 11, 1, 6, 30, tzinfo=datetime.UTC),
        ),
        PostmortemFactory(title="Never published", published_at=None),
    ]
    rows[0].team.name = "Ops & <Infra>"
    template = engines["django"].from_string(_PUBLISHED_TEMPLATE)
    with timezone.override("America/New_York"):
        expected = template.render({"recent": rows})
        html = page_rows.published_rows(rows)

    assert html == expected
    assert "2026-11-01 01:30 EST" in html
    assert "&lt;i&gt;Fall&lt;/i&gt; back" in html
