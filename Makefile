# labelgraph — `make run` starts the gateway on the embedded SQLite default; `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CODEGEN_VENV := .venv-codegen
CODEGEN_STAMP := $(CODEGEN_VENV)/.installed
LOCK_VENV := .venv-lock
LOCK_STAMP := $(LOCK_VENV)/.installed

.PHONY: run test test-postgres install lock lint format schema codegen check-generated bench demo clean console console-screenshots

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
	$(BIN)/pip install --quiet --no-compile --require-hashes -r requirements-test.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e ./clients/python -e .
	@# the bytecode, written once: where PYTHONDONTWRITEBYTECODE is set, every process would compile what it
	@# imports again (the editable server's ~175 modules: ~0.5 s of CPU per `labelgraph serve` start; a stale file
	@# is just ignored). Compiled here on every core rather than by pip one module at a time, without the packages
	@# moto[server] pulls in that nothing imports (sympy, networkx, mpmath, cfn-lint: ~8 of ~23 s of CPU)
	$(BIN)/python -m compileall -q -j 0 -x '/site-packages/(sympy|networkx|mpmath|cfnlint)/' \
		$(VENV)/lib/python3*/site-packages server/labelgraph >/dev/null
	@$(BIN)/pip check || { echo "requirements-test.txt does not satisfy pyproject.toml: run 'make lock'"; exit 1; }
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)  ## start the gateway on http://127.0.0.1:8080/graphql, data under ./.labelgraph/
	$(BIN)/labelgraph serve

# the whole suite on every core (pytest-xdist; TEST_WORKERS=0 runs it in one process); the longest modules start
# first (tests/conftest.py) and idle workers take tests from busy ones (worksteal). One worker per core: about half
# of a test's time its worker is blocked (servers, subprocesses, timers), but a worker more than cores did not fill
# that time on this 2-core machine (quiet, 2026-12-02, one tree: -n 2 260 s wall / 350 s CPU, -n 3 301 s / 474 s;
# an earlier tree: -n 2 288 s / 400 s, -n 4 260 s / 444 s): extra workers cost CPU (start, collection, servers).
TEST_WORKERS ?= auto
XDIST = -n $(TEST_WORKERS) --dist worksteal
# pytest rewrites the asserts of every test module it imports (~230) and keeps the result as bytecode next to it,
# unless PYTHONDONTWRITEBYTECODE is set: then every worker of every run rewrote and compiled them all again, about
# half of a worker's collection (~4 of ~8 s of CPU). The suite writes it (a stale file is just ignored).
TEST_ENV = PYTHONDONTWRITEBYTECODE=

test: $(STAMP)  ## the whole suite (SQLite; set LABELGRAPH_TEST_DATABASE_URL for PostgreSQL)
	$(TEST_ENV) $(BIN)/pytest -q $(XDIST) $(PYTEST_ARGS)

test-postgres: $(STAMP)
	LABELGRAPH_TEST_DATABASE_URL=$${LABELGRAPH_TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres} $(TEST_ENV) $(BIN)/pytest -q $(XDIST) $(PYTEST_ARGS)

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
	$(MAKE) --no-print-directory console
	@if [ -n "$$(git status --porcelain --untracked-files=all -- schema clients/python/labelgraph_client $(CONSOLE_GENERATED))" ]; then \
		git status --short --untracked-files=all -- schema clients/python/labelgraph_client $(CONSOLE_GENERATED); \
		git --no-pager diff --stat -- schema clients/python/labelgraph_client $(CONSOLE_GENERATED); \
		echo "generated files differ from the committed ones: run 'make codegen' and commit the result"; \
		exit 1; \
	fi
	@echo "labelgraph: schema/, clients/python/labelgraph_client/ and the console's client and build are up to date"

# The web console (console/, README "Console"): node and npm from the machine, packages from console/package-lock.json
# (npm ci). `make console` regenerates its typed client (console/src/gql/, GraphQL Code Generator, from
# schema/schema.graphql) and builds it into server/labelgraph/console_dist/: both are committed, so `make run`
# needs only Python, and check-generated fails when they drift. The build is deterministic (content-hashed names).
CONSOLE_GENERATED := console/src/gql server/labelgraph/console_dist
CONSOLE_STAMP := console/node_modules/.installed

$(CONSOLE_STAMP): console/package.json console/package-lock.json
	cd console && npm ci --no-audit --no-fund
	touch $(CONSOLE_STAMP)

console: $(CONSOLE_STAMP)  ## regenerate the console's TypeScript client and build it into server/labelgraph/console_dist/
	cd console && npx graphql-codegen --config codegen.ts --silent
	cd console && npx tsc --noEmit && npx vite build --logLevel warn
	@echo "labelgraph: built the console into server/labelgraph/console_dist/ ($$(cd server/labelgraph/console_dist && cat $$(sed -n 's/.*\(src\|href\)="\/\(assets\/[^"]*\.js\)".*/\2/p' index.html) | gzip -9 | wc -c) bytes of JS gzipped on first load)"

console-screenshots: $(STAMP) $(CONSOLE_STAMP)  ## refresh docs/console/*.png from the browser tests
	LABELGRAPH_CONSOLE_SCREENSHOTS=docs/console $(BIN)/pytest -q tests/console -p no:cacheprovider

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
