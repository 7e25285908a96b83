"""Bulk data for benchmarks: ``seed_scale --postmortems N --actions M [--clear]``.

Everything is written with ``bulk_create`` in batches (no per-row signals or history), so
100k action items take seconds. Scale data is recognisable by the ``scale-`` prefix of its
teams, people and themes; ``--clear`` removes it (and everything hanging off it) again.
"""

import datetime
import random
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.utils import timezone

from actions.models import ActionItem
from actions.services import (
    COUNTS_SWITCH,
    dashboard_counts_rebuild_all,
    kaizen_open_items_rebuild,
)
from actions.services.metrics_figures import metrics_figures_rebuild
from postmortems.blame.people import encode_person_names
from postmortems.markdown import render
from postmortems.models import (
    ContributingFactor,
    Membership,
    Postmortem,
    Profile,
    Team,
    Theme,
    TimelineEvent,
)

from ...bulk import Progress, auto_now_add_off, purge
from ...scale_vocabulary import (
    ACTION_TITLES,
    CATEGORIES,
    CLOSED_STATUSES,
    EVENTS_PER_POSTMORTEM,
    FACTORS_PER_POSTMORTEM,
    KINDS,
    OPEN_STATUSES,
    PASSWORD,
    PREFIX,
    PRIORITIES,
    SEVERITIES,
    THEMES,
    THINGS,
    TITLES,
    WHATS,
    weighted,
)


