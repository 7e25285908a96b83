"""The dashboard's cache keys.

The tiles, charts and per-team table are aggregates over every visible item: they are
kept for DASHBOARD_CACHE_SECONDS under a key made of the cache version (bumped by every
write to an action item or a postmortem, see ``actions.signals``), the reader, the
language, time zone, date and the query string.
"""

import functools
import hashlib
import time
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone, translation

from postmortems.models import Postmortem

DASHBOARD_VERSION_KEY = "actions:dashboard:version"
# Where ``restricted_visible_ids`` keeps its answer on the user object for the request.
RESTRICTED_VISIBLE_ATTR = "_hindsight_restricted_visible"


def dashboard_cache_version():
    """The current version; a fresh (never reused) number when the cache lost it."""
    version = cache.get(DASHBOARD_VERSION_KEY)
    if version is None:
        # Ours when the add wins (one round trip fewer); else another process's, read back.
        fresh = time.time_ns()
        if cache.add(DASHBOARD_VERSION_KEY, fresh, None):
            return fresh
        version = cache.get(DASHBOARD_VERSION_KEY, 0)
    return version


def dashboard_cache_invalidate():
    """Make every cached dashboard figure stale (cheap: one increment)."""
    try:
        cache.incr(DASHBOARD_VERSION_KEY)
    except ValueError:
        cache.set(DASHBOARD_VERSION_KEY, time.time_ns(), None)


def restricted_visible_ids(user):
    """The restricted postmortems ``user`` may read (``visible_postmortems``), as a sorted
    list of ids: the only postmortems two users may see differently. One query, kept on
    the user object for the rest of the request (the figures read them too); None for
    superusers, who see all."""
    if user.is_superuser:
        return None
    ids = getattr(user, RESTRICTED_VISIBLE_ATTR, None)
    if ids is None:
        sql, params = restricted_visible_sql(user)
        with connection.cursor() as cursor:
            cursor.execute(f"{sql} ORDER BY 1", params)
            ids = [row[0] for row in cursor.fetchall()]
        setattr(user, RESTRICTED_VISIBLE_ATTR, ids)
    return ids


def restricted_visible_query(user):
    """The query of ``restricted_visible_ids``: the restricted postmortems ``user`` may read
    (their ``pk``), unordered."""
    return Postmortem.objects.filter(restricted=True).visible_to(user).values("pk").order_by()


# Stands for the reader's id in ``_restricted_visible_compiled``'s parameters.
_READER = object()


def restricted_visible_sql(user):
    """``restricted_visible_query(user)`` as SQL and parameters, for an authenticated reader
    who is not a superuser (the dashboard's stored counts read it inside their own
    statement, and keep the answer as ``restricted_visible_ids`` would).

    The statement is the same for every such reader but for their id, a parameter, so it is
    compiled once per process: building and compiling the query took a tenth of the time of
    the dashboard's read of its stored counts (the Kaizen page's open items read it too)."""
    sql, params = _restricted_visible_compiled()
    return sql, [user.pk if param is _READER else param for param in params]


@functools.cache
def _restricted_visible_compiled():
    """``restricted_visible_query``'s SQL for a stand-in reader whose id is ``_READER``."""
    reader = SimpleNamespace(is_authenticated=True, is_superuser=False, pk=_READER)
    return restricted_visible_query(reader).query.sql_with_params()


def dashboard_cache_key(user, query_string, *, today, version=None):
    """The key of the dashboard summary for ``user`` and the (page-less) query string.

    Each person has their own entries: what they may see (restricted postmortems, the
    teams whose items they may change in bulk) is theirs, and so are the cached figures,
    list and options; a write, a membership or viewer change bumps the version for all."""
    if version is None:
        version = dashboard_cache_version()
    parts = (
        str(version),
        str(user.pk),
        translation.get_language() or "",
        timezone.get_current_timezone_name(),
        today.isoformat(),
        query_string,
    )
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"actions:dashboard:summary:{digest}"


def cached_many(builders: dict[str, Any]) -> dict[str, Any]:
    """``{key: value}`` for each key of ``builders``, each kept for DASHBOARD_CACHE_SECONDS:
    one read for all of them, then ``build(found)`` for each one missing, in ``builders``'
    order (``found`` holds the values before it, cached or built), one write for those
    built. The keys (from
    ``dashboard_cache_key``) are the reader's own, so counts or titles of restricted
    postmortems never reach someone who may not see them."""
    found = cache.get_many(list(builders))
    built = {}
    for key, build in builders.items():
        if key not in found:
            built[key] = found[key] = build(found)
    if built:
        cache.set_many(built, settings.DASHBOARD_CACHE_SECONDS)
    return found


def cached(key: str, build: Any) -> Any:
    """``build()`` kept under ``key`` for DASHBOARD_CACHE_SECONDS (the metrics page's report;
    its key says whose it is)."""
    return cache.get_or_set(key, build, settings.DASHBOARD_CACHE_SECONDS)
