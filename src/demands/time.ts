// Report times. Stored as UTC instants; what people type or export ("2025-03-05 14:23", an
// Excel date cell) is a wall-clock time in the campaign's zone and is converted here.

// Building an Intl formatter costs far more than using one: a 20,000-row import converts
// 20,000 times, so each zone's formatter is made once.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

function offsetMinutes(timeZone: string, at: number): number {
  const parts = formatterFor(timeZone).formatToParts(new Date(at));
  const n = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return Math.round((wall - Math.floor(at / 1000) * 1000) / 60_000);
}

/** The UTC instant of a wall-clock time in a zone (the earlier one when a DST change makes it ambiguous). */
export function wallTimeToUtc(y: number, mo: number, d: number, h: number, mi: number, s: number, timeZone: string): Date {
  const guess = Date.UTC(y, mo - 1, d, h, mi, s);
  const first = guess - offsetMinutes(timeZone, guess) * 60_000;
  return new Date(guess - offsetMinutes(timeZone, first) * 60_000);
}

/** [start, end) of a calendar day in a zone, as ISO instants: for "reported between" filters. */
export function dayBoundsUtc(day: string, timeZone: string): [string, string] {
  const [y, m, d] = day.split('-').map(Number);
  return [wallTimeToUtc(y, m, d, 0, 0, 0, timeZone).toISOString(), wallTimeToUtc(y, m, d + 1, 0, 0, 0, timeZone).toISOString()];
}

/** The zone's current offset from UTC as an SQLite modifier ('+8 hours'), for grouping by month. */
export function sqliteOffset(timeZone: string, at = Date.now()): string {
  const minutes = offsetMinutes(timeZone, at);
  return `${minutes >= 0 ? '+' : '-'}${Math.abs(minutes)} minutes`;
}

const EARLIEST = Date.UTC(2000, 0, 1);
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

function valid(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): boolean {
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d && h < 24 && mi < 60 && s < 60;
}

const WALL = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT]+(\d{1,2})\s*[:：时]\s*(\d{1,2})\s*分?(?:\s*[:：]?\s*(\d{1,2})(?:\.\d+)?\s*秒?)?)?$/;
const WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/**
 * A report time from a form, a file cell or the API, as an ISO instant; undefined when it
 * cannot be read, is before 2000, or lies more than a day in the future.
 * Accepts ISO instants with a zone, wall-clock times (2025-03-05 14:23[:11], 2025/3/5 14:23,
 * 2025年3月5日 14时23分), bare days, Excel date serials, and Dates from a spreadsheet cell
 * (which carry the wall-clock time in their UTC fields).
 */
export function parseReportedAt(value: unknown, timeZone: string, now = Date.now()): string | undefined {
  let at: number | undefined;
  if (value instanceof Date) {
    const t = value.getTime();
    if (Number.isNaN(t)) return undefined;
    at = wallTimeToUtc(value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate(), value.getUTCHours(), value.getUTCMinutes(), value.getUTCSeconds(), timeZone).getTime();
  } else if (typeof value === 'number' || (typeof value === 'string' && /^\d{5}(?:\.\d+)?$/.test(value.trim()))) {
    const serial = Number(value);
    if (!(serial > 30000 && serial < 80000)) return undefined;
    const wall = new Date(EXCEL_EPOCH + Math.round(serial * 86_400) * 1000);
    return parseReportedAt(wall, timeZone, now);
  } else if (typeof value === 'string') {
    const s = value.trim();
    if (WITH_ZONE.test(s)) at = Date.parse(s);
    else {
      const m = WALL.exec(s);
      if (!m) return undefined;
      const [y, mo, d, h, mi, sec] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
      if (!valid(y, mo, d, h, mi, sec)) return undefined;
      at = wallTimeToUtc(y, mo, d, h, mi, sec, timeZone).getTime();
    }
  }
  if (at === undefined || Number.isNaN(at) || at < EARLIEST || at > now + 86_400_000) return undefined;
  return new Date(at).toISOString();
}
