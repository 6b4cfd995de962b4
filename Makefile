# The README's two commands, `make run` and `make test`, live here.
# Only Python 3.11 and make are needed: everything else goes into .venv from
# the hash-pinned lock files. `make run` installs the production lock alone;
# the test and lint targets install the development lock on top of it.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PROD_LOCK := requirements/prod.lock
DEV_LOCK := requirements/dev.lock
# One stamp per lock: each is older than its lock after a change to that lock,
# so the next target reinstalls from it (and the dev stamp follows the prod one).
PROD_STAMP := $(VENV)/.installed-prod
DEV_STAMP := $(VENV)/.installed-dev
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps
HOST ?= 127.0.0.1
PORT ?= 8000
UV ?= $(shell command -v uv || echo $(BIN)/uv)

# mypy checks these packages; one that does not exist yet is left out, so the
# pipeline package is on the list before it lands.
TYPED := $(wildcard votes resolutions/pipeline)
# `make complexity` fails on any block worse than radon's grade C (complexity > 20);
# the average's ceiling is a test (tests/test_architecture.py), since xenon only
# takes grades and grade A spans 1-5.
# The edit loop skips the tests marked slow (the whole record, Chromium over many pages).
FAST_ARGS := -m "not slow"
# The tests run on one worker per core (pytest-xdist); a test file stays on one worker,
# and tests/fullhistory too, so module- and package-scoped fixtures are built once
# (tests/conftest.py's scheduler refines loadfile so). XDIST_ARGS= runs them in this
# process, one by one.
XDIST_ARGS ?= -n auto --dist loadfile

# Compiled modules are cached in __pycache__ (and pytest's rewritten test modules with
# them): where the environment sets PYTHONDONTWRITEBYTECODE, as these machines do, every
# command recompiled the whole project and every xdist worker its tests again
# (collecting the suite: 10 s instead of 4 s).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: install install-dev run test test-fast lint types imports complexity \
	migrations-check pytest lock bench screenshots clean

install: $(PROD_STAMP)

install-dev: $(DEV_STAMP)

$(PROD_STAMP): $(PROD_LOCK)
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is required, found " + sys.version.split()[0])'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) -r $(PROD_LOCK)
	@touch $@

$(DEV_STAMP): $(DEV_LOCK) $(PROD_STAMP)
	$(PIP) -r $(DEV_LOCK)
	@touch $@

# The data release (release/) on a fresh machine, offline; UN_DATA_DIR=DIR syncs from
# local copies; SC_VOTES_DATA=starter for the one-vote demo (load_initial_data).
run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_initial_data
	@echo
	@echo "  Serving the Security Council vote tracker at http://$(HOST):$(PORT)/"
	@echo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install-dev lint types imports complexity migrations-check pytest

# The same checks without the slow tests, for the edit loop; make test (and CI) runs all.
test-fast: install-dev lint types imports complexity migrations-check
	$(BIN)/python -m pytest $(XDIST_ARGS) $(FAST_ARGS) $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: install-dev
	$(BIN)/mypy $(TYPED)

# The architecture's contracts, [tool.importlinter] in pyproject.toml.
imports: install-dev
	$(BIN)/lint-imports

complexity: install-dev
	$(BIN)/xenon --max-absolute C --exclude "*/migrations/*" resolutions votes config

migrations-check: install-dev
	$(BIN)/python manage.py makemigrations --check --dry-run

pytest: install-dev
	$(BIN)/python -m pytest $(XDIST_ARGS) $(PYTEST_ARGS)

# Speed and memory targets, on PostgreSQL (BENCH_DATABASE_URL, and <name>_10x for the record
# grown ten times); one table, see docs/performance.md. `scripts/bench.py all` runs every section.
bench: install-dev
	$(BIN)/python scripts/bench.py

# Re-pin both locks after changing pyproject.toml (needs uv: `.venv/bin/pip install uv`).
# The dev lock is constrained by the prod lock, so a package in both has one version.
lock:
	$(UV) pip compile pyproject.toml --generate-hashes --python-version 3.11 -o $(PROD_LOCK)
	$(UV) pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
		-c $(PROD_LOCK) -o $(DEV_LOCK)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .mypy_cache .import_linter_cache

# Every public page at desktop and phone width into docs/screenshots/ (needs Chromium;
# load the whole record first with `manage.py sync_un_data` for screenshots worth keeping).
screenshots: install-dev
	$(BIN)/python scripts/screenshots.py

# --- The data, and the production server (docs/deploy.md) ----------------------------
.PHONY: reset-data release serve

# Empty the record and load the chosen data again (SC_VOTES_DATA, UN_DATA_DIR), e.g. after
# `SC_VOTES_DATA=starter make run`. Editors' changes in the database go too.
reset-data: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_initial_data --replace

# Rebuild release/ (and CITATION.cff) from the official sources in RELEASE_DATA, synced into a
# scratch database; CI fails when the committed release differs from what this builds.
# The official addresses are used whatever mirror the environment names: they are cited
# in the release.
RELEASE_DATA ?= ../shared/data
RELEASE_DB := $(CURDIR)/var/release-build.sqlite3
release: export DATABASE_URL = sqlite:///$(RELEASE_DB)
release: install
	@mkdir -p var && rm -f $(RELEASE_DB)
	$(BIN)/python manage.py migrate --no-input -v0
	env -u UN_DHL_VETO_URL -u UN_DHL_MEETINGS_URL -u UN_UNDL_FILE_LIST_URL \
		$(BIN)/python manage.py sync_un_data --from-dir $(RELEASE_DATA) --no-progress -v0
	$(BIN)/python manage.py build_release
	@rm -f $(RELEASE_DB)

# gunicorn with DEBUG off, as in production: static files collected, `check --deploy` clean
# (any warning stops it), migrations run, the data release loaded into an empty database.
# Needs SECRET_KEY and ALLOWED_HOSTS, and DATABASE_URL for PostgreSQL (docs/deploy.md).
serve: export DEBUG = 0
serve: install
	@test -x $(BIN)/gunicorn || { echo "gunicorn is not in $(VENV): it comes with the" \
		"production dependencies (make install)."; exit 1; }
	$(BIN)/python manage.py collectstatic --no-input -v0
	$(BIN)/python manage.py check --deploy --fail-level WARNING
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_initial_data
	$(BIN)/gunicorn --config config/gunicorn.py
