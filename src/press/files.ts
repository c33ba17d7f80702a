// Every file of a notice, rendered from its NoticeDocument alone: the heavy renderers of
// src/press/render (PDF, HTML, DOCX, caption cards) and the desk's text outputs (crawl, radio, CSV).
// Imported only where rendering happens (the render child, the demo loader, tests).
import { PUBLICATION_FORMATS, type PublicationFormat } from '../../db/schema.ts';
import { FORMAT_FILES, type OutputOptions } from './formats.ts';
import { renderCards, renderDocx, renderHtml, renderPdf } from './render/index.ts';
import type { NoticeDocument } from './render/types.ts';
import { renderCrawl } from './outputs/crawl.ts';
import { renderRadio } from './outputs/radio.ts';
import { renderCsv } from './outputs/csv.ts';
import type { GeneratedFile } from './repository.ts';

/** One file of a notice. */
export async function renderFormat(doc: NoticeDocument, format: PublicationFormat, opts: OutputOptions = {}): Promise<GeneratedFile> {
  const utf8 = (s: string) => Buffer.from(s, 'utf8');
  let bytes: Buffer;
  switch (format) {
    case 'pdf_a4':
      bytes = await renderPdf(doc, { layout: 'a4' });
      break;
    case 'pdf_half':
      bytes = await renderPdf(doc, { layout: 'half', columns: opts.columns ?? 3 });
      break;
    case 'html':
      bytes = utf8(renderHtml(doc));
      break;
    case 'docx':
      bytes = await renderDocx(doc);
      break;
    case 'cards':
      bytes = await renderCards(doc, opts.cardsPerPledgeMax === undefined ? {} : { perPledgeMax: opts.cardsPerPledgeMax });
      break;
    case 'crawl':
      bytes = utf8(renderCrawl(doc, { width: opts.crawlWidth }));
      break;
    case 'radio':
      bytes = utf8(renderRadio(doc, { targetMinutes: opts.radioMinutes, rate: opts.radioRate }).text);
      break;
    case 'csv':
      bytes = utf8(renderCsv(doc));
      break;
  }
  return { format, ...FORMAT_FILES[format], bytes };
}

/** Every format, whatever the outlet's kind: a desk may want the crawl of a newspaper notice too. */
export async function renderAll(doc: NoticeDocument, opts: OutputOptions = {}): Promise<GeneratedFile[]> {
  const out: GeneratedFile[] = [];
  // One after another: the PDF and card renderers are memory-heavy, and the desk publishes rarely.
  for (const format of PUBLICATION_FORMATS) out.push(await renderFormat(doc, format, opts));
  return out;
}

export type { OutputOptions };
