"""Memo caches of what follows from the code alone, kept for the life of the process."""

import functools
from collections.abc import Callable
from typing import Any


def per_process(maxsize: int | None = None) -> Callable[[Callable[..., Any]], Any]:
    """``functools.lru_cache(maxsize)``, marked as keeping only what follows from the code
    and the function's arguments, never from data or a reader (a statement compiled for a
    sort order, a form's words in a language): like compiled templates, it lasts as long as
    the process, and ``tests.bench`` keeps it when it makes a request cold."""

    def decorate(function: Callable[..., Any]) -> Any:
        cached = functools.lru_cache(maxsize=maxsize)(function)
        cached.per_process = True  # type: ignore[attr-defined]
        return cached

    return decorate
