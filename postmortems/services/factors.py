"""Contributing factors, tagged with themes (picked or created by name)."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from .. import limits, markdown
from ..models import ContributingFactor, Postmortem, Theme
from .history import record_as
from .themes import theme_get_or_create


def _themes_resolve(themes: Iterable[Theme | str], by: Any) -> list[Theme]:
    resolved = {}
    for theme in themes or ():
        if isinstance(theme, str):
            theme = theme_get_or_create(name=theme, by=by)
        resolved[theme.pk] = theme
    return list(resolved.values())


def _factor_save(
    factor: ContributingFactor, by: Any, themes: Iterable[Theme | str]
) -> ContributingFactor:
    limits.check_text(description=(factor.description, "FACTOR_MAX_CHARS"))
    factor.description_html = markdown.render(factor.description)
    factor.full_clean(exclude=["postmortem"])
    record_as(factor, by)
    with transaction.atomic():
        resolved = _themes_resolve(themes, by)
        factor.save()
        factor.themes.set(resolved)
    return factor


def factor_create(
    *,
    postmortem: Postmortem,
    by: Any,
    category: str,
    description: str,
    themes: Iterable[Theme | str] = (),
) -> ContributingFactor:
    """``themes``: Theme objects and/or names; unknown names become new themes."""
    limits.check_room(
        existing=postmortem.factors.count(),
        setting="FACTORS_MAX_PER_POSTMORTEM",
        what=_("contributing factors"),
    )
    factor = ContributingFactor(postmortem=postmortem, category=category, description=description)
    return _factor_save(factor, by, themes)


def factor_update(
    *,
    factor: ContributingFactor,
    by: Any,
    category: str,
    description: str,
    themes: Iterable[Theme | str] = (),
) -> ContributingFactor:
    factor.category = category
    factor.description = description
    return _factor_save(factor, by, themes)


def factor_delete(*, factor: ContributingFactor, by: Any) -> None:
    """Linked action items stay, unlinked from the factor."""
    record_as(factor, by)
    with transaction.atomic():
        factor.delete()
