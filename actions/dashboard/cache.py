"""The dashboard's cache keys.

The tiles, charts and per-team table are aggregates over every visible item: they are
kept for DASHBOARD_CACHE_SECONDS under a key made of the cache version (bumped by every
write to an action item or a postmortem, see ``actions.signals``), what decides which
items the user sees, the language, time zone, date and the query string.
"""

import hashlib
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

from postmortems.models import Postmortem

DASHBOARD_VERSION_KEY = "actions:dashboard:version"


def dashboard_cache_version():
    """The current version; a fresh (never reused) number when the cache lost it."""
    version = cache.get(DASHBOARD_VERSION_KEY)
    if version is None:
        cache.add(DASHBOARD_VERSION_KEY, time.time_ns(), None)
        version = cache.get(DASHBOARD_VERSION_KEY, 0)
    return version


def dashboard_cache_invalidate():
    """Make every cached dashboard figure stale (cheap: one increment)."""
    try:
        cache.incr(DASHBOARD_VERSION_KEY)
    except ValueError:
        cache.set(DASHBOARD_VERSION_KEY, time.time_ns(), None)


def visibility_scope(user, *, version=None):
    """``_visibility_scope``, kept per user while the cache version holds (memberships and
    the people of postmortems change it too, see ``actions.signals``)."""
    if user.is_superuser:
        return "all"
    if version is None:
        version = dashboard_cache_version()
    key = f"actions:dashboard:scope:{version}:{user.pk}"
    return cache.get_or_set(key, lambda: _visibility_scope(user), settings.DASHBOARD_CACHE_SECONDS)


def restricted_visible_ids(user):
    """The restricted postmortems ``user`` may read (``visible_postmortems``), as a sorted
    list of ids: the only postmortems two users may see differently. One query, kept on
    the user object for the rest of the request (the figures read them too); None for
    superusers, who see all."""
    if user.is_superuser:
        return None
    ids = getattr(user, "_hindsight_restricted_visible", None)
    if ids is None:
        ids = sorted(
            Postmortem.objects.filter(restricted=True)
            .visible_to(user)
            .values_list("pk", flat=True)
            .order_by()
        )
        user._hindsight_restricted_visible = ids
    return ids


def _visibility_scope(user):
    """A short string equal for two users exactly when ``visible_postmortems`` gives them
    the same postmortems (for a given state of the postmortems, which the cache version
    follows): superusers see all; others see every unrestricted one and the restricted ones
    ``restricted_visible_ids`` names."""
    if user.is_superuser:
        return "all"
    postmortems = ",".join(str(pk) for pk in restricted_visible_ids(user))
    return hashlib.sha256(f"r:{postmortems}".encode()).hexdigest()[:32]


def dashboard_cache_key(user, query_string, *, today):
    """The key of the dashboard summary for ``user`` and the (page-less) query string."""
    version = dashboard_cache_version()
    parts = (
        str(version),
        visibility_scope(user, version=version),
        translation.get_language() or "",
        timezone.get_current_timezone_name(),
        today.isoformat(),
        query_string,
    )
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"actions:dashboard:summary:{digest}"


def cached(key: str, build: Any) -> Any:
    """``build()`` kept under ``key`` for DASHBOARD_CACHE_SECONDS. ``key`` (from
    ``dashboard_cache_key``) carries the user's visibility scope, so counts or titles of
    restricted postmortems never reach someone who may not see them."""
    return cache.get_or_set(key, build, settings.DASHBOARD_CACHE_SECONDS)
