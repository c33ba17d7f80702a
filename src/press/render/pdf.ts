// The newspaper notice as PDF (pdfkit): masthead, pledges grouped by lead unit flowing through
// columns and pages, a vector QR code per pledge, page numbers and the site's address in the
// footer. The CJK font is embedded as a subset (pdfkit + fontkit keep only the glyphs used), so a
// 1,500-pledge notice stays a few MB and a short one a few hundred KB.
import PDFDocument from 'pdfkit';
import { fontBytes, measure } from './font.ts';
import { qrMatrix } from './qr.ts';
import { wrapText } from './linebreak.ts';
import { correctsLine, footerLine, headline, labeller, metaLine, numberedRows, summaryLine, type L } from './content.ts';
import { columnWidth, geometry, linesHeight, mastheadLines, pledgeBlock, type Block, type Geometry, type Line, type PdfOptions } from './pdf-layout.ts';
import type { NoticeDocument } from './types.ts';

const RULE = '#8a1c1c';

export async function renderNoticePdf(doc: NoticeDocument, opts: PdfOptions): Promise<Buffer> {
  const g = geometry(opts);
  const l = labeller(doc);
  const pdf = new PDFDocument({
    size: [g.width, g.height],
    margin: 0,
    bufferPages: true,
    autoFirstPage: false,
    // A fixed creation date (the publication day) makes the file ID, and so the bytes, reproducible.
    info: {
      Title: doc.title || l('noticeTitle'),
      Author: doc.issuingOffice,
      Subject: doc.campaignName,
      CreationDate: new Date(`${doc.publishedOn}T00:00:00Z`),
    },
    lang: doc.language,
  });
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  pdf.registerFont('regular', fontBytes('regular'));
  pdf.registerFont('bold', fontBytes('bold'));

  new Flow(pdf, g, doc, l).run();
  pdf.end();
  return done;
}

class Flow {
  private col = 0;
  private y = 0;
  private top = 0;
  private readonly bottom: number;
  private readonly colW: number;
  private group: string | null = null;
  private pageCount = 0;
  /** Nothing but headings drawn in this column yet (a block that doesn't fit here fits nowhere). */
  private fresh = true;

  constructor(
    private readonly pdf: PDFKit.PDFDocument,
    private readonly g: Geometry,
    private readonly doc: NoticeDocument,
    private readonly l: L,
  ) {
    this.bottom = g.height - g.margin.bottom;
    this.colW = columnWidth(g);
  }

  run(): void {
    this.newPage();
    let current = -1;
    for (const { group, row, n } of numberedRows(this.doc)) {
      const block = pledgeBlock(row, n, this.doc, this.l, this.g, this.colW);
      if (group !== current) {
        current = group;
        const { unitName, rows } = this.doc.groups[group]!;
        this.groupHeading(unitName, rows.length, this.firstChunkHeight(block));
      }
      this.place(block);
    }
    this.finishPage();
    this.footers();
  }

  private colX(): number {
    return this.g.margin.left + this.col * (this.colW + this.g.gutter);
  }

  private newPage(): void {
    if (this.pageCount > 0) this.finishPage();
    this.pdf.addPage({ size: [this.g.width, this.g.height], margin: 0 });
    this.pageCount++;
    this.col = 0;
    const fullWidth = this.g.width - this.g.margin.left - this.g.margin.right;
    let y = this.g.margin.top;
    if (this.pageCount === 1) {
      const { kicker, title } = headline(this.doc, this.l);
      const lines = mastheadLines(
        { kicker, title, meta: metaLine(this.doc, this.l), corrects: correctsLine(this.doc, this.l), summary: summaryLine(this.doc, this.l) },
        this.g,
        fullWidth,
      );
      this.drawLines(lines, this.g.margin.left, y);
      y += linesHeight(lines) + 4;
      this.rule(this.g.margin.left, y, fullWidth, 1.6);
      this.rule(this.g.margin.left, y + 2.6, fullWidth, 0.5);
      y += 12;
    } else {
      const { title } = headline(this.doc, this.l);
      const running = [this.doc.campaignName, title, this.doc.noticeNo].filter(Boolean).join(' · ');
      const size = this.g.size.footer;
      this.text(fit(running, fullWidth, size), this.g.margin.left, y, size, 'regular', '#555555');
      y += size * 1.6;
      this.rule(this.g.margin.left, y, fullWidth, 0.5);
      y += 8;
    }
    this.top = y;
    this.y = y;
    this.fresh = true;
  }

  /** Vertical rules between the columns of the page just filled. */
  private finishPage(): void {
    for (let c = 1; c < this.g.columns; c++) {
      const x = this.g.margin.left + c * (this.colW + this.g.gutter) - this.g.gutter / 2;
      this.pdf.save().moveTo(x, this.top).lineTo(x, this.bottom).lineWidth(0.4).strokeColor('#999999').stroke().restore();
    }
  }

  private nextColumn(): void {
    if (this.col + 1 < this.g.columns) {
      this.col++;
      this.y = this.top;
      this.fresh = true;
    } else {
      this.newPage();
    }
    // A group that goes on in a new column says so, so a reader landing there knows whose it is.
    if (this.group) this.drawGroupHeading(`${this.group}${this.l('continued')}`, this.g.size.body, 0);
  }

  private firstChunkHeight(block: Block): number {
    const i = block.lines.findIndex((ln) => ln.breakAfter);
    return i < 0 ? block.height : Math.max(linesHeight(block.lines.slice(0, i + 1)), block.qr ? block.qr.size : 0);
  }

