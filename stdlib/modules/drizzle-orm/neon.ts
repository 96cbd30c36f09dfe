// drizzle-orm/neon: Neon's predefined roles, the neon_auth users table and `crudPolicy`, as
// schemac reads them.
import { sql } from 'drizzle-orm';
import { jsonb, pgPolicy, pgRole, pgSchema, text, timestamp } from 'drizzle-orm/pg-core';

export const authenticatedRole = pgRole('authenticated').existing();
export const anonymousRole = pgRole('anonymous').existing();

/** `auth.user_id()` compared with a column. */
export const authUid = (userIdColumn: unknown) => sql`(select auth.user_id() = ${userIdColumn})`;

const neonAuth = pgSchema('neon_auth');

export const usersSync = neonAuth.table('users_sync', {
  rawJson: jsonb('raw_json').notNull(),
  id: text().primaryKey().notNull(),
  name: text(),
  email: text(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }),
  deletedAt: timestamp('deleted_at', { withTimezone: true, mode: 'string' }),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }),
});

/** A condition: `true`/`false` become SQL, `null` means "no policy", a fragment is kept. */
function condition(value: unknown) {
  if (value === true) return sql`true`;
  if (value === false) return sql`false`;
  return value;
}

/** The name part of a role or list of roles: names joined by `-`. */
function roleNames(role: unknown): string {
  const one = (r: any) => (typeof r === 'string' ? r : r.name);
  return Array.isArray(role) ? role.map(one).join('-') : one(role);
}

/**
 * Four policies for a role: select (`read`), and insert, update, delete (`modify`); `null`
 * leaves that group out.
 */
export const crudPolicy = (options: { role: unknown; read: unknown; modify: unknown }) => {
  if (options.read === undefined) throw new Error('crudPolicy requires a read policy');
  if (options.modify === undefined) throw new Error('crudPolicy requires a modify policy');
  const read = condition(options.read);
  const modify = condition(options.modify);
  const name = roleNames(options.role);
  const policies = [];
  if (read !== null) {
    policies.push(pgPolicy(`crud-${name}-policy-select`, { for: 'select', to: options.role, using: read }));
  }
  if (modify !== null) {
    policies.push(pgPolicy(`crud-${name}-policy-insert`, { for: 'insert', to: options.role, withCheck: modify }));
    policies.push(pgPolicy(`crud-${name}-policy-update`, { for: 'update', to: options.role, using: modify, withCheck: modify }));
    policies.push(pgPolicy(`crud-${name}-policy-delete`, { for: 'delete', to: options.role, using: modify }));
  }
  return policies;
};
