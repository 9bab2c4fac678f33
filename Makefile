# labelgraph — `make run` starts the gateway on the embedded SQLite default; `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CODEGEN_VENV := .venv-codegen
CODEGEN_STAMP := $(CODEGEN_VENV)/.installed

.PHONY: run test test-postgres install lint format schema codegen check-generated bench demo clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)  ## start the gateway on http://127.0.0.1:8080/graphql, data under ./.labelgraph/
	$(BIN)/labelgraph serve

test: $(STAMP)  ## the whole suite (SQLite; set LABELGRAPH_TEST_DATABASE_URL for PostgreSQL)
	$(BIN)/pytest -q $(PYTEST_ARGS)

test-postgres: $(STAMP)
	LABELGRAPH_TEST_DATABASE_URL=$${LABELGRAPH_TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres} $(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .

format: $(STAMP)
	$(BIN)/ruff check --fix .

schema: $(STAMP)  ## regenerate schema/schema.graphql from the server code
	$(BIN)/labelgraph schema --output schema/schema.graphql

codegen: schema $(CODEGEN_STAMP)  ## regenerate clients/python/labelgraph_client/ from schema/ into an empty folder
	rm -rf clients/python/labelgraph_client
	PYTHONPATH=clients/python $(CODEGEN_VENV)/bin/ariadne-codegen --config clients/python/codegen-sync.toml client >/dev/null
	PYTHONPATH=clients/python $(CODEGEN_VENV)/bin/ariadne-codegen --config clients/python/codegen.toml client >/dev/null
	@echo "labelgraph: generated clients/python/labelgraph_client/ ($$(ls clients/python/labelgraph_client/*.py | wc -l) modules)"

check-generated: $(STAMP) $(CODEGEN_STAMP)  ## fail when schema/ or the generated client differ from what is committed
	$(MAKE) --no-print-directory codegen
	@if [ -n "$$(git status --porcelain --untracked-files=all -- schema clients/python/labelgraph_client)" ]; then \
		git status --short --untracked-files=all -- schema clients/python/labelgraph_client; \
		git --no-pager diff --stat -- schema clients/python/labelgraph_client; \
		echo "generated files differ from the committed ones: run 'make codegen' and commit the result"; \
		exit 1; \
	fi
	@echo "labelgraph: schema/ and clients/python/labelgraph_client/ are up to date"

$(CODEGEN_STAMP):
	$(PYTHON) -m venv $(CODEGEN_VENV)
	$(CODEGEN_VENV)/bin/pip install --quiet --upgrade pip
	$(CODEGEN_VENV)/bin/pip install --quiet 'ariadne-codegen==0.19.0' 'ruff==0.15.22' 'graphql-core==3.2.14'
	touch $(CODEGEN_STAMP)

demo: $(STAMP)  ## load the sample organization into the running gateway
	$(BIN)/labelgraph demo

bench: $(STAMP)
	$(MAKE) -C bench all

clean:
	rm -rf $(VENV) $(CODEGEN_VENV) .labelgraph .pytest_cache .ruff_cache
