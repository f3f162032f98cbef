# Kintsugi. `make run` and `make test` are all a newcomer needs; see README.md.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

VENV ?= .venv
export VENV
BIN := $(VENV)/bin
PY := $(BIN)/python
PYTEST_WORKERS ?= 2
PYTEST_ARGS ?=
LOCK_ARGS ?=
BENCH_ARGS ?=

.PHONY: help run serve test lint messages lock bench clean distclean

help:
	@echo "make run        set up, then serve on http://127.0.0.1:$${PORT:-8000}/ with the worker and timers"
	@echo "make serve      the same for production: no demo data (configure it first: docs/deploy.md)"
	@echo "make test       lint, types, translations, tests on SQLite (+ browser journeys) and PostgreSQL"
	@echo "make lint       ruff, mypy, the layering (lint-imports) and the module size check only"
	@echo "make messages   update the vi and th catalogues from the source"
	@echo "make lock       regenerate requirements.lock and requirements-dev.lock from pyproject.toml"
	@echo "make bench      run bench/run.py"
	@echo "make clean      remove build output and caches (distclean: also .venv and var/)"

run:
	scripts/run.sh

serve:
	KINTSUGI_DEMO=0 scripts/run.sh

test:
	@scripts/env.sh dev
	@scripts/compile_messages.sh
	@echo "==> ruff"
	$(BIN)/ruff check .
	@echo "==> mypy"
	$(BIN)/mypy .
	@echo "==> layering (import-linter)"
	$(BIN)/lint-imports
	@echo "==> module size"
	$(PY) scripts/check_module_size.py
	@echo "==> migrations match the models"
	$(PY) manage.py makemigrations --check --dry-run
	@echo "==> translations"
	scripts/check_translations.sh
	@echo "==> pytest on SQLite"
	$(BIN)/pytest -n $(PYTEST_WORKERS) -m "not browser" $(PYTEST_ARGS)
	@echo "==> browser journeys on SQLite"
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -p no:xdist -m browser $(PYTEST_ARGS)
	@echo "==> pytest on PostgreSQL"
	scripts/with_postgres.sh $(BIN)/pytest -n $(PYTEST_WORKERS) -m "not browser" $(PYTEST_ARGS)

lint:
	@scripts/env.sh dev
	$(BIN)/ruff check .
	$(BIN)/mypy .
	$(BIN)/lint-imports
	$(PY) scripts/check_module_size.py

messages:
	@scripts/env.sh runtime
	scripts/makemessages.sh

lock:
	scripts/lock.sh $(LOCK_ARGS)

bench:
	@scripts/env.sh dev
	@scripts/compile_messages.sh
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf staticfiles .mypy_cache .ruff_cache .pytest_cache .import_linter_cache bench/out
	find . -path './$(VENV)' -prune -o -path ./.git -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
	find kintsugi -path '*/locale/*/LC_MESSAGES/*.mo' -delete

distclean: clean
	rm -rf $(VENV) var
