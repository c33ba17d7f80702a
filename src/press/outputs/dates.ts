// Calendar days as a notice prints them. Written out rather than left to Intl so a published
// file's bytes never depend on the ICU data of the machine that rendered it.
export type NoticeLanguage = 'zh-CN' | 'en';

export const EN_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function parts(iso: string): [number, number, number] | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

/** 2026-11-26 → 2026年11月26日 / 26 November 2026 (anything else is returned as it is). */
export function noticeDay(iso: string, language: NoticeLanguage): string {
  const p = parts(iso);
  if (!p) return iso;
  const [y, m, d] = p;
  return language === 'en' ? `${d} ${EN_MONTHS[m - 1]} ${y}` : `${y}年${m}月${d}日`;
}
