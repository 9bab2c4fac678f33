#!/bin/bash
# bench/import_rounds.sh — the import before/after of bench/README.md ("import4"): per round, the copy floor and the
# baseline's import with annotation's FKs to project/dataset (re-added NOT VALID), this tree's import with them,
# then the floor and this tree's import without them (0013_import4). Usage: U=postgresql://postgres@127.0.0.1:5432/DB
# BASE=/tmp/base ROUNDS=1 bench/import_rounds.sh   (BASE: `git archive main server | tar -x -C /tmp/base`)
cd "$(dirname "$0")/.."
U=${U:?give U=postgresql://…/db (loaded by formats_bench.py --runs 0)}; BASE=${BASE:?give BASE=an extracted git archive of main (BASE/server)}
P="psql -q -h 127.0.0.1 -U postgres "${U##*/}" -c"
fks_on() { $P "ALTER TABLE annotation ADD CONSTRAINT annotation_project_id_fkey FOREIGN KEY (project_id) REFERENCES project (id) ON DELETE CASCADE NOT VALID, ADD CONSTRAINT annotation_dataset_id_fkey FOREIGN KEY (dataset_id) REFERENCES dataset (id) ON DELETE CASCADE NOT VALID" 2>/dev/null; }
fks_off() { $P "ALTER TABLE annotation DROP CONSTRAINT IF EXISTS annotation_project_id_fkey, DROP CONSTRAINT IF EXISTS annotation_dataset_id_fkey"; }
clean() { $P "DELETE FROM annotation WHERE dataset_id IN (SELECT id FROM dataset WHERE name LIKE 'import %' OR name LIKE 'small %')" -c "DELETE FROM dataset WHERE name LIKE 'import %' OR name LIKE 'small %'" -c "DELETE FROM outbox_event" -c "VACUUM ANALYZE annotation" -c "VACUUM ANALYZE item"; }
run() { local label=$1; shift; echo "$label load=$(cut -d' ' -f1 /proc/loadavg) $("$@" .venv/bin/python bench/formats_bench.py --one $WHAT --url $U | tail -1)"; }
for r in $(seq ${ROUNDS:-1}); do
  clean; fks_on
  WHAT=copyfloor run "floor (FKs as main)" env PYTHONPATH=server:clients/python
  WHAT=import run "import main (FKs)" env PYTHONPATH=$BASE/server
  clean
  WHAT=import run "import import4 (FKs)" env PYTHONPATH=server:clients/python
  clean; fks_off
  WHAT=copyfloor run "floor (0013: no project/dataset FK)" env PYTHONPATH=server:clients/python
  WHAT=import run "import import4 (0013)" env PYTHONPATH=server:clients/python
done
clean
