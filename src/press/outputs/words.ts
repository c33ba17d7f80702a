// The few words the desk's own outputs print beyond the renderers' labels (src/press/render/labels.ts):
// CSV headings and the radio script's studio notes, in the notice's language.
import type { NoticeLanguage } from './dates.ts';

const zh = {
  position: '序号',
  pledgeId: '编号',
  unit: '牵头单位',
  title: '承诺事项',
  url: '公开页面',
  radioNote: '【播读提示】',
  readingTime: '预计播读时长约{time}（按每分钟{rate}字）。',
  target: '目标时长{minutes}分钟：前{fit}项可在目标时长内播完，其余{over}项超出。',
  targetAll: '目标时长{minutes}分钟：全部{fit}项均可播完。',
  overTarget: '—— 以下{n}项超出目标时长，可留待下次播出 ——',
  intro: '下面播报{campaign}承诺事项公告，共{n}项。',
  minutesSeconds: '{m}分{s}秒',
  seconds: '{s}秒',
  percent: '%',
} as const;

export type OutputWordKey = keyof typeof zh;

const en: Record<OutputWordKey, string> = {
  position: 'No.',
  pledgeId: 'Pledge id',
  unit: 'Lead unit',
  title: 'Pledge',
  url: 'Public page',
  radioNote: '[Studio note]',
  readingTime: 'Estimated reading time {time} (at {rate} words a minute).',
  target: 'Target {minutes} minutes: the first {fit} items fit; the other {over} do not.',
  targetAll: 'Target {minutes} minutes: all {fit} items fit.',
  overTarget: '—— The {n} items below do not fit the target length ——',
  intro: 'Here is the public notice of pledges of {campaign}: {n} pledges.',
  minutesSeconds: '{m} min {s} s',
  seconds: '{s} s',
  percent: '%',
};

export function outputWord(language: NoticeLanguage, key: OutputWordKey, vars: Record<string, string | number> = {}): string {
  const text = (language === 'en' ? en : zh)[key];
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}
