"""`make run`'s process wiring: honcho starts web, worker and beat, and Ctrl-C stops all."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _processes_with(token):
    """PIDs of live processes whose environment contains ``token``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if token.encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.mark.skipif(not (VENV_BIN / "honcho").exists(), reason="needs the project's .venv")
@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc")
def test_run_starts_web_worker_and_beat_and_ctrl_c_stops_them(tmp_path):
    port = _free_port()
    token = f"hindsight-wiring-{os.getpid()}-{port}"
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "DEBUG": "true",
        "PORT": str(port),
        "HINDSIGHT_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CELERY_BROKER_URL": "filesystem://",
        "WIRING_TEST_TOKEN": token,
        "PYTHONUNBUFFERED": "1",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    log = open(tmp_path / "honcho.log", "w+")  # noqa: SIM115 -- read back after the run
    honcho = subprocess.Popen(
        [str(VENV_BIN / "honcho"), "start", "-f", "Procfile"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        healthy = ready = False
        while time.monotonic() < deadline and not (healthy and ready):
            time.sleep(0.5)
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    healthy = r.status == 200
            except OSError:
                pass
            log.seek(0)
            output = log.read()
            ready = " ready." in output and "beat: Starting" in output
        assert healthy, output
        assert ready, output
        assert len(_processes_with(token)) >= 3  # honcho, gunicorn, celery (+ children)

        # Ctrl-C in a terminal signals the whole foreground process group.
        os.killpg(honcho.pid, signal.SIGINT)
        honcho.wait(timeout=30)
        deadline = time.monotonic() + 15
        while _processes_with(token) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _processes_with(token) == []
    finally:
        if honcho.poll() is None:
            os.killpg(honcho.pid, signal.SIGKILL)
        for pid in _processes_with(token):
            os.kill(pid, signal.SIGKILL)
        log.close()


def _make_run_dry(**env):
    """The "Serving …" line `make run` would print, without running anything."""
    base = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "PORT")}
    result = subprocess.run(
        ["make", "-n", "run"],
        cwd=Path(__file__).resolve().parent.parent,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return next(line for line in result.stdout.splitlines() if "Serving" in line)


def test_site_url_follows_the_port_under_make_run():
    line = _make_run_dry(PORT="8123")
    assert "http://127.0.0.1:8123 (links in Slack: http://127.0.0.1:8123)" in line


def test_a_site_url_of_ones_own_is_kept_under_make_run():
    line = _make_run_dry(PORT="8123", SITE_URL="https://h.example.com")
    assert "(links in Slack: https://h.example.com)" in line
