"""Nothing of a restricted postmortem reaches anyone who cannot open it (issue 15).

One restricted postmortem carries a marker string (``qzxleak-<field>``) in every field it
has, and in everything hanging off it. Every URL pattern of the URLconf is then requested
— every method, with every id of those objects and of the team in each parameter — as an
outsider (a manager of another team, so manager-only pages answer too) and as a member;
the Slack jobs run against a loopback receiver. The outsider must never see a marker; the
member must see them where the postmortem is shown.

A URL pattern with a parameter this file does not know how to fill fails the sweep, naming
the pattern: a new URL cannot escape it silently. Only ``admin/`` (superusers) is skipped.
"""

import datetime
import itertools

import pytest
import time_machine
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from actions import kaizen, reminders
from actions.models import ActionItem, KaizenReview
from postmortems import services as pm_services
from postmortems.models import BlameAcknowledgement, Membership, ReviewComment
from tests.factories import (
    ActionItemFactory,
    ContributingFactorFactory,
    PostmortemFactory,
    ThemeFactory,
    TimelineEventFactory,
)

MARK = "qzxleak-"
SKIPPED_PREFIXES = ("admin/",)
METHODS = ("get", "post", "put", "patch", "delete", "head", "options")


def marker(field):
    return f"{MARK}{field}"


def html(field):
    return f"<p>{marker(field)}</p>"


# --- The restricted postmortem and everything hanging off it ------------------------------------


@pytest.fixture
def secret(team, other_team, alice, outsider, slack_receiver):
    """A restricted Payments postmortem with a marker in every field; the outsider manages
    Search (another team), whose channel must hear nothing of it."""
    Membership.objects.filter(user=outsider).update(role=Membership.Role.MANAGER)
    for t in (team, other_team):
        t.slack_webhook_url = slack_receiver.url(f"/services/T1/{t.slug}/x")
        t.save()
    sections = ("summary", "impact", "went_well", "got_lucky", "surprises")
    pm = PostmortemFactory(
        team=team,
        restricted=True,
        title=marker("title"),
        not_required_reason=marker("not-required"),
        **{name: marker(name) for name in sections},
        **{f"{name}_html": html(name) for name in sections},
    )
    pm.authors.add(alice)
    theme = ThemeFactory(
        name=marker("theme"),
        slug=marker("theme"),
        description=marker("theme-description"),
        keywords=marker("theme-keyword"),
    )
    factor = ContributingFactorFactory(
        postmortem=pm, description=marker("factor"), description_html=html("factor")
    )
    factor.themes.add(theme)
    event = TimelineEventFactory(postmortem=pm, text=marker("event"), text_html=html("event"))
    today = timezone.localdate()
    item = ActionItemFactory(
        postmortem=pm,
        factor=factor,
        team=team,
        title=marker("action"),
        notes=marker("action-notes"),
        notes_html=html("action-notes"),
        tracker_url=f"https://tracker.example.com/{marker('tracker')}",
        due_date=today,
    )
    # Handed to Search before Payments restricted the postmortem (the service now refuses).
    handed_over = ActionItemFactory(
        postmortem=pm, factor=factor, team=other_team, title=marker("handed-over"), due_date=today
    )
    comment = ReviewComment.objects.create(
        postmortem=pm, author=alice, body=marker("comment"), body_html=html("comment")
    )
    reply = ReviewComment.objects.create(
        postmortem=pm,
        author=alice,
        parent=comment,
        body=marker("reply"),
        body_html=html("reply"),
    )
    ack = BlameAcknowledgement.objects.create(
        postmortem=pm,
        location="summary",
        rule="careless",
        phrase=marker("ack-phrase"),
        reason=marker("ack-reason"),
        by=alice,
    )
    review = KaizenReview.objects.create(
        team=team,
        period_start=today - datetime.timedelta(days=27),
        period_end=today,
        notes="Payments looked at its month.",
        notes_html="<p>Payments looked at its month.</p>",
        created_by=alice,
    )
    review.action_items.add(item, handed_over)
    kaizen.rollup_weeks(period_end=kaizen.last_completed_week_end(), weeks=2)
    kaizen.rollup(kaizen.week_of(today)[1])
    # Integrations: an alert source whose incident became this draft, a pending Slack
    # upload for it and its action item followed in a tracker.
    from integrations.alerts.services import alert_source_create
    from integrations.models import AlertIncident, SlackImport, TrackerLink
    from integrations.trackers.services import connection_create

    source, _secret = alert_source_create(team=team, kind="opsgenie")
    AlertIncident.objects.create(
        source=source, external_id="x", title=marker("incident"), postmortem=pm
    )
    upload = SlackImport.objects.create(
        postmortem=pm, created_by=alice, pasted_text=f"[10:00] carol: {marker('slack')}"
    )
    connection, _secret = connection_create(team=team, kind="github", project="acme/payments")
    TrackerLink.objects.create(
        item=item, connection=connection, external_id="7", url="https://github.com/acme/p/7"
    )
    ids = {
        "postmortem": pm.pk,
        "team": team.pk,
        "theme": theme.pk,
        "factor": factor.pk,
        "event": event.pk,
        "item": item.pk,
        "handed_over": handed_over.pk,
        "comment": comment.pk,
        "reply": reply.pk,
        "ack": ack.pk,
        "review": review.pk,
        "slack_import": upload.pk,
        "public_ids": (source.public_id, connection.public_id),
    }
    return pm, ids


