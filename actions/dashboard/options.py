"""The filter form's team choices, and the people the assignee fields (the filter's and
the bulk form's) offer as one types: a page lists no one (hundreds of names)."""

import html
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import CharField, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Lower
from django.utils.safestring import SafeString

from postmortems.models import Membership, Team
from postmortems.page_rows import esc

Choices = list[tuple[int, str]]

# At most this many people answer what was typed in the assignee field.
ASSIGNEE_MATCHES = 20


def options_html(choices: Choices, selected: int | None) -> SafeString:
    """``<option>`` elements for ``choices`` with ``selected`` marked, labels escaped.

    Hundreds of teams: ``html.escape`` per label (what Django's ``escape`` does, without
    its lazy-string wrapper) rather than ``format_html`` per option (which escapes every
    part and builds a SafeString each)."""
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


# Every team's id and name, unordered (sorted here, as the union below is).
_TEAMS = "SELECT {}, {} FROM {}".format(  # noqa: S608 -- names only, quoted
    *(
        connection.ops.quote_name(str(name))
        for name in (Team._meta.pk.column, Team._meta.get_field("name").column, Team._meta.db_table)
    )
)


def filter_form_options(*, person: int | None = None) -> tuple[Choices, str]:
    """The filter form's teams by name and the username of person ``person`` (the form's
    assignee field shows ``?assignee=<pk>`` as a username; "" for none), in one query.
    Not kept on their own: the form's HTML is kept with the dashboard's figures."""
    if person is None:  # the teams alone, as plain rows: no queryset to build and compile
        with connection.cursor() as cursor:
            cursor.execute(_TEAMS)
            teams = cursor.fetchall()
        return sorted(teams, key=lambda c: c[1].lower()), ""
    text = CharField()
    rows = (
        Team.objects.annotate(kind=Value("team", output_field=text), a=F("name"))
        .values_list("kind", "pk", "a")
        .order_by()
        .union(
            get_user_model()
            .objects.filter(pk=person)
            .annotate(kind=Value("person", output_field=text), a=F("username"))
            .values_list("kind", "pk", "a")
            .order_by(),
            all=True,
        )
    )
    team_choices, username = [], ""
    for kind, pk, a in rows:
        if kind == "team":
            team_choices.append((pk, a))
        else:
            username = a
    team_choices.sort(key=lambda choice: choice[1].lower())
    return team_choices, username


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
