# jorged: `make run` sets up and starts the daemon; `make test` sets up and runs everything.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)

.PHONY: run demo test lint bench screenshots system-deps man clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

# apt-get runs as root, through sudo for anyone else.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# What pip cannot install: redis-server (tests start their own) and chromium (screens).
system-deps:
	@missing=""; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing with apt-get:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

run: $(STAMP)
	$(BIN)/jorged $(ARGS)

demo: $(STAMP)
	$(BIN)/jorged --demo $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check jorged ui tests bench
	$(BIN)/ruff format --check jorged ui
	$(BIN)/mypy

test: $(STAMP) system-deps lint
	$(BIN)/pytest $(PYTEST_ARGS)

bench: $(STAMP) system-deps
	$(BIN)/python -m bench.run

screenshots: $(STAMP) system-deps
	$(BIN)/python -m tests.ui.screenshots docs/screenshots

# The man pages of jorged and jorgectl, from their argument parsers.
man: $(STAMP)
	$(BIN)/python docs/man/build.py docs/man

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache .hypothesis
