"""The blame reader's compiled modules: never older than their sources, and finding exactly
what the sources find."""

import importlib.machinery
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from postmortems import blame_compiled
from postmortems.checks import blame_compiled_current
from tests.bench import blame_eval

SUFFIX = importlib.machinery.EXTENSION_SUFFIXES[0]  # "…cpython-311-x86_64-linux-gnu.so"
ON_CI = os.environ.get("CI") == "true"


def _write(path: Path, mtime: float) -> None:
    path.write_text("")
    os.utime(path, (mtime, mtime))


def test_a_compiled_module_older_than_its_source_is_a_problem(tmp_path):
    _write(tmp_path / "reader.py", 2_000)
    _write(tmp_path / f"reader{SUFFIX}", 1_000)
    _write(tmp_path / "words.py", 1_000)
    _write(tmp_path / f"words{SUFFIX}", 2_000)

    assert blame_compiled.problems(tmp_path) == [f"reader{SUFFIX} is older than reader.py"]


def test_a_compiled_module_without_its_source_is_a_problem(tmp_path):
    _write(tmp_path / f"gone{SUFFIX}", 1_000)

    assert blame_compiled.problems(tmp_path) == [f"gone{SUFFIX} has no source gone.py"]


def test_the_package_init_is_not_compiled_and_each_file_is_one_module(tmp_path):
    for name in ("__init__.py", "reader.py", f"reader{SUFFIX}", "notes.txt"):
        _write(tmp_path / name, 1_000)

    assert list(blame_compiled.sources(tmp_path)) == ["reader"]
    # The long suffix ends with ".so" too: one module, not two.
    assert list(blame_compiled.compiled_files(tmp_path)) == ["reader"]


def test_the_system_check_names_an_old_compiled_module(tmp_path, monkeypatch):
    _write(tmp_path / "reader.py", 2_000)
    _write(tmp_path / f"reader{SUFFIX}", 1_000)
    monkeypatch.setattr(blame_compiled, "SOURCE_DIR", tmp_path)

    [warning] = blame_compiled_current(None)

    assert warning.id == "postmortems.W010"
    assert f"reader{SUFFIX} is older than reader.py" in warning.msg


def test_the_system_check_is_quiet_on_a_fresh_build(tmp_path, monkeypatch):
    _write(tmp_path / "reader.py", 1_000)
    _write(tmp_path / f"reader{SUFFIX}", 2_000)
    monkeypatch.setattr(blame_compiled, "SOURCE_DIR", tmp_path)

    assert blame_compiled_current(None) == []


# Every corpus sentence's findings, as (start, end, rule) lists, and which modules ran
# compiled: printed as JSON by a fresh interpreter.
FINDINGS = """
import json, os, sys
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from postmortems import blame_compiled
from postmortems.blame import find_blame, normalise_people
from tests.bench import blame_eval
people = normalise_people(blame_eval.CORPUS_PEOPLE)
paths = [str(path) for path in sys.argv[1:]]
found = {
    path: [
        [[f.start, f.end, f.rule] for f in find_blame(example.sentence, people=people)]
        for example in blame_eval.load_corpus(path)
    ]
    for path in paths
}
print(json.dumps({"loaded": blame_compiled.loaded(), "found": found}))
"""


def _findings(*, compiled: bool) -> dict:
    paths = [
        *blame_eval.CORPORA.values(),
        *(
            blame_eval.split_path(language, split)
            for language in blame_eval.LANGUAGES
            for split in blame_eval.SPLITS
        ),
    ]
    env = {**os.environ, "DEBUG": "true", "BLAME_COMPILED": "1" if compiled else "0"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    out = subprocess.run(
        [sys.executable, "-c", FINDINGS, *map(str, paths)],
        capture_output=True,
        text=True,
        env=env,
        cwd=blame_compiled.ROOT,
        check=True,
        timeout=300,
    )
    return json.loads(out.stdout)


def test_the_compiled_modules_find_what_the_sources_find():
    if not blame_compiled.compiled_files():
        if ON_CI:
            pytest.fail("`make compiled` built nothing: the blame reader runs from its sources")
        pytest.skip("nothing compiled (`make compiled`)")

    compiled = _findings(compiled=True)
    sources = _findings(compiled=False)

    assert set(compiled["loaded"].values()) == {True}
    assert set(sources["loaded"].values()) == {False}
    assert compiled["loaded"].keys() == sources["loaded"].keys()
    # Every corpus, sentence by sentence: sixteen hundred, half of them with a finding.
    sentences = [found for corpus in sources["found"].values() for found in corpus]
    assert len(sentences) > 1_500
    assert sum(1 for found in sentences if found) > 600
    assert compiled["found"] == sources["found"]
