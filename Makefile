# Kenes — `make help` lists the targets. `make run` and `make test` are the whole set-up.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
AXE_VERSION := 4.14.1
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# pytest-xdist: two workers; the browser tests are one group, so one worker runs them all.
# The PostgreSQL run stays on one worker: see docs/architecture.md (Tests) for why.
PARALLEL := -n 2 --dist loadgroup

.PHONY: help run dev test test-sqlite test-postgres screenshots lint fix migration translations \
        translations-compile bench clean system-deps

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-22s %s\n", $$1, $$2}'

$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  echo "python3-venv is missing: installing it"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv; \
	  rm -rf $(VENV); $(PYTHON) -m venv $(VENV); }

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

translations-compile: $(VENV)/.installed ## Compile the kk/ru catalogues (.mo files are not committed)
	@$(BIN)/pybabel compile -d portal/translations --statistics

run: export KENES_ENV ?= development
run: $(VENV)/.installed translations-compile ## Serve the site on KENES_BIND (default http://127.0.0.1:8000; SQLite, demo data)
	$(FLASK) db upgrade
	$(FLASK) demo seed --if-empty
	KENES_ANNOUNCE=1 $(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

dev: export KENES_ENV ?= development
dev: $(VENV)/.installed translations-compile ## Flask's debug server with reloading, on 127.0.0.1:5000
	$(FLASK) db upgrade
	KENES_DEBUG=1 $(FLASK) run --debug --host 127.0.0.1 --port 5000

system-deps: ## Install what the browser tests need: Debian's chromium, npm's axe-core
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core; \
	fi
	@if [ ! -f node_modules/axe-core/axe.min.js ] || \
	    ! grep -q '"version": "$(AXE_VERSION)"' node_modules/axe-core/package.json; then \
	  echo "Installing axe-core $(AXE_VERSION)"; \
	  npm install --no-save --no-package-lock --no-audit --no-fund --silent axe-core@$(AXE_VERSION); \
	fi

test: $(VENV)/.installed translations-compile system-deps lint ## Lint, then every test on SQLite, then the database tests on PostgreSQL
	@echo "== pytest on SQLite: the whole suite, two workers (browser tests on one) =="
	KENES_ENV=testing $(BIN)/pytest -p no:cacheprovider $(PARALLEL)
	@echo "== pytest on PostgreSQL 15: the database-facing suite (-m postgres), two workers, a database each =="
	KENES_ENV=testing scripts/with-postgres.sh $(BIN)/pytest -p no:cacheprovider -m postgres $(PARALLEL)

test-sqlite: $(VENV)/.installed translations-compile system-deps ## Only the SQLite run (faster while working)
	KENES_ENV=testing $(BIN)/pytest -p no:cacheprovider $(ARGS)

test-postgres: $(VENV)/.installed translations-compile ## Only the PostgreSQL run
	KENES_ENV=testing scripts/with-postgres.sh $(BIN)/pytest -p no:cacheprovider -m postgres $(ARGS)

screenshots: $(VENV)/.installed translations-compile system-deps ## Pictures of the home page in each language and width, in test-artifacts/
	KENES_ENV=testing $(BIN)/pytest -p no:cacheprovider -m screenshots tests/browser

lint: $(VENV)/.installed ## ruff: lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check --diff portal consultations tests wsgi.py gunicorn.conf.py

fix: $(VENV)/.installed ## ruff: fix what can be fixed, and format
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format portal consultations tests wsgi.py gunicorn.conf.py

migration: $(VENV)/.installed ## New Alembic revision from the models: make migration m="what changed"
	@test -n "$(m)" || { echo 'usage: make migration m="what changed"'; exit 2; }
	KENES_ENV=development $(FLASK) db upgrade
	KENES_ENV=development $(FLASK) db migrate -m "$(m)"

translations: $(VENV)/.installed ## Extract strings and update the kk/ru catalogues
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --sort-output \
	  --project Kenes --copyright-holder "Kenes contributors" --msgid-bugs-address "" \
	  -o portal/translations/messages.pot .
	$(BIN)/pybabel update -i portal/translations/messages.pot -d portal/translations --no-fuzzy-matching --ignore-obsolete

bench: $(VENV)/.installed translations-compile ## Measure a ballot's cost, search's reindex and query times, and the pages against a bare hello under gunicorn (docs/benchmarks.md)
	@if ! command -v wrk >/dev/null; then \
	  echo "Installing Debian's wrk for the pages benchmark"; \
	  sudo=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
	  $$sudo apt-get update -qq && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; \
	fi
	$(BIN)/python scripts/bench_ballots.py
	scripts/with-postgres.sh $(BIN)/python scripts/bench_ballots.py
	$(BIN)/python -m bench.search
	$(BIN)/python -m bench.pages
	scripts/with-postgres.sh $(BIN)/python -m bench.pages

clean: ## Remove the virtualenv, caches and compiled catalogues (keeps instance/)
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache
	find portal/translations -name '*.mo' -delete
