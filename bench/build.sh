#!/usr/bin/env bash
# Benchmark of `schemac build` beside `drizzle-kit generate`, in the same run, on the synthetic
# PostgreSQL schemas of bench/gen_schema.py (one file), and the same 1000 tables in mysql-core and
# sqlite-core, in two cases:
#   scratch: an empty project (no migrations folder) -> the first migration, 0000_bench;
#   edit:    a folder holding the tool's own first migration, and the schema with one more column
#            (`note text` on the middle table) -> 0001_bench, one ALTER TABLE ... ADD COLUMN.
# Every run starts from a fresh copy of the project, so migrations never pile up, and every run's
# folder is checked afterwards (bench/check_build.py): the expected files, N tables, and exactly
# the one ALTER in the second migration. A run that fails or writes anything else stops the bench.
# Wall time is the median of RUNS runs; peak memory the largest maximum resident set size (GNU
# time). Writes the table to bench/RESULTS-build.md (OUT to write elsewhere); a hand-written part
# of that file from a line `## Notes` on is kept.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-5}"
SIZES="${SIZES:-1000 2000}"
# MySQL and SQLite: these sizes (OTHER_SIZES="" leaves them out).
OTHER_SIZES="${OTHER_SIZES-1000}"
OUT="${OUT:-bench/RESULTS-build.md}"
NM="${ORACLE_NODE_MODULES:-$HOME/.cache/schemac-oracle/node_modules}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [[ -z "${SCHEMAC_BIN:-}" ]]; then
  cargo build --release -q
  SCHEMAC_BIN="${CARGO_TARGET_DIR:-$PWD/target}/release/schemac"
fi
[[ -d "$NM/drizzle-kit" ]] || {
  echo "bench: drizzle-kit is not installed in $NM (the oracle's setup.sh installs it)" >&2
  exit 1
}
dk_version=$(node -p "require('$NM/drizzle-kit/package.json').version")

# One run: a fresh copy of the project $1, the command timed in it, then the check ($2: check_build.py
# arguments after the folder). Prints "<seconds> <peak KB>".
run_once() {
  local template="$1" check="$2"; shift 2
  local dir="$work/run" t0 t1
  rm -rf "$dir"
  cp -a "$template" "$dir"
  t0=$EPOCHREALTIME
  /usr/bin/time -f '%M' -o "$work/time" \
    bash -c 'cd "$0" && exec "$@" </dev/null >../run.log 2>&1' "$dir" "$@" \
    || { echo "bench: failed in $template: $*" >&2; cat "$work/run.log" >&2; return 1; }
  t1=$EPOCHREALTIME
  # shellcheck disable=SC2086 # $check is a word list on purpose
  python3 bench/check_build.py "$dir/drizzle" $check \
    || { echo "bench: wrong output of: $*" >&2; cat "$work/run.log" >&2; return 1; }
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f ", b - a }'
  tail -n1 "$work/time"
}

# Median and fastest wall time (ms) and peak RSS (MB) over $RUNS runs of run_once. On a shared
# machine the fastest run is the one least disturbed by other jobs.
measure() {
  local walls=() rss=0 w kb
  for _ in $(seq "$RUNS"); do
    read -r w kb < <(run_once "$@") || return 1
    [[ -n "$kb" ]] || return 1
    walls+=("$w")
    (( kb > rss )) && rss=$kb
  done
  printf '%s\n' "${walls[@]}" | sort -g \
    | awk -v rss="$rss" '{ a[NR] = $1 } END { printf "%.0f %.0f %.0f\n", a[int((NR + 1) / 2)] * 1000, a[1] * 1000, rss / 1024 }'
}

# A project for N tables in $dialect: the config, the schema (with the extra column when $3 is
# given).
make_project() {
  local dir="$1" n="$2" extra="${3:-}"
  mkdir -p "$dir"
  python3 bench/gen_schema.py "$n" "$dir/schema/schema.ts" --dialect "$dialect" \
    ${extra:+--extra-column "$extra"}
  cat >"$dir/drizzle.config.ts" <<CFG
import { defineConfig } from 'drizzle-kit';
export default defineConfig({ dialect: '$dialect', schema: './schema/schema.ts', out: './drizzle' });
CFG
  ln -sfn "$NM" "$dir/node_modules"
}

