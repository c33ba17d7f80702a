import { asc, eq, sql } from 'drizzle-orm';
import { categories } from '../../db/schema.ts';
import type { Db } from '../plugins/db.ts';
import { appendAudit, type Actor } from '../audit/repository.ts';
import { preparedOnce } from '../plugins/statement-cache.ts';

export type Category = typeof categories.$inferSelect;
export type CategoryInput = Omit<typeof categories.$inferInsert, 'id'>;

export function categoryName(c: Pick<Category, 'nameZh' | 'nameEn'>, locale: string): string {
  return locale === 'en' ? c.nameEn || c.nameZh : c.nameZh;
}

export function createCategoryRepository(db: Db) {
  // Read by most public pages (the category page, the list's filter, the demand board and report
  // form, the API): built once instead of by drizzle on every call.
  const listQuery = preparedOnce(() => db.select().from(categories).orderBy(asc(categories.sortOrder), asc(categories.id)).prepare());
  const byIdQuery = preparedOnce(() => db.select().from(categories).where(eq(categories.id, sql.placeholder('id'))).prepare());
  const bySlugQuery = preparedOnce(() => db.select().from(categories).where(eq(categories.slug, sql.placeholder('slug'))).prepare());
  return {
    async list(): Promise<Category[]> {
      return listQuery().all();
    },
    async get(id: number): Promise<Category | undefined> {
      return byIdQuery().get({ id });
    },
    async bySlug(slug: string): Promise<Category | undefined> {
      return bySlugQuery().get({ slug });
    },
    async create(actor: Actor, input: CategoryInput): Promise<Category> {
      return db.transaction((tx) => {
        const row = tx.insert(categories).values(input).returning().get();
        appendAudit(tx, actor, { action: 'category.create', entity: 'category', entityId: row.id, after: row });
        return row;
      });
    },
    async update(actor: Actor, id: number, input: Partial<CategoryInput>): Promise<Category | undefined> {
      return db.transaction((tx) => {
        const before = tx.select().from(categories).where(eq(categories.id, id)).get();
        if (!before) return undefined;
        const after = tx.update(categories).set(input).where(eq(categories.id, id)).returning().get();
        appendAudit(tx, actor, { action: 'category.update', entity: 'category', entityId: id, before, after });
        return after;
      });
    },
  };
}
export type CategoryRepository = ReturnType<typeof createCategoryRepository>;
