// The notice as a Word document, for desks that re-typeset it. A .docx can't carry our font, so
// runs name a CJK font the conventional way (w:eastAsia) and Word substitutes what the desk has.
// Each pledge is a borderless two-cell table: its text on the left, its QR code on the right.
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeadingLevel,
  ImageRun,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type IRunOptions,
} from 'docx';
import QRCode from 'qrcode';
import { colon, correctsLine, footerLine, headline, labeller, metaLine, numberedRows, rowFields, summaryLine } from './content.ts';
import type { NoticeDocument } from './types.ts';

/** Word's usual Chinese fallback chain: Noto Sans SC if installed; SimSun ships with every Windows. */
const EAST_ASIA_FONT = 'Noto Sans SC';
const LATIN_FONT = 'Arial';
const RED = '8A1C1C';
const NONE = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };

function run(text: string, opts: Omit<IRunOptions, 'text'> = {}): TextRun {
  return new TextRun({ text, font: { ascii: LATIN_FONT, hAnsi: LATIN_FONT, eastAsia: EAST_ASIA_FONT }, ...opts });
}

/** A QR code as a small PNG (Word has no vector path for it that every version shows). */
async function qrPng(url: string): Promise<Buffer> {
  return QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 4 });
}

export async function renderNoticeDocx(doc: NoticeDocument): Promise<Buffer> {
  const l = labeller(doc);
  const c = colon(doc.language);
  const { kicker, title } = headline(doc, l);
  const corrects = correctsLine(doc, l);
  const lang = { value: doc.language === 'zh-CN' ? 'zh-CN' : 'en-GB', eastAsia: 'zh-CN' };

  const body: (Paragraph | Table)[] = [];
  if (kicker) body.push(new Paragraph({ alignment: AlignmentType.CENTER, children: [run(kicker, { size: 24 })] }));
  body.push(new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, children: [run(title, { bold: true, size: 40, color: RED })] }));
  body.push(new Paragraph({ alignment: AlignmentType.CENTER, children: [run(metaLine(doc, l), { size: 18 })] }));
  if (corrects) body.push(new Paragraph({ alignment: AlignmentType.CENTER, children: [run(corrects, { bold: true, size: 18, color: RED })] }));
  body.push(
    new Paragraph({
      alignment: AlignmentType.CENTER,
      border: { bottom: { style: BorderStyle.DOUBLE, size: 6, color: RED, space: 4 } },
      spacing: { after: 240 },
      children: [run(summaryLine(doc, l), { size: 18 })],
    }),
  );

  let current = -1;
  for (const { group, row, n } of numberedRows(doc)) {
    if (group !== current) {
      current = group;
      const g = doc.groups[group]!;
      body.push(
        new Paragraph({
          heading: HeadingLevel.HEADING_1,
          keepNext: true,
          spacing: { before: 240, after: 120 },
          border: { bottom: { style: BorderStyle.SINGLE, size: 8, color: RED, space: 2 } },
          children: [run(g.unitName, { bold: true, size: 26, color: RED }), run(`  ${l('pledgesN', { n: g.rows.length })}`, { size: 20, color: RED })],
        }),
      );
    }
    const number = doc.language === 'zh-CN' ? `${n}．` : `${n}. `;
    const text: Paragraph[] = [
      new Paragraph({ heading: HeadingLevel.HEADING_2, keepNext: true, children: [run(`${number}${row.title}`, { bold: true, size: 22, color: '111111' })] }),
      ...rowFields(row, doc, l).map(
        (f) => new Paragraph({ keepLines: true, children: [run(`${f.label}${c}`, { bold: true, size: 19, color: RED }), run(f.value, { size: 19 })] }),
      ),
    ];
    const qr = new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [
        new ImageRun({ type: 'png', data: await qrPng(row.url), transformation: { width: 72, height: 72 }, altText: { name: 'QR', description: row.url, title: row.url } }),
      ],
    });
    const caption = new Paragraph({ alignment: AlignmentType.CENTER, children: [run(l('scanToFollow'), { size: 12, color: '555555' })] });
    body.push(
      new Table({
        width: { size: 100, type: WidthType.PERCENTAGE },
        columnWidths: [7800, 1400],
        borders: { top: NONE, bottom: NONE, left: NONE, right: NONE, insideHorizontal: NONE, insideVertical: NONE },
        rows: [
          new TableRow({
            cantSplit: false,
            children: [
              new TableCell({ width: { size: 7800, type: WidthType.DXA }, children: text }),
              new TableCell({ width: { size: 1400, type: WidthType.DXA }, children: [qr, caption] }),
            ],
          }),
        ],
      }),
      new Paragraph({ spacing: { after: 80 }, children: [] }),
    );
  }

  const document = new Document({
    creator: doc.issuingOffice,
    title: [doc.campaignName, title, doc.noticeNo].filter(Boolean).join(' · '),
    description: footerLine(doc, l),
    styles: { default: { document: { run: { font: { ascii: LATIN_FONT, hAnsi: LATIN_FONT, eastAsia: EAST_ASIA_FONT }, language: lang, size: 20 } } } },
    sections: [
      {
        properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 1000, bottom: 1000, left: 1100, right: 1100 } } },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [run(`${footerLine(doc, l)}    `, { size: 16, color: '555555' }), new TextRun({ children: [PageNumber.CURRENT, ' / ', PageNumber.TOTAL_PAGES], size: 16, color: '555555' })],
              }),
            ],
          }),
        },
        children: body,
      },
    ],
  });
  return Packer.toBuffer(document);
}