# The edit case's starting point for one tool: its own first migration beside the edited schema.
make_edit_project() {
  local dir="$1" n="$2" extra="$3"; shift 3
  make_project "$dir" "$n" "$extra"
  make_project "$work/seed" "$n"
  (cd "$work/seed" && "$@" </dev/null >/dev/null 2>&1) \
    && python3 bench/check_build.py "$work/seed/drizzle" scratch "$n" "$dialect" \
    || { echo "bench: the first migration for the edit case failed: $*" >&2; return 1; }
  cp -a "$work/seed/drizzle" "$dir/drizzle"
  rm -rf "$work/seed"
}

schemac_cmd=("$SCHEMAC_BIN" build --name bench)
dk_cmd=(node "$NM/drizzle-kit/bin.cjs" generate --name bench)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
rows=()
cases=()
for n in $SIZES; do cases+=("postgresql $n"); done
for n in $OTHER_SIZES; do cases+=("mysql $n" "sqlite $n"); done
for c in "${cases[@]}"; do
  read -r dialect n <<<"$c"
  extra=$(( n / 2 ))
  table=$(printf 't%04d' "$extra")
  p="$dialect-$n"
  make_project "$work/scratch-$p" "$n"
  make_edit_project "$work/edit-schemac-$p" "$n" "$extra" "${schemac_cmd[@]}"
  make_edit_project "$work/edit-dk-$p" "$n" "$extra" "${dk_cmd[@]}"
  for case in scratch edit; do
    if [[ $case == scratch ]]; then
      check="scratch $n $dialect"; s_proj="$work/scratch-$p"; d_proj="$work/scratch-$p"
    else
      check="edit $n $table $dialect"; s_proj="$work/edit-schemac-$p"; d_proj="$work/edit-dk-$p"
    fi
    read -r sw sf sm < <(measure "$s_proj" "$check" "${schemac_cmd[@]}")
    read -r dw df dm < <(measure "$d_proj" "$check" "${dk_cmd[@]}")
    speed=$(awk -v a="$dw" -v b="$sw" 'BEGIN { if (b > 0) printf "%.0fx", a / b; else print "-" }')
    rows+=("| $dialect | $n | $case | $sw | $sf | $sm | $dw | $df | $dm | $speed |")
    echo "bench: $dialect, $n tables, $case: schemac $sw ms (fastest $sf) $sm MB; drizzle-kit $dw ms (fastest $df) $dm MB; $speed" >&2
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

notes=""
[[ -f "$OUT" ]] && notes=$(sed -n '/^## Notes/,$p' "$OUT")
{
  echo "# \`schemac build\` benchmark"
  echo
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); $(date -u +%Y-%m-%d)."
  echo "Load average (1, 5, 15 min) $load_before before the run, $load_after after."
  echo "Median and fastest of $RUNS runs; peak RSS. Speed-up: of the medians. drizzle-kit $dk_version (\`generate\`) via the oracle's node_modules."
  echo
  echo "| dialect | tables | case | schemac wall (ms) | fastest | schemac peak (MB) | drizzle-kit wall (ms) | fastest | drizzle-kit peak (MB) | speed-up |"
  echo "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "scratch: no migrations folder -> the first migration. edit: the tool's own first migration,"
  echo "the schema with one more column -> a second migration that is exactly"
  echo '`ALTER TABLE "tN/2" ADD COLUMN "note" text;` (MySQL, SQLite: ``ALTER TABLE `tN/2` ADD `note` text;``; checked after every run).'
  echo "Wall time includes process start-up (and, for drizzle-kit, Node.js start-up)."
  [[ -z "$notes" ]] || printf '\n%s\n' "$notes"
} >"$OUT"
echo "bench: wrote $OUT" >&2
