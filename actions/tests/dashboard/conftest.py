import pytest

from tests.factories import PostmortemFactory


@pytest.fixture
def postmortem(team):
    return PostmortemFactory(team=team, title="Checkout outage", severity="SEV2")


@pytest.fixture
def restricted(team):
    return PostmortemFactory(team=team, title="Secret incident", restricted=True)
