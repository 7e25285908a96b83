"""What one request costs beyond its wall time: SQL statements and their time, template
rendering time; and how a request is made *cold* (every cache the app keeps emptied).

The apps' code is never imported here at module level: ``__main__`` chooses the database
and calls django.setup() first.
"""

import inspect
import sys
import threading
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import caches
from django.db import connection

# Packages whose module-level memo caches a cold request must not find filled.
APP_PACKAGES = ("postmortems", "actions", "api", "integrations", "config")


class Meter:
    """Per request: ``queries``, ``sql_ms``, ``template_ms``, and the SQL statements."""

    def __init__(self):
        self.queries = 0
        self.sql_ms = 0.0
        self.template_ms = 0.0
        self.statements = []

    def as_dict(self):
        return {"queries": self.queries, "sql_ms": self.sql_ms, "template_ms": self.template_ms}


_state = threading.local()


def _timed_render(render):
    """``render`` that adds its wall time to the current meter when it is the outermost
    render in progress (an include or a template rendered inside another one is part of
    the outer time, not counted twice)."""

    def wrapper(self, *args, **kwargs):
        meter = getattr(_state, "meter", None)
        if meter is None or getattr(_state, "depth", 0):
            _state.depth = getattr(_state, "depth", 0) + 1
            try:
                return render(self, *args, **kwargs)
            finally:
                _state.depth -= 1
        _state.depth = 1
        began = time.perf_counter()
        try:
            return render(self, *args, **kwargs)
        finally:
            _state.depth = 0
            meter.template_ms += (time.perf_counter() - began) * 1000

    wrapper.bench_timed = True
    return wrapper


def install_template_timer():
    """Wrap the Django backend's ``Template.render`` (what ``render``, ``TemplateResponse``
    and ``render_to_string`` call) and the engine's own ``Template.render`` (what form
    widgets and ``{% include %}`` call), so every template is timed once, outermost."""
    from django.template import base
    from django.template.backends import django as backend

    for cls in (backend.Template, base.Template):
        if not getattr(cls.render, "bench_timed", False):
            cls.render = _timed_render(cls.render)


@contextmanager
def metering(keep_statements=False):
    """``with metering() as meter:`` one request; SQL through ``execute_wrapper`` (no debug
    cursor, no cap on the number of statements)."""
    meter = Meter()

    def wrapper(execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            meter.queries += 1
            meter.sql_ms += (time.perf_counter() - began) * 1000
            if keep_statements:
                meter.statements.append(sql)

    _state.meter, _state.depth = meter, 0
    try:
        with connection.execute_wrapper(wrapper):
            yield meter
    finally:
        _state.meter = None


def _memo_caches(kept=False):
    """The ``functools.cache``/``lru_cache`` functions of the apps that memoise results of
    their arguments. Argument-less ones are left alone: they build a constant once per
    process (compiled word lists, a library handle), the same for every request and user,
    like the code itself. So are those marked ``per_process``: what they keep follows from
    the code and their arguments alone, never from data or a reader (a statement compiled
    for a sort order), as Django's compiled templates do; ``kept``: those instead."""
    found = []
    for name, module in list(sys.modules.items()):
        if module is None or name.split(".", 1)[0] not in APP_PACKAGES:
            continue
        for value in list(vars(module).values()):
            wrapped = getattr(value, "__wrapped__", None)
            if wrapped is None or not callable(getattr(value, "cache_clear", None)):
                continue
            if getattr(value, "__module__", None) != name:
                continue  # imported from another module: cleared there
            try:
                takes_arguments = bool(inspect.signature(wrapped).parameters)
            except (TypeError, ValueError):
                takes_arguments = True
            if takes_arguments and getattr(value, "per_process", False) == kept:
                found.append(value)
    return found


def kept_caches():
    """The names of the memo caches a cold request keeps (``_memo_caches``' marked ones)."""
    return [f"{f.__module__}.{f.__qualname__}" for f in _memo_caches(kept=True)]


def clear_app_caches():
    """Empty every configured Django cache and the apps' memo caches; returns the names of
    what was cleared (printed once by the bench so the reader knows what *cold* means)."""
    cleared = []
    for alias in settings.CACHES:
        caches[alias].clear()
        cleared.append(f"cache {alias!r}")
    for function in _memo_caches():
        function.cache_clear()
        cleared.append(f"{function.__module__}.{function.__qualname__}")
    return cleared
