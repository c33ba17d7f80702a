// The newspaper PDF read back with pdfjs: Chinese text layer, embedded subset fonts, every QR code
// decoded from the rendered page pixels, column layout and no text past a column's right edge.
import t from 'tap';
import { decodeQr as jsQR } from './jsqr.ts';
import { renderPdf } from '../../src/press/render/index.ts';
import { columnWidth, geometry } from '../../src/press/render/pdf-layout.ts';
import { kinsoku } from '../../src/press/render/linebreak.ts';
import { makeNotice } from './fixtures.ts';
import { openPdf, pageText, allText, rasterPage } from './pdf-read.ts';

// Rendering pages and 1,529 pledges is real work on a shared 2-core machine: allow more than the default.
t.setTimeout(300_000);

const compact = (s: string) => s.replace(/\s+/g, '');

t.test('A4 notice: Chinese text layer, subset fonts embedded, small file', async (t) => {
  const doc = makeNotice(12, { corrects: '第2号（2026年11月19日）' });
  const buf = await renderPdf(doc, { layout: 'a4' });
  t.equal(buf.subarray(0, 5).toString(), '%PDF-');
  t.ok(buf.length < 600_000, `a 12-pledge notice stays small (${buf.length} bytes)`);
  const pdf = await openPdf(buf);
  const text = compact(await allText(pdf));
  for (const g of doc.groups) {
    t.ok(text.includes(compact(g.unitName)), `unit heading ${g.unitName}`);
    for (const r of g.rows) t.ok(text.includes(compact(r.title)), `title ${r.title}`);
  }
  for (const s of ['市直部门公开承诺事项公告', '中共济南市委办公厅', '第3号', '本公告更正', '第2号（2026年11月19日）', '扫码关注此项承诺', 'https://pledges.example.org']) {
    t.ok(text.includes(compact(s)), `prints ${s}`);
  }
  t.match(text, /第1页\/共\d+页/, 'page numbers');

  // Fonts: CID-keyed CFF subsets (FontFile3), named with a six-letter subset tag.
  const raw = buf.toString('latin1');
  t.match(raw, /\/FontFile3/, 'font program embedded');
  const names = [...raw.matchAll(/\/BaseFont \/([A-Z]{6}\+[\w-]+)/g)].map((m) => m[1]!);
  t.ok(names.some((n) => n.endsWith('+NotoSansHans-Regular')), `regular subset embedded (${names.join(', ')})`);
  t.ok(names.some((n) => n.endsWith('+NotoSansHans-Bold')), 'bold subset embedded');
  // pdfjs agrees: every font it met on page 1 was embedded (none substituted).
  const page = await pdf.getPage(1);
  await page.getOperatorList();
  const fonts = [...(page.commonObjs as any)].map(([, v]: [string, any]) => v).filter((v: any) => v && typeof v === 'object' && 'loadedName' in v);
  t.ok(fonts.length >= 2, 'fonts loaded');
  for (const f of fonts) t.notOk(f.missingFile, `font ${f.name} has its program in the file`);
});

t.test('every QR code on the page decodes to its pledge URL (rendered pixels)', async (t) => {
  for (const opts of [{ layout: 'a4' as const }, { layout: 'half' as const, columns: 4 as const }]) {
    const doc = makeNotice(14);
    const want = new Set(doc.groups.flatMap((g) => g.rows.map((r) => r.url)));
    const pdf = await openPdf(await renderPdf(doc, opts));
    const scale = 3;
    const found = new Set<string>();
    for (let p = 1; p <= pdf.numPages; p++) {
      const page = await pdf.getPage(p);
      const links = (await page.getAnnotations()).filter((a: any) => a.subtype === 'Link' && a.url);
      const img = await rasterPage(pdf, p, scale);
      for (const link of links) {
        // The link sits exactly on the code; crop it with a white margin and decode the pixels.
        const [x1, y1, x2, y2] = link.rect as number[];
        const pad = 6;
        const left = Math.floor((x1! - pad) * scale);
        const top = Math.floor((page.view[3]! - y2! - pad) * scale);
        const w = Math.ceil((x2! - x1! + 2 * pad) * scale);
        const h = Math.ceil((y2! - y1! + 2 * pad) * scale);
        const crop = new Uint8ClampedArray(w * h * 4);
        for (let y = 0; y < h; y++) {
          const src = ((top + y) * img.width + left) * 4;
          crop.set(img.data.subarray(src, src + w * 4), y * w * 4);
        }
        const code = jsQR(crop, w, h);
        t.ok(code, `QR on page ${p} decodes`);
        if (code) {
          t.equal(code.data, link.url, 'decoded text is the link target');
          found.add(code.data);
        }
      }
    }
    t.same([...found].sort(), [...want].sort(), `${opts.layout}: one readable code per pledge`);
  }
});

