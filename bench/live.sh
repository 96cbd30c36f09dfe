#!/usr/bin/env bash
# Benchmark of `schemac pull` and a no-op `schemac push` against a live PostgreSQL database,
# beside `drizzle-kit pull` and `drizzle-kit push` in the same run, on the synthetic schemas of
# bench/gen_schema.py (N tables, each with 8 columns, a foreign key, an index, a unique
# constraint).
#
# For each size a fresh database gets the schema (schemac push from empty, checked to have N
# tables); then every run of
#   pull: writes schema.ts, relations.ts and the first migration into a fresh folder (checked:
#         N tables in schema.ts);
#   push: the same schema again, which must report no changes (checked: "No changes detected");
# drizzle-kit runs the same two on the same database. drizzle-kit reads the catalog with
# per-table queries and needs minutes at 1000 tables (434 s for pull and 437 s for push when the
# issue was written), so it runs only at DK_SIZES (default 100 500; DK_SIZES="100 500 1000" for
# all). Wall time is the median of RUNS runs (drizzle-kit: DK_RUNS, default 1); peak memory the
# largest maximum resident set size (GNU time). Writes bench/RESULTS-live.md (OUT to write
# elsewhere); a hand-written part of that file from a line `## Notes` on is kept.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-3}"
DK_RUNS="${DK_RUNS:-1}"
SIZES="${SIZES:-100 500 1000}"
DK_SIZES="${DK_SIZES-100 500}"
OUT="${OUT:-bench/RESULTS-live.md}"
PG="${PG_BASE:-postgres://postgres@127.0.0.1:5432}"
NM="${ORACLE_NODE_MODULES:-$HOME/.cache/schemac-oracle/node_modules}"
work="$(mktemp -d)"
dbs=()
cleanup() {
  for db in "${dbs[@]}"; do psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT

if [[ -z "${SCHEMAC_BIN:-}" ]]; then
  cargo build --release -q
  SCHEMAC_BIN="${CARGO_TARGET_DIR:-$PWD/target}/release/schemac"
fi
dk_version="-"
if [[ -d "$NM/drizzle-kit" ]]; then
  dk_version=$(node -p "require('$NM/drizzle-kit/package.json').version")
else
  echo "bench: drizzle-kit is not installed in $NM; measuring schemac only" >&2
  DK_SIZES=""
fi

# Runs "$@" in $dir, timed; $check is a command run afterwards that must succeed. Prints
# "<seconds> <peak KB>".
run_once() {
  local dir="$1" check="$2"; shift 2
  local t0 t1
  t0=$EPOCHREALTIME
  /usr/bin/time -f '%M' -o "$work/time" \
    bash -c 'cd "$0" && exec "$@" </dev/null >"$0/../run.log" 2>&1' "$dir" "$@" \
    || { echo "bench: failed: $*" >&2; cat "$work/run.log" >&2; return 1; }
  t1=$EPOCHREALTIME
  bash -c "$check" || { echo "bench: wrong result of: $*" >&2; cat "$work/run.log" >&2; return 1; }
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f ", b - a }'
  tail -n1 "$work/time"
}

# Median wall (ms) and peak RSS (MB) of $1 runs of run_once (a fresh $dir/out each time).
measure() {
  local runs="$1"; shift
  local walls=() rss=0 w kb
  for _ in $(seq "$runs"); do
    rm -rf "$2/out"
    read -r w kb < <(run_once "$@") || return 1
    walls+=("$w")
    (( kb > rss )) && rss=$kb
  done
  printf '%s\n' "${walls[@]}" | sort -g \
    | awk -v rss="$rss" '{ a[NR] = $1 } END { printf "%.0f %.0f\n", a[int((NR + 1) / 2)] * 1000, rss / 1024 }'
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
rows=()
for n in $SIZES; do
  db="schemac_bench_live_${n}_$$"
  dbs+=("$db")
  psql -q "$PG/postgres" -c "CREATE DATABASE \"$db\"" >/dev/null
  url="$PG/$db"
  dir="$work/p$n"
  mkdir -p "$dir"
  python3 bench/gen_schema.py "$n" "$dir/schema.ts"
  cat >"$dir/drizzle.config.ts" <<CFG
import { defineConfig } from 'drizzle-kit';
export default defineConfig({ dialect: 'postgresql', schema: './schema.ts', out: './out', dbCredentials: { url: '$url' } });
CFG
  ln -sfn "$NM" "$dir/node_modules"
  (cd "$dir" && "$SCHEMAC_BIN" push --force >/dev/null)
  tables=$(psql -Atq "$url" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
  [[ "$tables" == "$n" ]] || { echo "bench: the database has $tables tables, not $n" >&2; exit 1; }

  pull_check="[[ \$(grep -c 'pgTable(' '$dir/out/schema.ts') -ge $n ]]"
  push_check="grep -q 'No changes detected' '$work/run.log'"
  read -r pw pm < <(measure "$RUNS" "$dir" "$pull_check" "$SCHEMAC_BIN" pull)
  read -r uw um < <(measure "$RUNS" "$dir" "$push_check" "$SCHEMAC_BIN" push)
  dpw="-"; dpm="-"; duw="-"; dum="-"
  if [[ " $DK_SIZES " == *" $n "* ]]; then
    dk_pull_check="[[ \$(grep -c 'pgTable(' '$dir/out/schema.ts') -ge $n ]]"
    dk_push_check="grep -qi 'No changes detected' '$work/run.log'"
    read -r dpw dpm < <(measure "$DK_RUNS" "$dir" "$dk_pull_check" node "$NM/drizzle-kit/bin.cjs" pull)
    read -r duw dum < <(measure "$DK_RUNS" "$dir" "$dk_push_check" node "$NM/drizzle-kit/bin.cjs" push)
  fi
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "-" && b > 0) printf "%.0fx", a / b; else print "-" }'; }
  rows+=("| pull | $n | $pw | $pm | $dpw | $dpm | $(ratio "$dpw" "$pw") |")
  rows+=("| no-op push | $n | $uw | $um | $duw | $dum | $(ratio "$duw" "$uw") |")
  echo "bench: $n tables: pull $pw ms $pm MB (drizzle-kit $dpw ms); push $uw ms $um MB (drizzle-kit $duw ms)" >&2
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

notes=""
[[ -f "$OUT" ]] && notes=$(sed -n '/^## Notes/,$p' "$OUT")
{
  echo "# \`schemac pull\` and \`schemac push\` benchmark (PostgreSQL)"
  echo
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); $(date -u +%Y-%m-%d)."
  echo "Load average (1, 5, 15 min) $load_before before the run, $load_after after."
  echo "schemac: median of $RUNS runs; drizzle-kit $dk_version: median of $DK_RUNS, at sizes \`${DK_SIZES:-none}\` only. Peak RSS."
  echo
  echo "| command | tables | schemac wall (ms) | schemac peak (MB) | drizzle-kit wall (ms) | drizzle-kit peak (MB) | speed-up |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "pull: schema.ts, relations.ts and the first migration into an empty folder (checked: every table written)."
  echo "no-op push: the schema the database was made from (checked: no changes). Wall time includes process start-up."
  [[ -z "$notes" ]] || printf '\n%s\n' "$notes"
} >"$OUT"
echo "bench: wrote $OUT" >&2
