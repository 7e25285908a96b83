"""Create (or refresh) a small demo organisation. Safe to run again: nothing is duplicated."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from actions.services.metrics_figures import metrics_figures_rebuild
from postmortems.models import Membership, Profile, Team

from ... import action_items as action_demo
from ... import kaizen as kaizen_demo
from ... import postmortems as postmortem_demo

DEMO_PASSWORD = "hindsight-demo"  # noqa: S105 -- printed for the demo, by design

TEAMS = [
    ("Payments", "payments"),
    ("Platform", "platform"),
    ("Search", "search"),
]

# username, first, last, team slug, role, time zone, language
PEOPLE = [
    ("alice", "Alice", "Kim", "payments", "manager", "Asia/Seoul", "en"),
    ("bob", "Bob", "Lee", "payments", "member", "Europe/London", "en"),
    ("minsu", "민수", "박", "platform", "member", "Asia/Seoul", "ko"),
    ("carol", "Carol", "Diaz", "platform", "manager", "America/New_York", "en"),
    ("dave", "Dave", "Okafor", "search", "member", "UTC", "en"),
]


class Command(BaseCommand):
    help = "Load the demo organisation (teams, people, postmortems, actions). Idempotent."

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()
        teams = {}
        for name, slug in TEAMS:
            teams[slug], _ = Team.objects.get_or_create(slug=slug, defaults={"name": name})

        admin, created = User.objects.get_or_create(
            username="admin",
            defaults={"is_staff": True, "is_superuser": True, "first_name": "Admin"},
        )
        if created:
            admin.set_password(DEMO_PASSWORD)
            admin.save()

        users = {"admin": admin}
        for username, first, last, team_slug, role, tz, lang in PEOPLE:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@example.com",
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            Profile.objects.update_or_create(
                user=user, defaults={"time_zone": tz, "language": lang}
            )
            Membership.objects.get_or_create(
                team=teams[team_slug], user=user, defaults={"role": role}
            )
            users[username] = user

        self._seed_content(teams, users)

        self.stdout.write(self.style.SUCCESS("Demo data ready. Log in at /accounts/login/ with:"))
        for username in ["admin", *[p[0] for p in PEOPLE]]:
            self.stdout.write(f"  {username:<8} / {DEMO_PASSWORD}")

    def _seed_content(self, teams, users):
        """Postmortems, actions and themes; each part is idempotent on its own."""
        postmortem_demo.seed(teams=teams, users=users)
        action_demo.seed(teams=teams, users=users)
        kaizen_demo.seed(teams=teams, users=users)
        # The demo sets some times with update(), which the stored figures do not follow.
        metrics_figures_rebuild()
