"""What the dashboard view tests share."""

import datetime
import re

from django.db import connection
from django.utils import timezone

URL = "/actions/"


def today():
    return timezone.localdate()


def days(n):
    return today() + datetime.timedelta(days=n)


def tile(response, name):
    match = re.search(rf'data-tile="{name}">([^<]*)<', response.content.decode())
    return match.group(1).strip()


def titles(response):
    return [item.title for item in response.context["rows"]]


def prepared_plans(statement_like):
    """``[(generic plans, custom plans)]`` of the statements this connection prepared
    whose text is ``LIKE statement_like``."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
            "WHERE statement LIKE %s",
            [statement_like],
        )
        return cursor.fetchall()
