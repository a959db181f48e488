# OCOP Marketplace — two commands: `make run` serves the site, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
# pytest-xdist processes for `make test`: one per CPU ("auto"; 2 on the CI machine). Each worker is
# its own pytest session with its own databases, localstripe, live servers and browser.
TEST_WORKERS ?= auto
export FLASK_APP := wsgi

MO := marketplace/translations/vi/LC_MESSAGES/messages.mo
PO := marketplace/translations/vi/LC_MESSAGES/messages.po

.PHONY: run test setup setup-dev browser translations bench load audit clean

## run: set everything up and serve http://127.0.0.1:$(PORT) (SQLite under instance/; without
## STRIPE_SECRET_KEY, card payments are test payments through a local localstripe)
run: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --if-empty
	$(BIN)/flask search reindex --if-missing
	BIN=$(BIN) PORT=$(PORT) bash devtools/serve.sh

## test: install what the tests need, check the import contracts (pyproject.toml) and run them all
test: setup-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist load

setup: $(VENV)/.runtime-installed $(MO)
setup-dev: setup $(VENV)/.dev-installed browser

# Browser tests drive Debian's chromium (Playwright's own browser download does not work here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt requirements.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

$(MO): $(PO) $(VENV)/.runtime-installed
	$(BIN)/pybabel compile -d marketplace/translations -D messages
	touch $@

translations: setup
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -w 100 -o marketplace/translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching -w 100 -i marketplace/translations/messages.pot -d marketplace/translations

## bench: the storefront, search and bulk-order benchmarks (requests per second; search build time
## and latencies; a 500-line supermarket CSV order validated and placed on PostgreSQL)
bench: setup-dev
	@command -v wrk >/dev/null 2>&1 || { \
		echo "Installing Debian's wrk for the storefront benchmark"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk; }
	$(BIN)/python bench/storefront.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/bulk_order.py
	$(BIN)/python bench/api.py

## load: Locust users (browsing, search, cart, COD and localstripe card checkouts, API bulk orders)
## against gunicorn + PostgreSQL with 20,000 generated products, then the checks (no 5xx, no lost or
## duplicated order, ledger, localstripe, stock) and p50/p95 per request; LOAD_ARGS e.g.
## "--users 20 --minutes 1". Outside `make test`; figures in docs/load.md.
LOAD_ARGS ?=
load: setup-dev
	$(BIN)/python bench/load.py $(LOAD_ARGS)

## audit: known vulnerabilities of every pinned package (pip-audit with PyPI's advisory data; needs
## network access to PyPI; devtools/audit.py says what it could not audit and why)
audit: setup-dev
	$(BIN)/python devtools/audit.py

clean:
	rm -rf $(VENV) instance .pytest_cache
