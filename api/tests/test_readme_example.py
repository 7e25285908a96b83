"""The README's curl example works as written, against a live server."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from postmortems.models import Postmortem

README = Path(__file__).resolve().parents[2] / "README.md"


def _example():
    text = README.read_text()
    match = re.search(r"<!-- api-example.*?-->\n```sh\n(.*?)```", text, re.S)
    assert match, "the README lost its API example"
    return match.group(1)


@pytest.mark.skipif(not (shutil.which("curl") and shutil.which("jq")), reason="needs curl and jq")
def test_the_readme_example_creates_a_draft_with_its_timeline(
    live_server, alice, token_for, settings
):
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", _example()],
        env={"PATH": "/usr/bin:/bin", "HINDSIGHT": live_server.url, "TOKEN": token_for(alice)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    postmortem = Postmortem.objects.get(title="Checkout errors after the 14:00 deploy")
    assert postmortem.status == "draft"
    assert [e.text for e in postmortem.timeline_events.order_by("occurred_at")] == [
        "Checkout 5xx alert fired",
        "Rolled back the deploy",
    ]
    assert '"Rolled back the deploy"' in result.stdout
