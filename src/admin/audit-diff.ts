// Turns an audit entry's before/after JSON into the few lines a person wants to read:
// only the keys that changed, values shortened.
import type { AuditRow } from '../audit/repository.ts';

export interface DiffLine {
  key: string;
  before: string | null;
  after: string | null;
}

// Bookkeeping columns that change on every write and say nothing about what was done.
const NOISE = new Set(['updatedAt', 'createdAt', 'version']);
const MAX_VALUE = 80;

function parse(json: string | null): Record<string, unknown> | null {
  if (json === null) return null;
  try {
    const value = JSON.parse(json);
    return value && typeof value === 'object' && !Array.isArray(value) ? value : { value };
  } catch {
    return { value: json };
  }
}

function show(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

export function auditDiff(entry: Pick<AuditRow, 'before' | 'after'>): DiffLine[] {
  const before = parse(entry.before);
  const after = parse(entry.after);
  if (!before && !after) return [];
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  const lines: DiffLine[] = [];
  for (const key of keys) {
    if (NOISE.has(key)) continue;
    const b = before && key in before ? before[key] : undefined;
    const a = after && key in after ? after[key] : undefined;
    if (before && after && JSON.stringify(b) === JSON.stringify(a)) continue;
    // A creation lists what was set; empty values add nothing to read.
    if (!before && (a === null || a === '' || a === undefined)) continue;
    lines.push({ key, before: b === undefined ? null : show(b), after: a === undefined ? null : show(a) });
  }
  return lines;
}
