import pytest

from .support import person


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # Some tests create hundreds of people; the real hasher would take minutes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def assignee(db):
    return person("dana", "Dana", "Lee")
