"""The drill's processes: a private Redis it may kill and restart, Celery workers it may
``kill -9`` (whole process groups), and what was open in them at the kill."""

import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

QUEUE = "hindsight-drill"
ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    """A redis-server of the drill's own that it may kill and start again, either from its
    append-only file (written on every command) or empty."""

    def __init__(self, port):
        self.port = port
        self.process = None
        self.data_dir = Path(tempfile.mkdtemp(prefix="hindsight-drill-redis-"))

    def start(self, *, keep_data=True):
        if not keep_data:
            shutil.rmtree(self.data_dir, ignore_errors=True)
            self.data_dir.mkdir()
        self.process = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--dir", str(self.data_dir), "--save", "", "--daemonize", "no"),
                *("--appendonly", "yes", "--appendfsync", "always"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if self.client().ping():
                    return
            except Exception:  # noqa: BLE001 -- loading its file, or not listening yet
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def client(self):
        import redis

        return redis.Redis(port=self.port, socket_timeout=2)

    def kill9(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def remove(self):
        self.kill9()
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def tasks(self):
        """(message ids of the delivery tasks queued, of those taken but unacknowledged)."""
        client = self.client()
        queued = [_message_id(raw) for raw in client.lrange(QUEUE, 0, -1)]
        unacked = [_message_id(raw) for raw in client.hvals("unacked")]
        return [pk for pk in queued if pk], [pk for pk in unacked if pk]


def _message_id(raw):
    """The message id a ``deliver_slack_message`` task in Redis carries, else None."""
    try:
        envelope = json.loads(raw)
        if isinstance(envelope, list):  # unacked: [message, exchange, routing key]
            envelope = envelope[0]
        if envelope["headers"]["task"] != "postmortems.tasks.deliver_slack_message":
            return None
        args, kwargs, _embed = json.loads(base64.b64decode(envelope["body"]))
        return int(args[0] if args else kwargs["message_id"])
    except (ValueError, KeyError, IndexError, TypeError):
        return None


@dataclass
class Kill:
    at: float  # time.monotonic() just before the signal
    processes: list  # (pid, what) of every process the signal took down
    ports: set  # local ports of their TCP connections then: the posts they had open


def tcp_ports(pids):
    """Local ports of the TCP sockets the processes hold (from /proc)."""
    inodes = set()
    for pid in pids:
        fd_dir = Path(f"/proc/{pid}/fd")
        try:
            fds = list(fd_dir.iterdir())
        except OSError:
            continue
        for fd in fds:
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[len("socket:[") : -1])
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if len(fields) > 9 and fields[9] in inodes:
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


class Worker:
    """One ``celery worker`` process (prefork, two children) in its own process group, so
    ``kill -9`` takes the worker and its children down together, as a lost machine would."""

    def __init__(self, name, env, log_dir):
        self.name = name
        self.env = env
        self.log_path = log_dir / f"drill-{name}.log"
        self.process = None

    def start(self):
        log = self.log_path.open("a")
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "prefork"),
                *("-c", "2", "-Q", QUEUE, "-n", f"{self.name}@%h", "-l", "WARNING"),
                *("--without-gossip", "--without-mingle", "--without-heartbeat"),
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self.process.pid

    def group(self):
        """(pid, what) of the processes in the worker's process group."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            pid, ppid, pgid = int(stat.parent.name), int(fields[1]), int(fields[2])
            if pgid == self.process.pid:
                what = (
                    "main process"
                    if pid == self.process.pid
                    else "pool child"
                    if ppid == self.process.pid
                    else "child"
                )
                found.append((pid, what))
        return sorted(found)

    def kill9(self):
        processes = self.group()
        ports = tcp_ports(pid for pid, _what in processes)
        at = time.monotonic()
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        return Kill(at=at, processes=processes, ports=ports)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
