import { timestamp, uuid } from 'drizzle-orm/pg-core';

/** Columns every table has. */
export const timestamps = {
  createdAt: timestamp({ withTimezone: true }).defaultNow().notNull(),
  updatedAt: timestamp({ withTimezone: true }).$onUpdate(() => new Date()),
};

export const id = () => uuid().primaryKey().defaultRandom();
