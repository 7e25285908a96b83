"""Themes: one owner (this app, where the model lives) and one slug policy.

A theme's slug is its name slugified (Unicode kept, so Korean names stay readable), made
unique with ``-2``, ``-3``… when another theme holds it. Typing a name on a factor reuses
the theme with that slug or that name (any case) instead of creating a twin.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ..models import Theme
from .history import record_as

SLUG_BASE_CHARS = 90


def theme_slug_base(name: str) -> str:
    return slugify(name, allow_unicode=True)[:SLUG_BASE_CHARS]


def theme_unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    """The slug policy: the name's slug, with the first free ``-N`` suffix from 2."""
    base = theme_slug_base(name) or "theme"
    slug, n = base, 2
    taken = Theme.objects.all() if exclude_pk is None else Theme.objects.exclude(pk=exclude_pk)
    while taken.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def theme_save(
    *,
    theme: Theme | None = None,
    name: str,
    keywords: str = "",
    description: str = "",
    by: Any = None,
) -> Theme:
    """Create a theme (``theme=None``) or change one; the slug follows a new name."""
    theme = theme or Theme()
    renamed = theme.pk is None or theme.name != name
    theme.name = name.strip()
    theme.keywords = keywords.strip()
    theme.description = description.strip()
    if renamed:
        theme.slug = theme_unique_slug(theme.name, exclude_pk=theme.pk)
    theme.full_clean()
    record_as(theme, by)
    theme.save()
    return theme


def theme_get_or_create(*, name: str, by: Any = None) -> Theme:
    """The theme called ``name`` (same slug or same name, any case), created if new."""
    name = " ".join((name or "").split())
    slug = theme_slug_base(name)
    if not slug:
        raise ValidationError(
            {"themes": _("“%(name)s” cannot be used as a theme name.") % {"name": name}}
        )
    existing = (
        Theme.objects.filter(slug=slug).first() or Theme.objects.filter(name__iexact=name).first()
    )
    if existing:
        return existing
    try:
        with transaction.atomic():
            return theme_save(name=name, by=by)
    except IntegrityError:
        # Someone created it at the same moment.
        return Theme.objects.get(slug=slug)


@transaction.atomic
def theme_merge(*, source: Theme, target: Theme, by: Any = None) -> int:
    """Fold ``source`` into ``target``: every factor tagged with ``source`` is tagged with
    ``target`` instead, then ``source`` is deleted (its history rows stay). Returns the
    number of factors moved."""
    if source.pk == target.pk:
        raise ValidationError(_("Pick two different themes to merge."))
    factors = list(source.factors.all())
    for factor in factors:
        # Through the related manager (not bulk SQL), so each factor's history records it.
        record_as(factor, by)
        factor.themes.add(target)
        factor.themes.remove(source)
    record_as(source, by, f"Merged into {target.name}")
    source.delete()
    return len(factors)
