"""The drill's count: a reminder is delivered once when its message's webhook got exactly
one post; duplicates and losses are counted per reminder and named per message."""

from collections import Counter

from tests.bench.drill import tally


def test_reminders_are_counted_by_the_posts_their_message_got():
    expected = {1: 10, 2: 5, 3: 7, 4: 1}
    paths = {1: "/a", 2: "/b", 3: "/c", 4: "/d"}
    posts = Counter({"/a": 1, "/b": 2, "/d": 1, "/elsewhere": 3})
    once, twice, missing, duplicated, lost = tally(expected, posts, paths)
    assert (once, twice, missing) == (11, 5, 7)
    assert duplicated == [2]
    assert lost == [3]


def test_everything_once_is_a_clean_count():
    once, twice, missing, duplicated, lost = tally({7: 3}, Counter({"/x": 1}), {7: "/x"})
    assert (once, twice, missing, duplicated, lost) == (3, 0, 0, [], [])
