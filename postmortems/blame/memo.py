"""Per-sentence caches of the rules' results and of the Korean readings.

The rules' cache is keyed by the sentence and a fingerprint of the people set (its hash
and size), not by the set itself: the lint endpoint gets an equal but new set from the
cache on every request, and comparing two sets of thousands of names on each lookup would
cost more than judging the sentence again.

Besides the call itself, each cache answers ``lookup`` (the cached result or None) and
``store``, so a caller that works on all the sentences of a text at once can use it.
"""

from collections import OrderedDict
from functools import wraps
from threading import Lock


def _least_recently_used(maxsize, key):
    def decorate(function):
        entries = OrderedDict()
        lock = Lock()

        def lookup(*args):
            """The cached result, or None (a result is never None)."""
            k = key(*args)
            with lock:
                if k in entries:
                    entries.move_to_end(k)
                    return entries[k]
            return None

        def store(*args_and_result):
            *args, result = args_and_result
            with lock:
                entries[key(*args)] = result
                if len(entries) > maxsize:
                    entries.popitem(last=False)

        @wraps(function)
        def cached(*args):
            result = lookup(*args)
            if result is None:
                result = function(*args)
                store(*args, result)
            return result

        cached.cache_clear = entries.clear
        cached.lookup = lookup
        cached.store = store
        return cached

    return decorate


def per_sentence(maxsize=4096):
    """A cache of ``function(text, people)``."""
    return _least_recently_used(maxsize, lambda text, people: (text, hash(people), len(people)))


def per_text(maxsize=4096):
    """A cache of ``function(text)``."""
    return _least_recently_used(maxsize, lambda text: text)