class Command(BaseCommand):
    help = "Bulk data for benchmarks: teams, people, postmortems, factors, themes, actions."

    def add_arguments(self, parser):
        parser.add_argument("--postmortems", type=int, default=1000)
        parser.add_argument("--actions", type=int, default=10000)
        parser.add_argument("--teams", type=int, default=200)
        parser.add_argument("--people-per-team", type=int, default=4)
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (repeatable data).")
        parser.add_argument("--clear", action="store_true", help="Remove earlier scale data first.")

    def handle(self, *args, **options):
        if options["postmortems"] < 0 or options["actions"] < 0 or options["teams"] < 1:
            raise CommandError("--postmortems and --actions must be >= 0, --teams >= 1.")
        if options["actions"] and not options["postmortems"]:
            raise CommandError("Action items need postmortems: give --postmortems too.")
        self.rng = random.Random(options["seed"])
        self.rng_seed = options["seed"]
        self.batch = max(100, options["batch_size"])
        began = time.perf_counter()
        if options["clear"]:
            self.clear()
        with transaction.atomic(), auto_now_add_off(Postmortem, ContributingFactor, ActionItem):
            # The dashboard's counts are made once from all the items at the end, rather
            # than adjusted for every batch.
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute(f"SET LOCAL {COUNTS_SWITCH} = 'off'")
            teams = self.seed_teams(options["teams"], options["people_per_team"])
            themes = self.seed_themes()
            postmortems = self.seed_postmortems(options["postmortems"], teams)
            factors = self.seed_factors(postmortems, themes)
            self.seed_actions(options["actions"], postmortems, factors, teams)
            dashboard_counts_rebuild_all()
            # The Kaizen page's open items were counted by the triggers as they were written;
            # counted once more here so their overdue figure is of today (after a flush there
            # is no day yet, and every overdue item would be counted live).
            kaizen_open_items_rebuild()
            # bulk_create sends no signals: the stored metrics figures are written once here.
            began_figures = time.perf_counter()
            rows = metrics_figures_rebuild()
            self.stdout.write(
                f"Stored metrics figures: {rows} rows in "
                f"{time.perf_counter() - began_figures:.1f} s."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {options['postmortems']} postmortems and {options['actions']} action "
                f"items over {len(teams)} teams in {time.perf_counter() - began:.1f} s."
            )
        )

    # --- Clearing ---------------------------------------------------------------------------

    def clear(self):
        started = time.perf_counter()
        with transaction.atomic():
            scale_teams = Team.objects.filter(slug__startswith=PREFIX)
            scale_postmortems = Postmortem.objects.filter(team__in=scale_teams)
            purge(
                ActionItem.objects.filter(
                    models.Q(postmortem__in=scale_postmortems) | models.Q(team__in=scale_teams)
                )
            )
            purge(scale_postmortems)
            purge(get_user_model().objects.filter(username__startswith=PREFIX))
            purge(Theme.objects.filter(slug__startswith=PREFIX))
            purge(scale_teams)
            metrics_figures_rebuild()
        self.stdout.write(f"Cleared earlier scale data in {time.perf_counter() - started:.1f} s.")

    # --- Seeding ----------------------------------------------------------------------------

    def _bulk(self, model, objects, label, total):
        """bulk_create ``objects`` (an iterable) in batches, drawing a progress bar."""
        progress = Progress(self.stdout, label, total)
        created = []
        chunk = []
        for obj in objects:
            chunk.append(obj)
            if len(chunk) >= self.batch:
                created += model.objects.bulk_create(chunk)
                progress.advance(len(chunk))
                chunk = []
        if chunk:
            created += model.objects.bulk_create(chunk)
            progress.advance(len(chunk))
        progress.finish()
        return created

    def seed_teams(self, count, people_per_team):
        existing = {t.slug: t for t in Team.objects.filter(slug__startswith=PREFIX)}
        new = [
            Team(name=f"Scale team {n:03d}", slug=f"{PREFIX}team-{n:03d}")
            for n in range(count)
            if f"{PREFIX}team-{n:03d}" not in existing
        ]
        Team.objects.bulk_create(new, batch_size=self.batch)
        teams = list(Team.objects.filter(slug__startswith=PREFIX).order_by("slug")[:count])

        User = get_user_model()
        password = make_password(PASSWORD)
        known = set(
            User.objects.filter(username__startswith=PREFIX).values_list("username", flat=True)
        )
        wanted = [
            (team, f"{PREFIX}{team.slug.removeprefix(PREFIX)}-{n}", n)
            for team in teams
            for n in range(people_per_team)
        ]
        User.objects.bulk_create(
            [
                User(
                    username=name,
                    first_name=f"Person {n}",
                    last_name=team.name,
                    email=f"{name}@example.com",
                    password=password,
                )
                for team, name, n in wanted
                if name not in known
            ],
            batch_size=self.batch,
        )
        rows = list(
            User.objects.filter(username__startswith=PREFIX).values_list(
                "username", "pk", "first_name", "last_name"
            )
        )
        users = {name: pk for name, pk, _first, _last in rows}
        # bulk_create sends no post_save: the profile gets its names here.
        Profile.objects.bulk_create(
            [
                Profile(user_id=pk, person_names=encode_person_names(name, first, last))
                for name, pk, first, last in rows
            ],
            batch_size=self.batch,
            ignore_conflicts=True,
        )
        Membership.objects.bulk_create(
            [
                Membership(
                    team=team,
                    user_id=users[name],
                    role=Membership.Role.MANAGER if n == 0 else Membership.Role.MEMBER,
                )
                for team, name, n in wanted
            ],
            batch_size=self.batch,
            ignore_conflicts=True,
        )
        self.members = {}
        for team_id, user_id in Membership.objects.filter(team__in=teams).values_list(
            "team_id", "user_id"
        ):
            self.members.setdefault(team_id, []).append(user_id)
        self.stdout.write(f"Teams: {len(teams)}, people: {len(users)}")
        return teams

    def seed_themes(self):
        for name, keywords in THEMES:
            Theme.objects.get_or_create(
                slug=f"{PREFIX}{name.lower().replace(' ', '-')}",
                defaults={"name": f"{name} (scale)", "keywords": keywords},
            )
        return list(Theme.objects.filter(slug__startswith=PREFIX))

    def seed_postmortems(self, count, teams):
        rng = self.rng
        now = timezone.now()
        summary = (
            "Customers saw errors for **{minutes} minutes**. The alert fired late because the "
            "threshold was tuned for daytime traffic."
        )
        summary_html = render(summary)

        def rows():
            for n in range(count):
                started = now - datetime.timedelta(days=rng.triangular(0, 400, 30))
                detected = started + datetime.timedelta(minutes=rng.randint(1, 90))
                mitigated = detected + datetime.timedelta(minutes=rng.randint(5, 240))
                resolved = mitigated + datetime.timedelta(minutes=rng.randint(5, 600))
                status = weighted(
                    rng,
                    [("published", 80), ("in_review", 8), ("draft", 8), ("not_required", 4)],
                )
                published = (
                    min(resolved + datetime.timedelta(days=rng.randint(1, 10)), now)
                    if status == "published"
                    else None
                )
                yield Postmortem(
                    title=rng.choice(TITLES).format(what=rng.choice(WHATS)) + f" #{n}",
                    severity=weighted(rng, SEVERITIES),
                    status=status,
                    team=rng.choice(teams),
                    restricted=rng.random() < 0.05,
                    caused_by_change=rng.random() < 0.4,
                    started_at=started,
                    detected_at=detected,
                    mitigated_at=mitigated,
                    resolved_at=resolved,
                    summary=summary,
                    summary_html=summary_html,
                    published_at=published,
                    created_at=min(resolved + datetime.timedelta(hours=2), now),
                )

        postmortems = self._bulk(Postmortem, rows(), "postmortems", count)
        events = (
            TimelineEvent(
                postmortem=pm,
                occurred_at=(pm.started_at if i == 0 else pm.detected_at),
                kind="note" if i == 0 else "detection",
                text="Error rate rose." if i == 0 else "The on-call was paged.",
                text_html="<p>Error rate rose.</p>" if i == 0 else "<p>The on-call was paged.</p>",
            )
            for pm in postmortems
            for i in range(EVENTS_PER_POSTMORTEM)
        )
        self._bulk(TimelineEvent, events, "timeline", len(postmortems) * EVENTS_PER_POSTMORTEM)
        self.seed_people(postmortems)
        return postmortems

    def seed_people(self, postmortems):
        """Who wrote, reviews and may read each postmortem, as a team's would: one or two
        authors of its team, most with a reviewer of its team or another, and a restricted
        one's viewers from other teams. Every visibility check reads these tables; left
        empty, the database would never look into them. Drawn from a generator of their
        own, so the rest of the data is the same as without them."""
        rng = random.Random(self.rng_seed + 1)
        everyone = [user for members in self.members.values() for user in members]
        links = {"authors": [], "reviewers": [], "viewers": []}
        for pm in postmortems:
            team = self.members.get(pm.team_id) or everyone
            for author in rng.sample(team, k=min(len(team), rng.choice((1, 1, 2)))):
                links["authors"].append((pm.pk, author))
            if rng.random() < 0.7:
                links["reviewers"].append((pm.pk, rng.choice(everyone)))
            if pm.restricted:
                for viewer in rng.sample(everyone, k=min(len(everyone), rng.randint(0, 3))):
                    links["viewers"].append((pm.pk, viewer))
        for name, pairs in links.items():
            through = getattr(Postmortem, name).through
            unique = sorted(set(pairs))
            rows = (through(postmortem_id=pm, user_id=user) for pm, user in unique)
            self._bulk(through, rows, f"postmortem {name}", len(unique))

    def seed_factors(self, postmortems, themes):
        rng = self.rng
        text = "The {thing} limit was not covered by an alert."
        html = {thing: render(text.format(thing=thing)) for thing in THINGS}

        def rows():
            for pm in postmortems:
                for _n in range(FACTORS_PER_POSTMORTEM):
                    thing = rng.choice(THINGS)
                    yield ContributingFactor(
                        postmortem=pm,
                        category=rng.choice(CATEGORIES),
                        description=text.format(thing=thing),
                        description_html=html[thing],
                        created_at=pm.created_at,
                    )

        total = len(postmortems) * FACTORS_PER_POSTMORTEM
        factors = self._bulk(ContributingFactor, rows(), "factors", total)
        through = ContributingFactor.themes.through
        links = [
            through(contributingfactor_id=factor.pk, theme_id=theme.pk)
            for factor in factors
            for theme in rng.sample(themes, k=rng.choice((1, 1, 2)))
        ]
        self._bulk(through, links, "factor themes", len(links))
        by_postmortem = {}
        for factor in factors:
            by_postmortem.setdefault(factor.postmortem_id, []).append(factor.pk)
        return by_postmortem

    def seed_actions(self, count, postmortems, factors, teams):
        if not count:
            return
        rng = self.rng
        now = timezone.now()
        today = timezone.localdate()
        due_days = {"P1": 7, "P2": 30, "P3": 60, "P4": 90}
        team_ids = [t.pk for t in teams]

        def rows():
            for n in range(count):
                pm = (
                    postmortems[n % len(postmortems)]
                    if n < len(postmortems)
                    else rng.choice(postmortems)
                )
                team_id = pm.team_id if rng.random() < 0.8 else rng.choice(team_ids)
                priority = weighted(rng, PRIORITIES)
                created = pm.created_at + datetime.timedelta(hours=rng.randint(0, 72))
                created = min(created, now)
                due = timezone.localdate(created) + datetime.timedelta(
                    days=due_days[priority] + rng.randint(-3, 14)
                )
                # The older an item is against its priority's window, the likelier it is
                # closed; most closures land before the due date, some after.
                age_days = (now - created).days
                window = due_days[priority]
                closed = rng.random() < min(0.93, max(0.02, age_days / (window * 1.3)))
                completed = None
                if closed:
                    status = weighted(rng, CLOSED_STATUSES)
                    took = rng.triangular(0.2, window * 1.6, window * 0.5)
                    completed = min(created + datetime.timedelta(days=took), now)
                else:
                    status = weighted(rng, OPEN_STATUSES)
                people = self.members.get(team_id) or [None]
                yield ActionItem(
                    postmortem=pm,
                    factor_id=rng.choice(factors[pm.pk]) if rng.random() < 0.7 else None,
                    title=rng.choice(ACTION_TITLES).format(thing=rng.choice(THINGS)),
                    kind=weighted(rng, KINDS),
                    priority=priority,
                    status=status,
                    status_reason="Waiting on another team"
                    if status == "blocked"
                    else ("Superseded by a platform change" if status == "wont_do" else ""),
                    team_id=team_id,
                    assignee_id=rng.choice(people) if rng.random() < 0.75 else None,
                    due_date=due,
                    completed_at=completed,
                    created_at=created,
                )

        self._bulk(ActionItem, rows(), "action items", count)
        open_count = ActionItem.objects.filter(
            team_id__in=team_ids, status__in=ActionItem.OPEN_STATUSES
        ).count()
        overdue = ActionItem.objects.filter(
            team_id__in=team_ids, status__in=ActionItem.OPEN_STATUSES, due_date__lt=today
        ).count()
        self.stdout.write(f"Open items: {open_count}, of which overdue: {overdue}")
