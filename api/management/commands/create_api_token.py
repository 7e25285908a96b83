from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api import services
from api.models import ApiToken


class Command(BaseCommand):
    help = "Create a personal API token for a user; the token is the last line of output."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--scope", choices=ApiToken.Scope.values, default=ApiToken.Scope.WRITE)
        parser.add_argument("--name", default="command line")
        parser.add_argument(
            "--days", type=int, default=None, help="Days until it expires (0: never)."
        )

    def handle(self, *args, username, scope, name, days, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {username!r}.")
        record, token = services.api_token_create(user=user, name=name, scope=scope, days=days)
        expiry = record.expires_at.isoformat() if record.expires_at else "never"
        self.stderr.write(f"{record.get_scope_display()} token for {username}, expires {expiry}:")
        self.stdout.write(token)
