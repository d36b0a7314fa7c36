# The two commands a newcomer needs: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8080

.PHONY: run test install services chat bench clean

$(STAMP): pyproject.toml
	bash .ci/python.sh $(PYTHON)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	@$(BIN)/jiedan db upgrade
	@echo ""
	@echo "jiedan is starting on the embedded defaults (SQLite file jiedan.db, no Redis)."
	@echo "  Chat as a customer in a browser:                 http://$(HOST):$(PORT)/chat"
	@echo "    (embed it on a site: <script src=\"http://$(HOST):$(PORT)/static/widget.js\" async></script>)"
	@echo "  Dashboard: JIEDAN_ADMIN_TOKEN=secret make run, then http://$(HOST):$(PORT)/admin (token: secret)"
	@echo "    staff accounts: $(BIN)/jiedan staff add NAME --role owner|dispatcher|staff (prints a token)"
	@echo "  Talk to it as a customer, in another terminal:   $(BIN)/jiedan chat"
	@echo "    (or in English:                              $(BIN)/jiedan chat --lang en)"
	@echo "  Health: http://$(HOST):$(PORT)/healthz   Metrics: http://$(HOST):$(PORT)/metrics"
	@echo "  Orders: JIEDAN_ADMIN_TOKEN=secret make run, then"
	@echo "          curl -H 'Authorization: Bearer secret' http://$(HOST):$(PORT)/api/orders"
	@echo "  Telegram/WeChat: set JIEDAN_TELEGRAM_TOKEN / JIEDAN_WECHAT_TOKEN (see README)."
	@echo "  Stop with Ctrl-C."
	@echo ""
	$(BIN)/jiedan serve --host $(HOST) --port $(PORT)

chat: install
	$(BIN)/jiedan chat

services:
	bash .ci/services.sh

# Two test processes: half the tests wait on PostgreSQL, Redis or a subprocess, so even two
# cores run them ~40% faster. TEST_WORKERS=0 runs them in this process.
TEST_WORKERS ?= 2

test: install services
	$(BIN)/pytest -q -p no:cacheprovider -n $(TEST_WORKERS)

# Figures, not tests: a few minutes on the quick defaults (README "Performance" has the big runs).
bench: install services
	$(BIN)/python bench/nlu_bench.py
	$(BIN)/python bench/e2e_bench.py $(E2E_ARGS)
	$(BIN)/python bench/reminder_bench.py $(REMINDER_ARGS)

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
