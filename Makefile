# Two commands for a fresh machine with Python 3.11: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-spark test-browser browser-deps lint typecheck pytest bench clean messages tag

PLUGIN_STAMP := $(VENV)/.test-plugin

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# The test plugin (a third-party kind, flat_bonus) is installed for the tests only: `make demo`
# removes it, so it is in no "known kinds" list and no `contribpolicy schema` a user sees.
$(PLUGIN_STAMP): $(STAMP) tests/plugin_pkg/pyproject.toml
	$(BIN)/python -m pip install --quiet -e tests/plugin_pkg
	touch $@

venv: $(PLUGIN_STAMP)

## The example payments the notices and progress are made from: issue 13's, or until they ship,
## payments made up for the example roster (tools/demo_payments.py).
DEMO_PAYMENTS ?= $(or $(wildcard examples/payments-2025.csv),build/payments-demo.csv)

build/payments-demo.csv: $(STAMP) examples/roster-2025.csv tools/demo_payments.py
	@mkdir -p build
	$(BIN)/python tools/demo_payments.py policies/2025.yaml examples/roster-2025.csv $@

## demo: set up, then assess the example roster under the 2025 policy and show the summary; then
## reconcile the example payments with it (钱表相符) and show that summary
demo: $(STAMP) $(DEMO_PAYMENTS)
	@$(BIN)/python -m pip uninstall --quiet --yes contribpolicy-testkind 2>/dev/null; rm -f $(PLUGIN_STAMP)
	@mkdir -p build
	$(BIN)/contribpolicy validate policies/2025.yaml
	$(BIN)/contribpolicy batch policies/2025.yaml examples/roster-2025.csv -o build/assessments-2025.csv
	@echo "Per-person amounts: build/assessments-2025.csv"
	$(BIN)/contribpolicy notice policies/2025.yaml examples/roster-2025.csv $(DEMO_PAYMENTS) \
		--all -o build/notices
	$(BIN)/contribpolicy progress policies/2025.yaml examples/roster-2025.csv $(DEMO_PAYMENTS) \
		--date 2024-12-31 --lang zh -o build/progress-2025.xlsx --charts build/progress-2025
	@echo "Notices (公示): build/notices/all.html, build/notices/notices.xlsx;" \
		"progress: build/progress-2025.xlsx, build/progress-2025-targets.png, -daily.png"
	@# The example payments plant every situation, so reconcile exits 1 (something to act on);
	@# 2 (could not run) still fails the demo.
	$(BIN)/contribpolicy reconcile policies/2025.yaml examples/roster-2025-collection.csv \
		examples/payments-2025.csv -o build/reconciled-2025.xlsx --problems build/problems-2025.csv \
		--summary build/reconciled-2025.txt; test $$? -le 1
	@echo "Reconciliation: build/reconciled-2025.xlsx (a sheet per status), build/problems-2025.csv"

## test: the whole suite, then type and lint checks
test: pytest typecheck lint

## pytest: the suite under branch coverage, then the figure and its gate ([tool.coverage])
## (on every core: TEST_WORKERS=0 runs it in one process, e.g. to debug)
TEST_WORKERS ?= auto
pytest: $(PLUGIN_STAMP)
	$(BIN)/python -m coverage erase
	$(BIN)/python -m coverage run -m pytest -q -n $(TEST_WORKERS)
	$(BIN)/python -m coverage combine --quiet
	@echo "Branch coverage of contribpolicy (gate: fail_under in pyproject.toml):"
	$(BIN)/python -m coverage report --format=total

## test-spark: the Spark test on a local session (PySpark in its own venv; the machine's Java 17)
SPARK_VENV ?= .venv-spark
test-spark:
	$(PYTHON) -m venv $(SPARK_VENV)
	$(SPARK_VENV)/bin/python -m pip install --quiet -e '.[spark,columnar]' pytest hypothesis
	$(SPARK_VENV)/bin/python -m pytest -q -p no:cacheprovider tests_spark

## test-browser: the notices and charts as people see them, in headless Chromium (Debian's
## chromium, fonts-noto-cjk, poppler-utils: installed with apt-get when missing); PNG
## screenshots and PDFs under build/browser/ (docs/notice.md)
BROWSER_PACKAGES = chromium fonts-noto-cjk poppler-utils fontconfig
browser-deps:
	@if command -v chromium >/dev/null && command -v pdftotext >/dev/null \
		&& fc-list :lang=zh family | grep -q "Noto Sans CJK"; then :; else \
		SUDO=$$(test "$$(id -u)" = 0 || echo sudo); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		$$SUDO apt-get install -y -qq --no-install-recommends $(BROWSER_PACKAGES); fi

test-browser: $(STAMP) browser-deps
	$(BIN)/python -m pytest -q -p no:cacheprovider --rootdir=tests_browser tests_browser

typecheck: $(PLUGIN_STAMP)
	$(BIN)/python -m mypy

lint: $(STAMP)
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check src

## messages: extract the marked messages, merge them into each language's .po, compile the .mo
## files that ship (docs/messages.md); then translate what is new in the zh .po and run it again
messages: $(STAMP)
	$(BIN)/python tools/messages.py

## tag: the release tag of pyproject.toml's version on this commit (docs/ci.md: pre-commit rev)
VERSION = $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
tag:
	git tag -a v$(VERSION) -m "contribpolicy $(VERSION)"

## bench: batch, validate and Policy.evaluate against hand-written programs, whole process,
## alternated, medians and ratios, peak memory (run by hand: some minutes; never in `make test`)
BENCH_ROWS ?= 1000000,10000000
BENCH_PAIRS ?= 3
bench: $(STAMP)
	$(BIN)/python bench/bench_scale.py --rows $(BENCH_ROWS) --pairs $(BENCH_PAIRS)

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache .hypothesis .coverage .coverage.*

## fuzz: the coverage-guided loader target (fuzz/) for FUZZ_RUNS inputs; what it finds is saved
## as build/fuzz-crash-*, -timeout-*, -oom-* (docs/security.md). Inputs load as files of fuzz/layers/,
## so extends: reaches real layers. Ten minutes: make fuzz FUZZ_RUNS=-1 FUZZ_ARGS=-max_total_time=600
.PHONY: fuzz
FUZZ_RUNS ?= 20000
FUZZ_STAMP := $(VENV)/.fuzz-installed

$(FUZZ_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[fuzz]'
	touch $@

fuzz: $(FUZZ_STAMP)
	@mkdir -p build/fuzz-corpus
	cp policies/2025.yaml fuzz/seeds/*.yaml build/fuzz-corpus/
	$(BIN)/python fuzz/fuzz_loader.py $(CURDIR)/build/fuzz-corpus -runs=$(FUZZ_RUNS) -seed=2025 \
		-dict=$(CURDIR)/fuzz/yaml.dict -max_len=16384 -timeout=5 -rss_limit_mb=2048 \
		-artifact_prefix=$(CURDIR)/build/fuzz- -print_final_stats=1 $(FUZZ_ARGS)
