// QR codes as vector geometry: the module matrix from `qrcode`, merged into horizontal runs so a
// code is a few dozen rectangles (PDF) or one SVG path — sharp at any print size, no bitmaps.
import QRCode from 'qrcode';
import { esc } from '../../charts/svg.ts';

export interface QrRun {
  row: number;
  col: number;
  len: number;
}

export interface QrMatrix {
  /** Modules per side, quiet zone excluded. */
  size: number;
  runs: QrRun[];
}

/** Medium error correction: survives newsprint smudges without making the code much denser. */
export function qrMatrix(text: string): QrMatrix {
  const code = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const { size, data } = code.modules;
  const runs: QrRun[] = [];
  for (let row = 0; row < size; row++) {
    let col = 0;
    while (col < size) {
      if (!data[row * size + col]) {
        col++;
        continue;
      }
      const start = col;
      while (col < size && data[row * size + col]) col++;
      runs.push({ row, col: start, len: col - start });
    }
  }
  return { size, runs };
}

/** The runs as one SVG path in module units (use a viewBox of `-q -q size+2q size+2q`). */
export function qrSvgPath(m: QrMatrix): string {
  return m.runs.map((r) => `M${r.col} ${r.row}h${r.len}v1h-${r.len}z`).join('');
}

/** A standalone SVG (white quiet zone of 4 modules) for HTML and the caption cards. */
export function qrSvg(text: string, opts: { size?: number; title?: string } = {}): string {
  const m = qrMatrix(text);
  const q = 4;
  const total = m.size + 2 * q;
  const dim = opts.size ? ` width="${opts.size}" height="${opts.size}"` : '';
  const title = opts.title ? `<title>${esc(opts.title)}</title>` : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${-q} ${-q} ${total} ${total}"${dim} shape-rendering="crispEdges" role="img">` +
    `${title}<rect x="${-q}" y="${-q}" width="${total}" height="${total}" fill="#fff"/>` +
    `<path d="${qrSvgPath(m)}" fill="#000"/></svg>`
  );
}

