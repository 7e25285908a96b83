"""The filter form's team and people choices, the same for everyone and kept like the
dashboard's figures (the people list has hundreds of names and appears twice)."""

import html
from collections.abc import Iterable
from typing import Any, cast

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import CharField, Exists, F, OuterRef, Value
from django.utils.safestring import SafeString

from postmortems.models import Membership, Team
from postmortems.page_rows import esc

from .cache import dashboard_cache_version

Choices = list[tuple[int, str]]


def dashboard_filter_options(*, version: int | None = None) -> tuple[Choices, Choices]:
    """Teams and people, cached until the next write (``dashboard_cache_version``, read
    here unless the caller has it)."""
    if version is None:
        version = dashboard_cache_version()
    key = f"actions:dashboard:choices:{version}"
    choices = cache.get(key)
    if choices is None:
        choices = dashboard_filter_choices()
        cache.set(key, choices, settings.DASHBOARD_CACHE_SECONDS)
    return cast(tuple[Choices, Choices], choices)


def options_html(choices: Choices, selected: int | None) -> SafeString:
    """``<option>`` elements for ``choices`` with ``selected`` marked, labels escaped.

    Hundreds of people, twice per page: ``html.escape`` per label (what Django's
    ``escape`` does, without its lazy-string wrapper) rather than ``format_html`` per
    option (which escapes every part and builds a SafeString each)."""
    return SafeString(
        "".join(
            f'<option value="{int(pk)}"{" selected" if pk == selected else ""}>'
            f"{html.escape(str(label))}</option>"
            for pk, label in choices
        )
    )


def dashboard_filter_choices() -> tuple[Choices, Choices]:
    """Teams and assignable people (members of a team) for the filter form, in one query."""
    User = get_user_model()
    text = CharField()
    teams = Team.objects.annotate(
        kind=Value("team", output_field=text),
        a=F("name"),
        b=Value("", output_field=text),
        c=Value("", output_field=text),
    ).values_list("kind", "pk", "a", "b", "c")
    # Each person once (EXISTS, not a join to their memberships), so the two lists are
    # glued with UNION ALL: no sort or hash of a thousand rows to remove duplicates.
    people = (
        User.objects.filter(Exists(Membership.objects.filter(user=OuterRef("pk"))))
        .annotate(
            kind=Value("user", output_field=text),
            a=F("username"),
            b=F("first_name"),
            c=F("last_name"),
        )
        .values_list("kind", "pk", "a", "b", "c")
    )
    team_choices, people_choices = [], []
    for kind, pk, a, b, c in teams.order_by().union(people.order_by(), all=True):
        if kind == "team":
            team_choices.append((pk, a))
        else:
            full = f"{b} {c}".strip()
            people_choices.append((pk, f"{full} ({a})" if full else a))
    team_choices.sort(key=lambda choice: choice[1].lower())
    people_choices.sort(key=lambda choice: choice[1].lower())
    return team_choices, people_choices


def choice_options_html(choices: Iterable[tuple[Any, Any]], selected: Any) -> SafeString:
    """``<option>`` elements for a form field's ``choices`` (values and labels escaped, lazy
    labels in the reader's language) with ``selected`` marked: the filter form's short
    lists, written once here rather than by a ``{% for %}`` with an ``{% if %}`` each."""
    return SafeString(
        "".join(
            f'<option value="{esc(value)}"{" selected" if value == selected else ""}>'
            f"{esc(label)}</option>"
            for value, label in choices
        )
    )
