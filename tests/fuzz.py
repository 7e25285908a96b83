"""Hypothesis profiles and strategies for the no-5xx property tests (``test_fuzz_*.py``).

``HYPOTHESIS_PROFILE=test`` (the default under pytest, see pyproject) tries a few examples
per endpoint so ``make test`` stays quick; ``make fuzz`` runs the ``fuzz`` profile. On CI
the examples are derandomized, so a run is repeatable."""

import os
import string

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

_COMMON = {
    "deadline": None,  # one request can take a while on a loaded machine; 5xx is the property
    # The database and logged-in client are set up once per test, not per example.
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    "database": None,
}
settings.register_profile(
    "test", max_examples=25, derandomize=os.environ.get("CI") == "true", **_COMMON
)
settings.register_profile("fuzz", max_examples=400, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "test"))

# Text a form field can receive: anything but lone surrogates (which no browser can send).
_characters = st.characters(exclude_categories=("Cs",))
NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "²",
    "١٢",
    "٣",
    "0",
    "-1",
    "1e5",
    "9" * 30,
    str(2**63),
    str(2**63 - 1),
    "0001-01-01",
    "9999-12-31",
    "0000-00-00",
    "2026-02-30",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "9999-12-31T23:59:59+14:00",
    "0001-01-01T00:00-12:00",
    "2026-11-20T14:03",
    "NaN",
    "inf",
    "true",
    "x" * 5_000,
    "가" * 3_000,
]

# Values that answered 500 before issue 16 was fixed: each is tried on every parameter.
KNOWN_BAD = ["9999-12-31", "0001-01-01", "²", "9" * 30, "a\x00b", "0001-01-01T00:00"]


def dates():
    return st.dates().map(lambda d: d.isoformat())


def datetimes():
    return st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M").zfill(16))


def numbers():
    return st.one_of(
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.text(alphabet=string.digits + "²³١٢٣０１２", min_size=1, max_size=25),
    )


def values():
    """One query-string or form value: the nasty cases, dates, numbers, free text."""
    return st.one_of(
        st.sampled_from(NASTY),
        dates(),
        datetimes(),
        numbers(),
        st.text(_characters, max_size=60),
    )


def params(names, **fixed):
    """A dict with any subset of ``names`` set to :func:`values` (a list sometimes, as a
    repeated parameter), merged over ``fixed`` (valid values the endpoint needs)."""
    one = st.one_of(values(), st.lists(values(), min_size=1, max_size=3))
    optional = dict.fromkeys(names, one)
    return st.fixed_dictionaries({}, optional=optional).map(lambda data: {**fixed, **data})
