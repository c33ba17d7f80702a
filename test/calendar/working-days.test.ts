import t from 'tap';
import fc from 'fast-check';
import { addWorkingDays, isWorkingDay, workingDaysBetween, type Exceptions } from '../../src/calendar/working-days.ts';
import { HOLIDAYS_2026 } from '../../src/calendar/holidays-cn.ts';

const cn2026: Exceptions = new Map(HOLIDAYS_2026.map((d) => [d.day, d.kind]));
const none: Exceptions = new Map();

t.test('plain weeks: Monday to Friday', async (t) => {
  t.equal(isWorkingDay('2026-03-06', none), true, 'Friday');
  t.equal(isWorkingDay('2026-03-07', none), false, 'Saturday');
  t.equal(addWorkingDays('2026-03-06', 1, none), '2026-03-09', 'Friday + 1 is Monday');
  t.equal(addWorkingDays('2026-03-09', -1, none), '2026-03-06', 'Monday - 1 is Friday');
  t.equal(addWorkingDays('2026-03-07', 0, none), '2026-03-07', 'n = 0 is the start day');
  t.equal(workingDaysBetween('2026-03-06', '2026-03-13', none), 5);
  t.equal(workingDaysBetween('2026-03-13', '2026-03-06', none), -5);
  t.equal(workingDaysBetween('2026-03-06', '2026-03-06', none), 0);
});

t.test('a 调休 weekend: Sunday 2026-01-04 is a working day after the New Year holiday', async (t) => {
  t.equal(isWorkingDay('2026-01-01', cn2026), false, 'New Year (Thursday) is a holiday');
  t.equal(isWorkingDay('2026-01-02', cn2026), false, 'Friday off');
  t.equal(isWorkingDay('2026-01-04', cn2026), true, 'Sunday make-up day');
  t.equal(addWorkingDays('2025-12-31', 1, cn2026), '2026-01-04', 'the next working day after 31 Dec is Sunday 4 Jan');
  t.equal(addWorkingDays('2025-12-31', 2, cn2026), '2026-01-05');
  // Wed 31 Dec → Fri 9 Jan: 4, 5, 6, 7, 8, 9 Jan are working days.
  t.equal(workingDaysBetween('2025-12-31', '2026-01-09', cn2026), 6);
  t.equal(workingDaysBetween('2025-12-31', '2026-01-09', none), 7, 'without the calendar: 1, 2, 5–9 Jan');
});

t.test('Golden Week 2026: 1–7 October off, Sunday 20 Sep and Saturday 10 Oct worked', async (t) => {
  for (let d = 1; d <= 7; d++) t.equal(isWorkingDay(`2026-10-0${d}`, cn2026), false, `10-0${d} off`);
  t.equal(isWorkingDay('2026-09-20', cn2026), true, 'Sunday 20 Sep worked');
  t.equal(isWorkingDay('2026-10-10', cn2026), true, 'Saturday 10 Oct worked');
  // Wednesday 30 Sep + 1 working day skips the whole holiday (and the weekend 3–4 Oct) → Thursday 8 Oct.
  t.equal(addWorkingDays('2026-09-30', 1, cn2026), '2026-10-08');
  t.equal(addWorkingDays('2026-09-30', 3, cn2026), '2026-10-10', '8, 9, then Saturday 10 Oct');
  t.equal(addWorkingDays('2026-10-08', -1, cn2026), '2026-09-30');
  // 30 Sep → 16 Oct: 8, 9, 10, 12–16 = 8 working days.
  t.equal(workingDaysBetween('2026-09-30', '2026-10-16', cn2026), 8);
  // 18 Sep (Fri) → 30 Sep: Sun 20, Mon 21 … Fri 25 (Mid-Autumn, off), 28, 29, 30.
  t.equal(workingDaysBetween('2026-09-18', '2026-09-30', cn2026), 8);
});

t.test('addWorkingDays and workingDaysBetween agree (property)', async (t) => {
  const dayArb = fc.integer({ min: 0, max: 730 }).map((n) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
  fc.assert(
    fc.property(dayArb, fc.integer({ min: 0, max: 120 }), (start, n) => {
      const end = addWorkingDays(start, n, cn2026);
      return workingDaysBetween(start, end, cn2026) === n && (n === 0 || isWorkingDay(end, cn2026));
    }),
  );
  // Backwards: n working days before start is a working day, and start is n working days after it
  // when start itself is a working day.
  fc.assert(
    fc.property(dayArb, fc.integer({ min: 1, max: 120 }), (start, n) => {
      const back = addWorkingDays(start, -n, cn2026);
      return isWorkingDay(back, cn2026) && (!isWorkingDay(start, cn2026) || addWorkingDays(back, n, cn2026) === start);
    }),
  );
  fc.assert(
    fc.property(dayArb, dayArb, (a, b) => {
      let slow = 0;
      const [lo, hi, sign] = a <= b ? [a, b, 1] : [b, a, -1];
      for (let d = lo; d < hi; ) {
        d = new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
        if (isWorkingDay(d, cn2026)) slow += 1;
      }
      return workingDaysBetween(a, b, cn2026) === sign * slow;
    }),
  );
  t.pass('properties hold');
});
