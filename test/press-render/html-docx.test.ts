// The print HTML (self-contained, no scripts) and the Word document, read back.
import t from 'tap';
import { unzipSync, strFromU8 } from 'fflate';
import { XMLParser } from 'fast-xml-parser';
import { renderDocx, renderHtml } from '../../src/press/render/index.ts';
import { makeNotice } from './fixtures.ts';

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

t.test('print HTML: every title, QR as inline SVG, nothing external, no script', async (t) => {
  const doc = makeNotice(12, { corrects: '第2号' });
  doc.groups[0]!.rows[0]!.title = '标题含<b>标签</b> & “引号”';
  const html = renderHtml(doc);
  t.match(html, /^<!DOCTYPE html>/);
  t.match(html, /<meta charset="utf-8">/);
  for (const g of doc.groups) for (const r of g.rows) t.ok(unescape(html).includes(r.title), `title ${r.title}`);
  t.notMatch(html, /<b>标签/, 'user text is escaped');
  t.notMatch(html, /<script/i, 'no scripts');
  t.notMatch(html, /\son\w+=/i, 'no inline event handlers');
  t.notMatch(html, /\sstyle=/i, 'no style attributes (CSP allows the <style> element only)');
  t.notMatch(html, /<link\b|\ssrc=|@import|url\(/i, 'no external assets');
  t.equal((html.match(/<svg /g) ?? []).length, 12, 'one inline QR per pledge');
  t.match(html, /@page\{size:A4/, 'print stylesheet');
  t.match(html, /本公告更正/);
  t.equal((html.match(/<style>/g) ?? []).length, 1);
});

t.test('DOCX: titles, unit headings, East Asian font, QR images', async (t) => {
  const doc = makeNotice(9);
  const buf = await renderDocx(doc);
  t.equal(buf.subarray(0, 2).toString(), 'PK');
  const files = unzipSync(new Uint8Array(buf));
  const xml = strFromU8(files['word/document.xml']!);
  // Text as Word reads it: every w:t in order.
  const texts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === 'w:t') texts.push(...(Array.isArray(v) ? v : [v]).map((x: any) => (typeof x === 'object' ? String(x['#text'] ?? '') : String(x))));
        else walk(v);
      }
    }
  };
  walk(new XMLParser({ ignoreAttributes: true }).parse(xml));
  const text = texts.join('');
  for (const g of doc.groups) {
    t.ok(text.includes(g.unitName), `unit ${g.unitName}`);
    for (const r of g.rows) t.ok(text.includes(r.title), `title ${r.title}`);
  }
  t.match(xml, /w:eastAsia="Noto Sans SC"/, 'East Asian font named on runs');
  t.match(strFromU8(files['word/styles.xml']!), /w:eastAsia="Noto Sans SC"/, 'and in the default style');
  const media = Object.keys(files).filter((n) => n.startsWith('word/media/') && n.endsWith('.png'));
  t.equal(media.length, 9, 'a QR image per pledge');
});
