# dxpool — two commands on a fresh machine: `make demo` and `make test` (needs python3 >= 3.11 and make).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: install demo test test-postgres e2e check lint lock messages clean

$(BIN)/.installed: requirements/lock.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "dxpool needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

install: $(BIN)/.installed

demo: install
	$(BIN)/dxpool demo --serve --port $(PORT)

test: install
	$(BIN)/pytest -m "not e2e and not postgres" $(PYTEST_ARGS)

# Runs the same suite against PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/test make test-postgres
test-postgres: install
	@test -n "$(DATABASE_URL)" || (echo "set DATABASE_URL=postgres://user@host:5432/dbname" >&2; exit 2)
	DATABASE_URL="$(DATABASE_URL)" $(BIN)/pytest -m "not e2e" $(PYTEST_ARGS)

# Browser tests: Debian's chromium driven by Playwright for Python (no browser download).
e2e: install
	bash scripts/install-browser.sh
	$(BIN)/pytest -m e2e tests/e2e $(PYTEST_ARGS)

check: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python scripts/check_layers.py dxpool
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check --system

lint: check

lock:
	$(BIN)/pip install -r requirements/dev.in
	(echo "# Locked versions for a reproducible install: regenerate with 'make lock' (pip freeze of a venv built from requirements/dev.in)."; \
	 $(BIN)/pip freeze --exclude-editable | grep -v '^dxpool') > requirements/lock.txt

messages: install
	cd dxpool && ../$(BIN)/python ../manage.py makemessages -l en --no-obsolete && ../$(BIN)/python ../manage.py compilemessages

clean:
	rm -rf var/dxpool.sqlite3 var/staticfiles .pytest_cache
