// Reads a rendered PDF back the way a reader's software would: pdfjs-dist (legacy build, runs on
// Node) for the text layer with positions, and page rasters through @napi-rs/canvas for QR decoding.
import { getDocument, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { TextItem } from 'pdfjs-dist/types/src/display/api.js';

export async function openPdf(buf: Buffer): Promise<PDFDocumentProxy> {
  return getDocument({ data: new Uint8Array(buf), useSystemFonts: false, disableFontFace: true, verbosity: 0 }).promise;
}

export interface PlacedText {
  str: string;
  x: number;
  /** Baseline, measured from the page's top. */
  y: number;
  width: number;
  size: number;
}

export async function pageText(pdf: PDFDocumentProxy, pageNo: number): Promise<{ items: PlacedText[]; width: number; height: number }> {
  const page = await pdf.getPage(pageNo);
  const { width, height } = page.getViewport({ scale: 1 });
  const content = await page.getTextContent();
  const items = (content.items as TextItem[])
    .filter((it) => 'str' in it && it.str !== '')
    .map((it) => ({ str: it.str, x: it.transform[4], y: height - it.transform[5], width: it.width, size: Math.hypot(it.transform[2], it.transform[3]) }));
  return { items, width, height };
}

export async function allText(pdf: PDFDocumentProxy): Promise<string> {
  let out = '';
  for (let p = 1; p <= pdf.numPages; p++) out += (await pageText(pdf, p)).items.map((i) => i.str).join('\n') + '\n';
  return out;
}

/** Renders a page to RGBA pixels (white background) at `scale` × 72 dpi. */
export async function rasterPage(pdf: PDFDocumentProxy, pageNo: number, scale: number): Promise<{ data: Uint8ClampedArray; width: number; height: number; png(): Buffer }> {
  const page = await pdf.getPage(pageNo);
  const viewport = page.getViewport({ scale });
  const factory = (pdf as unknown as { canvasFactory: { create(w: number, h: number): { canvas: any; context: any } } }).canvasFactory;
  const { canvas, context } = factory.create(Math.ceil(viewport.width), Math.ceil(viewport.height));
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  await page.render({ canvasContext: context, viewport, canvas }).promise;
  const img = context.getImageData(0, 0, canvas.width, canvas.height);
  return { data: img.data, width: canvas.width, height: canvas.height, png: () => canvas.toBuffer('image/png') };
}
