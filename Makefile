# Kent Communities of Schools: Request for Resource service.
#   make run    set up, migrate, load the demo data and serve at http://127.0.0.1:8000
#   make test   run the whole suite on PostgreSQL and Redis
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
TOOLS := .venv-tools
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_PASSWORD ?= kent-demo-password-2026
# make test runs the suite in this many processes (pytest-xdist), each with its own test
# database and Redis database (at most 8); the tests of a module that seeds years of
# history share a group (xdist_group), so it is seeded in one process only.
TEST_PROCESSES ?= 2
export DEMO_PASSWORD

.PHONY: setup tools assets run test lint format bench services constraints clean secrets backup restore

# What both run and test use: the Python environment and the front-end assets.
setup: $(VENV)/.installed assets

$(VENV)/.installed: pyproject.toml requirements/constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is needed: install Python 3.11." >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements/constraints.txt ".[dev]"
	rm -rf build *.egg-info
	touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed: install Node.js 20." >&2; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.installed
	npm run --silent build

# Separate programs that need the PyPI "requests" library (see requirements/tools.txt).
tools: $(TOOLS)/.installed

$(TOOLS)/.installed: requirements/tools.txt
	test -x $(TOOLS)/bin/python || $(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements/tools.txt
	touch $@

# HOST and PORT also set the address links in emails are built from (SITE_URL follows
# them unless it is set).
run: setup
	@set -euo pipefail; \
	export DEBUG=$${DEBUG:-true} HOST=$(HOST) PORT=$(PORT); \
	$(BIN)/python manage.py migrate --noinput; \
	$(BIN)/python manage.py seed_demo; \
	if [ -n "$${DATABASE_URL:-}" ] && [ -n "$${REDIS_URL:-}" ]; then \
	  echo "Starting a Celery worker and beat (logs in celery.log)"; \
	  $(BIN)/celery -A kentlocality worker --beat --schedule=/tmp/kent-celerybeat-schedule --loglevel=INFO >celery.log 2>&1 & \
	  trap "kill $$! 2>/dev/null" EXIT; \
	else \
	  echo "No DATABASE_URL and REDIS_URL: SQLite, and background tasks run in the web process."; \
	fi; \
	echo "Demo password: $$DEMO_PASSWORD"; \
	echo "Serving at http://$(HOST):$(PORT)"; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

services:
	@bash scripts/ensure-services.sh

test: setup tools services
	$(BIN)/python -m pytest -n $(TEST_PROCESSES) --dist loadgroup $(PYTEST_ARGS)

lint: setup tools
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(TOOLS)/bin/check-jsonschema --builtin-schema vendor.compose-spec docker-compose.yml docker-compose.dev.yml

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# make bench SCALE=5 also times every page on five times the history (bench/run.py --growth).
SCALE ?= 1
bench: setup tools services
	$(BIN)/python bench/run.py
	@if [ "$(SCALE)" != 1 ]; then $(BIN)/python bench/run.py --growth $(SCALE); fi

# Re-pin every Python package after changing pyproject.toml.
constraints:
	rm -rf /tmp/kent-constraints && $(PYTHON) -m venv /tmp/kent-constraints
	/tmp/kent-constraints/bin/pip install --quiet ".[dev]"
	{ echo "# Exact versions for a repeatable build: pip install -c requirements/constraints.txt '.[dev]'"; \
	  echo "# Regenerate with: make constraints"; \
	  /tmp/kent-constraints/bin/pip freeze --exclude kent-cos-rfr; } > requirements/constraints.txt
	rm -rf build *.egg-info

# The database (pg_dump, custom format) and the private file storage in one file, in
# BACKUP_DIR (backups/) or DIR; and back into an empty database and storage, checked.
backup:
	$(BIN)/python manage.py backup $(if $(DIR),--dir "$(DIR)",)

restore:
	@test -n "$(FILE)" || { echo "Say which backup: make restore FILE=backups/kent-backup-YYYYMMDD-HHMMSS.tar" >&2; exit 1; }
	$(BIN)/python manage.py restore "$(FILE)"

# .env for docker compose, with a new SECRET_KEY and PostgreSQL and Redis passwords.
secrets:
	@bash scripts/generate-secrets.sh

clean:
	rm -rf $(VENV) $(TOOLS) node_modules static/css static/govuk staticfiles build *.egg-info
