"""A per-sentence cache of the rules' results.

Keyed by the sentence and a fingerprint of the people set (its hash and size), not by the
set itself: the lint endpoint gets an equal but new set from the cache on every request,
and comparing two sets of thousands of names on each lookup would cost more than judging
the sentence again.
"""

from collections import OrderedDict
from functools import wraps
from threading import Lock


def per_sentence(maxsize=4096):
    def decorate(function):
        entries = OrderedDict()
        lock = Lock()

        @wraps(function)
        def cached(text, people):
            key = (text, hash(people), len(people))
            with lock:
                if key in entries:
                    entries.move_to_end(key)
                    return entries[key]
            result = function(text, people)
            with lock:
                entries[key] = result
                if len(entries) > maxsize:
                    entries.popitem(last=False)
            return result

        def lookup(text, people):
            """The cached result, or None (a result is never None)."""
            key = (text, hash(people), len(people))
            with lock:
                if key in entries:
                    entries.move_to_end(key)
                    return entries[key]
            return None

        def store(text, people, result):
            with lock:
                entries[(text, hash(people), len(people))] = result
                if len(entries) > maxsize:
                    entries.popitem(last=False)

        cached.cache_clear = entries.clear
        cached.lookup = lookup
        cached.store = store
        return cached

    return decorate
