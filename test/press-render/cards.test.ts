// Caption cards: a ZIP of 1920×1080 PNGs rendered in worker threads; card counts by notice size,
// a pledge card's QR decodes, and long titles wrap inside the safe area.
import t from 'tap';
import { unzipSync } from 'fflate';
import { PNG } from 'pngjs';
import { decodeQr as jsQR } from './jsqr.ts';
import { renderCards } from '../../src/press/render/index.ts';
import { cardSpecs } from '../../src/press/render/cards.ts';
import { makeNotice } from './fixtures.ts';

function pngSize(b: Uint8Array): { width: number; height: number } {
  t.same([...b.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], 'PNG signature');
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { width: dv.getUint32(16), height: dv.getUint32(20) };
}

t.test('small notice: a title card and one card per pledge; QR decodes', async (t) => {
  const doc = makeNotice(4);
  const zip = unzipSync(new Uint8Array(await renderCards(doc)));
  const names = Object.keys(zip).sort();
  t.equal(names.length, 5, 'title + 4 pledges');
  t.equal(names[0], '000-title.png');
  for (const n of names) t.same(pngSize(zip[n]!), { width: 1920, height: 1080 }, `${n} is 1920×1080`);
  const row = doc.groups[0]!.rows[0]!;
  const png = PNG.sync.read(Buffer.from(zip[`001-pledge-${row.pledgeId}.png`]!));
  const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  t.equal(code?.data, row.url, 'the pledge card QR opens the pledge');
});

t.test('beyond perPledgeMax: one summary card per unit', async (t) => {
  const doc = makeNotice(30, { units: 6, language: 'en' });
  const zip = unzipSync(new Uint8Array(await renderCards(doc, { perPledgeMax: 10 })));
  const names = Object.keys(zip).sort();
  t.equal(names.length, 7, 'title + 6 unit summaries');
  t.equal(names.filter((n) => n.endsWith('-unit-summary.png')).length, 6);
  for (const n of names) t.same(pngSize(zip[n]!), { width: 1920, height: 1080 });
});

t.test('1,529 pledges: summary cards only, default limit 200', async (t) => {
  const doc = makeNotice(1529, { units: 40 });
  const specs = [...cardSpecs(doc)];
  t.equal(specs.length, 41, 'title + 40 unit summaries');
  t.ok(specs.every((s) => !s.name.includes('pledge-')));
});

t.test('long titles wrap inside the safe area, text is escaped', async (t) => {
  const doc = makeNotice(4);
  const row = doc.groups[3]!.rows[0]!;
  row.title = `${row.title}<script>&${'很长的标题'.repeat(20)}`;
  const spec = [...cardSpecs(doc)].find((s) => s.name.endsWith(`pledge-${row.pledgeId}.png`))!;
  t.notMatch(spec.svg, /<script>/, 'escaped');
  const lines = [...spec.svg.matchAll(/<path aria-label="([^"]*)" data-right="([\d.]+)"/g)];
  t.ok(lines.length > 5);
  for (const [, text, right] of lines) {
    t.ok(Number(right) <= 1920 - 192 + 0.5, `"${text!.slice(0, 12)}…" ends at ${right}`);
  }
  // The title wraps onto its three lines at the smallest size, and what still doesn't fit ends in "…".
  const titleLines = lines.filter(([, text]) => /背街小巷|杆线规整|整治成果/.test(text!));
  t.ok(titleLines.length >= 3, `the long title wraps (${titleLines.length} lines)`);
  t.ok(lines.some(([, text]) => text!.endsWith('…')), 'and is cut with an ellipsis after its last line');
});
