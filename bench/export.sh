#!/usr/bin/env bash
# Benchmark of `schemac export` on synthetic PostgreSQL schemas of 10/100/1000/2000 tables, in one
# file and split over many files, and on MySQL and SQLite schemas of 1000 tables in one file,
# beside `drizzle-kit export` when the oracle is installed.
# Writes the table to bench/RESULTS-export.md. Wall time is the median of RUNS runs; peak memory
# is the maximum resident set size (GNU time).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-5}"
SIZES="${SIZES:-10 100 1000 2000}"
# MySQL and SQLite: these sizes, one file (OTHER_SIZES="" leaves them out).
OTHER_SIZES="${OTHER_SIZES-1000}"
ORACLE="${SCHEMAC_ORACLE_DIR:-../shared/oracle}"
NM="${ORACLE_NODE_MODULES:-$HOME/.cache/schemac-oracle/node_modules}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [[ -z "${SCHEMAC_BIN:-}" ]]; then
  cargo build --release -q
  SCHEMAC_BIN="${CARGO_TARGET_DIR:-$PWD/target}/release/schemac"
fi
bin="$SCHEMAC_BIN"

# median wall time (seconds) and peak RSS (MB) of a command run $RUNS times in a directory
measure() {
  local dir="$1"; shift
  local walls=() rss=0 t0 t1 kb
  for _ in $(seq "$RUNS"); do
    t0=$EPOCHREALTIME
    /usr/bin/time -f '%M' -o "$work/time" bash -c 'cd "$0" && exec "$@" >/dev/null 2>/dev/null' "$dir" "$@" \
      || { echo "failed in $dir: $*" >&2; return 1; }
    t1=$EPOCHREALTIME
    walls+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")
    kb=$(tail -n1 "$work/time")
    (( kb > rss )) && rss=$kb
  done
  local med
  med=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%s %s\n' "$med" "$((rss / 1024))"
}

have_dk=0
if [[ -f "$ORACLE/dk.sh" && -d "$NM/drizzle-kit" ]]; then have_dk=1; fi

out="${OUT:-bench/RESULTS-export.md}"
# The section of the results from a line `## Notes` on (profiles, before/after numbers) is kept.
notes=""
[[ -f "$out" ]] && notes=$(sed -n '/^## Notes/,$p' "$out")
{
  echo "# \`schemac export\` benchmark"
  echo
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); $(date -u +%Y-%m-%d)."
  echo "Median of $RUNS runs; peak RSS. drizzle-kit: $([[ $have_dk == 1 ]] && echo "0.31 via the oracle's node_modules" || echo "not installed, not measured")."
  echo
  echo "| dialect | tables | layout | schemac wall (ms) | schemac peak (MB) | drizzle-kit wall (ms) | drizzle-kit peak (MB) | speed-up |"
  echo "|---|---:|---|---:|---:|---:|---:|---:|"
} >"$out"

# dialect, tables, layout of each case
cases=()
for n in $SIZES; do cases+=("postgresql $n one-file" "postgresql $n files"); done
for n in $OTHER_SIZES; do cases+=("mysql $n one-file" "sqlite $n one-file"); done

for case in "${cases[@]}"; do
  read -r dialect n layout <<<"$case"
  proj="$work/p-$dialect-$n-$layout"
  mkdir -p "$proj"
  if [[ $layout == one-file ]]; then
    python3 bench/gen_schema.py "$n" "$proj/schema/schema.ts" --dialect "$dialect"
    schema="./schema/schema.ts"
  else
    python3 bench/gen_schema.py "$n" "$proj/schema" --files "$(( (n + 49) / 50 ))" --dialect "$dialect"
    schema="./schema"
  fi
  cat >"$proj/drizzle.config.ts" <<CFG
import { defineConfig } from 'drizzle-kit';
export default defineConfig({ dialect: '$dialect', schema: '$schema', out: './drizzle' });
CFG
  read -r sw sm < <(measure "$proj" "$bin" export)
  dw="-"; dm="-"; speed="-"
  if [[ $have_dk == 1 ]]; then
    ln -sfn "$NM" "$proj/node_modules"
    if read -r dw dm < <(measure "$proj" node "$NM/drizzle-kit/bin.cjs" export); then
      speed=$(awk -v a="$dw" -v b="$sw" 'BEGIN { if (b > 0) printf "%.0fx", a / b; else print "-" }')
      dw=$(awk -v a="$dw" 'BEGIN { printf "%.0f", a * 1000 }')
    fi
  fi
  sw=$(awk -v a="$sw" 'BEGIN { printf "%.0f", a * 1000 }')
  echo "| $dialect | $n | $layout | $sw | $sm | $dw | $dm | $speed |" >>"$out"
  echo "bench: $dialect, $n tables, $layout: schemac ${sw} ms ${sm} MB; drizzle-kit ${dw} ms ${dm} MB" >&2
done
echo >>"$out"
echo "Wall time includes process start-up (and, for drizzle-kit, Node.js start-up)." >>"$out"
[[ -z "$notes" ]] || printf '\n%s\n' "$notes" >>"$out"
echo "bench: wrote $out" >&2
