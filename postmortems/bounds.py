"""What one request may ask for: the dates any form or filter accepts, the widest report,
and text the database can store.

Dates outside the window are refused before they reach ``timedelta`` arithmetic or a time
zone conversion (``date.max + 1 day`` and ``0001-01-01 00:00+09:00`` in UTC overflow), and
a report range is capped so that no single request can build years of figures."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

EARLIEST_DATE = datetime.date(1970, 1, 1)
LATEST_DATE = datetime.date(2199, 12, 31)
# A primary key is a signed 64-bit integer; larger ids overflow the database driver.
MAX_PK = 2**63 - 1
NUL = "\x00"


def date_bounds_error(day):
    """A translated message when ``day`` is outside the window, else ``None``."""
    if EARLIEST_DATE <= day <= LATEST_DATE:
        return None
    return _("Pick a date between %(first)s and %(last)s.") % {
        "first": EARLIEST_DATE.isoformat(),
        "last": LATEST_DATE.isoformat(),
    }


def range_error(first, last, *, max_days=None):
    """A translated message when ``first..last`` (both included) is longer than allowed."""
    max_days = max_days or settings.MAX_REPORT_RANGE_DAYS
    if first is None or last is None or (last - first).days < max_days:
        return None
    widest = first + datetime.timedelta(days=max_days - 1)
    return _(
        "A range covers at most %(days)s days: from %(first)s, pick an end on or before %(widest)s."
    ) % {
        "days": max_days,
        "first": date_format(first, "SHORT_DATE_FORMAT"),
        "widest": date_format(widest, "SHORT_DATE_FORMAT"),
    }


def nul_error() -> ValidationError:
    return ValidationError(
        _("This text contains a NUL character (\\x00), which cannot be stored. Remove it."),
        code="null_characters_not_allowed",
    )


def has_nul(value: object) -> bool:
    return isinstance(value, str) and NUL in value


class NulFreeTextMixin:
    """Model mixin: ``full_clean`` refuses NUL characters in every text column, which
    PostgreSQL cannot store (``ValueError`` from the driver, a 500)."""

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            if exclude and field.name in exclude:
                continue
            if isinstance(field, (models.CharField, models.TextField)) and has_nul(
                getattr(self, field.attname)
            ):
                errors.setdefault(field.name, []).append(nul_error())
        if errors:
            raise ValidationError(errors)
