# The two commands a newcomer runs on a fresh machine: `make demo` and `make test`.
PY ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: demo test lint venv

$(BIN)/activate:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

venv: $(BIN)/activate
	$(BIN)/pip install --quiet -e '.[dev]'

# Assess an example declaration on the bundled lists (SQLite register in the user data directory).
demo: venv
	$(BIN)/ftzlist lists
	$(BIN)/ftzlist assess examples/xiamen-pharma.yaml --explain

test: venv
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/pytest

lint: venv
	$(BIN)/ruff check src tests benchmarks
