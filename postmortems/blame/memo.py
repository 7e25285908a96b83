"""Per-sentence caches of the rules' results and of the Korean readings.

The rules' cache is keyed by the sentence and a fingerprint of the people set (its hash
and size), not by the set itself: the lint endpoint gets an equal but new set from the
cache on every request, and comparing two sets of thousands of names on each lookup would
cost more than judging the sentence again.

Besides the call itself, each cache answers ``lookup`` (the cached result or None; a
result is never None) and ``store``, so a caller that works on all the sentences of a
text at once can use it.
"""

from collections import OrderedDict
from functools import wraps
from threading import Lock


class _Entries:
    """Least recently used first; at most ``maxsize``."""

    def __init__(self, maxsize):
        self.maxsize = maxsize
        self.entries = OrderedDict()
        self.lock = Lock()

    def get(self, key):
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key]
        return None

    def get_many(self, keys):
        """``get`` of each key, under one lock."""
        found = []
        with self.lock:
            entries = self.entries
            for key in keys:
                result = entries.get(key)
                if result is not None:
                    entries.move_to_end(key)
                found.append(result)
        return found

    def put(self, key, result):
        with self.lock:
            self.entries[key] = result
            if len(self.entries) > self.maxsize:
                self.entries.popitem(last=False)


def per_sentence(maxsize=4096):
    """A cache of ``function(text, people)``; ``lookup_each(texts, people)`` looks up the
    sentences of a whole text at once."""

    def decorate(function):
        memo = _Entries(maxsize)

        @wraps(function)
        def cached(text, people):
            key = (text, hash(people), len(people))
            result = memo.get(key)
            if result is None:
                result = function(text, people)
                memo.put(key, result)
            return result

        def lookup(text, people):
            return memo.get((text, hash(people), len(people)))

        def lookup_each(texts, people):
            fingerprint, size = hash(people), len(people)
            return memo.get_many([(text, fingerprint, size) for text in texts])

        def store(text, people, result):
            memo.put((text, hash(people), len(people)), result)

        cached.cache_clear = memo.entries.clear
        cached.lookup = lookup
        cached.lookup_each = lookup_each
        cached.store = store
        return cached

    return decorate


def per_text(maxsize=4096):
    """A cache of ``function(text)``."""

    def decorate(function):
        memo = _Entries(maxsize)

        @wraps(function)
        def cached(text):
            result = memo.get(text)
            if result is None:
                result = function(text)
                memo.put(text, result)
            return result

        cached.cache_clear = memo.entries.clear
        cached.lookup = memo.get
        cached.lookup_each = memo.get_many
        cached.store = memo.put
        return cached

    return decorate


def each_once(items, results):
    """The distinct ``items`` with their cached ``results`` (a ``lookup_each``: None where
    not cached), and those not cached, each once, in order: what a caller working on a
    text's sentences together still has to compute (a text may repeat a sentence)."""
    found = {}
    todo = []
    for item, result in zip(items, results, strict=True):
        if item not in found:
            found[item] = result
            if result is None:
                todo.append(item)
    return found, todo
