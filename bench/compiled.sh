#!/usr/bin/env bash
# Issue 9: the compiled read path in ONE interleaved run, reported as ratios.
#   PostgreSQL: labelgraph compiled vs PostGraphile v4 vs the raw floor (and labelgraph's resolver path);
#   SQLite:     labelgraph compiled vs the resolver path (LABELGRAPH_COMPILER=off).
# Reuses run.sh's pieces: the anchors' setup and servers (raw :8001, PostGraphile v4 :5000), gen_data.py's data
# (db labelgraph_bench + .work/labelgraph.db), run_loadtest.py (the anchors' interleaved wrk rounds). Every
# labelgraph server is ONE process (`labelgraph serve`). Everything it starts is stopped on exit.
# Results: bench/.work/compiled-<time>.{md,json,log}.
#
#   bash bench/compiled.sh                       # or: make -C bench compiled
#   ROUNDS=2 SKIP_SETUP=1 SKIP_DATA=1 bash bench/compiled.sh
#
# Environment: ROUNDS (3), DURATION (15 s loaded wrk), SINGLE_DURATION (5 s wrk -c1), SKIP_SETUP=1, SKIP_DATA=1,
# NO_PG_RESOLVERS=1 (leave out labelgraph-pg-resolvers), NO_PGBENCH=1, START_WAIT (30 s per server to get healthy), BENCH_ANCHORS, ports LG_PORT_BASE (8111…8116).
# ALT_LABELGRAPH_SRC=<dir>: a second labelgraph tree (a checkout: its server/ and clients/python/ go first on
#   PYTHONPATH; or a directory holding a `labelgraph` package), served compiled as labelgraph-pg-alt and
#   labelgraph-sqlite-alt on the same data, compared with labelgraph-pg / labelgraph-sqlite in the same rounds.
# NO_ANCHORS=1: labelgraph targets only (no anchors' setup, no raw/PostGraphile, no pgbench, statements counted
#   by labelgraph itself): for an old-vs-new comparison when pg_stat_statements is not loaded or the cluster
#   must not be restarted (the anchors' setup restarts it once to load pg_stat_statements).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
ANCHORS=$(cd "${BENCH_ANCHORS:-$ROOT/../shared/bench-anchors}" && pwd)
W="$HERE/.work"
export PERFPROTO="$W/anchors"
export BENCH_PG_DSN=${BENCH_PG_DSN:-postgresql://postgres:postgres@127.0.0.1:5432/bench}
LG_PG_DSN=${LG_PG_DSN:-postgresql://postgres:postgres@127.0.0.1:5432/labelgraph_bench}
LG_SQLITE="$W/labelgraph.db"
BASE=${LG_PORT_BASE:-8111}
ROUNDS=${ROUNDS:-3}
PY="$ROOT/.venv/bin/python"
LABELGRAPH="$ROOT/.venv/bin/labelgraph"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$W/pids"
[ -x "$LABELGRAPH" ] || make -C "$ROOT" install

LG_PIDS=()
cleanup() {
  for pid in "${LG_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${LG_PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
  [ "${NO_ANCHORS:-0}" = 1 ] || bash "$ANCHORS/servers.sh" stop || true
  rm -f "$W"/pids/compiled-*.pid
}
trap cleanup EXIT

echo "== anchors' setup (into $PERFPROTO)"
if [ "${SKIP_SETUP:-0}" != 1 ] && [ "${NO_ANCHORS:-0}" != 1 ]; then
  bash "$ANCHORS/setup.sh" > "$W/setup.log" 2>&1 || { tail -30 "$W/setup.log"; exit 1; }
  tail -1 "$W/setup.log"
fi

echo "== labelgraph data"
if [ "${SKIP_DATA:-0}" != 1 ] || [ ! -f "$W/project_id" ] || [ ! -f "$LG_SQLITE" ]; then
  "$PY" "$HERE/gen_data.py" --pg "$LG_PG_DSN" --sqlite "$LG_SQLITE" --token-file "$W/token" > "$W/project_id"
fi
[ -f "$W/token" ] || (cd "$HERE" && "$PY" -c 'import gen_data; print(gen_data.TOKEN)') > "$W/token"
PROJECT_ID=$(cat "$W/project_id")
AUTH="Bearer $(cat "$W/token")"
[ "${NO_ANCHORS:-0}" = 1 ] || psql "$LG_PG_DSN" -qc "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"
echo "project: $PROJECT_ID"

echo "== servers"
start_labelgraph() {  # name, port, database url, compiler on|off[, PYTHONPATH]
  # the rate limit is raised out of the way (a reference request costs 128 points); the limiter still runs
  PYTHONPATH=${5:-${PYTHONPATH:-}} LABELGRAPH_COMPILER=$4 LABELGRAPH_EMBEDDED_WORKERS=0 LABELGRAPH_LOG_LEVEL=warning LABELGRAPH_RATE_LIMIT=1000000000 \
    nohup "$LABELGRAPH" serve --no-migrate --port "$2" --database-url "$3" \
    --data-dir "$W/labelgraph-data" > "$W/compiled-$1.log" 2>&1 &
  LG_PIDS+=("$!")
  echo "$!" > "$W/pids/compiled-$1.pid"
}
NAMES=(labelgraph-pg labelgraph-sqlite labelgraph-sqlite-resolvers)
start_labelgraph labelgraph-pg "$BASE" "$LG_PG_DSN" on
start_labelgraph labelgraph-sqlite "$((BASE + 1))" "sqlite:///$LG_SQLITE" on
start_labelgraph labelgraph-sqlite-resolvers "$((BASE + 2))" "sqlite:///$LG_SQLITE" off
PORTS=("$BASE" "$((BASE + 1))" "$((BASE + 2))")
if [ "${NO_PG_RESOLVERS:-0}" != 1 ]; then
  start_labelgraph labelgraph-pg-resolvers "$((BASE + 3))" "$LG_PG_DSN" off
  NAMES+=(labelgraph-pg-resolvers); PORTS+=("$((BASE + 3))")
fi
if [ -n "${ALT_LABELGRAPH_SRC:-}" ]; then
  ALT_LABELGRAPH_SRC=$(cd "$ALT_LABELGRAPH_SRC" && pwd)
  if [ -f "$ALT_LABELGRAPH_SRC/server/labelgraph/__init__.py" ]; then
    ALT_PATH="$ALT_LABELGRAPH_SRC/server:$ALT_LABELGRAPH_SRC/clients/python"
  elif [ -f "$ALT_LABELGRAPH_SRC/labelgraph/__init__.py" ]; then
    ALT_PATH="$ALT_LABELGRAPH_SRC"
  else
    echo "ALT_LABELGRAPH_SRC: no labelgraph package in $ALT_LABELGRAPH_SRC"; exit 2
  fi
  start_labelgraph labelgraph-pg-alt "$((BASE + 4))" "$LG_PG_DSN" on "$ALT_PATH"
  start_labelgraph labelgraph-sqlite-alt "$((BASE + 5))" "sqlite:///$LG_SQLITE" on "$ALT_PATH"
  NAMES+=(labelgraph-pg-alt labelgraph-sqlite-alt); PORTS+=("$((BASE + 4))" "$((BASE + 5))")
fi
[ "${NO_ANCHORS:-0}" = 1 ] || bash "$ANCHORS/servers.sh" start
for port in "${PORTS[@]}"; do
  for _ in $(seq $((${START_WAIT:-30} * 2))); do curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.5; done
  curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" || { echo "labelgraph on :$port did not start"; exit 1; }
done

REF="$HERE/queries/reference.graphql"
VARS="{\"projectId\": \"$PROJECT_ID\"}"
TARGETS=()
[ "${NO_ANCHORS:-0}" = 1 ] || TARGETS=(
  --target "raw,http://127.0.0.1:8001/graphql,$ANCHORS/queries/reference.graphql"
  --target "pgl4,http://127.0.0.1:5000/graphql,$ANCHORS/queries/reference_postgraphile.graphql")
STMT=()
for i in "${!NAMES[@]}"; do
  name=${NAMES[$i]}
  TARGETS+=(--target "$name,http://127.0.0.1:${PORTS[$i]}/graphql,$REF,$VARS")
  env_name="BENCH_AUTH_$(echo "$name" | tr 'a-z-' 'A-Z_')"
  export "$env_name=$AUTH"
  if [ "${NO_ANCHORS:-0}" = 1 ]; then STMT+=(--stmt-dsn "$name=none")
  else case $name in *pg*) STMT+=(--stmt-dsn "$name=$LG_PG_DSN") ;; *) STMT+=(--stmt-dsn "$name=none") ;; esac; fi
  STMT+=(--labelgraph "$name")
