// Helpers for test/scale/query-plans.test.ts: record the SQL the app runs per request, and ask
// SQLite how it would read each statement (EXPLAIN QUERY PLAN) to find full scans of tables
// that grow with the campaign.
import Database from 'better-sqlite3';

/** Tables whose size grows with the campaign (pledges, votes, reports…): a full scan of one costs more every month. */
export const LARGE_TABLES = new Set([
  'pledges',
  'pledge_terms',
  'ratings',
  'demands',
  'progress_updates',
  'suggestions',
  'completion_checks',
  'pledge_demands',
  'audit_log',
  // Grow with the pledges too; empty or small in the generated dataset, so a scan of them would
  // only show up as slow once a real campaign filled them.
  'pledge_co_units',
  'deadline_changes',
  'pledge_amendments',
  'deadline_requests',
  'evidence',
  'publication_pledges',
  'vote_flags',
]);

export interface CapturedStatement {
  sql: string;
  /** The arguments of the first run, so the plan is the one SQLite picks for real values (STAT4 may look at them). */
  args: unknown[];
  /** Labels of the requests (pages) that ran it. */
  pages: Set<string>;
  /** Pages that ran it again when asked a second time with the data unchanged: it is not computed once per data version. */
  repeatPages: Set<string>;
}

type Prepare = (this: Database.Database, source: string) => Database.Statement;
const RUNNERS = ['all', 'get', 'run', 'iterate'] as const;

/**
 * Patches better-sqlite3's `Database.prototype.prepare` so every statement prepared from now on
 * reports each run to the recorder while a request is being recorded. Statements are wrapped
 * where they are made, so statements kept across requests (the app's statement cache, prepared
 * queries built once) are still seen on every run. Call before the app is built.
 */
export function recordStatements() {
  const proto = Database.prototype as unknown as { prepare: Prepare };
  const originalPrepare = proto.prepare;
  const statements = new Map<string, CapturedStatement>();
  let currentPage: string | undefined;
  let repeating = false;

  proto.prepare = function prepare(this: Database.Database, source: string) {
    const statement = originalPrepare.call(this, source);
    const target = statement as unknown as Record<string, (...args: unknown[]) => unknown>;
    for (const name of RUNNERS) {
      const run = target[name].bind(statement);
      // An own property shadows the native method; raw()/pluck() return the same object, so the wrapper stays.
      target[name] = (...args: unknown[]) => {
        if (currentPage !== undefined) {
          let found = statements.get(source);
          if (!found) statements.set(source, (found = { sql: source, args, pages: new Set(), repeatPages: new Set() }));
          (repeating ? found.repeatPages : found.pages).add(currentPage);
        }
        return run(...args);
      };
    }
    return statement;
  };

  return {
    statements,
    /**
     * Runs `fn` with every statement run meanwhile attributed to `page` (to its repeat visits
     * when `repeat`). Requests must not overlap.
     */
    async during<T>(page: string, fn: () => Promise<T>, opts: { repeat?: boolean } = {}): Promise<T> {
      currentPage = page;
      repeating = opts.repeat ?? false;
      try {
        return await fn();
      } finally {
        currentPage = undefined;
        repeating = false;
      }
    },
    /** A prepare that is not recorded (for the EXPLAINs themselves). */
    prepareUnrecorded(db: Database.Database, source: string): Database.Statement {
      return originalPrepare.call(db, source);
    },
    restore() {
      proto.prepare = originalPrepare;
    },
  };
}

export interface PlanLine {
  id: number;
  parent: number;
  detail: string;
}

export function explain(prepare: (source: string) => Database.Statement, sql: string, args: unknown[]): PlanLine[] {
  return prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as PlanLine[];
}

export const oneLine = (sql: string) => sql.replace(/\s+/g, ' ').trim();

/** Words that can follow a table name in FROM/JOIN and so are not an alias. */
const NOT_ALIAS = new Set(['where', 'on', 'using', 'left', 'right', 'inner', 'outer', 'cross', 'natural', 'full', 'join', 'order', 'group', 'having', 'limit', 'union', 'except', 'intersect', 'window', 'indexed', 'not', 'as']);