# --- Filling every URL pattern ----------------------------------------------------------------


def walk(patterns, prefix=""):
    """(route, pattern) for every endpoint, includes followed."""
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


def parameters(route):
    """The ``<converter:name>`` parameters of a route, in order."""
    import re

    return re.findall(r"<(?:(\w+):)?(\w+)>", route)


def fillers(slugs, ids):
    """How each parameter name is filled: every id reachable, the team's slug."""
    every_id = sorted({value for value in ids.values() if isinstance(value, int)})
    return {
        "pk": every_id,
        "comment_pk": [ids["comment"], ids["reply"]],
        "event_id": [ids["event"]],
        "factor_id": [ids["factor"]],
        "slug": slugs,
        # Password reset links: not about postmortems, filled so the sweep still visits them.
        "uidb64": ["MQ"],
        "token": ["set-password"],
        # Integrations: alert and tracker endpoints, a pending Slack upload.
        "public_id": list(ids["public_ids"]),
        "import_id": [ids["slack_import"]],
    }


def urls_to_visit(ids, slugs=("payments", "search")):
    """Every URL to request: the restricted postmortem's team and the outsider's own."""
    known = fillers(list(slugs), ids)
    urls, unknown = [], []
    for route, _pattern in walk(get_resolver().url_patterns):
        if route.startswith(SKIPPED_PREFIXES):
            continue
        params = parameters(route)
        missing = [name for _conv, name in params if name not in known]
        if missing:
            unknown.append(f"{route} ({', '.join(missing)})")
            continue
        for values in itertools.product(*(known[name] for _conv, name in params)):
            path = route
            for (conv, name), value in zip(params, values, strict=True):
                path = path.replace(f"<{conv + ':' if conv else ''}{name}>", str(value), 1)
            path = path.lstrip("^").rstrip("$")
            urls.append("/" + path)
    return urls, unknown


def test_every_url_pattern_is_known_to_the_sweep(secret):
    _pm, ids = secret
    urls, unknown = urls_to_visit(ids)
    assert not unknown, (
        "The leak sweep does not know how to fill these URL patterns; teach "
        f"tests/test_leak_sweep.py.fillers: {unknown}"
    )
    assert len(urls) > 40


def body_of(response):
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    headers = " ".join(f"{k}: {v}" for k, v in response.items())
    return (headers + "\n" + content.decode("utf-8", "replace")).lower()


