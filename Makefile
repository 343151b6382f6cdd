# The two commands of the README: `make run` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# extra pytest options, e.g. `make test PYTEST_ARGS="-x -k corpus"`
PYTEST_ARGS ?=

.PHONY: run classroom test test-fast e2e e2e-deps java-deps bench bench-quick samples clean

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "embedlab needs Python 3.11 or newer"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

## Set up, prepare the sample model, and start the app on http://localhost:8501
run: $(STAMP)
	$(BIN)/python -m embedlab.bootstrap
	$(BIN)/python -m embedlab.ui.serve

## One server for a class, on this machine's network (README: "In a classroom"): make classroom CODE=... [PORT=] [JOBS=]
CODE ?=
PORT ?= 8501
JOBS ?=
classroom: $(STAMP)
	$(BIN)/python -m embedlab.bootstrap --publish
	EMBEDLAB_CLASSROOM=1 EMBEDLAB_ACCESS_CODE="$(CODE)" EMBEDLAB_MAX_JOBS="$(JOBS)" \
		$(BIN)/python -m embedlab.ui.serve --server.address 0.0.0.0 --server.port $(PORT)

## Set up (including Debian's chromium for the browser tests and a Java runtime for Spark) and run every test
test: $(STAMP) e2e-deps java-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## Unit and AppTest tests only, no browser
test-fast: $(STAMP) java-deps
	$(BIN)/python -m pytest -m "not e2e" $(PYTEST_ARGS)

## Browser tests only (a real `streamlit run` driven by Debian's chromium)
e2e: $(STAMP) e2e-deps
	$(BIN)/python -m pytest tests/e2e

e2e-deps:
	@bash .ci/ensure-chromium.sh

java-deps:
	@bash .ci/ensure-java.sh

## Every benchmark, full size (minutes); `bench-quick` for a smoke run
bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

bench-quick: $(STAMP)
	$(BIN)/python benchmarks/run_all.py --quick

samples: $(STAMP)
	$(BIN)/python sample_data/make_samples.py

clean:
	rm -rf $(VENV) .pytest_cache
