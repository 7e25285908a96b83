"""The site chrome's navigation (``base.html``, on every page) written in Python.

The main links and the user's menu were some thirty template nodes per page: a
``{% translate %}``, ``{% url %}``, a ``|slice`` comparison or a loop over the languages
each. These tags print the markup the template printed, every value escaped as ``{{ }}``
escapes it (``postmortems.page_rows.esc``).
"""

from typing import Any

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language_info, gettext, gettext_noop

from ..page_rows import esc

register = template.Library()

# Indentation of the navigation's lines in base.html.
_LINE = "\n          "
_CURRENT_PAGE = ' aria-current="page"'
# The main links: the path they go to (None: the home page's URL) and the prefix of the
# paths where they are the current section (None: only the home page itself).
_SECTIONS = (
    (gettext_noop("Home"), None, None),
    (gettext_noop("Postmortems"), "/postmortems/", "/postmortems/"),
    (gettext_noop("Actions"), "/actions/", "/actions/"),
    (gettext_noop("Kaizen"), "/kaizen/", "/kaizen/"),
    (gettext_noop("Metrics"), "/metrics/", "/metrics/"),
)


@register.simple_tag(takes_context=True)
def nav_links(context: Any) -> SafeString:
    """The main links (``{% block nav_items %}``'s default), the current section marked."""
    request = context.get("request")
    path = getattr(request, "path", "")
    home = reverse("home")
    out = []
    for label, href, prefix in _SECTIONS:
        current = path == home if prefix is None else path.startswith(prefix)
        out.append(
            f'{_LINE}<li class="nav-item"><a class="nav-link{" active" if current else ""}" '
            f'href="{esc(home) if href is None else href}"'
            f"{_CURRENT_PAGE if current and href is None else ''}>"
            f"{esc(gettext(label))}</a></li>"
        )
    return SafeString("".join(out))


def _csrf_input(token: Any) -> str:
    """As ``{% csrf_token %}`` prints the page's token (the same one on the whole page)."""
    if not token or token == "NOTPROVIDED":  # noqa: S105 - the marker Django uses
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{esc(token)}">'


@register.simple_tag(takes_context=True)
def user_menu(context: Any) -> SafeString:
    """The signed-in user's side of the bar: the teams whose settings they may change, and
    their menu (profile, administration, language, log out)."""
    user = context["user"]
    request = context.get("request")
    teams = context.get("nav_managed_teams")
    if callable(teams):
        teams = teams()
    token = _csrf_input(context.get("csrf_token"))
    language = context.get("LANGUAGE_CODE")
    out = ['<ul class="navbar-nav">', _LINE]
    if teams:
        out += [
            _LINE,
            '<li class="nav-item dropdown">\n'
            '            <button class="nav-link dropdown-toggle btn btn-link" '
            'data-bs-toggle="dropdown" aria-expanded="false">',
            esc(gettext("Team settings")),
            '</button>\n            <ul class="dropdown-menu dropdown-menu-end">\n              ',
            *(
                f'<li><a class="dropdown-item" href="{esc(team.get_absolute_url())}">'
                f"{esc(team.name)}</a></li>"
                for team in teams
            ),
            "\n            </ul>\n          </li>",
            _LINE,
        ]
    full_path = request.get_full_path() if request is not None else ""
    # Each label read here, not inside the f-strings: gettext's extractor reads no call
    # inside an f-string's braces, and ``makemessages`` would drop its translation.
    profile, administration, language_label, go, log_out = (
        esc(gettext("Profile and time zone")),
        esc(gettext("Administration")),
        esc(gettext("Language")),
        esc(gettext("Go")),
        esc(gettext("Log out")),
    )
    out += [
        _LINE,
        '<li class="nav-item dropdown">\n'
        '            <button class="nav-link dropdown-toggle btn btn-link" '
        'data-bs-toggle="dropdown" aria-expanded="false">',
        esc(user.get_full_name() or user.get_username()),
        "</button>\n"
        '            <div class="dropdown-menu dropdown-menu-end p-2 user-menu">\n'
        f'              <a class="dropdown-item" href="{esc(reverse("postmortems:profile"))}">'
        f"{profile}</a>\n              ",
        f'<a class="dropdown-item" href="{esc(reverse("admin:index"))}">{administration}</a>'
        if user.is_staff
        else "",
        "\n"
        '              <hr class="dropdown-divider">\n'
        f'              <form action="{esc(reverse("set_language"))}" method="post" '
        'class="px-2">\n'
        f"                {token}\n"
        f'                <input name="next" type="hidden" value="{esc(full_path)}">\n'
        '                <label for="nav-language" class="form-label small mb-1">'
        f"{language_label}</label>\n"
        '                <div class="input-group input-group-sm">\n'
        '                  <select name="language" id="nav-language" class="form-select" '
        "data-submit-on-change>\n                    \n                    ",
    ]
    for code, _name in settings.LANGUAGES:
        info = get_language_info(str(code))
        out.append(
            f'<option value="{esc(info["code"])}"'
            f"{' selected' if info['code'] == language else ''}>"
            f"{esc(info['name_local'])}</option>"
        )
    out += [
        "\n                  </select>\n"
        '                  <button type="submit" class="btn btn-outline-secondary" '
        f"data-hidden-with-js>{go}</button>\n"
        "                </div>\n"
        "              </form>\n"
        '              <hr class="dropdown-divider">\n'
        f'              <form action="{esc(reverse("logout"))}" method="post" class="px-2">'
        f'{token}<button type="submit" class="btn btn-sm btn-outline-danger w-100">'
        f"{log_out}</button></form>\n"
        "            </div>\n"
        "          </li>\n"
        "        </ul>",
    ]
    return SafeString("".join(out))
