#!/usr/bin/env python3
"""Writes a synthetic Drizzle schema for benchmarks.

usage: gen_schema.py N OUT [--files K] [--extra-column I] [--dialect postgresql|mysql|sqlite]

N tables t0000..; each has 8 columns of mixed types, a foreign key to the previous table, one
index and one unique constraint (the shape of the oracle's generator, so figures compare).
Without --files OUT is one .ts file; with --files K, OUT is a folder of K files that import the
previous file's last table for the cross-file foreign key. --extra-column I gives table I one more
nullable column, `note text` (the oracle generator's option of the same name): the one-column edit
of the `build` benchmark, whose migration is `ALTER TABLE "tI" ADD COLUMN "note" text;`.
--dialect (default postgresql) picks the builders: the same eight columns, key, index and unique
constraint in mysql-core or sqlite-core.
"""
import os
import sys

IMPORTS = {
    "postgresql": ("import { boolean, index, integer, jsonb, numeric, pgTable, serial, text, "
                   "timestamp, unique, varchar } from 'drizzle-orm/pg-core';\n"),
    "mysql": ("import { bigint, boolean, decimal, index, json, mysqlTable, serial, text, timestamp, "
              "unique, varchar } from 'drizzle-orm/mysql-core';\n"),
    "sqlite": ("import { sql } from 'drizzle-orm';\n"
               "import { index, integer, numeric, sqliteTable, text, unique } "
               "from 'drizzle-orm/sqlite-core';\n"),
}

# The column definitions per dialect; {parent} is the foreign key column's builder.
COLUMNS = {
    "postgresql": """  id: serial('id').primaryKey(),
  name: varchar('name', {{ length: 100 }}).notNull(),
  code: varchar('code', {{ length: 32 }}).notNull(),
  amount: numeric('amount', {{ precision: 12, scale: 2 }}).default('0'),
  active: boolean('active').notNull().default(true),
  data: jsonb('data'),
  createdAt: timestamp('created_at', {{ withTimezone: true }}).notNull().defaultNow(),
  parentId: {parent},{note}""",
    "mysql": """  id: serial('id').primaryKey(),
  name: varchar('name', {{ length: 100 }}).notNull(),
  code: varchar('code', {{ length: 32 }}).notNull(),
  amount: decimal('amount', {{ precision: 12, scale: 2 }}).default('0'),
  active: boolean('active').notNull().default(true),
  data: json('data'),
  createdAt: timestamp('created_at').notNull().defaultNow(),
  parentId: {parent},{note}""",
    "sqlite": """  id: integer('id').primaryKey({{ autoIncrement: true }}),
  name: text('name', {{ length: 100 }}).notNull(),
  code: text('code', {{ length: 32 }}).notNull(),
  amount: numeric('amount').default('0'),
  active: integer('active', {{ mode: 'boolean' }}).notNull().default(true),
  data: text('data', {{ mode: 'json' }}),
  createdAt: integer('created_at', {{ mode: 'timestamp' }}).notNull().default(sql`(unixepoch())`),
  parentId: {parent},{note}""",
}

TABLE = {"postgresql": "pgTable", "mysql": "mysqlTable", "sqlite": "sqliteTable"}
INT = {"postgresql": "integer", "sqlite": "integer"}


def name(i):
    return f"t{i:04d}"


def table(i, extra, dialect):
    n = name(i)
    note = "\n  note: text('note')," if i == extra else ""
    # MySQL's serial is `bigint unsigned`: the foreign key column must be the same type.
    int_ = "bigint('parent_id', { mode: 'number', unsigned: true })" if dialect == "mysql" \
        else f"{INT[dialect]}('parent_id')"
    parent = (f"{int_}.references(() => {name(i - 1)}.id, {{ onDelete: 'cascade' }})"
              if i > 0 else int_)
    columns = COLUMNS[dialect].replace("{{", "{").replace("}}", "}")
    columns = columns.replace("{parent}", parent).replace("{note}", note)
    return f"""export const {n} = {TABLE[dialect]}('{n}', {{
{columns}
}}, (t) => [
  index('{n}_name_idx').on(t.name),
  unique('{n}_code_uq').on(t.code),
]);
"""


def main():
    args = sys.argv[1:]
    if len(args) < 2:
        sys.exit(__doc__)
    n, out = int(args[0]), args[1]
    files = int(args[args.index("--files") + 1]) if "--files" in args else 0
    extra = int(args[args.index("--extra-column") + 1]) if "--extra-column" in args else -1
    dialect = args[args.index("--dialect") + 1] if "--dialect" in args else "postgresql"
    if dialect not in TABLE:
        sys.exit(f"unknown dialect {dialect}: postgresql, mysql or sqlite")
    imports = IMPORTS[dialect]
    if not files:
        os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
        with open(out, "w") as f:
            f.write(imports + "\n" + "\n".join(table(i, extra, dialect) for i in range(n)))
        return
    os.makedirs(out, exist_ok=True)
    per = -(-n // files)
    for k in range(files):
        lo, hi = k * per, min(n, (k + 1) * per)
        if lo >= hi:
            break
        text = imports
        if lo > 0:
            text += f"import {{ {name(lo - 1)} }} from './part_{k - 1:03d}';\n"
        text += "\n" + "\n".join(table(i, extra, dialect) for i in range(lo, hi))
        with open(os.path.join(out, f"part_{k:03d}.ts"), "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
