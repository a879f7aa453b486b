# Two commands for a fresh machine with Python 3.11: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest bench clean

$(STAMP): pyproject.toml tests/plugin_pkg/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]' -e tests/plugin_pkg
	touch $@

venv: $(STAMP)

## demo: set up, then assess the example roster under the 2025 policy and show the summary
demo: $(STAMP)
	@mkdir -p build
	$(BIN)/contribpolicy validate policies/2025.yaml
	$(BIN)/contribpolicy batch policies/2025.yaml examples/roster-2025.csv -o build/assessments-2025.csv
	@echo "Per-person amounts: build/assessments-2025.csv"

## test: the whole suite, then type and lint checks
test: pytest typecheck lint

pytest: $(STAMP)
	$(BIN)/python -m pytest -q

typecheck: $(STAMP)
	$(BIN)/python -m mypy

lint: $(STAMP)
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check src

## bench: persons per second (run by hand; figures go in the issue note, never in tests)
bench: $(STAMP)
	$(BIN)/python bench/bench_evaluate.py

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache .hypothesis
