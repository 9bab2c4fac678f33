#!/usr/bin/env bash
# Issue 16.9 before/after in one run: bench/bulk_bench.py against a base commit's server and client (BASE, default
# main) and against this tree, alternated round by round, each with its own driver floor.
#   bash bench/bulk.sh [BASE] [ROUNDS]       # env: CALLS (default 5), ONLY (pg|sqlite), LG_PG_DSN, LG_BULK_DB,
#                                            #      SERVE=1 (`labelgraph serve` over HTTP), CONCURRENCY (calls in flight)
set -euo pipefail
cd "$(dirname "$0")/.."
BASE=${1:-main}
ROUNDS=${2:-2}
CALLS=${CALLS:-5}
OLD=$(mktemp -d /tmp/lg-bulk-base.XXXXXX)
trap 'rm -rf "$OLD"' EXIT
git archive "$BASE" server clients/python | tar -x -C "$OLD"
OUT=bench/.work/bulk-${ONLY:-all}-$(date +%Y%m%d-%H%M%S).jsonl
mkdir -p bench/.work
for r in $(seq "$ROUNDS"); do
  echo "round $r: base ($BASE)" >&2
  PYTHONPATH="$OLD/server:$OLD/clients/python" .venv/bin/python bench/bulk_bench.py --rounds 1 --calls "$CALLS" \
    ${ONLY:+--only $ONLY} ${SERVE:+--serve} --concurrency "${CONCURRENCY:-1}" --label "base $BASE" --json "$OUT"
  echo "round $r: this tree" >&2
  PYTHONPATH="server:clients/python" .venv/bin/python bench/bulk_bench.py --rounds 1 --calls "$CALLS" \
    ${ONLY:+--only $ONLY} ${SERVE:+--serve} --concurrency "${CONCURRENCY:-1}" --label "this tree ($(git rev-parse --short HEAD))" --json "$OUT"
done
echo "results: $OUT" >&2
