import { asc, eq } from 'drizzle-orm';
import { categories } from '../../db/schema.ts';
import type { Db } from '../plugins/db.ts';
import { appendAudit, type Actor } from '../audit/repository.ts';

export type Category = typeof categories.$inferSelect;
export type CategoryInput = Omit<typeof categories.$inferInsert, 'id'>;

export function categoryName(c: Pick<Category, 'nameZh' | 'nameEn'>, locale: string): string {
  return locale === 'en' ? c.nameEn || c.nameZh : c.nameZh;
}

export function createCategoryRepository(db: Db) {
  return {
    async list(): Promise<Category[]> {
      return db.select().from(categories).orderBy(asc(categories.sortOrder), asc(categories.id)).all();
    },
    async get(id: number): Promise<Category | undefined> {
      return db.select().from(categories).where(eq(categories.id, id)).get();
    },
    async bySlug(slug: string): Promise<Category | undefined> {
      return db.select().from(categories).where(eq(categories.slug, slug)).get();
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
