"""The bench's bookkeeping (``tests/bench``): what a cold request empties, how template
time is counted, and how two saved runs are compared."""

from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection
from django.template import engines

from postmortems.blame import morph_en
from tests.bench import compare, instrument, machine
from tests.bench.instrument import clear_app_caches, install_template_timer, metering


def _run(started_at, p95, sweep_seconds, req_per_s):
    return {
        "started_at": started_at,
        "sizes": [
            {
                "postmortems": 10,
                "actions": 100,
                "pages": [
                    {"name": "dashboard", "p95_ms": p95, "cold": {"p95_ms": p95}},
                ],
                "sweep": {"seconds": sweep_seconds},
                "concurrent": {"pages": [{"name": "dashboard", "req_per_s": req_per_s}]},
            }
        ],
    }


def test_compare_names_each_changed_figure_and_marks_what_got_worse():
    header, *rows = compare.render_changes(
        _run("a", 10.0, 2.0, 50.0), _run("b", 20.0, 2.0, 25.0)
    ).splitlines()
    text = "\n".join(rows)

    assert "10/100 · dashboard · cold.p95_ms" in text
    assert "+100%" in text
    assert "10/100 · concurrent.pages · dashboard · req_per_s" in text
    assert "-50%" in text
    assert text.count("▲") == 2  # slower page and fewer requests per second
    assert "sweep.seconds" not in text  # unchanged
    assert "1 figures unchanged" in text
    assert "(a → b)" in header


def test_compare_says_better_without_a_mark():
    _header, *rows = compare.render_changes(
        _run("a", 20.0, 2.0, 25.0), _run("b", 10.0, 2.0, 50.0)
    ).splitlines()
    text = "\n".join(rows)

    assert "-50%" in text
    assert "▲" not in text


def test_compare_without_a_previous_run_says_so():
    assert "No previous run" in compare.render_changes(None, _run("a", 1.0, 1.0, 1.0))


def test_the_previous_run_is_kept_beside_the_output(tmp_path):
    assert compare.previous_path(tmp_path / "bench.json") == tmp_path / "bench.previous.json"


def test_a_cold_request_finds_the_cache_and_the_memo_caches_empty(db):
    cache.set("bench-test", 1)
    morph_en.verb_lemma.cache_clear()
    morph_en.verb_lemma("overlooked")

    cleared = clear_app_caches()

    assert cache.get("bench-test") is None
    assert morph_en.verb_lemma.cache_info().currsize == 0
    assert "postmortems.blame.morph_en.verb_lemma" in cleared
    # Argument-less ones build a constant once per process (here the library): left alone.
    assert morph_en._lemminflect.cache_info().currsize == 1


@pytest.mark.parametrize(
    "name",
    [
        "actions.dashboard.list_rows._compiled_list",
        # What follows from the code and the language alone.
        "actions.dashboard.filter_form._words",
        "actions.dashboard.filter_form.short_lists",
        "postmortems.templatetags.postmortem_format._choice_labels",
    ],
)
def test_a_cold_request_names_what_it_keeps_and_does_not_clear_it(db, name):
    import importlib

    from tests.bench.instrument import kept_caches

    importlib.import_module(name.rpartition(".")[0])  # loaded by the pages, as in a run

    cleared = clear_app_caches()

    assert name not in cleared
    assert name in kept_caches()


def test_a_cold_request_keeps_the_words_of_each_language(db):
    from django.utils import translation

    from actions.dashboard.filter_form import short_lists

    short_lists.cache_clear()
    for language in ("en", "ko"):
        with translation.override(language):
            short_lists(translation.get_language())

    clear_app_caches()

    assert short_lists.cache_info().currsize == 2


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the compiled list is PostgreSQL's (CI runs it)"
)
def test_a_cold_request_keeps_the_compiled_list_statement(db):
    from actions.dashboard import list_rows

    list_rows._compiled_list.cache_clear()
    list_rows._compiled_list("title", restricted=True)

    clear_app_caches()

    assert list_rows._compiled_list.cache_info().currsize == 1


def test_a_cold_request_finds_the_korean_readings_and_judgements_empty(db):
    from postmortems.blame import morph_ko, normalise_people, rules_ko

    sentence = "담당자가 설정을 확인하지 않았다."
    people = normalise_people(())
    rules_ko.find_each([sentence], people)
    assert morph_ko.morphemes.lookup(sentence) is not None

    cleared = clear_app_caches()

    assert "postmortems.blame.morph_ko.morphemes" in cleared
    assert "postmortems.blame.rules_ko.find" in cleared
    assert morph_ko.morphemes.lookup(sentence) is None
    assert rules_ko.find.lookup(sentence, people) is None


