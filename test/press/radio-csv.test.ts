import t from 'tap';
import { parse } from 'csv-parse/sync';
import { speakZh, speakEn, readingSeconds, renderRadio } from '../../src/press/outputs/radio.ts';
import { zhInteger, enInteger } from '../../src/press/outputs/numbers.ts';
import { renderCsv, noticeCsvRows } from '../../src/press/outputs/csv.ts';
import { doc, row } from './doc-fixture.ts';

t.test('Chinese numbers, dates and percentages in words', async (t) => {
  t.equal(speakZh('2026年11月26日'), '二〇二六年十一月二十六日');
  t.equal(speakZh('2026-06-30'), '二〇二六年六月三十日');
  t.equal(speakZh('完成85%'), '完成百分之八十五');
  t.equal(speakZh('共1,529项'), '共一千五百二十九项');
  t.equal(speakZh('改造20.5公里'), '改造二十点五公里');
  t.equal(speakZh('3月8日'), '三月八日');
  t.equal(zhInteger(10), '十');
  t.equal(zhInteger(105), '一百零五');
  t.equal(zhInteger(1010), '一千零一十');
  t.equal(zhInteger(20000), '二万');
  t.equal(zhInteger(100010000), '一亿零一万');
  t.notMatch(speakZh('于2026年11月26日前改造1,529户，完成率85%'), /\d/, 'no digit is left');
});

t.test('English numbers and percentages in words; dates as said', async (t) => {
  t.equal(speakEn('1,529 pledges'), 'one thousand five hundred twenty-nine pledges');
  t.equal(speakEn('85% done'), 'eighty-five percent done');
  t.equal(speakEn('due 2026-11-26'), 'due 26 November 2026');
  t.equal(speakEn('by 26 November 2026, 3 roads'), 'by 26 November 2026, three roads');
  t.equal(enInteger(0), 'zero');
  t.equal(enInteger(1_000_001), 'one million one');
});

t.test('reading time: 240 Chinese characters or 150 English words a minute', async (t) => {
  t.equal(readingSeconds('供'.repeat(240), 'zh-CN'), 60);
  t.equal(readingSeconds('供水，供水。', 'zh-CN'), 1, 'punctuation is not read');
  t.equal(readingSeconds(Array(150).fill('word').join(' '), 'en'), 60);
  t.equal(readingSeconds('供'.repeat(120), 'zh-CN', 120), 60, 'the rate is configurable');
});

t.test('radio script: one paragraph per item, in words, with the time and what fits the target', async (t) => {
  const rows = Array.from({ length: 10 }, (_, i) => row({ pledgeId: i + 1, title: `第${i + 1}段道路改造`, commitment: '改造道路1,200米', standard: '完成率100%' }));
  const full = renderRadio(doc(rows));
  t.equal(full.items.length, 10);
  t.ok(full.items.every((i) => i.fits), 'no target: everything fits');
  const paragraphs = full.text.trimEnd().split('\n\n');
  t.equal(paragraphs.length, 1 + 1 + 1 + 10, 'note, heading, intro, then one paragraph per item');
  t.match(paragraphs[3], /^第一项。市水务局：第一段道路改造。/);
  t.match(paragraphs[3], '一千二百米');
  t.match(paragraphs[3], '二〇二六年十一月二十六日');
  t.match(paragraphs[3], '百分之八十五');
  t.notMatch(paragraphs.slice(1).join('\n'), /\d/, 'nothing read aloud has a digit');
  t.match(paragraphs[0], /预计播读时长约\d+分\d+秒（按每分钟240字）/);
  const spoken = paragraphs.slice(1).join('');
  t.ok(Math.abs(full.totalSeconds - readingSeconds(spoken, 'zh-CN')) < 1, 'the estimate is the text read at 240 a minute');

  const perItem = full.items[0].seconds;
  const target = renderRadio(doc(rows), { targetMinutes: Math.ceil((perItem * 4) / 60) });
  const fit = target.items.filter((i) => i.fits).length;
  t.ok(fit > 0 && fit < 10, `some items fit (${fit})`);
  t.ok(target.items.slice(0, fit).every((i) => i.fits) && target.items.slice(fit).every((i) => !i.fits), 'the first ones fit, the rest do not');
  t.match(target.text, `前${fit}项可在目标时长内播完，其余${10 - fit}项超出`);
  t.match(target.text, `以下${10 - fit}项超出目标时长`);

  const en = renderRadio(doc([row({ title: 'Repair 1,200 m of pipes', statusLabel: 'In progress' })], { language: 'en', publishedOnLabel: '1 May 2026' }));
  t.match(en.text, 'Item one.');
  t.match(en.text, 'one thousand two hundred m of pipes');
  t.match(en.text, '26 November 2026');
  t.match(en.text, 'eighty-five percent');
  t.match(en.text, /at 150 words a minute/);
});

t.test('CSV: BOM, read back with a real parser equals the rows, formulas neutralised', async (t) => {
  const rows = [
    row({ pledgeId: 7, title: '=HYPERLINK("http://evil")', coUnitNames: ['市城管局', '历下区'] }),
    row({ pledgeId: 8, title: '含"引号",逗号\n换行', leadUnitName: '市交警支队', completedOn: '2026-03-01', status: 'completed', statusLabel: '已完成' }),
  ];
  const d = doc(rows);
  const text = renderCsv(d);
  t.ok(text.startsWith('\uFEFF'), 'UTF-8 with BOM');
  const parsed = parse(text, { bom: true }) as string[][];
  const expected = noticeCsvRows(d);
  t.same(parsed[0], expected.header);
  t.equal(parsed.length, 3);
  t.equal(parsed[1][3], `'=HYPERLINK("http://evil")`, 'the formula is neutralised');
  t.equal(parsed[2][3], '含"引号",逗号\n换行');
  t.equal(parsed[1][1], '7');
  t.equal(parsed[1][12], '市城管局、历下区');
  t.equal(parsed[2][11], '2026-03-01');
  t.equal(parsed[1][17], 'https://pledges.example.gov.cn/pledges/7');
  for (let i = 0; i < expected.rows.length; i++) {
    t.same(parsed[i + 1].map((c) => c.replace(/^'/, '')), expected.rows[i].map((c) => String(c ?? '')), `row ${i + 1} reads back`);
  }
});
