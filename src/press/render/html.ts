// The print-stylesheet HTML version of a notice: one self-contained UTF-8 file (inline <style>,
// QR codes as inline SVG, no scripts, no external assets), so it works downloaded, printed from any
// browser, or shown in the app under a CSP that allows only its inline style.
import { esc } from '../../charts/svg.ts';
import { FONT_STACK_NAMES } from './font.ts';
import { qrSvg } from './qr.ts';
import { colon, correctsLine, headline, labeller, metaParts, numberedRows, rowFields, summaryLine } from './content.ts';
import type { NoticeDocument } from './types.ts';

const CSS = `
*{box-sizing:border-box}
html{font-family:${FONT_STACK_NAMES.map((n) => `"${n}"`).join(',')},"PingFang SC","Hiragino Sans GB",sans-serif;color:#111;background:#fff;line-height:1.55}
body{margin:0 auto;max-width:60rem;padding:1.5rem}
header.masthead{text-align:center;border-bottom:3px double #8a1c1c;padding-bottom:.6rem;margin-bottom:1rem}
.kicker{margin:0;font-size:1rem;color:#333}
h1{margin:.2rem 0 .4rem;font-size:1.8rem;color:#8a1c1c;line-height:1.3}
.meta{margin:0;font-size:.85rem;color:#333}
.meta span{display:inline-block;margin:0 .6em}
.corrects{margin:.3rem 0 0;font-weight:700;color:#8a1c1c;font-size:.9rem}
.summary{margin:.3rem 0 0;font-size:.85rem;color:#333}
main{column-count:2;column-gap:2rem;column-rule:1px solid #bbb}
section.unit h2{font-size:1.05rem;color:#8a1c1c;border-bottom:1.5px solid #8a1c1c;margin:0 0 .5rem;padding-bottom:.15rem;break-after:avoid}
section.unit h2 .count{font-weight:400;font-size:.85em}
article.pledge{display:grid;grid-template-columns:1fr auto;column-gap:.6rem;margin:0 0 .8rem;break-inside:avoid}
article.pledge h3{grid-column:1;font-size:.95rem;margin:0 0 .15rem;overflow-wrap:anywhere;line-break:strict}
article.pledge dl{grid-column:1;margin:0;font-size:.82rem;line-break:strict;overflow-wrap:anywhere}
article.pledge dt{display:inline;font-weight:700;color:#8a1c1c}
article.pledge dd{display:inline;margin:0}
article.pledge dd::after{content:"";display:block}
figure.qr{grid-column:2;grid-row:1 / span 2;margin:0;width:4.2rem;text-align:center}
figure.qr svg{width:4.2rem;height:4.2rem;display:block}
figure.qr figcaption{font-size:.55rem;color:#555;line-height:1.2}
footer{margin-top:1rem;border-top:1px solid #8a1c1c;padding-top:.4rem;font-size:.8rem;color:#555}
@media (max-width:40rem){main{column-count:1}}
@page{size:A4;margin:14mm 14mm 16mm}
@media print{body{max-width:none;padding:0}main{column-count:2}a{color:inherit;text-decoration:none}}
`;

export function renderNoticeHtml(doc: NoticeDocument): string {
  const l = labeller(doc);
  const c = colon(doc.language);
  const { kicker, title } = headline(doc, l);
  const corrects = correctsLine(doc, l);
  const out: string[] = [];
  out.push(
    '<!DOCTYPE html>',
    `<html lang="${esc(doc.language)}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc([doc.campaignName, title, doc.noticeNo].filter(Boolean).join(' · '))}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<header class="masthead">',
    kicker ? `<p class="kicker">${esc(kicker)}</p>` : '',
    `<h1>${esc(title)}</h1>`,
    `<p class="meta">${metaParts(doc, l).map((p) => `<span>${esc(p.label)}${c}${esc(p.value)}</span>`).join('')}</p>`,
    corrects ? `<p class="corrects">${esc(corrects)}</p>` : '',
    `<p class="summary">${esc(summaryLine(doc, l))}</p>`,
    '</header>',
    '<main>',
  );
  let current = -1;
  for (const { group, row, n } of numberedRows(doc)) {
    if (group !== current) {
      if (current >= 0) out.push('</section>');
      current = group;
      const g = doc.groups[group]!;
      out.push(`<section class="unit"><h2>${esc(g.unitName)} <span class="count">${esc(l('pledgesN', { n: g.rows.length }))}</span></h2>`);
    }
    const number = doc.language === 'zh-CN' ? `${n}．` : `${n}. `;
    out.push(
      `<article class="pledge" id="pledge-${row.pledgeId}">`,
      `<h3>${esc(number)}<a href="${esc(row.url)}">${esc(row.title)}</a></h3>`,
      `<figure class="qr">${qrSvg(row.url, { title: row.url })}<figcaption>${esc(l('scanToFollow'))}</figcaption></figure>`,
      '<dl>',
      ...rowFields(row, doc, l).map((f) => `<dt>${esc(f.label)}${c}</dt><dd>${esc(f.value)}</dd>`),
      '</dl>',
      '</article>',
    );
  }
  if (current >= 0) out.push('</section>');
  out.push('</main>', `<footer>${esc(l('followAll'))} <a href="${esc(doc.publicUrl)}">${esc(doc.publicUrl)}</a></footer>`, '</body>', '</html>');
  return out.filter(Boolean).join('\n') + '\n';
}