def test_template_time_counts_the_outermost_render_once(monkeypatch):
    install_template_timer()
    clock = iter(range(1000))  # seconds: each reading one later than the one before
    monkeypatch.setattr(instrument, "time", SimpleNamespace(perf_counter=lambda: next(clock)))
    engine = engines["django"]
    template = engine.from_string("{% for i in items %}{% include inner %}{% endfor %}")
    inner = engine.engine.from_string("{{ i }}")

    with metering() as meter:
        html = template.render({"items": [1, 2, 3], "inner": inner})

    assert html == "123"
    # Nested renders read no clock: one start and one end, a second apart.
    assert meter.template_ms == pytest.approx(1000)


def _on(run, **machine):
    return {**run, "machine": {"cpu": "A", "cores": 2, "python": "CPython 3.11.7", **machine}}


@pytest.mark.parametrize(
    ("field", "before", "now", "said"),
    [
        ("cpu", "AMD EPYC", "Intel Xeon", "now:    machine: Intel Xeon, 2 cores"),
        # The blame reader compiled in one run and from its sources in the other.
        ("blame_reader", "sources", "compiled (22 of 22 modules)", "blame reader compiled (22"),
    ],
)
def test_compare_says_when_the_runs_differ_in_machine_or_software(field, before, now, said):
    text = compare.render_changes(
        _on(_run("a", 10.0, 2.0, 50.0), **{field: before}),
        _on(_run("b", 10.0, 2.0, 50.0), **{field: now}),
    )

    assert "differ in machine or software" in text
    assert "before: machine: " in text
    assert said in text
    assert "machine.cores" not in text  # a description, not a figure


def test_compare_on_the_same_machine_says_nothing_of_it():
    text = compare.render_changes(_on(_run("a", 10.0, 2.0, 50.0)), _on(_run("b", 20.0, 2.0, 50.0)))

    assert "machine" not in text


def test_compare_with_a_run_that_did_not_record_its_machine_says_so():
    text = compare.render_changes(_run("a", 10.0, 2.0, 50.0), _on(_run("b", 10.0, 2.0, 50.0)))

    assert "did not record its machine" in text


def test_the_machine_is_described_by_its_processor_cores_and_python_build():
    described = machine.describe("15.19")

    assert described["cores"] >= 1
    assert described["cpu"]
    assert described["python_build"] in {
        "PGO, LTO",
        "PGO, no LTO",
        "no PGO, LTO",
        "no PGO, no LTO",
    }
    line = machine.render(described)
    assert line.startswith(f"machine: {described['cpu']}, {described['cores']} cores; CPython")
    assert "PostgreSQL 15.19" in line


def test_the_machine_says_whether_the_blame_reader_ran_compiled():
    from postmortems import blame_compiled

    described = machine.describe()

    if blame_compiled.compiled_files():
        imported = len(blame_compiled.loaded())  # those the process has imported
        assert described["blame_reader"] == f"compiled ({imported} of {imported} modules)"
    else:
        assert described["blame_reader"] == "sources"
    assert f"blame reader {described['blame_reader']}" in machine.render(described)


def test_the_pace_is_the_median_cpu_time_of_a_fixed_workload(monkeypatch):
    ticks = iter([0.0, 0.010, 1.0, 1.030, 2.0, 2.020])  # 10, 30 and 20 ms
    monkeypatch.setattr(machine.time, "process_time", lambda: next(ticks))

    assert machine.pace(runs=3) == 20.0
    assert machine._workload() == machine._workload() > 0


def test_a_run_prints_its_pace_at_the_start_and_the_end():
    line = machine.render_pace({"start_ms": 9.5, "end_ms": 12.25})

    assert line.startswith("pace: a fixed piece of Python took 9.50 ms of CPU at the start")
    assert "and 12.25 ms at the end" in line
    assert machine.render_pace(None) is None


@pytest.mark.parametrize(("now", "said"), [(10.4, False), (13.0, True), (8.0, True)])
def test_compare_says_when_the_machine_ran_at_another_pace(now, said):
    text = compare.render_changes(
        {**_run("a", 10.0, 2.0, 50.0), "pace": {"start_ms": 10.0, "end_ms": 10.0}},
        {**_run("b", 10.0, 2.0, 50.0), "pace": {"start_ms": now, "end_ms": now}},
    )

    assert ("ran at another pace" in text) is said
    assert "pace.start_ms" not in text  # the machine's speed, not a figure of the code