done
COMPARE=()
[ "${NO_ANCHORS:-0}" = 1 ] || COMPARE=(--compare labelgraph-pg:pgl4 --compare labelgraph-pg:raw --compare pgl4:raw)
COMPARE+=(--compare labelgraph-sqlite:labelgraph-sqlite-resolvers --compare labelgraph-sqlite:labelgraph-pg)
[ "${NO_PG_RESOLVERS:-0}" = 1 ] || COMPARE+=(--compare labelgraph-pg:labelgraph-pg-resolvers)
[ -z "${ALT_LABELGRAPH_SRC:-}" ] || COMPARE+=(--compare labelgraph-pg:labelgraph-pg-alt
                                              --compare labelgraph-sqlite:labelgraph-sqlite-alt)
PGBENCH=()
[ "${NO_PGBENCH:-0}" = 1 ] || [ "${NO_ANCHORS:-0}" = 1 ] || PGBENCH=(--pgbench "$ANCHORS/queries/floor.sql")

echo "== versions"
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "postgresql: $(psql "$LG_PG_DSN" -Atc 'show server_version')"
  echo "wrk: $(wrk -v 2>&1 | head -1)"
  echo "python: $("$PY" --version)"
  "$PY" -m pip list 2>/dev/null | grep -iE '^(strawberry-graphql|graphql-core|starlette|uvicorn|uvloop|httptools|sqlalchemy|asyncpg|aiosqlite|orjson) '
  [ "${NO_ANCHORS:-0}" = 1 ] || echo "postgraphile v4: $(node -p "require('$PERFPROTO/node/v4/node_modules/postgraphile/package.json').version") on node $(node --version)"
  echo "labelgraph: $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- server || echo ' (server/ modified)')"
  [ -z "${ALT_LABELGRAPH_SRC:-}" ] || echo "labelgraph-*-alt: $ALT_LABELGRAPH_SRC ($(git -C "$ALT_LABELGRAPH_SRC" rev-parse --short HEAD 2>/dev/null || echo 'not a git tree'))"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$W/compiled-versions-$STAMP.txt"

echo "== load test (rounds: $ROUNDS)"
"$PY" "$HERE/run_loadtest.py" --anchors "$ANCHORS" "${STMT[@]}" \
  --pg-dsn "$BENCH_PG_DSN" "${TARGETS[@]}" "${PGBENCH[@]}" "${COMPARE[@]}" \
  --rounds "$ROUNDS" --duration "${DURATION:-15}" --single-duration "${SINGLE_DURATION:-5}" \
  --out "$W/compiled-$STAMP.json" 2> >(tee "$W/compiled-$STAMP.log" >&2) | tee "$W/compiled-$STAMP.md"
echo "results: $W/compiled-$STAMP.md (.json, .log)"
echo "load average at end: $(cut -d" " -f1-3 /proc/loadavg)" | tee -a "$W/compiled-versions-$STAMP.txt"
