// "Nothing changed": every table of the record, row by row, to compare before and after an
// attack. Sessions and sign-in attempts are left out: signing in and being refused legitimately
// write there.
import type { FastifyInstance } from 'fastify';

const VOLATILE = new Set(['sessions', 'sign_ins']);

export function recordTables(app: FastifyInstance): string[] {
  return (app.db.$client.pragma('table_list') as { schema: string; name: string; type: string }[])
    .filter((t) => t.schema === 'main' && t.type === 'table' && !t.name.startsWith('sqlite_') && !VOLATILE.has(t.name))
    .map((t) => t.name)
    .sort();
}

export function snapshot(app: FastifyInstance): Record<string, unknown[]> {
  // A WITHOUT ROWID table (pledge_terms) has no rowid: it is read in its primary key's order.
  const withoutRowid = new Set((app.db.$client.pragma('table_list') as { name: string; wr: number }[]).filter((t) => t.wr).map((t) => t.name));
  const out: Record<string, unknown[]> = {};
  for (const name of recordTables(app)) {
    out[name] = app.db.$client.prepare(`SELECT * FROM "${name}"${withoutRowid.has(name) ? '' : ' ORDER BY rowid'}`).all();
  }
  return out;
}
