// Calendar-day arithmetic on 'YYYY-MM-DD' strings. Days carry no time zone: the zone only
// matters when deciding which day "today" is (todayIn), which the caller does.

const MS_PER_DAY = 86_400_000;

function toUtc(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return Date.UTC(y, m - 1, d);
}

export function addDays(day: string, n: number): string {
  return new Date(toUtc(day) + n * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Whole days from a to b (negative when b is earlier). */
export function daysBetween(a: string, b: string): number {
  return Math.round((toUtc(b) - toUtc(a)) / MS_PER_DAY);
}

/** An instant on the given day, during the morning in UTC (daytime in China), minute by minute. */
export function instantOn(day: string, minuteOfDay: number): string {
  return new Date(toUtc(day) + minuteOfDay * 60_000).toISOString();
}
