import { relations, sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgEnum, pgTable, primaryKey, text, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { id, timestamps } from './columns';

export const POST_STATUSES = ['draft', 'published', 'archived'] as const;
export const postStatus = pgEnum('post_status', POST_STATUSES);

export const users = pgTable('users', {
  id: id(),
  email: varchar({ length: 320 }).notNull(),
  displayName: text().notNull(),
  isAdmin: boolean().default(false).notNull(),
  ...timestamps,
}, (t) => [
  uniqueIndex('users_email_lower_idx').on(sql`lower(${t.email})`),
]);

export const posts = pgTable('posts', {
  id: id(),
  authorId: uuid().notNull().references(() => users.id, { onDelete: 'cascade' }),
  title: varchar({ length: 200 }).notNull(),
  body: text().notNull(),
  status: postStatus().default('draft').notNull(),
  readingMinutes: integer().default(1),
  ...timestamps,
}, (t) => [
  index().on(t.authorId, t.createdAt.desc()),
  check('posts_reading_minutes_positive', sql`${t.readingMinutes} > 0`),
]);

export const tags = pgTable('tags', {
  id: id(),
  name: varchar({ length: 50 }).notNull().unique(),
});

export const postTags = pgTable('post_tags', {
  postId: uuid().notNull().references(() => posts.id, { onDelete: 'cascade' }),
  tagId: uuid().notNull().references(() => tags.id, { onDelete: 'cascade' }),
}, (t) => [primaryKey({ columns: [t.postId, t.tagId] })]);

export const usersRelations = relations(users, ({ many }) => ({ posts: many(posts) }));