/** Alias → table for every `FROM/JOIN table [AS] alias` in the statement (drizzle writes `"pledges" "p"`). */
export function aliasesOf(sql: string): Map<string, string> {
  const aliases = new Map<string, string>();
  const ref = /\b(?:from|join)\s+[`"]?([a-z_][a-z0-9_]*)[`"]?(?:\s+(?:as\s+)?[`"]?([a-z_][a-z0-9_]*)[`"]?)?/gi;
  for (const m of sql.matchAll(ref)) {
    const table = m[1].toLowerCase();
    aliases.set(table, table);
    const alias = m[2]?.toLowerCase();
    if (alias && !NOT_ALIAS.has(alias)) aliases.set(alias, table);
  }
  return aliases;
}

export interface FullScan {
  table: string;
  line: string;
}

/** Names a plan may mention that are not tables: CTEs (`WITH name AS (`). */
function ctesOf(sql: string): Set<string> {
  const cte = /(?:\bwith(?:\s+recursive)?|,)\s+[`"]?([a-z_][a-z0-9_]*)[`"]?\s*(?:\([^)]*\)\s*)?as\s*(?:not\s+)?(?:materialized\s*)?\(/gi;
  return new Set([...sql.matchAll(cte)].map((m) => m[1].toLowerCase()));
}

/**
 * The plan lines that read a large table row by row without an index: `SCAN pledges`, `SCAN p`
 * (an alias of pledges), or `SEARCH x USING AUTOMATIC … INDEX`, which SQLite builds by reading the
 * whole table on every run. `SCAN x USING [COVERING] INDEX …` walks an index (the list's
 * due-date order) and `SEARCH …` seeks; neither is flagged. A `SCAN` of a name that is neither
 * a table, an alias we could resolve, nor a CTE is reported under that name, so it gets looked
 * at rather than passed.
 */
export function fullScans(sql: string, plan: PlanLine[], large: Set<string> = LARGE_TABLES): FullScan[] {
  const aliases = aliasesOf(sql);
  const ctes = ctesOf(sql);
  // Subqueries in FROM (`(...) "g"`) and CTEs are run as CO-ROUTINE or MATERIALIZE first; a SCAN of
  // their result is not a table read (their own lines are checked as they come).
  for (const { detail } of plan) {
    const sub = /^(?:CO-ROUTINE|MATERIALIZE) ([a-z_][a-z0-9_]*)$/i.exec(detail);
    if (sub) ctes.add(sub[1].toLowerCase());
  }
  const found: FullScan[] = [];
  for (const { detail } of plan) {
    if (/^SCAN CONSTANT ROW$/i.test(detail)) continue;
    const scan = /^SCAN ([a-z_][a-z0-9_]*)(.*)$/i.exec(detail);
    const automatic = /^SEARCH ([a-z_][a-z0-9_]*) USING AUTOMATIC\b/i.exec(detail);
    const m = scan ?? automatic;
    if (!m) continue;
    if (scan && (/\bUSING\b.*\bINDEX\b/i.test(scan[2]) || /VIRTUAL TABLE/i.test(scan[2]))) continue;
    const name = m[1].toLowerCase();
    if (ctes.has(name) && !large.has(name)) continue;
    const table = aliases.get(name) ?? name;
    if (large.has(table) || (scan && !aliases.has(name))) found.push({ table, line: detail });
  }
  return found;
}

/**
 * Plan lines that walk a whole index of a large table: `SCAN x USING [COVERING] INDEX` in a
 * statement with no LIMIT, or followed by a sort (every row is read before the first is
 * returned). Not failures (the index is used, the rows are narrower), but they grow with the
 * table; reported when they run on every request.
 */
export function wholeIndexWalks(sql: string, plan: PlanLine[], large: Set<string> = LARGE_TABLES): FullScan[] {
  const aliases = aliasesOf(sql);
  const sorted = plan.some((l) => /^USE TEMP B-TREE FOR (ORDER|GROUP) BY/.test(l.detail));
  if (/\blimit\b/i.test(sql) && !sorted) return [];
  const found: FullScan[] = [];
  for (const { detail } of plan) {
    const m = /^SCAN ([a-z_][a-z0-9_]*) USING (?:COVERING )?INDEX\b/i.exec(detail);
    if (!m) continue;
    const table = aliases.get(m[1].toLowerCase()) ?? m[1].toLowerCase();
    if (large.has(table)) found.push({ table, line: detail });
  }
  return found;
}

export interface AllowedScan {
  /** A stable piece of the statement's SQL (whitespace collapsed) that picks it out. */
  fragment: string;
  table: string;
  /**
   * `data-version`: a figure kept in the aggregate memo, so the scan must not run again on a
   * repeat request (the test checks it). `request`: reads all it needs on every request by
   * design (the answer is the whole table, or the walk stops after LIMIT rows).
   */
  runs: 'data-version' | 'request';
  reason: string;
}

export interface KnownOffender {
  fragment: string;
  table: string;
  /** Where it was seen (a URL). */
  page: string;
  /** The plan line as SQLite printed it when listed. */
  plan: string;
  note: string;
}

export type Verdict<A, K> = { kind: 'allowed'; entry: A } | { kind: 'known'; entry: K } | { kind: 'unexpected' };

/** Whether a full scan is allowed by design, a listed known offender, or new (the test fails). */
export function classify<A extends { fragment: string; table: string }, K extends { fragment: string; table: string }>(
  sql: string,
  scan: FullScan,
  allowed: readonly A[],
  known: readonly K[],
): Verdict<A, K> {
  const text = oneLine(sql);
  const matches = (e: { fragment: string; table: string }) => e.table === scan.table && text.includes(e.fragment);
  const allow = allowed.find(matches);
  if (allow) return { kind: 'allowed', entry: allow };
  const offender = known.find(matches);
  if (offender) return { kind: 'known', entry: offender };
  return { kind: 'unexpected' };
}
