# PrintOps developer commands. `make run` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: help install run test test-fast lint format bench e2e screenshots clean

help:  ## list the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install PrintOps with pinned dependencies

run: $(STAMP)  ## migrate, create the demo workspace on first start, serve on HOST:PORT
	$(BIN)/printops serve --host $(HOST) --port $(PORT) --demo-if-empty

# This machine's environment sets PYTHONDONTWRITEBYTECODE=1. A run starts ~20 Python processes
# (xdist workers, `printops` and sandbox children), and each would compile the project again and
# pytest re-write every test module's assertions: ~2 s of CPU per process. __pycache__ is ignored
# by git. (An empty value counts as unset.)
test test-fast: export PYTHONDONTWRITEBYTECODE :=

test: $(STAMP)  ## the whole suite: Django checks, migrations, pytest (browser tests included)
	$(BIN)/printops manage check
	$(BIN)/printops manage makemigrations --check --dry-run
	$(BIN)/pytest -n 2 --dist loadgroup --durations=10

test-fast: $(STAMP)  ## pytest without the browser tests
	$(BIN)/pytest -n 2 -m "not e2e" --durations=10

screenshots: $(STAMP)  ## regenerate docs/images from the browser tests
	PRINTOPS_DOCS_SCREENSHOTS=1 $(BIN)/pytest -n 0 tests/e2e -q

lint: $(STAMP)  ## ruff, import layers, mypy over every app (strict on printops.slicefile)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy printops

format: $(STAMP)  ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)  ## print speed figures and ratios (never pass/fail)
	@for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:  ## remove the virtualenv and caches (keeps ./data)
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
