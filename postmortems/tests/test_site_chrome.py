"""The site chrome's navigation written in Python (``templatetags.site_chrome``) prints
what ``base.html``'s template nodes printed, for every kind of reader."""

from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import engines
from django.template.loader import get_template
from django.test import RequestFactory
from django.utils import translation

from postmortems.models import Membership
from tests.factories import MembershipFactory, TeamFactory, UserFactory

# What base.html held before the tags replaced it.
OLD_NAV_LINKS = """{% url 'home' as home_url %}
          <li class="nav-item"><a class="nav-link{% if request.path == home_url %} active{% endif %}" href="{{ home_url }}"{% if request.path == home_url %} aria-current="page"{% endif %}>{% translate "Home" %}</a></li>
          <li class="nav-item"><a class="nav-link{% if request.path|slice:':13' == '/postmortems/' %} active{% endif %}" href="/postmortems/">{% translate "Postmortems" %}</a></li>
          <li class="nav-item"><a class="nav-link{% if request.path|slice:':9' == '/actions/' %} active{% endif %}" href="/actions/">{% translate "Actions" %}</a></li>
          <li class="nav-item"><a class="nav-link{% if request.path|slice:':8' == '/kaizen/' %} active{% endif %}" href="/kaizen/">{% translate "Kaizen" %}</a></li>
          <li class="nav-item"><a class="nav-link{% if request.path|slice:':9' == '/metrics/' %} active{% endif %}" href="/metrics/">{% translate "Metrics" %}</a></li>"""  # noqa: E501

OLD_USER_MENU = """<ul class="navbar-nav">
          {% with teams=nav_managed_teams %}{% if teams %}
          <li class="nav-item dropdown">
            <button class="nav-link dropdown-toggle btn btn-link" data-bs-toggle="dropdown" aria-expanded="false">{% translate "Team settings" %}</button>
            <ul class="dropdown-menu dropdown-menu-end">
              {% for team in teams %}<li><a class="dropdown-item" href="{{ team.get_absolute_url }}">{{ team.name }}</a></li>{% endfor %}
            </ul>
          </li>
          {% endif %}{% endwith %}
          <li class="nav-item dropdown">
            <button class="nav-link dropdown-toggle btn btn-link" data-bs-toggle="dropdown" aria-expanded="false">{{ user.get_full_name|default:user.get_username }}</button>
            <div class="dropdown-menu dropdown-menu-end p-2 user-menu">
              <a class="dropdown-item" href="{% url 'postmortems:profile' %}">{% translate "Profile and time zone" %}</a>
              {% if user.is_staff %}<a class="dropdown-item" href="{% url 'admin:index' %}">{% translate "Administration" %}</a>{% endif %}
              <hr class="dropdown-divider">
              <form action="{% url 'set_language' %}" method="post" class="px-2">
                {% csrf_token %}
                <input name="next" type="hidden" value="{{ request.get_full_path }}">
                <label for="nav-language" class="form-label small mb-1">{% translate "Language" %}</label>
                <div class="input-group input-group-sm">
                  <select name="language" id="nav-language" class="form-select" data-submit-on-change>
                    {% get_available_languages as LANGUAGES %}{% get_language_info_list for LANGUAGES as languages %}
                    {% for language in languages %}<option value="{{ language.code }}"{% if language.code == LANGUAGE_CODE %} selected{% endif %}>{{ language.name_local }}</option>{% endfor %}
                  </select>
                  <button type="submit" class="btn btn-outline-secondary" data-hidden-with-js>{% translate "Go" %}</button>
                </div>
              </form>
              <hr class="dropdown-divider">
              <form action="{% url 'logout' %}" method="post" class="px-2">{% csrf_token %}<button type="submit" class="btn btn-sm btn-outline-danger w-100">{% translate "Log out" %}</button></form>
            </div>
          </li>
        </ul>"""  # noqa: E501


def _base_source():
    template = get_template("base.html").template
    with open(template.origin.name, encoding="utf-8") as source:
        return source.read()


def _old_base():
    source = _base_source()
    assert "{% nav_links %}" in source and "{% user_menu %}" in source
    return engines["django"].from_string(
        source.replace("{% nav_links %}", OLD_NAV_LINKS).replace("{% user_menu %}", OLD_USER_MENU)
    )


def _both(user, path):
    request = RequestFactory().get(path)
    request.user = user
    request.session = {}
    # One token for both pages (each render would mask the secret differently).
    with mock.patch("django.template.context_processors.get_token", return_value="t0ken"):
        old = _old_base().render({}, request)
        new = engines["django"].from_string('{% extends "base.html" %}').render({}, request)
    return old, new


def _reader(kind):
    user = UserFactory(first_name='Dana <"O\'Neil">' if kind == "named" else "", last_name="")
    if kind == "staff":
        user.is_staff = True
        user.save()
    if kind == "superuser":
        user.is_superuser = True
        user.save()
    if kind == "manager":
        for name in ("Payments & <Ledger>", "Edge"):
            MembershipFactory(user=user, team=TeamFactory(name=name), role=Membership.Role.MANAGER)
        MembershipFactory(user=user, role=Membership.Role.MEMBER)
    return user


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["member", "named", "manager", "staff", "superuser"])
@pytest.mark.parametrize(
    "path",
    ["/", "/postmortems/3/", "/actions/?q=%22a%22&status=open", "/kaizen/", "/metrics/x", "/x/"],
)
@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_navigation_prints_what_the_template_printed(kind, path, language):
    user = _reader(kind)
    with translation.override(language):
        old, new = _both(user, path)
    assert 'class="navbar-nav me-auto"' in new
    assert new == old


@pytest.mark.django_db
def test_an_anonymous_reader_has_no_navigation():
    old, new = _both(AnonymousUser(), "/accounts/login/")
    assert 'id="nav-main"' not in new
    assert new == old


@pytest.mark.django_db
def test_the_korean_navigation_is_translated():
    with translation.override("ko"):
        _old, new = _both(_reader("manager"), "/actions/")
    assert ">Actions</a>" not in new
    assert "Team settings" not in new
    assert "Log out" not in new
