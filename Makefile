# Child-protection case engine: install, demo and tests.  GNU make.
#
#   make demo      install, migrate, load the demo data, serve http://127.0.0.1:8000 with the
#                  background worker and the scheduler beside it
#   make test      the whole test suite twice: on SQLite, then on a throw-away PostgreSQL
#   make lock      regenerate requirements.lock from the pins in pyproject.toml
#
# Extra pytest arguments go to both runs:  make test PYTEST_ARGS="-k deadlines -x"

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=
DEMO_ADDR ?= 127.0.0.1:8000
RESULTS := var/test-results
# The plugin that prints the database under test and writes $(RESULTS)/*.ok only on a pass.
MARKER = -p scripts.pytest_run_marker --run-marker=$(RESULTS)/$(1).ok --run-marker-vendor=$(2)

.PHONY: help install messages demo demo-data workers test test-sqlite test-postgres check-layers lint lock clean distclean bench restore-drill drill-pg-restart drill-disk-full drill-worker-kill bench-duplicates

help:
	@echo "make demo         install, migrate, load demo data, runserver on http://$(DEMO_ADDR)"
	@echo "make demo-data    the same without runserver (and without the background worker)"
	@echo "make workers      the background worker and the scheduler alone, until Ctrl-C"
	@echo "make test         tests on SQLite, then on a temporary PostgreSQL (both must pass)"
	@echo "make test-sqlite / make test-postgres   one half only; PYTEST_ARGS=... for pytest"
	@echo "make lint         ruff check and the type check (mypy) of services, permissions, workflows"
	@echo "make check-layers import contracts and declared dependencies (also run by make test)"
	@echo "make lock         regenerate requirements.lock from pyproject.toml"
	@echo "make bench        national data at 1 %, 10 % and 100 % on throw-away PostgreSQL, every figure (BENCH_SCALES=0.01,0.1 for a quick run)"
	@echo "make restore-drill   backup, restore into a fresh PostgreSQL, prove it whole (docs/operations.md)"
	@echo "make drill-pg-restart  PostgreSQL restarted under a stream of API transitions"
	@echo "make clean | distclean"

# ---------------------------------------------------------------- install

$(VENV)/.installed: requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "need Python >= 3.11 as $(PYTHON), found " + sys.version.split()[0] + "; use make PYTHON=python3.11 ...")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

install: $(VENV)/.installed

lock:
	$(PYTHON) scripts/lock.py

# Compiles every locale/*/LC_MESSAGES/*.po. The .mo files are committed, so a machine without
# msgfmt (Debian package gettext) keeps using them.
messages: install
	@if [ -z "$$(find . -path ./$(VENV) -prune -o -path '*/LC_MESSAGES/*.po' -print -quit)" ]; then \
		echo "messages: no .po files, nothing to compile"; \
	elif ! command -v msgfmt >/dev/null 2>&1; then \
		echo "messages: msgfmt not found (apt-get install gettext); using the committed .mo files"; \
	else \
		echo "$(PY) manage.py compilemessages --ignore=$(VENV)"; \
		$(PY) manage.py compilemessages --ignore=$(VENV); \
	fi

# ---------------------------------------------------------------- demo

# Loads the data only. Its timers and queued deliveries wait in the database (nothing is lost):
# they run as soon as a worker and a scheduler start — `make demo`, or `make workers` beside a
# server you run yourself.
demo-data: install messages
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo "demo-data: no background worker is running; 'make demo' starts one with the server, 'make workers' alone."

# The background worker (deliveries) and the scheduler (deadline timers, reaper of dead workers'
# tasks, isolation orders, grants, audit anchor) run beside the server and stop with it.
# Logs: var/worker.log, var/scheduler.log.  --insecure: serve static files although DEBUG is off.
demo: demo-data
	@echo "Demo on http://$(DEMO_ADDR)/  (admin /admin/, API docs /api/docs/, schema /api/schema/)"
	@trap 'kill $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py worker --no-reload --interval 2 >var/worker.log 2>&1 & worker=$$!; \
	$(PY) manage.py scheduler --interval 10 >var/scheduler.log 2>&1 & scheduler=$$!; \
	$(PY) manage.py runserver --insecure $(DEMO_ADDR)

# The worker and the scheduler alone, in the foreground, until Ctrl-C.
workers: install
	@mkdir -p var
	@trap 'kill $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py worker --no-reload --interval 2 & worker=$$!; \
	$(PY) manage.py scheduler --interval 10 & scheduler=$$!; \
	wait

