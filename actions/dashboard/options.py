"""The filter form's team and people choices, the same for everyone and kept like the
dashboard's figures (the bulk form's people list has hundreds of names), and the people
the filter's assignee field offers as one types."""

import html
from collections.abc import Iterable
from typing import Any, cast

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import CharField, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Lower
from django.utils.safestring import SafeString

from postmortems.models import Membership, Team
from postmortems.page_rows import esc

from .cache import dashboard_cache_version

Choices = list[tuple[int, str]]

# At most this many people answer what was typed in the assignee field.
ASSIGNEE_MATCHES = 20


def _choices_key(version: int) -> str:
    return f"actions:dashboard:choices:{version}"


def dashboard_filter_options(*, version: int | None = None) -> tuple[Choices, Choices]:
    """Teams and people (for the bulk form), cached until the next write
    (``dashboard_cache_version``, read here unless the caller has it)."""
    if version is None:
        version = dashboard_cache_version()
    choices = cache.get(_choices_key(version))
    if choices is None:
        teams, people, _username = dashboard_filter_choices()
        choices = (teams, people)
        cache.set(_choices_key(version), choices, settings.DASHBOARD_CACHE_SECONDS)
    return cast(tuple[Choices, Choices], choices)


def filter_form_options(
    *, version: int, people: bool, person: int | None = None
) -> tuple[Choices, str]:
    """The filter form's teams, and the username of ``person`` (the form's assignee field
    shows ``?assignee=<pk>`` as a username; "" for none). In at most one query: from the
    cached teams and people when there are some (and no person to look up); else with the
    people too when ``people`` (the bulk form will show them), kept as
    ``dashboard_filter_options`` keeps them."""
    cached = cache.get(_choices_key(version))
    if cached is not None and person is None:
        return cached[0], ""
    teams, found_people, username = dashboard_filter_choices(
        people=people and cached is None, person=person
    )
    if people and cached is None:
        cache.set(_choices_key(version), (teams, found_people), settings.DASHBOARD_CACHE_SECONDS)
    return teams, username


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


def _assignable_people() -> Any:
    """People who may be assigned: members of a team (each once, through EXISTS)."""
    User = get_user_model()
    return User.objects.filter(Exists(Membership.objects.filter(user=OuterRef("pk"))))


def _person_label(username: str, first_name: str, last_name: str) -> str:
    full = f"{first_name} {last_name}".strip()
    return f"{full} ({username})" if full else username


def assignee_matches(text: str, *, limit: int = ASSIGNEE_MATCHES) -> list[tuple[str, str]]:
    """``[(username, label)]``: up to ``limit`` assignable people (those of the filter's
    former list) with every word of ``text`` in their username, first or last name, by
    label; nothing for blank text."""
    words = text.split()
    if not words:
        return []
    people = _assignable_people()
    for word in words[:5]:
        people = people.filter(
            Q(username__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
        )
    found = [
        (username, _person_label(username, first, last))
        for username, first, last in people.order_by(Lower("username"), "pk").values_list(
            "username", "first_name", "last_name"
        )[:limit]
    ]
    found.sort(key=lambda person: person[1].lower())
    return found


def assignee_options_html(people: list[tuple[str, str]]) -> SafeString:
    """``<option>`` elements of a ``<datalist>``: the username as the value, the label
    shown beside it."""
    return SafeString(
        "".join(
            f'<option value="{html.escape(username)}">{html.escape(label)}</option>'
            for username, label in people
        )
    )


def dashboard_filter_choices(
    *, people: bool = True, person: int | None = None
) -> tuple[Choices, Choices, str]:
    """Teams, assignable people (members of a team; none unless ``people``) and the username
    of person ``person`` ("" for none) for the filter and bulk forms, in one query."""
    if not people and person is None:  # the teams alone: no union to build
        names = sorted(
            Team.objects.values_list("pk", "name").order_by(), key=lambda c: c[1].lower()
        )
        return names, [], ""
    text = CharField()
    teams = Team.objects.annotate(
        kind=Value("team", output_field=text),
        a=F("name"),
        b=Value("", output_field=text),
        c=Value("", output_field=text),
    ).values_list("kind", "pk", "a", "b", "c")
    # Each person once (EXISTS, not a join to their memberships), so the lists are glued
    # with UNION ALL: no sort or hash of a thousand rows to remove duplicates.
    parts = []
    if people:
        parts.append(
            _assignable_people()
            .annotate(
                kind=Value("user", output_field=text),
                a=F("username"),
                b=F("first_name"),
                c=F("last_name"),
            )
            .values_list("kind", "pk", "a", "b", "c")
            .order_by()
        )
    if person is not None:
        parts.append(
            get_user_model()
            .objects.filter(pk=person)
            .annotate(
                kind=Value("person", output_field=text),
                a=F("username"),
                b=Value("", output_field=text),
                c=Value("", output_field=text),
            )
            .values_list("kind", "pk", "a", "b", "c")
            .order_by()
        )
    rows = teams.order_by().union(*parts, all=True) if parts else teams.order_by()
    team_choices, people_choices, username = [], [], ""
    for kind, pk, a, b, c in rows:
        if kind == "team":
            team_choices.append((pk, a))
        elif kind == "user":
            people_choices.append((pk, _person_label(a, b, c)))
        else:
            username = a
    team_choices.sort(key=lambda choice: choice[1].lower())
    people_choices.sort(key=lambda choice: choice[1].lower())
    return team_choices, people_choices, username


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
