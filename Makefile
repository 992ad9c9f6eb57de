# huiqi — two commands do all set-up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONHASHSEED := 0

.PHONY: help setup check generate docs train test run bench clean telegram telegram-demo wechat-demo services services-stop run-scaled loadtest loadtest-against conversations

help:
	@echo "make run    set up, train when needed, start the assistant (REST on 127.0.0.1:5005)"
	@echo "make test   set up, then run every test (installs chromium + a CJK font from Debian for the browser tests)"
	@echo "make bench  set up, then print and save the benchmark figures (engine, then Rasa: ~10 min)"
	@echo "make docs   write the annotated documents (docs/annotated/*.html: source beside the rule tables)"
	@echo "make telegram       the Telegram bridge (TELEGRAM_BOT_TOKEN; the assistant from make run)"
	@echo "make telegram-demo  watch the Telegram bridge work against a fake Bot API (no account)"
	@echo "make wechat-demo    watch the WeChat channel work against fake WeChat servers (no account)"
	@echo "make services      install (apt) and start PostgreSQL and Redis on 127.0.0.1, data in var/services"
	@echo "make run-scaled    services + 2 Rasa replicas with action servers behind nginx on 127.0.0.1:5005"
	@echo "make loadtest      the full load test, embedded default and scaled out side by side (~15 min)"
	@echo "make loadtest-against  saturation beside revision AGAINST (default e741f63, the code issue 11 measured) (~12 min)"
	@echo "make conversations  play a conversation set through a running assistant (SET=tests/conversations/dev_v1.yml)"

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

docs: setup
	$(BIN)/huiqi annotate

train: setup
	scripts/train-if-needed

run: setup
	scripts/run

test: setup
	scripts/install-services
	scripts/install-browser
	$(BIN)/huiqi check
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python -m huiqi.bench
	$(BIN)/python -m bot.bench_rasa

# Chat apps (bot/channels/, README "Telegram" and "WeChat").
telegram: setup
	$(BIN)/python -m bot.channels.telegram_bridge

telegram-demo: setup
	$(BIN)/python -m bot.channels.telegram_demo

wechat-demo: setup
	$(BIN)/python -m bot.channels.wechat_demo

# The scale-out pieces (docs/deployment.md): Debian's PostgreSQL, Redis and nginx.
services: setup
	scripts/install-services
	$(BIN)/python -m bot.services start

services-stop: setup
	$(BIN)/python -m bot.services stop

run-scaled: services
	$(BIN)/python -m huiqi.generate --check >/dev/null 2>&1 || $(BIN)/python -m huiqi.generate
	scripts/train-if-needed
	$(BIN)/python -m bot.cluster

loadtest: setup
	scripts/install-services
	scripts/train-if-needed
	$(BIN)/python -m bot.loadtest

# the code issue 11 measured its 70 messages a second on
AGAINST ?= e741f63
loadtest-against: setup
	scripts/train-if-needed
	$(BIN)/python -m bot.loadtest --against $(AGAINST) --rounds 4 --seconds 30

SET ?= tests/conversations/dev_v1.yml
conversations: setup
	scripts/train-if-needed
	$(BIN)/python -m bot.converse $(SET)

clean:
	rm -rf $(VENV) .pytest_cache