  /** The unit's heading, moved to the next column unless the first lines of its first pledge fit under it. */
  private groupHeading(unit: string, count: number, firstChunk: number): void {
    this.group = null;
    const text = `${unit}${this.doc.language === 'zh-CN' ? '（' : ' ('}${this.l('pledgesN', { n: count })}${this.doc.language === 'zh-CN' ? '）' : ')'}`;
    const h = this.headingLines(text, this.g.size.group).length * this.g.size.group * 1.6 + 9;
    if (!this.fresh && this.y + h + firstChunk > this.bottom) this.nextColumn();
    this.group = unit;
    this.drawGroupHeading(text, this.g.size.group, 1.2);
  }

  private headingLines(text: string, size: number): string[] {
    return wrapText(text, this.colW, (t) => measure(t, size, 'bold'));
  }

  /** A unit's heading: wraps (never cut) and is ruled off from its pledges. */
  private drawGroupHeading(text: string, size: number, ruleWidth: number): void {
    const x = this.colX();
    if (!this.fresh) this.y += 3;
    const lh = size * 1.6;
    for (const t of this.headingLines(text, size)) {
      this.text(t, x, this.y + (lh - size) / 2, size, 'bold', RULE);
      this.y += lh;
    }
    if (ruleWidth) this.rule(x, this.y, this.colW, ruleWidth);
    this.y += 6;
  }

  /** Places a block, splitting it across columns only where its lines allow. */
  private place(block: Block): void {
    let lines = block.lines;
    let qr = block.qr;
    let first = true;
    while (lines.length) {
      const offset = lines[0]!.dy;
      const room = this.bottom - this.y;
      const total = first ? block.height : linesHeight(lines) - offset;
      if (total <= room) {
        this.drawPart(lines, offset, qr);
        this.y += total + this.g.blockGap;
        return;
      }
      // The last allowed split whose part fits here.
      let cut = -1;
      for (let i = 0; i < lines.length - 2; i++) {
        const ln = lines[i]!;
        const allowed = first ? ln.breakAfter : true;
        if (allowed && ln.dy + ln.height - offset <= room) cut = i;
      }
      if (cut < 0) {
        if (this.fresh) {
          // Not even the first part fits an empty column (impossible with sane sizes): draw it anyway.
          cut = lines.findIndex((ln) => ln.breakAfter);
          if (cut < 0) cut = lines.length - 1;
        } else {
          this.nextColumn();
          continue;
        }
      }
      this.drawPart(lines.slice(0, cut + 1), offset, qr);
      lines = lines.slice(cut + 1);
      qr = null;
      first = false;
      this.nextColumn();
    }
  }

  private drawPart(lines: Line[], offset: number, qr: Block['qr']): void {
    const x = this.colX();
    this.fresh = false;
    this.drawLines(lines, x, this.y - offset);
    if (qr) this.drawQr(qr.url, x + qr.dx, this.y, qr.size, qr.caption);
  }

  private drawLines(lines: Line[], x: number, y: number): void {
    for (const ln of lines) {
      for (const r of ln.runs) this.text(r.text, x + r.dx, y + ln.dy + (ln.height - r.size) / 2, r.size, r.weight, r.color);
    }
  }

  private drawQr(url: string, x: number, y: number, size: number, caption: string[]): void {
    const m = qrMatrix(url);
    const unit = size / m.size;
    this.pdf.save();
    for (const r of m.runs) this.pdf.rect(x + r.col * unit, y + r.row * unit, r.len * unit, unit);
    this.pdf.fill('#000000').restore();
    this.pdf.link(x, y, size, size, url);
    const cs = this.g.size.caption;
    caption.forEach((t, i) => {
      this.text(t, x + (size - measure(t, cs)) / 2, y + size + 2 + i * cs * 1.25, cs, 'regular', '#555555');
    });
  }

  private text(text: string, x: number, y: number, size: number, weight: 'regular' | 'bold', color: string): void {
    if (!text) return;
    this.pdf.font(weight).fontSize(size).fillColor(color).text(text, x, y, { lineBreak: false });
  }

  private rule(x: number, y: number, w: number, width: number): void {
    this.pdf.save().moveTo(x, y).lineTo(x + w, y).lineWidth(width).strokeColor(RULE).stroke().restore();
  }

  /** Page numbers and the site's address, once the page count is known. */
  private footers(): void {
    const range = this.pdf.bufferedPageRange();
    const size = this.g.size.footer;
    const y = this.g.height - this.g.margin.bottom + 10;
    const left = this.g.margin.left;
    const right = this.g.width - this.g.margin.right;
    for (let i = 0; i < range.count; i++) {
      this.pdf.switchToPage(range.start + i);
      this.rule(left, y - 4, right - left, 0.4);
      const page = this.l('pageOf', { n: i + 1, total: range.count });
      const pw = measure(page, size);
      this.text(page, right - pw, y, size, 'regular', '#555555');
      this.text(fit(footerLine(this.doc, this.l), right - left - pw - 12, size), left, y, size, 'regular', '#555555');
    }
  }
}

/** Cuts a single-line label to a width with an ellipsis (running heads only; content always wraps). */
function fit(text: string, width: number, size: number, weight: 'regular' | 'bold' = 'regular'): string {
  if (measure(text, size, weight) <= width) return text;
  let out = '';
  for (const ch of text) {
    if (measure(out + ch + '…', size, weight) > width) break;
    out += ch;
  }
  return out + '…';
}
