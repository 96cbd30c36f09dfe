#!/usr/bin/env python3
"""Writes a synthetic PostgreSQL Drizzle schema for benchmarks.

usage: gen_schema.py N OUT [--files K] [--extra-column I]

N tables t0000..; each has 8 columns of mixed types, a foreign key to the previous table, one
index and one unique constraint (the shape of the oracle's generator, so figures compare).
Without --files OUT is one .ts file; with --files K, OUT is a folder of K files that import the
previous file's last table for the cross-file foreign key. --extra-column I gives table I one more
nullable column, `note text` (the oracle generator's option of the same name): the one-column edit
of the `build` benchmark, whose migration is `ALTER TABLE "tI" ADD COLUMN "note" text;`.
"""
import os
import sys

IMPORTS = ("import { boolean, index, integer, jsonb, numeric, pgTable, serial, text, timestamp, "
           "unique, varchar } from 'drizzle-orm/pg-core';\n")


def name(i):
    return f"t{i:04d}"


def table(i, extra):
    n = name(i)
    note = "\n  note: text('note')," if i == extra else ""
    parent = (f"integer('parent_id').references(() => {name(i - 1)}.id, {{ onDelete: 'cascade' }})"
              if i > 0 else "integer('parent_id')")
    return f"""export const {n} = pgTable('{n}', {{
  id: serial('id').primaryKey(),
  name: varchar('name', {{ length: 100 }}).notNull(),
  code: varchar('code', {{ length: 32 }}).notNull(),
  amount: numeric('amount', {{ precision: 12, scale: 2 }}).default('0'),
  active: boolean('active').notNull().default(true),
  data: jsonb('data'),
  createdAt: timestamp('created_at', {{ withTimezone: true }}).notNull().defaultNow(),
  parentId: {parent},{note}
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
    if not files:
        os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
        with open(out, "w") as f:
            f.write(IMPORTS + "\n" + "\n".join(table(i, extra) for i in range(n)))
        return
    os.makedirs(out, exist_ok=True)
    per = -(-n // files)
    for k in range(files):
        lo, hi = k * per, min(n, (k + 1) * per)
        if lo >= hi:
            break
        text = IMPORTS
        if lo > 0:
            text += f"import {{ {name(lo - 1)} }} from './part_{k - 1:03d}';\n"
        text += "\n" + "\n".join(table(i, extra) for i in range(lo, hi))
        with open(os.path.join(out, f"part_{k:03d}.ts"), "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
