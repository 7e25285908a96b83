"""Resident memory growth of a block of code, sampled from /proc in a thread."""

import os
import threading

_PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_bytes():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * _PAGE


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
