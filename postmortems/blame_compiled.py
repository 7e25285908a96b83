"""The blame reader's modules compiled to C with Cython, beside their sources.

The same Python source, compiled as it is (no Cython-only syntax, annotations not used as
C types), runs the blame check about a fifth faster in Korean and a seventh in English
when a sentence is read for the first time, the cost the author waits for. Cython is the
well-kept tool for compiling ordinary Python modules (lxml, PyYAML and spaCy ship modules
built the same way), and the sources stay the reference: where nothing was compiled (no
C compiler), or with ``BLAME_COMPILED=0``, Python imports them as always.

``make compiled`` (which ``make run``, ``make test`` and ``make bench`` run first) builds
what changed: ``python -m postmortems.blame_compiled build``. Python imports a compiled
module in preference to its source, so one older than its source would run old code: the
system check ``postmortems.W010`` names any such module and the test run refuses to start.
"""

import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
from pathlib import Path

PACKAGE = "postmortems.blame"
SOURCE_DIR = Path(__file__).resolve().parent / "blame"
ROOT = SOURCE_DIR.parent.parent
# The generated C and the compiler's objects; only the importable modules sit beside the
# sources (ignored by git as ``*.so``).
BUILD_DIR = ROOT / "var" / "build" / "cython"
# ``annotation_typing`` off: an annotation stays a hint, as in Python (Cython would
# otherwise reject, say, a lazy translation passed where ``str`` is annotated).
DIRECTIVES = {"language_level": 3, "annotation_typing": False}


def sources(directory: Path | None = None) -> dict[str, Path]:
    """The package's modules to compile, by name: all but ``__init__`` (whose imports run
    once). ``directory`` defaults to ``SOURCE_DIR`` as it is when called."""
    paths = sorted((directory or SOURCE_DIR).glob("*.py"))
    return {path.stem: path for path in paths if path.stem != "__init__"}


def compiled_files(directory: Path | None = None) -> dict[str, Path]:
    """The compiled modules beside the sources, by name."""
    found: dict[str, Path] = {}
    # The longest first: "x.cpython-311-x86_64-linux-gnu.so" is also "x.cpython-…" + ".so".
    suffixes = sorted(importlib.machinery.EXTENSION_SUFFIXES, key=len, reverse=True)
    for path in (directory or SOURCE_DIR).iterdir():
        suffix = next((s for s in suffixes if path.name.endswith(s)), None)
        if suffix is not None:
            found.setdefault(path.name[: -len(suffix)], path)
    return found


def problems(directory: Path | None = None) -> list[str]:
    """What would make Python import other code than the sources say: a compiled module
    older than its source, or one whose source is gone."""
    modules = sources(directory)
    found = []
    for name, path in sorted(compiled_files(directory).items()):
        source = modules.get(name)
        if source is None:
            found.append(f"{path.name} has no source {name}.py")
        elif source.stat().st_mtime > path.stat().st_mtime:
            found.append(f"{path.name} is older than {source.name}")
    return found


def loaded() -> dict[str, bool]:
    """Whether each of the package's modules imported so far runs compiled."""
    return {
        name.rpartition(".")[2]: module.__spec__ is not None
        and isinstance(module.__spec__.loader, importlib.machinery.ExtensionFileLoader)
        for name, module in sorted(sys.modules.items())
        if name.startswith(f"{PACKAGE}.") and module is not None
    }


class _SourcesFirst(importlib.abc.MetaPathFinder):
    """Imports the package's modules from their sources although compiled ones exist."""

    def find_spec(self, fullname, path=None, target=None):
        package, _, name = fullname.rpartition(".")
        if package != PACKAGE:
            return None
        source = SOURCE_DIR / f"{name}.py"
        return importlib.util.spec_from_file_location(fullname, source) if source.exists() else None


def use_sources_if_asked() -> None:
    """With ``BLAME_COMPILED=0``, the package runs its sources (tracebacks with source
    lines, a profiler that sees every function). Run on import: the package imports this
    module before its own modules."""
    asked = os.environ.get("BLAME_COMPILED", "1").strip().lower() in {"0", "false", "no", "off"}
    if asked and not any(isinstance(finder, _SourcesFirst) for finder in sys.meta_path):
        sys.meta_path.insert(0, _SourcesFirst())


use_sources_if_asked()


def build(*, force: bool = False) -> None:
    """Compile the modules whose source changed (all with ``force``), in place, and remove
    compiled modules whose source is gone."""
    # Imported here: only the build needs them (both are pinned in requirements.txt).
    from Cython.Build import cythonize
    from setuptools import Distribution, Extension

    modules = sources()
    for name, path in compiled_files().items():
        if name not in modules:
            path.unlink()
    # In place means beside the sources, found from the working directory; the paths are
    # relative to it, so the generated C mirrors the package under ``BUILD_DIR``.
    os.chdir(ROOT)
    extensions = cythonize(
        [
            Extension(f"{PACKAGE}.{name}", [str(path.relative_to(ROOT))])
            for name, path in modules.items()
        ],
        build_dir=str(BUILD_DIR),
        compiler_directives=DIRECTIVES,
        force=force,
        quiet=True,
    )
    distribution = Distribution({"ext_modules": extensions, "script_name": "blame_compiled"})
    command = distribution.get_command_obj("build_ext")
    command.inplace = True
    command.force = force
    command.build_temp = str(BUILD_DIR / "temp")
    command.build_lib = str(BUILD_DIR / "lib")
    command.parallel = os.cpu_count() or 1
    distribution.run_command("build_ext")


def clean() -> None:
    """Remove every compiled module: the sources run."""
    for path in compiled_files().values():
        path.unlink()


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "build"
    if command == "clean":
        clean()
        print("blame reader: compiled modules removed; the sources run")
        return 0
    if command == "check":
        found = problems()
        for problem in found:
            print(problem)
        return 1 if found else 0
    if command != "build":
        print("usage: python -m postmortems.blame_compiled [build [--force] | clean | check]")
        return 2
    try:
        build(force="--force" in argv)
    except (Exception, SystemExit) as error:  # noqa: BLE001 — the sources run instead
        # No compiler, no Cython: the same code runs from its sources, only slower.
        clean()
        print(f"blame reader: not compiled ({type(error).__name__}: {error}); the sources run")
        return 0
    print(f"blame reader: {len(compiled_files())} of {len(sources())} modules compiled")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
