# factcheck: `make run` for the demo on this machine, `make test` for the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt | sha256sum | cut -c1-12)
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/factcheck

.PHONY: install run test test-sqlite test-postgres lint format messages clean

install: $(STAMP)

$(STAMP): requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@rm -f $(VENV)/.installed-*
	@touch $@

## The demo: SQLite, a filesystem broker, the web server, a worker and the demo's own small
## web site on 127.0.0.1 (the only place the demo's fetcher may reach); Ctrl-C stops them.
FACTCHECK_PORT ?= 8000
FACTCHECK_DEMO_PAGES_PORT ?= 8001
export FACTCHECK_PORT FACTCHECK_DEMO_PAGES_PORT

run: $(STAMP) .env
	@DEBUG=true $(BIN)/python manage.py migrate --no-input --verbosity 0
	@DEBUG=true $(BIN)/python manage.py setup_demo
	@DEBUG=true FETCH_ALLOWED_NETWORKS=127.0.0.1/32 PATH="$(CURDIR)/$(BIN):$$PATH" \
		$(BIN)/honcho start --no-prefix -f Procfile.dev 2>&1 | grep --line-buffered -v -e "^$$" -e "Watching for file changes" -e "Performing system checks" -e "System check identified" -e "^Django version" -e "^[A-Z][a-z]* [0-9]*, [0-9]* - " -e "Quit the server" -e "For more information on production servers" -e "WARNING: This is a development server" -e "Use a production WSGI server"

## Settings of this checkout for the commands in the README (git ignores the file): a
## generated secret key, so that `python manage.py ...` works without DEBUG.
.env:
	@$(BIN)/python -c "import secrets; print('# This checkout\'s own settings (not in git), written by make run.'); print('SECRET_KEY=' + secrets.token_urlsafe(50))" > $@

## The whole suite: lint, then every test on SQLite and again on PostgreSQL.
test: install lint test-sqlite test-postgres

test-sqlite: install
	env -u DATABASE_URL $(BIN)/pytest

test-postgres: install
	@if $(BIN)/python -m tests.services postgres "$(TEST_DATABASE_URL)"; then \
		DATABASE_URL="$(TEST_DATABASE_URL)" $(BIN)/pytest; \
	else \
		echo "PostgreSQL is not reachable at $(TEST_DATABASE_URL): skipping the PostgreSQL pass" >&2; \
		test "$$CI" != "true"; \
	fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install
	DEBUG=true $(BIN)/python manage.py makemessages --locale ru --no-location --ignore "$(VENV)/*"
	DEBUG=true $(BIN)/python manage.py compilemessages --locale ru --ignore "$(VENV)/*"

clean:
	rm -rf data/test .pytest_cache

## Debian's Chromium for the browser tests: Playwright drives it, nothing else is downloaded.
browser:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

## Screenshots of the reviewer UI (docs/screenshots/), taken by the browser test.
screenshots: install browser
	FACTCHECK_SCREENSHOTS=1 $(BIN)/pytest tests/browser -p no:cacheprovider -q

.PHONY: browser screenshots
