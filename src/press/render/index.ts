// The press desk's renderers: one NoticeDocument in, print-ready files out. Nothing here touches
// the database or a request, so a publication can be re-rendered from its snapshot alone.
import type { NoticeDocument } from './types.ts';
import type { PdfOptions } from './pdf-layout.ts';
import { renderNoticePdf } from './pdf.ts';
import { renderNoticeHtml } from './html.ts';
import { renderNoticeDocx } from './docx.ts';
import { renderCardsZip } from './cards-zip.ts';

export type { NoticeDocument, NoticeGroup, NoticeRow } from './types.ts';
export { noticeLabels } from './labels.ts';

export type PdfLayout = PdfOptions;

export async function renderPdf(doc: NoticeDocument, opts: PdfLayout): Promise<Buffer> {
  return renderNoticePdf(doc, opts);
}

export function renderHtml(doc: NoticeDocument): string {
  return renderNoticeHtml(doc);
}

export async function renderDocx(doc: NoticeDocument): Promise<Buffer> {
  return renderNoticeDocx(doc);
}

export async function renderCards(doc: NoticeDocument, opts: { perPledgeMax?: number } = {}): Promise<Buffer> {
  return renderCardsZip(doc, opts);
}
