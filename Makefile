# Hindsight — the two commands a new user needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# Marker files: reinstall only when a requirements file changes.
RUNTIME := $(VENV)/.runtime-installed
DEV := $(VENV)/.dev-installed

ifeq ($(CI),true)
export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/hindsight
export CELERY_BROKER_URL ?= redis://127.0.0.1:6379/0
# The cache every web process shares (dashboard/metrics figures and their version key).
export CACHE_URL ?= redis://127.0.0.1:6379/1
endif

.PHONY: run test fuzz lint bench bench-compare drill worker screenshots messages clean-venv system-packages compiled clean-compiled

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUNTIME): requirements.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(DEV): requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(RUNTIME)

# Debian packages the set-up needs: gettext (compilemessages) and, for tests, Chromium;
# for screenshots, a font with Hangul (the demo's Korean names are boxes without one).
system-packages:
	@missing=""; command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	if [ "$(WITH_BROWSER)" = 1 ] && [ ! -x /usr/bin/chromium ]; then missing="$$missing chromium"; fi; \
	if [ "$(WITH_CJK_FONTS)" = 1 ] && ! fc-list 2>/dev/null | grep -qi cjk; then missing="$$missing fonts-noto-cjk"; fi; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing$$missing from Debian's packages"; \
	    (apt-get install -y -qq $$missing >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq $$missing >/dev/null)); \
	  else echo "Note: install$$missing (apt-get install$$missing) for the full set-up."; fi; \
	fi

## make compiled: the blame reader's modules compiled with Cython, beside their sources (what
## changed since the last build; a fifth faster on a first reading). Without a C compiler the
## sources run. `make clean-compiled` removes them; BLAME_COMPILED=0 runs the sources anyway.
compiled: | $(RUNTIME)
	@$(BIN)/python -m postmortems.blame_compiled build

clean-compiled:
	$(BIN)/python -m postmortems.blame_compiled clean

messages: system-packages
	@if command -v msgfmt >/dev/null && [ -d locale ]; then DEBUG=true $(BIN)/python manage.py compilemessages --ignore .venv -v 0; fi

## make run: set everything up and serve http://127.0.0.1:8000 with a Celery worker and beat.
run: export DEBUG ?= true
# honcho hands PORT to the first process (gunicorn); it would default to 5000.
run: export PORT ?= 8000
# Links in Slack messages point at the port the site is served on, unless set.
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: $(RUNTIME) compiled messages
	@mkdir -p var/broker/queue var/broker/processed
	$(BIN)/python manage.py migrate --noinput -v 0
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py collectstatic --noinput -v 0
	@echo "Serving http://127.0.0.1:$(PORT) (links in Slack: $(SITE_URL)) — Ctrl-C stops web, worker and beat."
	exec $(BIN)/honcho start -f Procfile

## make test: set up and run lint, migration and deploy checks, and the whole test suite.
test: export WITH_BROWSER := 1
test: $(DEV) compiled system-packages messages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=true $(BIN)/lint-imports
	DEBUG=true $(BIN)/mypy
# (models against migration files: a database in memory, so no file need exist yet)
	env DATABASE_URL=sqlite://:memory: DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run
	DEBUG=false SECRET_KEY=check-deploy-$$RANDOM-not-a-real-secret-but-long-enough-for-django-checks \
	  ALLOWED_HOSTS=hindsight.example.com $(BIN)/python manage.py check --deploy --fail-level WARNING
	$(BIN)/pytest $(PYTEST_ARGS)

## make fuzz: the property tests (tests/test_fuzz_*.py) with many more generated examples,
## and Schemathesis against the API's live schema with 200 examples per operation.
fuzz: export API_FUZZ_EXAMPLES ?= 200
fuzz: $(DEV) compiled messages
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest tests/test_fuzz_filters.py tests/test_fuzz_forms.py \
	  api/tests/test_schemathesis.py -q $(PYTEST_ARGS)

lint: $(DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=true $(BIN)/lint-imports
	DEBUG=true $(BIN)/mypy

## make bench: figures at scale on PostgreSQL (see README); prints a table, writes var/bench.json
## (the run before is kept as var/bench.previous.json). BENCH_ARGS="--concurrent 4" adds the
## page set under 4 concurrent clients against gunicorn; --compare prints the change.
bench: $(DEV) compiled
	$(BIN)/python -m tests.bench $(BENCH_ARGS)

## make bench-compare: the change of every figure between the last two `make bench` runs.
bench-compare:
	$(BIN)/python -m tests.bench.compare

## make screenshots: writes docs/screenshots/*.png from a live server in Chromium.
screenshots: export WITH_BROWSER := 1
screenshots: export WITH_CJK_FONTS := 1
screenshots: export SCREENSHOTS_DIR := docs/screenshots
screenshots: $(DEV) compiled system-packages messages
	$(BIN)/pytest -m e2e tests/e2e/test_screenshots.py -p no:randomly -q

## make drill: the fault drill of the reminder sweep (kill -9 a worker, restart a private Redis);
## DRILL_ARGS=--items 10000 for a smaller one (see README, "Fault drill").
drill: $(DEV) compiled
	$(BIN)/python -m tests.bench.drill $(DRILL_ARGS)

worker: $(RUNTIME) compiled
	$(BIN)/celery -A config worker --loglevel INFO

clean-venv:
	rm -rf $(VENV)
