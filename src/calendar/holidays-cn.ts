// Mainland China's public holidays and make-up working days (调休), for the demo calendar and
// as the office's one-click import of a year. Every day of a holiday period is listed (weekend
// days too, so the calendar page shows the whole break); make-up days are weekend days worked.
import type { CalendarDay, DayKind } from './working-days.ts';

function range(from: string, to: string, name: string, kind: DayKind = 'holiday'): CalendarDay[] {
  const out: CalendarDay[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    out.push({ day: new Date(t).toISOString().slice(0, 10), kind, name });
  }
  return out;
}

const work = (day: string, name: string): CalendarDay => ({ day, kind: 'workday', name });

/** 国务院办公厅关于2026年部分节假日安排的通知 (国办发明电〔2025〕, published 4 November 2025). */
export const HOLIDAYS_2026: CalendarDay[] = [
  ...range('2026-01-01', '2026-01-03', '元旦 New Year'),
  work('2026-01-04', '元旦调休上班 New Year make-up day'),
  work('2026-02-14', '春节调休上班 Spring Festival make-up day'),
  ...range('2026-02-15', '2026-02-23', '春节 Spring Festival'),
  work('2026-02-28', '春节调休上班 Spring Festival make-up day'),
  ...range('2026-04-04', '2026-04-06', '清明节 Qingming'),
  ...range('2026-05-01', '2026-05-05', '劳动节 Labour Day'),
  work('2026-05-09', '劳动节调休上班 Labour Day make-up day'),
  ...range('2026-06-19', '2026-06-21', '端午节 Dragon Boat Festival'),
  work('2026-09-20', '国庆节调休上班 National Day make-up day'),
  ...range('2026-09-25', '2026-09-27', '中秋节 Mid-Autumn Festival'),
  ...range('2026-10-01', '2026-10-07', '国庆节 National Day'),
  work('2026-10-10', '国庆节调休上班 National Day make-up day'),
];

/**
 * PROVISIONAL. The State Council had not published the 2027 arrangement when this was written
 * (it usually does so in November of the year before). The festival dates are fixed (Spring
 * Festival 6 Feb, Qingming 5 Apr, Dragon Boat 9 Jun, Mid-Autumn 15 Sep 2027); the lengths of
 * the breaks and the make-up days below follow the pattern of recent years and are a guess.
 * The office should replace them at /admin/calendar once the notice is out.
 */
export const HOLIDAYS_2027_PROVISIONAL: CalendarDay[] = [
  ...range('2027-01-01', '2027-01-03', '元旦 New Year'),
  work('2027-01-30', '春节调休上班（暂定） Spring Festival make-up day (provisional)'),
  ...range('2027-02-05', '2027-02-13', '春节 Spring Festival'),
  work('2027-02-20', '春节调休上班（暂定） Spring Festival make-up day (provisional)'),
  ...range('2027-04-03', '2027-04-05', '清明节 Qingming'),
  work('2027-04-25', '劳动节调休上班（暂定） Labour Day make-up day (provisional)'),
  ...range('2027-05-01', '2027-05-05', '劳动节 Labour Day'),
  ...range('2027-06-09', '2027-06-09', '端午节 Dragon Boat Festival'),
  ...range('2027-09-15', '2027-09-15', '中秋节 Mid-Autumn Festival'),
  work('2027-09-26', '国庆节调休上班（暂定） National Day make-up day (provisional)'),
  ...range('2027-10-01', '2027-10-07', '国庆节 National Day'),
  work('2027-10-09', '国庆节调休上班（暂定） National Day make-up day (provisional)'),
];

/** Years the office can import in one go. */
export const KNOWN_YEARS: Record<number, { days: CalendarDay[]; provisional: boolean }> = {
  2026: { days: HOLIDAYS_2026, provisional: false },
  2027: { days: HOLIDAYS_2027_PROVISIONAL, provisional: true },
};
