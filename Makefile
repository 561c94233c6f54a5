# OpenNRM — developer and operator commands. Only Python 3.11+ is needed to start.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
DEMO_SETTINGS := config.settings.demo

.PHONY: demo demo-data install install-dev test test-browser quality lint typecheck migrations-check templates-lint messages catalogues lock bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.base: requirements/base.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/base.txt
	touch $@

$(VENV)/.dev: requirements/dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.txt
	touch $@ $(VENV)/.base

install: $(VENV)/.base catalogues
install-dev: $(VENV)/.dev catalogues

catalogues: | $(BIN)/python
	$(BIN)/python -m opennrm.i18n_compile

## Set up everything and serve the demo on http://127.0.0.1:8000 (SQLite, fictional data).
demo: install
	DJANGO_SETTINGS_MODULE=$(DEMO_SETTINGS) $(MANAGE) migrate --noinput
	DJANGO_SETTINGS_MODULE=$(DEMO_SETTINGS) $(MANAGE) seed_demo
	DJANGO_SETTINGS_MODULE=$(DEMO_SETTINGS) $(MANAGE) runserver 127.0.0.1:8000

demo-data: install
	DJANGO_SETTINGS_MODULE=$(DEMO_SETTINGS) $(MANAGE) migrate --noinput
	DJANGO_SETTINGS_MODULE=$(DEMO_SETTINGS) $(MANAGE) seed_demo

## Run the whole test suite (SQLite by default; PostgreSQL when DATABASE_URL is set).
test: install-dev
	$(BIN)/pytest $(PYTEST_ARGS)

quality: install-dev lint typecheck migrations-check templates-lint

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:
	$(BIN)/mypy opennrm config

migrations-check:
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run

templates-lint:
	$(BIN)/djlint opennrm --lint

## Re-extract the message catalogues (needs GNU gettext).
messages: install-dev
	cd opennrm && DJANGO_SETTINGS_MODULE=config.settings.test PYTHONPATH=.. ../$(BIN)/django-admin makemessages -l fr -l en --no-obsolete --no-location --ignore "*/migrations/*"
	$(MAKE) catalogues

## Re-pin dependencies (run after editing pyproject.toml).
lock: install-dev
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -o requirements/base.txt
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements/dev.txt

bench: install-dev
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var
