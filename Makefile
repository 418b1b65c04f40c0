# Amelio: the two commands of the README are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test install install-dev system-packages assets messages migrate demo worker lint format bench clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed assets messages

install-dev: $(VENV)/.installed-dev assets messages

# Front-end packages come from the npm registry and are copied into assets/vendor
# (ignored by git), where Django's staticfiles finds them.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

assets: node_modules/.package-lock.json
	rm -rf assets/vendor && mkdir -p assets/vendor/bootstrap assets/vendor/bootstrap-icons assets/vendor/htmx assets/vendor/tom-select
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map assets/vendor/bootstrap/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map assets/vendor/bootstrap/
	cp -r node_modules/bootstrap-icons/font/bootstrap-icons.min.css node_modules/bootstrap-icons/font/fonts assets/vendor/bootstrap-icons/
	cp node_modules/htmx.org/dist/htmx.min.js assets/vendor/htmx/
	cp node_modules/tom-select/dist/js/tom-select.complete.min.js node_modules/tom-select/dist/css/tom-select.bootstrap5.min.css assets/vendor/tom-select/

messages: $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --noinput -v 0

demo: migrate
	$(PY) manage.py load_demo --if-empty

worker: $(VENV)/.installed
	$(PY) manage.py run_huey

# Installs everything, builds the demo school if the database is empty, and serves
# the application with its background worker beside it (Ctrl-C stops both).
run: install demo
	$(PY) manage.py collectstatic --noinput -v 0
	@$(PY) manage.py demo_logins
	@set -m; $(PY) manage.py run_huey & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT) --noreload

# Debian packages the tests use: Chromium drives the browser tests (Playwright cannot
# download its own build here); poppler-utils reads the PDFs the application makes; slapd is
# the real OpenLDAP server the directory-sync tests start.
system-packages:
	@missing=""; \
	command -v $(CHROMIUM) >/dev/null || missing="$$missing chromium"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	test -x /usr/sbin/slapd || missing="$$missing slapd"; \
	if [ -n "$$missing" ]; then \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

# Installs what the tests need and runs the whole suite (SQLite by default;
# PostgreSQL when DATABASE_URL says so).
test: install-dev system-packages
	$(PY) manage.py collectstatic --noinput -v 0
	$(VENV)/bin/pytest

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(VENV)/.installed-dev
	$(PY) bench/foundation_pages.py

clean:
	rm -rf $(VENV) node_modules assets/vendor staticfiles db.sqlite3 var
