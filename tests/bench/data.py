"""The bench database and what the figures are taken on: the seeded organisation, one
person in several teams, one big postmortem, and the reminder scenario."""

# The apps' code is imported inside the functions: ``__main__`` chooses the database and
# calls django.setup() before any of them runs (a module-level import would be too early).

import datetime
import time
from urllib.parse import urlsplit, urlunsplit

from django.core.management import call_command
from django.db import connection

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/hindsight_bench"

BENCH_USERNAME = "bench-reader"
BENCH_TEAMS = 3
DETAIL_EVENTS = 200
DETAIL_FACTORS = 50
DETAIL_ACTIONS = 100
SWEEP_TEAMS = 200
KAIZEN_REVIEWS = 4
KAIZEN_REVIEW_ITEMS = 3


def ensure_database(url):
    """Create the database named in ``url`` when it does not exist yet."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            return True
    return False


def reset():
    """An empty, migrated database."""
    call_command("migrate", interactive=False, verbosity=0)
    call_command("flush", interactive=False, verbosity=0)


def seed(postmortems, actions):
    """Run ``seed_scale``; returns its wall time in seconds."""
    began = time.perf_counter()
    call_command("seed_scale", "--postmortems", str(postmortems), "--actions", str(actions))
    return time.perf_counter() - began


def analyze():
    """Fresh planner statistics and visibility map after a bulk load, as autovacuum would
    have them in time (it vacuums a table after many inserts, not only analyzes it): without
    the visibility map an index-only scan reads the table row by row, which no database
    that autovacuum looks after does for long."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def counts():
    from actions.models import ActionItem
    from postmortems.models import ContributingFactor, Postmortem, Team, Theme, TimelineEvent

    return {
        "teams": Team.objects.count(),
        "postmortems": Postmortem.objects.count(),
        "timeline_events": TimelineEvent.objects.count(),
        "factors": ContributingFactor.objects.count(),
        "factor_themes": ContributingFactor.themes.through.objects.count(),
        "themes": Theme.objects.count(),
        "actions": ActionItem.objects.count(),
        "open_actions": ActionItem.objects.filter(status__in=ActionItem.OPEN_STATUSES).count(),
    }


def bench_user():
    """A member of several teams (manager of the first), with a profile."""
    from django.contrib.auth import get_user_model

    from postmortems.models import Membership, Profile, Team

    user, _ = get_user_model().objects.get_or_create(
        username=BENCH_USERNAME, defaults={"first_name": "Bench", "last_name": "Reader"}
    )
    Profile.objects.get_or_create(user=user)
    teams = list(Team.objects.order_by("pk")[:BENCH_TEAMS])
    if not teams:
        teams = [Team.objects.create(name="Bench", slug="bench")]
    for index, team in enumerate(teams):
        role = Membership.Role.MANAGER if index == 0 else Membership.Role.MEMBER
        Membership.objects.update_or_create(team=team, user=user, defaults={"role": role})
    return user, teams


_SECTION = (
    "The checkout API answered **5xx** for 14 minutes after the cache cluster was resized.\n\n"
    "- The alert fired 6 minutes in\n- The runbook pointed at the old dashboard\n\n"
    "See `cache-resize.md` for the change itself."
)


