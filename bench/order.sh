#!/usr/bin/env bash
# Regenerates `src/hot.order`: the functions the release `schemac` runs in its everyday commands,
# which `build.rs` asks the linker to lay out side by side. Executed code spread over the whole
# binary is mapped 64 KiB at a time (the kernel's fault-around), so a run of `export` kept
# ~4.9 MB of the binary resident for ~1.1 MB of code it executed; packed together, the same code
# maps about as much as it is. Symbols the file names that a later build no longer has are
# skipped by the linker, so a stale list costs memory, never correctness; regenerate it after
# large changes and compare `RssFile` (`SCHEMAC_TIMINGS=1`).
#
#   bash bench/order.sh                      # builds the release binary first
#   SCHEMAC_BIN=target/release/schemac bash bench/order.sh
#
# Needs valgrind (callgrind names every function a run executes).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -z "${SCHEMAC_BIN:-}" ]]; then
  cargo build --release -p schemac >&2
  SCHEMAC_BIN="${CARGO_TARGET_DIR:-$PWD/target}/release/schemac"
fi
command -v valgrind >/dev/null || { echo "order: valgrind is needed" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=0
profile() { # profile DIR ARGS...: one callgrind run of schemac in DIR
  local dir=$1
  shift
  n=$((n + 1))
  if ! (cd "$dir" && valgrind --tool=callgrind --demangle=no --error-exitcode=99 \
    --callgrind-out-file="$work/cg.$n.out" "$SCHEMAC_BIN" "$@" >"$work/out.txt" 2>&1); then
    cat "$work/out.txt" >&2
    echo "order: \`schemac $*\` failed" >&2
    exit 1
  fi
}

for dialect in postgresql mysql sqlite; do
  p="$work/$dialect"
  mkdir -p "$p"
  python3 bench/gen_schema.py 100 "$p/schema.ts" --dialect "$dialect"
  cat >"$p/drizzle.config.ts" <<CFG
import { defineConfig } from 'drizzle-kit';
export default defineConfig({ dialect: '$dialect', schema: './schema.ts', out: './drizzle' });
CFG
  profile "$p" export
  if [[ $dialect == postgresql ]]; then # a schema split over files: the folder walk, two threads
    python3 bench/gen_schema.py 100 "$p/split" --files 4
    profile "$p" export --dialect postgresql --schema ./split
  fi
  profile "$p" build --name first
  python3 bench/gen_schema.py 100 "$p/schema.ts" --dialect "$dialect" --extra-column 7
  profile "$p" build --plan
  profile "$p" build --name second
  profile "$p" check
done
# The SQLite commands that need a database: migrate, status, push, pull.
p="$work/sqlite"
profile "$p" migrate --url "$p/app.db"
profile "$p" status --url "$p/app.db"
python3 bench/gen_schema.py 100 "$p/schema.ts" --dialect sqlite --extra-column 9
profile "$p" push --url "$p/app.db" --force
profile "$p" pull --url "$p/app.db" --out "$p/pulled"

python3 - "$SCHEMAC_BIN" "$work" src/hot.order <<'PY'
import glob, re, subprocess, sys

binary, work, out = sys.argv[1:]
# Text symbols of the binary: only those can be placed.
nm = subprocess.run(["nm", "--defined-only", binary], capture_output=True, text=True, check=True)
text = {p[2] for p in (l.split() for l in nm.stdout.splitlines()) if len(p) == 3 and p[1] in "tTwW"}
# Each run adds the functions no earlier run executed, sorted by name (a stable file to diff).
seen, order = set(), []
for path in sorted(glob.glob(f"{work}/cg.*.out"), key=lambda p: int(p.split(".")[-2])):
    new = set()
    for line in open(path, encoding="utf-8", errors="replace"):
        m = re.match(r"^c?fn=\(\d+\) (.+)$", line.rstrip("\n"))
        if not m:
            continue
        name = re.sub(r"'\d+$", "", m.group(1))  # callgrind's recursion marks
        if name in text and name not in seen:
            new.add(name)
    order.extend(sorted(new))
    seen |= new
with open(out, "w") as f:
    f.write("".join(n + "\n" for n in order))
print(f"order: {len(order)} functions written to {out}", file=sys.stderr)
PY
