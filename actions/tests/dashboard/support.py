"""What the dashboard view tests share."""

import datetime
import re

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
