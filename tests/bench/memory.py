"""Resident memory growth of a block of code, sampled from /proc in a thread."""

import os
import threading

_PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_bytes():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * _PAGE


def _status_kb(key):
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    return 0


def reset_peak_rss():
    """Make the kernel's RSS high-water mark (VmHWM) the current RSS; False if refused."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        return False
    return True


def peak_rss_bytes():
    """The kernel's RSS high-water mark of this process (VmHWM). Unlike ``ru_maxrss`` it
    starts afresh with ``exec``, so a child does not report its parent's peak."""
    return _status_kb("VmHWM")


class PeakRss:
    """``with PeakRss() as peak: ...`` then ``peak.growth``: the highest RSS seen while the
    block ran, minus the RSS when it started (bytes)."""

    def __init__(self, every=0.002):
        self.every = every
        self.growth = 0
        self._stop = threading.Event()

    def _sample(self):
        while not self._stop.wait(self.every):
            self.peak = max(self.peak, rss_bytes())

    def __enter__(self):
        self.start = self.peak = rss_bytes()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_bytes())
        self.growth = self.peak - self.start
        return False
