"""What a bench run ran on. Its figures compare code only between runs on the same machine
and software: another processor, or a Python built without profile-guided optimisation,
moves every millisecond, and the ratios with them. ``make bench`` prints this above its
figures and keeps it in ``var/bench.json``; ``make bench-compare`` says when two runs
differ in it."""

import os
import platform
import statistics
import sysconfig
import time
from importlib import metadata

# How many times ``pace`` runs its workload; the median is kept.
PACE_RUNS = 15
# Runs whose paces differ by this share or more did not run at the same speed.
PACE_TOLERANCE = 0.10


def _cpu_model():
    """The processor's name as the kernel reports it (``/proc/cpuinfo``), else what the
    platform module knows."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                key, _sep, value = line.partition(":")
                if key.strip() == "model name" and value.strip():
                    return value.strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def _python_build():
    """Whether this interpreter was built with profile-guided and link-time optimisation
    (a PGO build ran a cold dashboard 4–9% faster than one without, on one machine)."""
    flags = sysconfig.get_config_var("CONFIG_ARGS") or ""
    pgo = "PGO" if "--enable-optimizations" in flags else "no PGO"
    lto = "LTO" if "--with-lto" in flags else "no LTO"
    return f"{pgo}, {lto}"


def _version(distribution):
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def _blame_reader():
    """Whether the blame reader ran compiled (``make compiled``) or from its sources: a
    fifth of a first reading's time in Korean."""
    from postmortems import blame  # noqa: F401 — its modules, as the run imported them
    from postmortems.blame_compiled import loaded

    modules = loaded()
    compiled = sum(modules.values())
    return f"compiled ({compiled} of {len(modules)} modules)" if compiled else "sources"


def describe(postgresql=None):
    """The machine and the software a run measured: processor, logical cores, Python (and
    how it was built), PostgreSQL's server version when given, Kiwi's, and whether the blame
    reader ran compiled."""
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "python_build": _python_build(),
        "postgresql": postgresql,
        "kiwipiepy": _version("kiwipiepy"),
        "blame_reader": _blame_reader(),
    }


def _workload():
    """A fixed piece of plain Python of the kinds the pages and the blame reader spend
    their time on: string formatting, dictionary look-ups, small lists, a join and a split.
    It read 9.7 to 20.2 ms of CPU on one 2-core Intel Xeon within two hours, as its neighbours'
    load came and went."""
    counts = {}
    parts = []
    for i in range(30_000):
        key = f"k{i % 251}"
        counts[key] = counts.get(key, 0) + 1
        parts.append(key.upper())
    return len(" ".join(parts).split()) + sum(counts.values())


def pace(runs=PACE_RUNS):
    """The machine's speed at the moment: the median CPU milliseconds of ``_workload``.

    A virtual machine's neighbours move every figure of a run, the blame detector's CPU
    time included, by up to twice within an hour on the same processor
    (README, *The figures now*). ``make bench`` measures this at the start and at the end
    of a run and prints it beside the machine, so two runs' figures can be read knowing
    whether the machine itself ran at the same speed."""
    times = []
    for _ in range(runs):
        began = time.process_time()
        _workload()
        times.append((time.process_time() - began) * 1000)
    return round(statistics.median(times), 2)


def render_pace(paces):
    """One line for ``{"start_ms": …, "end_ms": …}``, or None when not measured."""
    if not paces or paces.get("start_ms") is None:
        return None
    end = paces.get("end_ms")
    return (
        f"pace: a fixed piece of Python took {paces['start_ms']:.2f} ms of CPU at the start"
        + ("" if end is None else f" and {end:.2f} ms at the end")
        + " (the machine's speed at the time: figures of runs at other paces differ with it)"
    )


def mean_pace(paces):
    """The mean of a run's paces (start and end), or None."""
    found = [v for v in (paces or {}).values() if isinstance(v, int | float)]
    return sum(found) / len(found) if found else None


def postgresql_version():
    """The server version of Django's default connection (PostgreSQL only)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


def render(machine):
    """One line: "machine: <cpu>, 2 cores; CPython 3.11.7 (no PGO, no LTO); …"."""
    if not machine:
        return "machine: not recorded"
    parts = [
        f"machine: {machine.get('cpu')}, {machine.get('cores')} cores",
        f"{machine.get('python')} ({machine.get('python_build')})",
    ]
    if machine.get("postgresql"):
        parts.append(f"PostgreSQL {machine['postgresql']}")
    if machine.get("kiwipiepy"):
        parts.append(f"kiwipiepy {machine['kiwipiepy']}")
    if machine.get("blame_reader"):
        parts.append(f"blame reader {machine['blame_reader']}")
    return "; ".join(parts)
