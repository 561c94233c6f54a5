# OpenNRM — developer and operator commands. Only Python 3.11+ is needed to start.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
DEMO_SETTINGS := config.settings.demo

.PHONY: demo demo-data install install-dev test test-browser quality lint typecheck import-contracts migrations-check templates-lint security security-lint audit-dependencies check-deploy fuzz messages catalogues lock bench clean

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

quality: install-dev lint typecheck import-contracts migrations-check templates-lint

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:
	$(BIN)/mypy opennrm config

# Which package may import which (ARCHITECTURE.md); no django.http outside the web layer.
import-contracts:
	$(BIN)/python tools/check_imports.py

migrations-check:
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run

templates-lint:
	$(BIN)/djlint opennrm --lint

## Security checks (docs/adr/0009-security-headers.md). The hostile-input, API fuzz and
## backup/restore tests are part of `make test` (tests/hardening/); `make fuzz` runs the fuzzing alone.
security: install-dev security-lint audit-dependencies check-deploy

# ruff's security rules (flake8-bandit, S) alone, on everything. pyproject.toml ignores none of
# them globally (tests/hardening/test_ci_checks.py checks it); tests and bench may assert and use
# fixed fictional passwords; any other exception is a `# noqa: Sxxx` with its reason on the line.
security-lint:
	$(BIN)/ruff check --select S .

# Both lock files against the offline OSV copy named by OPENNRM_ADVISORY_DB (CI: ../shared/
# advisory-database), then pip-audit online; exceptions only in requirements/audit-exceptions.txt,
# each with its ADR. pip-audit's unreachable service fails only if OPENNRM_REQUIRE_PIP_AUDIT=1.
audit-dependencies:
	$(BIN)/python tools/audit_dependencies.py requirements/base.txt requirements/sentry.txt requirements/dev.txt

# Django's deployment checklist on the production settings, with dummy secrets.
check-deploy:
	DJANGO_SETTINGS_MODULE=config.settings.production \
	DJANGO_SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	OPENNRM_AUDIT_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	OPENNRM_FIELD_KEYS="check:$$($(BIN)/python -c 'import base64, secrets; print(base64.b64encode(secrets.token_bytes(32)).decode())')" \
	OPENNRM_INDEX_KEY="$$($(BIN)/python -c 'import base64, secrets; print(base64.b64encode(secrets.token_bytes(32)).decode())')" \
	DJANGO_ALLOWED_HOSTS=opennrm.example.org \
	DATABASE_URL=postgres://opennrm@127.0.0.1:5432/opennrm \
	OPENNRM_DEMO_MODE= \
	$(MANAGE) check --deploy --fail-level WARNING

fuzz: install-dev
	$(BIN)/pytest tests/hardening/test_hostile_forms.py tests/hardening/test_hostile_http.py tests/hardening/test_api_fuzz.py -q

## Re-extract the message catalogues (needs GNU gettext).
messages: install-dev
	cd opennrm && DJANGO_SETTINGS_MODULE=config.settings.test PYTHONPATH=.. ../$(BIN)/django-admin makemessages -l fr -l en --no-obsolete --no-location --ignore "*/migrations/*"
	$(MAKE) catalogues

## Re-pin dependencies (run after editing pyproject.toml).
lock: install-dev
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -o requirements/base.txt
	$(BIN)/uv pip compile pyproject.toml --extra sentry --python-version 3.11 --generate-hashes -o requirements/sentry.txt
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra sentry --python-version 3.11 --generate-hashes -o requirements/dev.txt

bench: install-dev
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var
