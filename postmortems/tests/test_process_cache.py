from postmortems.process_cache import per_process


def test_a_per_process_memo_computes_once_per_argument_and_says_it_is_kept():
    calls = []

    @per_process(maxsize=4)
    def square(n):
        calls.append(n)
        return n * n

    assert [square(3), square(3), square(4)] == [9, 9, 16]
    assert calls == [3, 4]
    assert square.per_process is True
    square.cache_clear()
    assert square(3) == 9
    assert calls == [3, 4, 3]
