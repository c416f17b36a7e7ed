# Newsroom: `make run` serves the demo site, `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
HOST ?= 127.0.0.1
PORT ?= 8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
BENCH_DATABASE_URL ?= sqlite:///$(CURDIR)/bench.sqlite3
BENCH_N ?= 10000

# The first Python 3.13 or 3.12 found: on PATH, or through pyenv.
PYTHON ?= $(shell \
	for candidate in python3.13 python3.12 python3; do \
		if command -v $$candidate >/dev/null 2>&1 && \
			$$candidate -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
			command -v $$candidate; exit 0; fi; \
	done; \
	if command -v pyenv >/dev/null 2>&1; then \
		for version in 3.13 3.12; do \
			found=$$(PYENV_VERSION=$$version pyenv which python3 2>/dev/null) && { echo $$found; exit 0; }; \
		done; \
	fi)

.PHONY: help install test-tools run serve test test-sqlite test-postgres lint format check bench clean

help:
	@echo "make run      set up (venv, install, migrate, demo content), serve on $(HOST):$(PORT), run the task worker"
	@echo "make serve    the production settings on $(HOST):$(PORT): gunicorn (gunicorn.conf.py) and the task worker"
	@echo "make test     set up and run the whole test suite (SQLite, then PostgreSQL if reachable)"
	@echo "make lint     ruff check and format check"
	@echo "make check    Django system checks, migrations check, deploy check"
	@echo "make bench    seed BENCH_N (10,000) articles, serve them with gunicorn, measure (BENCH_DATABASE_URL)"

$(PY):
	@if [ -z "$(PYTHON)" ]; then \
		echo "error: Python 3.12 or newer is needed (3.13 recommended); none was found on PATH or through pyenv." >&2; \
		exit 1; fi
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(PY) pyproject.toml uv.lock
	$(PY) -m pip install --quiet --disable-pip-version-check "uv>=0.13,<0.14"
	$(UV) sync --locked --python $(PY) --quiet
	@touch $@

# axe-core, for the accessibility checks the browser tests run.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --silent && touch $@; \
	else \
		echo "npm not found: the browser accessibility tests will be skipped." >&2; \
	fi

install: $(VENV)/.installed

test-tools: node_modules/.installed

# The task worker (image renditions) runs beside the server and stops when the server stops.
run: install
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(PY) manage.py seed_demo
	@echo "Serving on http://$(HOST):$(PORT)/ — the editors' desk is at http://$(HOST):$(PORT)/admin/"
	@export DEBUG=$${DEBUG:-1}; \
	$(PY) manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# Production settings on loopback, over plain HTTP: no TLS redirect, a throwaway SECRET_KEY
# unless one is set, uploads served by Django (there is no web server in front).
serve: install
	@export DEBUG=False ALLOWED_HOSTS=127.0.0.1,localhost SECURE_SSL_REDIRECT=False \
		SESSION_COOKIE_SECURE=False CSRF_COOKIE_SECURE=False SERVE_MEDIA=$${SERVE_MEDIA:-True} \
		SITE_URL=http://$(HOST):$(PORT) BIND=$(HOST):$(PORT); \
	if [ -z "$$SECRET_KEY" ] && ! grep -qs '^SECRET_KEY=.' .env; then \
		export SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))'); fi; \
	$(PY) manage.py migrate --noinput && \
	$(PY) manage.py collectstatic --noinput --verbosity 0 && \
	echo "Serving the production settings on http://$(HOST):$(PORT)/ (gunicorn.conf.py)" && \
	{ $(PY) manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(VENV)/bin/gunicorn newsroom.wsgi --config gunicorn.conf.py; }

# The two passes run side by side, one per core; make prints each pass's output when it ends.
test: install test-tools
	@echo "== Test suite: the SQLite and PostgreSQL passes run side by side; each prints when it ends =="
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

test-sqlite: install test-tools
	@echo "== Test suite on SQLite =="
	@mkdir -p test-artifacts/tmp
	env -u DATABASE_URL $(PY) -m pytest --basetemp=test-artifacts/tmp/sqlite $(PYTEST_ARGS)

test-postgres: install test-tools
	@mkdir -p test-artifacts/tmp
	@if $(PY) -c "import sys, psycopg; psycopg.connect(sys.argv[1], connect_timeout=3).close()" "$(TEST_DATABASE_URL)" 2>/dev/null; then \
		echo "== Test suite on PostgreSQL ($(TEST_DATABASE_URL)) =="; \
		DATABASE_URL="$(TEST_DATABASE_URL)" $(PY) -m pytest --basetemp=test-artifacts/tmp/postgres $(PYTEST_ARGS) && \
		echo "PostgreSQL pass: ran" > $(VENV)/.postgres-pass; \
	else \
		rm -f $(VENV)/.postgres-pass; \
		echo "== PostgreSQL pass SKIPPED: no PostgreSQL reachable at $(TEST_DATABASE_URL) (set TEST_DATABASE_URL) =="; \
	fi

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: install
	DEBUG=1 $(PY) manage.py check
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	SECRET_KEY=check-deploy-$$(date +%s)-a-long-random-value-for-the-deploy-check-only \
		SECURE_HSTS_SECONDS=31536000 SECURE_HSTS_INCLUDE_SUBDOMAINS=1 SECURE_HSTS_PRELOAD=1 \
		ALLOWED_HOSTS=news.example.com $(PY) manage.py check --deploy --fail-level WARNING

bench: install
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/run.py --count $(BENCH_N) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
