# Varde — the two commands of the README, and the pieces they are made of.
#   make demo   install everything, then scan the demo corpus into a SQLite file and print the summary
#   make test   install everything, then run ruff, mypy and the whole test suite (what .ci/run calls)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB := varde.db
DEMO_INPUTS := corpus/demo/posts.jsonl corpus/demo/posts.csv corpus/demo/telegram/result.json corpus/demo/telegram-account/result.json

.PHONY: demo test install system-deps services lint typecheck pytest clean

demo: install
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/varde scan $(DEMO_INPUTS) --db sqlite:///$(DEMO_DB)
	@echo "demo database: $(DEMO_DB)"

test: install services lint typecheck pytest

install: system-deps $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[all,dev]'
	touch $(STAMP)

system-deps:
	sh scripts/install-system-deps.sh

services:
	sh scripts/start-services.sh

lint:
	$(BIN)/ruff check varde tests bench

typecheck:
	$(BIN)/mypy

# Tests that restart PostgreSQL or NATS run alone, after the rest.
pytest:
	$(BIN)/pytest -n 2 -m "not disruptive" -q
	$(BIN)/pytest -m disruptive -q

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm test-output
