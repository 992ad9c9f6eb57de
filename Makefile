# huiqi — two commands do all set-up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONHASHSEED := 0

.PHONY: help setup check generate train test run bench clean

help:
	@echo "make run    set up, train when needed, start the assistant (REST on 127.0.0.1:5005)"
	@echo "make test   set up, then run every test (installs chromium + a CJK font from Debian for the browser tests)"
	@echo "make bench  set up, then print and save the benchmark figures (engine, then Rasa: ~10 min)"

# The virtual environment, rebuilt only when the lock or pyproject changes.
$(STAMP): requirements.lock pyproject.toml scripts/find-python310
	@PY=$$(scripts/find-python310) || exit 1; \
	if [ ! -x $(BIN)/python ] || ! $(BIN)/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))'; then \
	  rm -rf $(VENV); echo "creating $(VENV) with $$PY"; $$PY -m venv $(VENV) || exit 1; \
	fi
	@set -o pipefail; { $(BIN)/python -m pip install --quiet --upgrade "pip==24.3.1" \
	  && $(BIN)/python -m pip install --quiet -r requirements.lock \
	  && $(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e . ; } 2>&1 \
	  | { grep -v "is ignored: it is neither a file nor a directory" || true; }
	@touch $(STAMP)

setup: $(STAMP)

check: setup
	$(BIN)/huiqi check

generate: setup
	$(BIN)/python -m huiqi.generate

train: setup
	scripts/train-if-needed

run: setup
	scripts/run

test: setup
	scripts/install-browser
	$(BIN)/huiqi check
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python -m huiqi.bench
	$(BIN)/python -m bot.bench_rasa

clean:
	rm -rf $(VENV) .pytest_cache
