"""The drill's count: a reminder is delivered once when its message's webhook got exactly
one post; duplicates and losses are counted per reminder and named per message, and a
duplicate is explained only by a post in flight when the worker was killed."""

import os
import socket
from collections import Counter

from tests.bench.drill_count import judge_duplicate, tally
from tests.bench.drill_processes import tcp_ports


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


KILL = 100.0
LEASE = 10


def _post(at, answered_at, answer_lost=False, client_port=40000):
    return {
        "at": at,
        "answered_at": answered_at,
        "answer_lost": answer_lost,
        "client_port": client_port,
    }


def test_a_post_answered_after_the_kill_then_posted_once_after_the_lease_is_explained():
    posts = [_post(99.8, 100.1, answer_lost=True), _post(110.5, 110.7)]
    explained, reason = judge_duplicate(posts, KILL, LEASE, leased_at_kill=True)
    assert explained, reason
    assert "dead worker" in reason


def test_a_post_answered_just_before_the_kill_but_not_recorded_is_explained():
    posts = [_post(99.8, 99.999), _post(110.2, 110.4)]
    assert judge_duplicate(posts, KILL, LEASE, leased_at_kill=True)[0]


def test_a_post_answered_and_recorded_before_the_kill_does_not_explain_a_second():
    posts = [_post(90.0, 90.2), _post(110.2, 110.4)]
    explained, reason = judge_duplicate(posts, KILL, LEASE, leased_at_kill=False)
    assert not explained
    assert "recorded" in reason


def test_a_message_first_posted_after_the_kill_is_not_explained_by_it():
    posts = [_post(100.5, 100.7), _post(111.0, 111.2)]
    assert not judge_duplicate(posts, KILL, LEASE, leased_at_kill=False)[0]


def test_a_second_post_within_the_lease_is_not_explained():
    posts = [_post(99.9, 100.1), _post(101.0, 101.2)]
    explained, reason = judge_duplicate(posts, KILL, LEASE, leased_at_kill=True)
    assert not explained
    assert "within its 10 s lease" in reason


def test_a_third_post_is_not_explained():
    posts = [_post(99.9, 100.1), _post(110.5, 110.7), _post(121.0, 121.2)]
    assert not judge_duplicate(posts, KILL, LEASE, leased_at_kill=True)[0]


def test_without_a_kill_no_duplicate_is_explained():
    posts = [_post(99.9, 100.1), _post(110.5, 110.7)]
    assert not judge_duplicate(posts, None, LEASE, leased_at_kill=False)[0]


def test_a_post_from_a_connection_of_the_killed_worker_is_explained():
    posts = [_post(99.8, 100.1, client_port=40001), _post(110.5, 110.7)]
    assert judge_duplicate(posts, KILL, LEASE, leased_at_kill=True, killed_ports={40001})[0]


def test_a_post_in_flight_from_the_worker_that_lived_is_not_explained():
    posts = [_post(99.8, 100.1, client_port=40002), _post(110.5, 110.7)]
    explained, reason = judge_duplicate(
        posts, KILL, LEASE, leased_at_kill=True, killed_ports={40001}
    )
    assert not explained
    assert "not killed" in reason


def test_the_ports_of_a_process_s_tcp_connections_are_found():
    with socket.create_server(("127.0.0.1", 0)) as server:
        client = socket.create_connection(server.getsockname())
        with client:
            assert client.getsockname()[1] in tcp_ports([os.getpid()])
