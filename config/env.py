"""Reading settings from the environment: the small parsers settings.py uses."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def parse_due_days(value):
    """``"P1=7,P2=30"`` -> ``{"P1": 7, "P2": 30}``; unknown keys or bad numbers are refused."""
    policy = {"P1": 7, "P2": 30, "P3": 60, "P4": 90}
    for part in filter(None, (p.strip() for p in value.split(","))):
        key, sep, days = part.partition("=")
        key = key.strip().upper()
        if not sep or key not in policy or not days.strip().isdigit():
            raise ImproperlyConfigured(
                f"ACTION_DUE_DAYS: cannot read {part!r} (expected e.g. P1=7)"
            )
        policy[key] = int(days)
    return policy


def parse_cache_url(url, var_dir, base_dir):
    """The ``default`` cache from ``CACHE_URL`` (see settings.py for why it is shared)."""
    if url.startswith(("redis://", "rediss://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if url.startswith("locmem://"):
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": url[9:]}
    if url and not url.startswith("file://"):
        raise ImproperlyConfigured(f"CACHE_URL must be redis://, file:// or locmem://, not {url!r}")
    folder = Path(url[len("file://") :]) if url else var_dir / "cache" / "web"
    return {
        "BACKEND": "config.cache.FileBasedCache",
        "LOCATION": str(folder if folder.is_absolute() else base_dir / folder),
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
