# The two commands of the README: `make build` and `make test`. Both need only Python 3.11+.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: build test lint clean screenshots

build: $(VENV)/.installed
	$(BIN)/policygraph build

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("policygraph needs Python 3.11 or newer, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --editable .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --editable '.[test]'
	touch $@

# the README's screenshots, taken in headless Chromium from the views of the shipped data
screenshots: $(VENV)/.installed-test
	POLICYGRAPH_SCREENSHOTS=docs/img $(BIN)/python -m pytest -q tests/test_views.py -k screenshots

clean:
	rm -rf $(VENV) out
