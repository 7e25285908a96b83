"""Fixtures shared by every test package: the cast of users, a loopback Slack, Celery."""

pytest_plugins = ["tests.fixtures", "integrations.trackers.tests.fixtures"]


def pytest_sessionstart(session):
    """Refuse to test old code: a compiled blame module older than its source would be
    imported in its place (``make compiled`` rebuilds what changed)."""
    import pytest

    from postmortems import blame_compiled

    problems = blame_compiled.problems()
    if problems:
        raise pytest.UsageError(
            "the blame reader's compiled modules are not their sources' ("
            + "; ".join(problems)
            + "): run `make compiled`, or `make clean-compiled` to test the sources"
        )