t.test('half-page: the requested number of columns, nothing past a column edge, kinsoku', async (t) => {
  for (const columns of [2, 3, 4] as const) {
    const doc = makeNotice(60);
    const g = geometry({ layout: 'half', columns });
    const colW = columnWidth(g);
    const pdf = await openPdf(await renderPdf(doc, { layout: 'half', columns }));
    t.ok(pdf.numPages >= 2, `${columns} columns: spills onto more pages`);
    const p1 = await pageText(pdf, 1);
    t.ok(Math.abs(p1.width - (350 * 72) / 25.4) < 1 && Math.abs(p1.height - (245 * 72) / 25.4) < 1, 'page is 350 × 245 mm');
    const numberX = new Set(p1.items.filter((i) => /^\d+．$/.test(i.str)).map((i) => Math.round(i.x)));
    t.equal(numberX.size, columns, `${columns} distinct column starts (${[...numberX].join(', ')})`);
    for (let p = 1; p <= pdf.numPages; p++) {
      const { items } = await pageText(pdf, p);
      const firstItem = items.find((i) => /^\d+．$/.test(i.str));
      for (const it of items) {
        // Masthead (page 1, above the first pledge), running head and footer span the full width.
        if (p === 1 && firstItem && it.y < firstItem.y - 40) continue;
        if (it.y > g.height - g.margin.bottom || it.y < g.margin.top + 12) continue;
        const col = Math.min(columns - 1, Math.floor((it.x - g.margin.left + 1) / (colW + g.gutter)));
        const right = g.margin.left + col * (colW + g.gutter) + colW;
        if (it.x + it.width > right + 0.5) t.fail(`page ${p}: "${it.str}" ends at ${it.x + it.width} past column edge ${right}`);
        const first = String.fromCodePoint(it.str.codePointAt(0)!);
        if (kinsoku.NO_START.has(first)) t.fail(`line starts with closing punctuation: "${it.str}"`);
        const last = Array.from(it.str).pop()!;
        if (kinsoku.NO_END.has(last)) t.fail(`line ends with opening punctuation: "${it.str}"`);
      }
    }
    // The long title (fixture row 3) wraps onto several lines, all inside the column.
    const text = compact(await allText(pdf));
    t.ok(text.includes(compact(doc.groups[3]!.rows[0]!.title)), 'long title printed whole');
  }
});

t.test('English notice and re-rendering is byte-identical', async (t) => {
  const doc = makeNotice(5, { language: 'en' });
  const a = await renderPdf(doc, { layout: 'half', columns: 2 });
  const b = await renderPdf(doc, { layout: 'half', columns: 2 });
  t.ok(a.equals(b), 'same document, same bytes');
  const text = await allText(await openPdf(a));
  t.match(text, /Scan to follow/);
  t.match(text, /Deadline/);
  t.match(text, /Page 1 of 1/);
});

t.test('a notice of 1,529 pledges renders', async (t) => {
  const doc = makeNotice(1529, { units: 48 });
  const buf = await renderPdf(doc, { layout: 'half', columns: 4 });
  const pdf = await openPdf(buf);
  t.ok(pdf.numPages > 20, `${pdf.numPages} pages`);
  t.ok(buf.length < 15_000_000, `size ${Math.round(buf.length / 1024)} KB`);
  const last = await pageText(pdf, pdf.numPages);
  t.ok(last.items.some((i) => i.str === '1529．'), 'the last pledge is on the last page');
});
