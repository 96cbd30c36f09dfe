// drizzle-orm/supabase: Supabase's predefined roles and tables, as schemac reads them.
// The roles are `.existing()` (never created); the tables live in schemas the schema files do not
// own, so they are only created if a schema file exports them.
import { sql } from 'drizzle-orm';
import { bigserial, pgRole, pgSchema, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';

export const anonRole = pgRole('anon').existing();
export const authenticatedRole = pgRole('authenticated').existing();
export const serviceRole = pgRole('service_role').existing();
export const postgresRole = pgRole('postgres_role').existing();
export const supabaseAuthAdminRole = pgRole('supabase_auth_admin').existing();

const authSchema = pgSchema('auth');

export const authUsers = authSchema.table('users', {
  id: uuid().primaryKey().notNull(),
  email: varchar({ length: 255 }),
  phone: text().unique(),
  emailConfirmedAt: timestamp('email_confirmed_at', { withTimezone: true }),
  phoneConfirmedAt: timestamp('phone_confirmed_at', { withTimezone: true }),
  lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }),
});

const realtimeSchema = pgSchema('realtime');

export const realtimeMessages = realtimeSchema.table('messages', {
  id: bigserial({ mode: 'bigint' }).primaryKey(),
  topic: text().notNull(),
  extension: text({ enum: ['presence', 'broadcast', 'postgres_changes'] }).notNull(),
});

export const authUid = sql`(select auth.uid())`;
export const realtimeTopic = sql`realtime.topic()`;
