# Two commands for a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
# `PORT=8123 FAKE_LINE_PORT=8124 make run`: the bot's port, and the local LINE stand-in's
# (read by every process from the environment, like the chat command in another terminal).
PORT ?= 8000

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	$(FLASK) init-db
	@if $(FLASK) --help 2>/dev/null | grep -q seed-demo; then $(FLASK) seed-demo; fi
	$(FLASK) serve --port $(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/lint-imports
	$(BIN)/pytest -q -rs

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/lint-imports

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/webhook_throughput.py
	$(BIN)/python bench/worker_drain.py
	$(BIN)/python bench/summary_250.py
	$(BIN)/python bench/faq_guard.py
	$(BIN)/python bench/faq_eval.py
	$(BIN)/python bench/parse_cost.py
	$(BIN)/python bench/national_reminders.py
	$(BIN)/python bench/web_pages.py

clean:
	rm -rf $(VENV) instance
