"""The file cache of ``make run``: Django's, with zlib storing rather than compressing."""

import pickle
import zlib

from config.cache import FileBasedCache
from config.env import parse_cache_url


def test_an_unset_or_file_cache_url_uses_the_fast_file_cache(tmp_path):
    for url in ("", f"file://{tmp_path}"):
        assert parse_cache_url(url, tmp_path, tmp_path)["BACKEND"] == "config.cache.FileBasedCache"


def test_values_come_back_as_they_were_written_and_stored_uncompressed(tmp_path):
    cache = FileBasedCache(str(tmp_path), {})
    value = {"html": "<tr><td>Payments</td></tr>\n" * 2000, "figures": {"open": 3}}
    cache.set("summary", value, 60)
    assert cache.get("summary") == value
    (stored,) = tmp_path.glob("*.djcache")
    with stored.open("rb") as file:
        pickle.load(file)  # noqa: S301 -- the expiry, in a file this test wrote
        body = file.read()
    assert body == zlib.compress(pickle.dumps(value, pickle.HIGHEST_PROTOCOL), 0)
    assert cache.get_many(["summary", "missing"]) == {"summary": value}


def test_files_written_at_another_level_still_read(tmp_path):
    """Entries a compressing version left behind read as before."""
    old = FileBasedCache(str(tmp_path), {})
    old._write_content = lambda file, timeout, value: (
        file.write(pickle.dumps(old.get_backend_timeout(timeout), old.pickle_protocol)),
        file.write(zlib.compress(pickle.dumps(value, old.pickle_protocol), 6)),
    )
    old.set("summary", {"open": 3}, 60)
    assert FileBasedCache(str(tmp_path), {}).get("summary") == {"open": 3}
