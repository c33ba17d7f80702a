// The files every publication has, and the options of their renderers: light enough for the
// server to import (the renderers themselves — pdfkit, fontkit, docx, resvg — load only in the
// render child, src/press/render-child.ts).
import { PUBLICATION_FORMATS, type PublicationFormat } from '../../db/schema.ts';

export interface OutputOptions {
  /** Columns of the half-page newspaper layout. */
  columns?: 2 | 3 | 4;
  /** Crawl width in columns (a CJK character counts two). */
  crawlWidth?: number;
  /** Radio: target length in minutes and reading rate. */
  radioMinutes?: number;
  radioRate?: number;
  /** Caption cards: one card per pledge up to this many pledges, unit summary cards beyond (the renderer's default: 200). */
  cardsPerPledgeMax?: number;
}

export const FORMAT_FILES: Record<PublicationFormat, { mime: string; ext: string }> = {
  pdf_a4: { mime: 'application/pdf', ext: 'pdf' },
  pdf_half: { mime: 'application/pdf', ext: 'pdf' },
  html: { mime: 'text/html; charset=utf-8', ext: 'html' },
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', ext: 'docx' },
  crawl: { mime: 'text/plain; charset=utf-8', ext: 'txt' },
  cards: { mime: 'application/zip', ext: 'zip' },
  radio: { mime: 'text/plain; charset=utf-8', ext: 'txt' },
  csv: { mime: 'text/csv; charset=utf-8', ext: 'csv' },
};

export function isFormat(value: string): value is PublicationFormat {
  return (PUBLICATION_FORMATS as readonly string[]).includes(value);
}
