"""Contributing factors, tagged with themes (picked or created by name)."""

from django.db import transaction

from .. import markdown
from ..models import ContributingFactor
from .themes import theme_get_or_create


def _themes_resolve(themes, by):
    resolved = {}
    for theme in themes or ():
        if isinstance(theme, str):
            theme = theme_get_or_create(name=theme, by=by)
        resolved[theme.pk] = theme
    return list(resolved.values())


def _factor_save(factor, by, themes):
    factor.description_html = markdown.render(factor.description)
    factor.full_clean(exclude=["postmortem"])
    factor._history_user = by
    with transaction.atomic():
        resolved = _themes_resolve(themes, by)
        factor.save()
        factor.themes.set(resolved)
    return factor


def factor_create(*, postmortem, by, category, description, themes=()):
    """``themes``: Theme objects and/or names; unknown names become new themes."""
    factor = ContributingFactor(postmortem=postmortem, category=category, description=description)
    return _factor_save(factor, by, themes)


def factor_update(*, factor, by, category, description, themes=()):
    factor.category = category
    factor.description = description
    return _factor_save(factor, by, themes)


def factor_delete(*, factor, by):
    """Linked action items stay, unlinked from the factor."""
    factor._history_user = by
    with transaction.atomic():
        factor.delete()
