"""Slack export import at 100k messages, in a fresh process so its peak RSS is its own:
``python -m tests.bench.slack_import EXPORT.zip`` prints a JSON line. ``figures()`` writes
the export (integrations' test helper) and runs that process."""

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MESSAGES = 100_000
CHANNELS = ("incident-42", "general", "deploys", "random")
FILLER_WORDS = 60
# At most TIMELINE_PASTE_MAX_LINES (200) events go in at once.
IMPORT_PICKS = 200


def figures(messages=MESSAGES):
    from integrations.slack_import.tests.export_factory import write_export

    with tempfile.TemporaryDirectory() as folder:
        # Where the uploads storage looks when VAR_DIR is ``folder``.
        (Path(folder) / "uploads").mkdir()
        path = Path(folder) / "uploads" / "export.zip"
        began = time.perf_counter()
        summary = write_export(path, messages=messages, channels=CHANNELS, filler=FILLER_WORDS)
        written = time.perf_counter() - began
        # The import drops its upload when done, so measure the zip now.
        zipped = path.stat().st_size
        run = subprocess.run(
            [sys.executable, "-m", "tests.bench.slack_import", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        try:
            result = json.loads(run.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            return {"error": (run.stderr or run.stdout)[-500:]}
    return {
        **result,
        "messages": summary.messages,
        "zip_mb": zipped / 2**20,
        "write_seconds": written,
    }


def main(path):
    import datetime

    from .__main__ import setup_django
    from .memory import peak_rss_bytes, reset_peak_rss, rss_bytes

    setup_django()
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from integrations.models import SlackImport
    from integrations.slack_import import services
    from integrations.slack_import.export import SlackExport
    from postmortems.models import Postmortem, Team

    with SlackExport(path) as export:
        uncompressed = sum(info.file_size for info in export.zip.infolist())
    team, _created = Team.objects.get_or_create(
        slug="bench-slack", defaults={"name": "Bench Slack"}
    )
    user, _created = get_user_model().objects.get_or_create(username="bench-slack")
    postmortem = Postmortem.objects.create(team=team, title="Slack import bench")
    upload = SlackImport.objects.create(postmortem=postmortem, created_by=user)
    settings.VAR_DIR = Path(path).parent.parent
    upload.archive.name = Path(path).name  # read in place; nothing is copied
    start = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
    end = datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC)
    window = {"start": start, "end": end, "tz": datetime.UTC}
    # Loads the code the people set needs; the import reads the set again (one query, not
    # cached: a few hundred kB for thousands of users, part of what is measured).
    services.lint_people()

    reset_peak_rss()
    baseline = rss_bytes()
    began = time.perf_counter()
    scanned = 0
    for channel in services.channels(upload):
        scanned += services.slack_preview(upload, channel=channel, **window).total
    scan_seconds = time.perf_counter() - began

    picks = {}
    with SlackExport(path) as export:
        for message in export.messages(CHANNELS[0]):
            picks[message.ts] = "note"
            if len(picks) == IMPORT_PICKS:
                break
    began = time.perf_counter()
    created = services.slack_import_commit(
        slack_import=upload, by=user, channel=CHANNELS[0], picks=picks, **window
    )
    import_seconds = time.perf_counter() - began
    peak = peak_rss_bytes()
    postmortem.delete()
    print(
        json.dumps(
            {
                "scanned": scanned,
                "uncompressed_mb": uncompressed / 2**20,
                "scan_seconds": scan_seconds,
                "picked": len(picks),
                "events": len(created),
                "import_seconds": import_seconds,
                "rss_growth_mb": (peak - baseline) / 2**20,
                "baseline_mb": baseline / 2**20,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