# ---------------------------------------------------------------- tests

# Both halves always run; the target fails if either failed.
test: install messages check-layers
	@sqlite=passed; postgres=passed; \
	$(MAKE) --no-print-directory test-sqlite || sqlite=FAILED; \
	$(MAKE) --no-print-directory test-postgres || postgres=FAILED; \
	echo "make test: SQLite $$sqlite, PostgreSQL $$postgres"; \
	[ $$sqlite = passed ] && [ $$postgres = passed ]

# pytest-django runs SQLite tests in memory; the URL only selects the SQLite backend.
# The access-control code must stay fully covered, branches included (checked on whole runs only).
COVERAGE ?= --cov=permissions --cov-branch --cov-fail-under=100 --cov-report=term-missing:skip-covered

test-sqlite: install
	@mkdir -p var $(RESULTS)
	DATABASE_URL=sqlite:///var/test.sqlite3 $(PY) -m pytest $(call MARKER,sqlite,sqlite) \
		$(if $(PYTEST_ARGS),,$(COVERAGE)) $(PYTEST_ARGS)

# A temporary server (scripts/pg_test_cluster.py), or the one in DATABASE_URL if that is
# postgres://...  $(RESULTS)/postgres.ok is written only if pytest passed on PostgreSQL.
test-postgres: install
	@mkdir -p var $(RESULTS)
	@rm -f $(RESULTS)/postgres.ok
	$(PY) scripts/pg_test_cluster.py -- $(PY) -m pytest $(call MARKER,postgres,postgresql) $(PYTEST_ARGS)
	@test -f $(RESULTS)/postgres.ok || { echo "test-postgres: pytest passed but wrote no $(RESULTS)/postgres.ok" >&2; exit 1; }

# The layers of docs/architecture.md as import contracts (pyproject.toml [tool.importlinter]) and
# every imported package declared in pyproject.toml: part of `make test`, so a wrong arrow fails CI.
check-layers: install
	$(VENV)/bin/lint-imports --no-cache
	$(PY) scripts/check_deps.py

lint: install
	$(PY) -m ruff check .
	DATABASE_URL=sqlite:///var/mypy.sqlite3 $(VENV)/bin/mypy

# ---------------------------------------------------------------- benchmarks

# Issue 14: per scale a throw-away PostgreSQL, manage.py gen_national, bench/figures.py; one JSON
# line per figure, then a table (docs/scaling.md). The three scales of issue 14 by default (≈ 25 min on
# a quiet 2-core machine, most of it generating the full size); BENCH_SCALES=0.01,0.1 for a quick run.
BENCH_SCALES ?= 0.01,0.1,1
bench: install
	@mkdir -p var/bench
	BENCH_SCALES=$(BENCH_SCALES) $(PY) bench/run.py

# ---------------------------------------------------------------- drills (docs/operations.md)

# Dump, restore into a fresh cluster, verify_audit + row counts + triggers + evidence hashes.
restore-drill: install
	@mkdir -p var
	$(PY) scripts/restore_drill.py

# PostgreSQL restarted under a stream of API transitions served by gunicorn.
drill-pg-restart: install
	@mkdir -p var
	$(PY) scripts/drill_pg_restart.py --cases 40 --mode immediate --down 3
	$(PY) scripts/drill_pg_restart.py --cases 40 --mode fast --down 3

# Fault drill (issue 13): the database's and the evidence files' disks fill up (needs root: small
# tmpfs, or loop-mounted ext4 images); docs/operations.md "Disk full".
drill-disk-full: install
	$(PY) scripts/drill_disk_full.py

# Fault drill (issue 13): real worker and scheduler processes killed (kill -9) mid-task on a
# throw-away PostgreSQL; each step named as it passes. docs/operations.md "Killed task worker".
drill-worker-kill: install
	$(PY) scripts/pg_test_cluster.py -- $(PY) -m pytest -p no:randomly -v -rA \
		tests/notifications/test_processes.py

# Precision and recall of the duplicate-child finder on a generated set of name variants (no database).
bench-duplicates: install
	$(PY) bench/duplicates.py

# ---------------------------------------------------------------- cleaning

# Keeps the venv and the demo database (var/casework.sqlite3).
clean:
	rm -rf $(RESULTS) var/test.sqlite3 .pytest_cache .ruff_cache
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) var