def big_postmortem(user, team):
    """A postmortem with 200 timeline events, 50 factors and 100 actions, as the detail
    page sees it (rendered HTML stored, themes on the factors, some actions assigned)."""
    from actions.models import ActionItem
    from postmortems.markdown import render
    from postmortems.models import ContributingFactor, Postmortem, Theme, TimelineEvent

    now = datetime.datetime.now(datetime.UTC)
    started = now - datetime.timedelta(days=3)
    html = render(_SECTION)
    sections = dict.fromkeys(Postmortem.SECTIONS, _SECTION)
    sections.update({f"{name}_html": html for name in Postmortem.SECTIONS})
    postmortem = Postmortem.objects.create(
        title="Checkout errors after cache resize (bench)",
        severity="SEV2",
        status=Postmortem.Status.IN_REVIEW,
        team=team,
        started_at=started,
        detected_at=started + datetime.timedelta(minutes=6),
        mitigated_at=started + datetime.timedelta(minutes=14),
        resolved_at=started + datetime.timedelta(hours=2),
        created_by=user,
        **sections,
    )
    postmortem.authors.add(user)
    kinds = [k for k, _label in TimelineEvent.Kind.choices]
    event_text = "Paged the on-call; the cache hit ratio fell to **40%** on `cache-3`."
    event_html = render(event_text)
    TimelineEvent.objects.bulk_create(
        TimelineEvent(
            postmortem=postmortem,
            occurred_at=started + datetime.timedelta(minutes=i * 3),
            kind=kinds[i % len(kinds)],
            text=event_text,
            text_html=event_html,
            pinned=i % 25 == 0,
            created_by=user,
        )
        for i in range(DETAIL_EVENTS)
    )
    categories = [c for c, _label in ContributingFactor.Category.choices]
    factor_text = "The resize runbook did not mention the **warm-up** step."
    factor_html = render(factor_text)
    factors = ContributingFactor.objects.bulk_create(
        ContributingFactor(
            postmortem=postmortem,
            category=categories[i % len(categories)],
            description=factor_text,
            description_html=factor_html,
        )
        for i in range(DETAIL_FACTORS)
    )
    themes = list(Theme.objects.order_by("pk")[:5])
    if not themes:
        themes = [Theme.objects.create(name="Bench theme", slug="bench-theme")]
    through = ContributingFactor.themes.through
    through.objects.bulk_create(
        through(contributingfactor_id=f.pk, theme_id=themes[i % len(themes)].pk)
        for i, f in enumerate(factors)
    )
    statuses = [s for s, _label in ActionItem.Status.choices]
    ActionItem.objects.bulk_create(
        ActionItem(
            postmortem=postmortem,
            factor=factors[i % len(factors)] if i % 4 else None,
            title=f"Follow-up {i}: add the warm-up step to the resize runbook",
            priority=f"P{i % 4 + 1}",
            status=statuses[i % len(statuses)],
            status_reason=""
            if statuses[i % len(statuses)] not in ("blocked", "wont_do")
            else "Waiting on the vendor",
            completed_at=now if statuses[i % len(statuses)] == "done" else None,
            team=team,
            assignee=user if i % 2 else None,
            due_date=(now + datetime.timedelta(days=i - 30)).date(),
            created_by=user,
        )
        for i in range(DETAIL_ACTIONS)
    )
    # bulk_create sends no signals: rewrite the stored metrics figures of those due dates.
    from actions.services.metrics_figures import metrics_days_refresh

    metrics_days_refresh(
        action_days={
            (team.pk, (now + datetime.timedelta(days=i - 30)).date()) for i in range(DETAIL_ACTIONS)
        }
    )
    return postmortem


def kaizen_reviews(user, teams, count=KAIZEN_REVIEWS, items=KAIZEN_REVIEW_ITEMS):
    """Kaizen review notes as a team records them, each linking a few of its team's open
    items (and one of a restricted postmortem where the team has one), so the Kaizen page
    reads reviews and their items as it does in use."""
    from actions.kaizen import last_completed_week_end
    from actions.models import ActionItem, KaizenReview
    from postmortems.markdown import render

    end = last_completed_week_end()
    notes = "We chose **alert fatigue**: fewer pages, each with a runbook link."
    for n in range(count):
        team = teams[n % len(teams)]
        review = KaizenReview.objects.create(
            team=team,
            period_start=end - datetime.timedelta(days=27 + 7 * n),
            period_end=end - datetime.timedelta(days=7 * n),
            notes=notes,
            notes_html=render(notes),
            created_by=user,
        )
        open_items = ActionItem.objects.filter(team=team, status__in=ActionItem.OPEN_STATUSES)
        restricted = open_items.filter(postmortem__restricted=True).order_by("pk")[:1]
        review.action_items.add(
            *restricted, *open_items.filter(postmortem__restricted=False).order_by("pk")[:items]
        )


def spread_for_sweep(teams_wanted=SWEEP_TEAMS):
    """The reminder scenario: every action item open, in ``teams_wanted`` teams (when the
    seed made fewer, teams are added and items dealt out over them). Returns the number of
    open items and of teams."""
    from actions.models import ActionItem
    from postmortems.models import Team

    have = Team.objects.count()
    if have < teams_wanted:
        Team.objects.bulk_create(
            Team(name=f"Sweep team {n}", slug=f"sweep-team-{n}") for n in range(have, teams_wanted)
        )
        team_ids = list(Team.objects.order_by("pk").values_list("pk", flat=True)[:teams_wanted])
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE actions_actionitem AS a SET team_id = t.team_id "
                "FROM unnest(%s::bigint[]) WITH ORDINALITY AS t(team_id, n) "
                "WHERE (a.id %% %s) + 1 = t.n",
                [team_ids, len(team_ids)],
            )
    ActionItem.objects.exclude(status__in=ActionItem.OPEN_STATUSES).update(
        status=ActionItem.Status.OPEN, status_reason="", completed_at=None
    )
    open_items = ActionItem.objects.filter(status__in=ActionItem.OPEN_STATUSES)
    return open_items.count(), open_items.values("team_id").distinct().count()
