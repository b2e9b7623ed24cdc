# jorged: `make run` sets up and starts the daemon; `make test` sets up and runs everything.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)

.PHONY: run demo test lint bench eval screenshots system-deps systemd-deps systemd-check man clean

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
	@$(MAKE) --no-print-directory systemd-check

# The README's systemd section, run on Debian 12 booted in systemd-nspawn (needs root;
# the rootfs and wheels are cached in /var/cache/jorged-systemd).

systemd-deps:
	@missing=""; \
	command -v debootstrap >/dev/null || missing="$$missing debootstrap"; \
	command -v systemd-nspawn >/dev/null || missing="$$missing systemd-container"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing with apt-get:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

systemd-check: $(STAMP) systemd-deps
	$(SUDO) $(BIN)/python tests/systemd/check.py

bench: $(STAMP) system-deps
	$(BIN)/python -m bench.run

# The reader measured on the labeled corpus (tests/corpus); no daemon needed.
eval: $(STAMP)
	$(BIN)/jorgectl eval $(ARGS)

screenshots: $(STAMP) system-deps
	$(BIN)/python -m tests.ui.screenshots docs/screenshots

# The man pages of jorged and jorgectl, from their argument parsers.
man: $(STAMP)
	$(BIN)/python docs/man/build.py docs/man

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache .hypothesis
