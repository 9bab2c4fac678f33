# labelgraph — `make run` starts the gateway on the embedded SQLite default; `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CODEGEN_VENV := .venv-codegen
CODEGEN_STAMP := $(CODEGEN_VENV)/.installed
LOCK_VENV := .venv-lock
LOCK_STAMP := $(LOCK_VENV)/.installed

.PHONY: run test test-postgres install lock lint format schema codegen check-generated bench demo clean

# The install is the lock CI tested: requirements-test.txt pins every third-party distribution (runtime and test)
# with its hashes, setuptools included, and pip installs nothing else (--require-hashes). The two local
# distributions, labelgraph-client (clients/python) and labelgraph (which depends on it), cannot be hashed: a
# source directory has no single file to hash, and an editable one never can. So the lock is compiled from
# requirements*.in, which name them editable, with both declared unsafe: pip-compile resolves their
# dependencies but only names the two in a closing comment (never a path line that --require-hashes refuses).
# They are then installed editable, --no-deps (their dependencies are the lock's) and --no-build-isolation (built
# by the locked setuptools, no download); `pip check` fails when pyproject.toml asks for what the lock lacks.
$(STAMP): requirements-test.txt pyproject.toml clients/python/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements-test.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e ./clients/python -e .
	@$(BIN)/pip check || { echo "requirements-test.txt does not satisfy pyproject.toml: run 'make lock'"; exit 1; }
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)  ## start the gateway on http://127.0.0.1:8080/graphql, data under ./.labelgraph/
	$(BIN)/labelgraph serve

test: $(STAMP)  ## the whole suite (SQLite; set LABELGRAPH_TEST_DATABASE_URL for PostgreSQL)
	$(BIN)/pytest -q $(PYTEST_ARGS)

test-postgres: $(STAMP)
	LABELGRAPH_TEST_DATABASE_URL=$${LABELGRAPH_TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres} $(BIN)/pytest -q

# `make lock` keeps the pins that still fit pyproject.toml and resolves what changed (deterministic for the same
# files and index); `make lock LOCK_ARGS=--upgrade` moves every pin to the newest allowed release. Resolved here,
# for CPython 3.11 on x86_64 Linux (README, "Development"). pip and pip-tools are pinned in their own venv.
LOCK_COMPILE = CUSTOM_COMPILE_COMMAND='make lock' $(LOCK_VENV)/bin/pip-compile --quiet --resolver=backtracking \
	--generate-hashes --strip-extras --no-emit-index-url --no-emit-trusted-host --no-emit-find-links --newline=LF \
	--no-allow-unsafe --unsafe-package=labelgraph --unsafe-package=labelgraph-client \
	$(LOCK_ARGS)

lock: $(LOCK_STAMP)  ## refresh requirements.txt (runtime) and requirements-test.txt (+ test extras)
	$(LOCK_COMPILE) --output-file=requirements.txt requirements.in
	$(LOCK_COMPILE) --output-file=requirements-test.txt requirements-test.in

$(LOCK_STAMP):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || \
		{ echo "make lock resolves for CPython 3.11 (what CI runs): set PYTHON=python3.11"; exit 1; }
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install --quiet 'pip==26.3' 'pip-tools==7.6.2'
	touch $(LOCK_STAMP)

lint: $(STAMP)  ## ruff, and the layer contract of pyproject.toml [tool.importlinter] (docs/architecture.md)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

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
	rm -rf $(VENV) $(CODEGEN_VENV) $(LOCK_VENV) .labelgraph .pytest_cache .ruff_cache