def sweep_urls(client, user, urls, query):
    """{(method, url): body} for every URL and method, plus GETs with a query string that
    names the restricted objects (search, filters, date ranges). ``user`` is signed in
    again before each request: the sweep also posts to the logout URL."""
    bodies = {}
    errors = []
    for url in urls:
        requests = [(method, url, {}) for method in METHODS]
        requests.append(("get", url, query))
        requests.append(("get", url + "?" + "&".join(f"{k}={v}" for k, v in query.items()), {}))
        for method, target, data in requests:
            client.force_login(user)
            call = getattr(client, method)
            kwargs = {"HTTP_HX_REQUEST": "true"} if method == "get" and data else {}
            try:
                response = (
                    call(target, data, **kwargs) if method in ("get", "post") else call(target)
                )
            except Exception as exc:  # noqa: BLE001 — a crash is reported with its URL
                errors.append(f"{method.upper()} {target}: {exc!r}")
                continue
            if response.status_code >= 500:
                errors.append(f"{method.upper()} {target}: {response.status_code}")
            bodies[(method, target, tuple(data))] = body_of(response)
    return bodies, errors


def query_for(pm, ids):
    day = timezone.localdate(pm.started_at).isoformat()
    return {
        # The search term is echoed back; the markers all carry a "-" after it.
        "q": MARK.rstrip("-"),
        "team": ids["team"],
        "postmortem": ids["postmortem"],
        "from": day,
        "to": day,
    }


def leaks(bodies):
    return sorted(
        f"{method.upper()} {url}{' ' + str(data) if data else ''}"
        for (method, url, data), body in bodies.items()
        if MARK in body
    )


def test_an_outsider_finds_no_marker_at_any_url(client, outsider, secret):
    pm, ids = secret
    urls, unknown = urls_to_visit(ids)
    assert not unknown

    bodies, errors = sweep_urls(client, outsider, urls, query_for(pm, ids))

    assert leaks(bodies) == []
    assert errors == []


def test_a_member_sees_the_markers_where_the_postmortem_is_shown(client, login, alice, secret):
    pm, ids = secret
    login(client, alice)

    detail = body_of(client.get(f"/postmortems/{pm.pk}/"))
    export = body_of(client.get(f"/postmortems/{pm.pk}/export.md"))
    item = body_of(client.get(f"/actions/{ids['item']}/"))

    for field in ("title", "summary", "impact", "went_well", "got_lucky", "surprises"):
        assert marker(field) in detail and marker(field) in export
    for field in ("factor", "event", "action", "comment", "reply", "theme"):
        assert marker(field) in detail
    assert marker("action-notes") in item


def test_a_member_can_walk_every_url_without_a_server_error(client, alice, secret):
    pm, ids = secret
    urls, _unknown = urls_to_visit(ids)
    bodies, errors = sweep_urls(client, alice, urls, query_for(pm, ids))

    assert errors == []
    # The member's sweep is not vacuous: the markers are on the pages it walked.
    assert leaks(bodies)


# --- Slack jobs ------------------------------------------------------------------------------


def test_the_slack_jobs_tell_another_teams_channel_nothing(
    secret, slack_receiver, alice, manager, celery_eager, django_capture_on_commit_callbacks
):
    pm, _ids = secret
    pm.reviewers.add(manager)
    with django_capture_on_commit_callbacks(execute=True):
        reminders.sweep()
        kaizen.send_digests(kaizen.last_completed_week_end())
        kaizen.send_digests(kaizen.week_of(timezone.localdate())[1])
        pm_services.postmortem_submit_for_review(postmortem=pm, by=alice)
        pm.refresh_from_db()
        pm_services.postmortem_publish(postmortem=pm, by=manager, confirm_unresolved=True)

    by_team = {"payments": [], "search": []}
    for request in slack_receiver.requests:
        slug = request["path"].split("/")[3]
        by_team[slug].append(request["body"].decode().lower())
    assert by_team["search"], "the handed-over item is reminded in Search's channel"
    assert not [body for body in by_team["search"] if MARK in body]
    # Payments may read its postmortem: its channel hears the title.
    assert any(marker("title") in body or marker("action") in body for body in by_team["payments"])


def test_the_handed_over_item_is_still_reminded_without_its_title(
    secret, slack_receiver, celery_eager, django_capture_on_commit_callbacks
):
    _pm, ids = secret
    with (
        time_machine.travel(timezone.now(), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        reminders.sweep()

    search = [r for r in slack_receiver.requests if "/search/" in r["path"]]
    assert f"/actions/{ids['handed_over']}/" in search[0]["body"].decode()
    assert ActionItem.objects.get(pk=ids["handed_over"]).reminders.exists()
