# OCOP Marketplace — two commands: `make run` serves the site, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := wsgi

MO := marketplace/translations/vi/LC_MESSAGES/messages.mo
PO := marketplace/translations/vi/LC_MESSAGES/messages.po

.PHONY: run test setup setup-dev translations bench clean

## run: set everything up and serve http://127.0.0.1:$(PORT) (SQLite under instance/)
run: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --if-empty
	@echo "Serving OCOP Marketplace on http://127.0.0.1:$(PORT)"
	$(BIN)/gunicorn --workers 2 --bind 127.0.0.1:$(PORT) --access-logfile - wsgi:app

## test: install what the tests need and run them all
test: setup-dev
	$(BIN)/python -m pytest

setup: $(VENV)/.runtime-installed $(MO)
setup-dev: setup $(VENV)/.dev-installed

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
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o marketplace/translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching -i marketplace/translations/messages.pot -d marketplace/translations

## bench: the storefront benchmark (prints requests per second)
bench: setup-dev
	$(BIN)/python bench/storefront.py

clean:
	rm -rf $(VENV) instance .pytest_cache
