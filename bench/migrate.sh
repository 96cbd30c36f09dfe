#!/usr/bin/env bash
# Benchmark of `schemac migrate` beside `drizzle-kit migrate` and the database's own time, on a
# PostgreSQL folder of N small migrations (each: CREATE TABLE with a serial key + CREATE INDEX).
# Every run applies the whole folder to a fresh database:
#   database: psql runs the same statements in one session, each file in its own transaction
#             with the same INSERT into a migrations table (the work any runner must do);
#   schemac:  schemac migrate --url ... --out ...;
#   drizzle-kit: drizzle-kit migrate with a config naming the same folder.
# Overhead per migration = (tool - database) / N. Wall time is the median of RUNS runs. Every
# run is checked: N rows in the migrations table. Writes bench/RESULTS-migrate.md (OUT to write
# elsewhere); a hand-written part of that file from a line `## Notes` on is kept.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-3}"
N="${N:-200}"
OUT="${OUT:-bench/RESULTS-migrate.md}"
PG="${PG:-postgres://postgres@127.0.0.1:5432}"
NM="${ORACLE_NODE_MODULES:-$HOME/.cache/schemac-oracle/node_modules}"
work="$(mktemp -d)"
dbs=()
cleanup() {
  for d in "${dbs[@]}"; do psql -X -q "$PG/postgres" -c "DROP DATABASE IF EXISTS \"$d\" WITH (FORCE)" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT

if [[ -z "${SCHEMAC_BIN:-}" ]]; then
  cargo build --release -q
  SCHEMAC_BIN="${CARGO_TARGET_DIR:-$PWD/target}/release/schemac"
fi

# The folder, and the psql script doing the same work.
mkdir -p "$work/drizzle/meta"
{
  echo 'CREATE SCHEMA IF NOT EXISTS bench_m; CREATE TABLE bench_m.m (id serial PRIMARY KEY, hash text NOT NULL, created_at bigint);'
} >"$work/direct.sql"
entries=()
for ((i = 0; i < N; i++)); do
  tag=$(printf '%04d_t%d' "$i" "$i")
  when=$((1700000000000 + i))
  printf 'CREATE TABLE "t%d" (\n\t"id" serial PRIMARY KEY NOT NULL,\n\t"name" text NOT NULL\n);\n--> statement-breakpoint\nCREATE INDEX "t%d_name" ON "t%d" USING btree ("name");' "$i" "$i" "$i" >"$work/drizzle/$tag.sql"
  {
    echo 'BEGIN;'
    sed 's/--> statement-breakpoint//' "$work/drizzle/$tag.sql"
    echo "INSERT INTO bench_m.m (hash, created_at) VALUES ('$(sha256sum "$work/drizzle/$tag.sql" | cut -c1-64)', $when);"
    echo 'COMMIT;'
  } >>"$work/direct.sql"
  entries+=("{\"idx\":$i,\"version\":\"7\",\"when\":$when,\"tag\":\"$tag\",\"breakpoints\":true}")
done
(IFS=,; echo "{\"version\":\"7\",\"dialect\":\"postgresql\",\"entries\":[${entries[*]}]}") >"$work/drizzle/meta/_journal.json"

# Creates database $1 (named here, not in a subshell, so that cleanup drops it).
fresh_db() {
  dbs+=("$1")
  psql -X -q "$PG/postgres" -c "CREATE DATABASE \"$1\"" >/dev/null
}

rows() { psql -X -qtA "$PG/$1" -c "SELECT count(*) FROM $2"; }

# Prints the seconds one run of "$@" takes.
timed() {
  local t0=$EPOCHREALTIME
  "$@" >"$work/log" 2>&1 || { cat "$work/log" >&2; exit 1; }
  echo "$EPOCHREALTIME - $t0" | bc -l
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

have_dk=0
if [[ -f "$NM/drizzle-kit/bin.cjs" ]]; then
  have_dk=1
  ln -s "$NM" "$work/node_modules"
fi

db_t=(); sc_t=(); dk_t=()
for ((r = 0; r < RUNS; r++)); do
  d="schemac_bench_m_$$_db$r"; fresh_db "$d"
  db_t+=("$(timed psql -X -q -v ON_ERROR_STOP=1 "$PG/$d" -f "$work/direct.sql")")
  [[ $(rows "$d" bench_m.m) == "$N" ]] || { echo "bench: psql run incomplete" >&2; exit 1; }
  d="schemac_bench_m_$$_sc$r"; fresh_db "$d"
  sc_t+=("$(cd "$work" && timed "$SCHEMAC_BIN" migrate --url "$PG/$d" --out drizzle)")
  [[ $(rows "$d" drizzle.__drizzle_migrations) == "$N" ]] || { echo "bench: schemac run incomplete" >&2; exit 1; }
  if ((have_dk)); then
    d="schemac_bench_m_$$_dk$r"; fresh_db "$d"
    echo "export default { dialect: 'postgresql', schema: './schema.ts', out: './drizzle', dbCredentials: { url: '$PG/$d' } };" >"$work/drizzle.config.ts"
    dk_t+=("$(cd "$work" && timed node "$NM/drizzle-kit/bin.cjs" migrate)")
    [[ $(rows "$d" drizzle.__drizzle_migrations) == "$N" ]] || { echo "bench: drizzle-kit run incomplete" >&2; exit 1; }
  fi
done

db=$(printf '%s\n' "${db_t[@]}" | median)
sc=$(printf '%s\n' "${sc_t[@]}" | median)
ms() { printf '%.0f' "$(echo "$1 * 1000" | bc -l)"; }
per() { printf '%.2f' "$(echo "($1 - $db) * 1000 / $N" | bc -l)"; }
notes=""
[[ -f "$OUT" ]] && notes=$(sed -n '/^## Notes/,$p' "$OUT")
{
  echo "# schemac migrate: $N small migrations on PostgreSQL"
  echo
  echo "Written by \`bench/migrate.sh\` ($(date -u +%Y-%m-%d), median of $RUNS runs, binary: \`$(case "$(basename "$(dirname "$SCHEMAC_BIN")")" in debug|release|profiling) basename "$(dirname "$SCHEMAC_BIN")";; *) echo "SCHEMAC_BIN";; esac)\` build)."
  echo "Each migration: CREATE TABLE with a serial key and CREATE INDEX; each run on a fresh database."
  echo
  echo "| runner | wall ms | overhead per migration (ms, beyond the database's own time) |"
  echo "|---|---|---|"
  echo "| database (psql, same statements, one transaction per file) | $(ms "$db") | - |"
  echo "| schemac migrate | $(ms "$sc") | $(per "$sc") |"
  if ((have_dk)); then
    dk=$(printf '%s\n' "${dk_t[@]}" | median)
    echo "| drizzle-kit migrate $(node -p "require('$NM/drizzle-kit/package.json').version") (one transaction for all) | $(ms "$dk") | $(per "$dk") |"
  fi
  if [[ -n "$notes" ]]; then echo; echo "$notes"; fi
} >"$OUT"
cat "$OUT"
