// Loads a generated schema.ts + relations.ts with drizzle-orm and pairs every relation as the
// relational query builder does; throws on an ambiguous or unpaired relation.
import * as path from "node:path";
import { createTableRelationsHelpers, extractTablesRelationalConfig, normalizeRelation } from "drizzle-orm";

async function main() {
  let count = 0;
  for (const dir of process.argv.slice(2)) {
    const schema = await import(path.resolve(dir, "schema.ts"));
    const relations = await import(path.resolve(dir, "relations.ts"));
    const all = { ...schema, ...relations };
    const { tables, tableNamesMap } = extractTablesRelationalConfig(all, createTableRelationsHelpers);
    for (const t of Object.values(tables) as any[]) {
      for (const r of Object.values(t.relations) as any[]) {
        normalizeRelation(tables, tableNamesMap, r);
        count++;
      }
    }
  }
  console.log(`ok: ${count} relations`);
}
main().catch((e) => { console.error(e); process.exit(1); });
