"""Size caps per field and per postmortem (settings ``*_MAX_CHARS``, ``*_MAX_*``), checked
by the services so that every way in — forms, the API, imports — is held to them. Forms
check the same numbers first to show the error beside the field with the text kept."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .bounds import has_nul, nul_error


def text_errors(**fields: tuple[str | None, str]) -> dict[str, str]:
    """``{field: message}`` for ``field=(value, setting name)`` pairs over their limit or
    holding a NUL character."""
    errors: dict[str, str] = {}
    for field, (value, setting) in fields.items():
        limit = getattr(settings, setting)
        if value and len(value) > limit:
            errors[field] = _(
                "Keep this under %(limit)s characters (it has %(length)s); shorten it and "
                "save again."
            ) % {"limit": f"{limit:,}", "length": f"{len(value):,}"}
        elif has_nul(value):
            errors[field] = nul_error().messages[0]
    return errors


def check_text(**fields: tuple[str | None, str]) -> None:
    """Raise a ``ValidationError`` naming each field of :func:`text_errors`."""
    if errors := text_errors(**fields):
        raise ValidationError(errors)


def check_room(*, existing: int, adding: int = 1, setting: str, what: object) -> None:
    """Refuse adding ``adding`` rows to ``existing`` when that passes the cap ``setting``."""
    limit = getattr(settings, setting)
    if existing + adding > limit:
        raise ValidationError(
            _(
                "A postmortem holds at most %(limit)s %(what)s; it has %(existing)s, so "
                "%(adding)s more do not fit."
            )
            % {"limit": limit, "what": what, "existing": existing, "adding": adding},
            code="too_many",
        )
