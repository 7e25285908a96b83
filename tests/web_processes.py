"""Real web processes for tests and ``make bench --concurrent``: gunicorn on a free loopback
port, started with the project's ``gunicorn.conf.py``, waited for, and always stopped."""

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def session_key_for(user):
    """A signed-in session for ``user`` stored in the database, for a client of a real web
    process (the cookie value of ``sessionid``)."""
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """``with Gunicorn(env, workers=2) as server: server.url`` — one gunicorn master and its
    workers, stopped (SIGTERM, then SIGKILL after ``stop_seconds``) on leaving the block."""

    def __init__(self, env, *, workers=1, app="config.wsgi", log=None, stop_seconds=15):
        self.env, self.workers, self.app = env, workers, app
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.stop_seconds = stop_seconds
        self.process = None

    def start(self, ready_seconds=60):
        self.launch()
        return self.wait_ready(ready_seconds)

    def launch(self):
        """Start the master (not waiting for it: several servers may boot side by side)."""
        command = [str(BIN / "gunicorn"), self.app, "-c", "gunicorn.conf.py"]
        command += ["--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers)]
        command += ["--timeout", "30", "--graceful-timeout", "5"]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=self.log or subprocess.DEVNULL,
            stderr=subprocess.STDOUT if self.log else subprocess.DEVNULL,
        )

    def wait_ready(self, ready_seconds=60):
        deadline = time.monotonic() + ready_seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        return self
            except (OSError, urllib.error.HTTPError):
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn on {self.url} did not answer /healthz in time")

    def stop(self):
        self.terminate()
        self.wait()

    def terminate(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # graceful: workers finish their request

    def wait(self):
        if self.process is None:
            return
        try:
            self.process.wait(timeout=self.stop_seconds)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def __enter__(self):
        if self.process is not None:  # started already
            return self
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc):
        self.stop()
        return False
