import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ActionItemFactory, PostmortemFactory

URL = "/metrics/"
CSV_URL = "/metrics/export.csv"


def recent(days, **kwargs):
    started = timezone.now() - datetime.timedelta(days=days)
    return PostmortemFactory(started_at=started, **kwargs)


def test_url_names_point_at_the_metrics_pages():
    assert reverse("actions:metrics") == URL
    assert reverse("actions:metrics_csv") == CSV_URL


@pytest.mark.django_db
def test_page_shows_charts_tables_and_what_was_left_out(alice_client, team):
    recent(3, team=team, title="Disk filled up")
    recent(4, team=team, resolved_at=None)
    recent(5, team=team, detected_at=None, restricted=True, title="Secret acquisition outage")

    response = alice_client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["total"].incidents == 3
    assert html.count("<svg") >= 6
    assert html.count("<table") >= 6
    assert "1 incidents without a start or resolved time" in html
    assert "Secret acquisition outage" not in html
    assert "Disk filled up" not in html  # aggregates only, no titles


@pytest.mark.django_db
def test_team_filter_limits_the_figures(alice_client, team, other_team):
    recent(3, team=team)
    recent(3, team=other_team)
    assert alice_client.get(URL, {"team": team.pk}).context["total"].incidents == 1
    assert alice_client.get(URL).context["total"].incidents == 2


@pytest.mark.django_db
def test_figures_are_reused_until_a_postmortem_or_action_item_changes(alice_client, team):
    first = recent(3, team=team)
    assert alice_client.get(URL).context["total"].incidents == 1
    recent(4, team=team)
    assert alice_client.get(URL).context["total"].incidents == 2
    ActionItemFactory(postmortem=first, due_date=timezone.localdate() - datetime.timedelta(1))
    assert alice_client.get(URL).context["total"].actions_due == 1
    # A change that bypasses the models (no signal) waits for the cache to expire.
    long_ago = timezone.now() - datetime.timedelta(days=3000)
    type(first).objects.filter(pk=first.pk).update(started_at=long_ago)
    assert alice_client.get(URL).context["total"].incidents == 2


@pytest.mark.django_db
def test_a_bad_date_is_reported_and_ignored(alice_client, team):
    recent(3, team=team)
    response = alice_client.get(URL, {"from": "yesterday"})
    assert response.status_code == 200
    assert response.context["errors"]
    assert response.context["total"].incidents == 1


@pytest.mark.django_db
def test_the_page_needs_at_most_ten_queries(
    client, login, alice, superuser, team, other_team, django_assert_max_num_queries
):
    for n in range(30):
        pm = recent(n * 10, team=team if n % 2 else other_team, severity=f"SEV{n % 4 + 1}")
        ActionItemFactory(postmortem=pm, due_date=timezone.localdate() - datetime.timedelta(n))
    for user in (alice, superuser):
        login(client, user)
        for query in ({}, {"team": team.pk}):
            with django_assert_max_num_queries(10):
                response = client.get(URL, query)
            assert response.status_code == 200


@pytest.mark.django_db
def test_csv_has_a_row_per_month_and_severity(alice_client, team, django_assert_max_num_queries):
    recent(2, team=team, severity="SEV1", caused_by_change=True)

    with django_assert_max_num_queries(10):
        response = alice_client.get(CSV_URL, {"team": team.pk})

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 12 * 5  # twelve months by default, all + four severities
    this_month = timezone.localdate(timezone.now() - datetime.timedelta(days=2)).strftime("%Y-%m")
    sev1 = next(r for r in rows if r["month"] == this_month and r["severity"] == "SEV1")
    assert sev1["incidents"] == "1"
    assert sev1["mttr_median_minutes"] == "120.0"
    assert sev1["change_failure_share"] == "1.0000"
    sev4 = next(r for r in rows if r["month"] == this_month and r["severity"] == "SEV4")
    assert sev4["incidents"] == "0" and sev4["mttr_median_minutes"] == ""


# --- Restricted incidents (issue 15) ----------------------------------------------------------


def _day_rows(client, team, pm):
    day = timezone.localdate(pm.started_at).isoformat()
    response = client.get(CSV_URL, {"team": team.pk, "from": day, "to": day})
    rows = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    return [r for r in rows if r["incidents"]]


@pytest.mark.django_db
def test_an_outsider_cannot_read_a_restricted_incident_off_the_csv(outsider_client, team):
    pm = recent(3, team=team, severity="SEV1", restricted=True)
    ActionItemFactory(postmortem=pm, due_date=timezone.localdate(pm.started_at))

    rows = _day_rows(outsider_client, team, pm)

    assert {r["incidents"] for r in rows} == {"0"}
    assert {r["mttr_median_minutes"] for r in rows} == {""}


@pytest.mark.django_db
def test_a_member_still_counts_a_restricted_incident(alice_client, team):
    pm = recent(3, team=team, severity="SEV1", restricted=True)

    rows = _day_rows(alice_client, team, pm)

    assert any(r["severity"] == "SEV1" and r["incidents"] == "1" for r in rows)


@pytest.mark.django_db
def test_cached_figures_of_a_member_are_not_served_to_an_outsider(
    client, login, alice, outsider, team
):
    recent(3, team=team, restricted=True)
    login(client, alice)
    assert client.get(URL).context["total"].incidents == 1

    login(client, outsider)
    assert client.get(URL).context["total"].incidents == 0


@pytest.mark.django_db
def test_korean_month_labels_on_the_axis_are_one_short_word_with_the_year_below(alice_client, team):
    alice_client.post("/i18n/setlang/", {"language": "ko", "next": "/"})
    html = alice_client.get(URL).content.decode()
    chart = html[html.index('<svg class="metrics-chart') : html.index("</svg>")]
    axis = re.findall(r'text-anchor="middle"[^>]*>([^<]*)(?:<tspan[^>]*>(\d{4})</tspan>)?', chart)
    assert len(axis) == 12
    # Twelve columns of ~49 px: "12월" fits, "12월 2026" would overlap its neighbour.
    assert all(len(month) <= 3 and month.endswith("월") for month, _year in axis)
    assert axis[0][1] and sum(1 for _month, year in axis if year) <= 2


@pytest.mark.django_db
def test_team_options_are_escaped_and_the_chosen_one_is_selected(alice_client, team):
    from tests.factories import TeamFactory

    odd = TeamFactory(name="<b>Ops & Co</b>")
    html = alice_client.get(URL, {"team": odd.pk}).content.decode()
    assert f'<option value="{odd.pk}" selected>&lt;b&gt;Ops &amp; Co&lt;/b&gt;</option>' in html
    assert f'<option value="{team.pk}">' in html
    assert "<b>Ops" not in html
