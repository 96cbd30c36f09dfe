#!/usr/bin/env python3
"""Checks the migrations folder a benchmarked `build`/`generate` run wrote, so that the benchmark
never times a run that failed quietly (drizzle-kit exits 0 after some errors).

usage: check_build.py DIR scratch N [DIALECT]
       check_build.py DIR edit N TABLE [DIALECT]

DIR is the migrations folder. `scratch`: exactly one migration, `0000_bench`, whose SQL creates N
tables and whose snapshot holds N tables. `edit`: exactly two migrations, `0000_bench` then
`0001_bench`; the second SQL file is exactly the one statement
`ALTER TABLE "TABLE" ADD COLUMN "note" text;` (MySQL and SQLite: ``ALTER TABLE `TABLE` ADD `note`
text;``), and its snapshot follows the first (`prevId`) and has the column. DIALECT is
postgresql (the default), mysql or sqlite. Exit 0 when all holds; otherwise prints what is wrong and exits 1.
"""
import json
import os
import re
import sys


def fail(msg):
    print(f"check_build: {msg}", file=sys.stderr)
    sys.exit(1)


def read_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        fail(f"{path}: {e}")


def read_text(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError as e:
        fail(f"{path}: {e}")


def expect_files(out, tags):
    """The folder holds the SQL files and snapshots of `tags` and nothing else."""
    want = {f"{t}.sql" for t in tags} | {"meta"}
    if not os.path.isdir(os.path.join(out, "meta")):
        fail(f"{out}/meta was not written")
    got = set(os.listdir(out))
    if got != want:
        fail(f"{out} holds {sorted(got)}, expected {sorted(want)}")
    want_meta = {"_journal.json"} | {f"{t.split('_')[0]}_snapshot.json" for t in tags}
    got_meta = set(os.listdir(os.path.join(out, "meta")))
    if got_meta != want_meta:
        fail(f"{out}/meta holds {sorted(got_meta)}, expected {sorted(want_meta)}")
    journal = read_json(os.path.join(out, "meta", "_journal.json"))
    entries = [e.get("tag") for e in journal.get("entries", [])]
    if entries != tags:
        fail(f"journal entries {entries}, expected {tags}")


def check_scratch(out, n):
    expect_files(out, ["0000_bench"])
    sql = read_text(os.path.join(out, "0000_bench.sql"))
    creates = len(re.findall(r"^CREATE TABLE ", sql, re.M))
    if creates != n:
        fail(f"0000_bench.sql creates {creates} tables, expected {n}")
    snap = read_json(os.path.join(out, "meta", "0000_snapshot.json"))
    if len(snap.get("tables", {})) != n:
        fail(f"0000_snapshot.json holds {len(snap.get('tables', {}))} tables, expected {n}")


def check_edit(out, n, table, dialect):
    expect_files(out, ["0000_bench", "0001_bench"])
    sql = read_text(os.path.join(out, "0001_bench.sql"))
    want = (f'ALTER TABLE "{table}" ADD COLUMN "note" text;' if dialect == "postgresql"
            else f"ALTER TABLE `{table}` ADD `note` text;")
    if sql.strip() != want:
        fail(f"0001_bench.sql is {sql[:300]!r}, expected exactly {want!r}")
    first = read_json(os.path.join(out, "meta", "0000_snapshot.json"))
    second = read_json(os.path.join(out, "meta", "0001_snapshot.json"))
    if second.get("prevId") != first.get("id"):
        fail("0001_snapshot.json prevId is not the id of 0000_snapshot.json")
    tables = second.get("tables", {})
    if len(tables) != n:
        fail(f"0001_snapshot.json holds {len(tables)} tables, expected {n}")
    key = f"public.{table}" if dialect == "postgresql" else table
    columns = tables.get(key, {}).get("columns", {})
    if "note" not in columns:
        fail(f"0001_snapshot.json: {key} has no column note")


def main():
    args = sys.argv[1:]
    if len(args) in (3, 4) and args[1] == "scratch":
        check_scratch(args[0], int(args[2]))
    elif len(args) in (4, 5) and args[1] == "edit":
        check_edit(args[0], int(args[2]), args[3], args[4] if len(args) == 5 else "postgresql")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
