# `make site` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: site test lint install tools bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

# The validators of tests/test_validators.py (vnu.jar, axe-core), pinned in tests/tools.
# --ignore-scripts: vnu-jar's postinstall would download a JRE; the tests use `java`.
# Without npm the validator tests skip (CI sets VERSUS_REQUIRE_BROWSER=1, which fails them).
TOOLS := tests/tools
$(TOOLS)/node_modules/.installed: $(TOOLS)/package.json $(TOOLS)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix $(TOOLS) --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else \
	  echo "npm not found: the validator tests (tests/test_validators.py) will skip" >&2; \
	fi

tools: $(TOOLS)/node_modules/.installed

site: install
	$(BIN)/versus build

lint: install
	$(BIN)/ruff check generator tests benchmarks
	$(BIN)/ruff format --check generator tests benchmarks
	$(BIN)/mypy generator

test: lint tools
	$(BIN)/pytest

bench: install
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf site .pytest_cache .mypy_cache .ruff_cache
