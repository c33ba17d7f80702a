// Reads a QR code back from the SVG the app printed: the path's modules are drawn into a pixel
// buffer and decoded with jsQR, so the test checks what a phone camera would read.
import jsqrModule from 'jsqr';

// jsqr is CommonJS with `exports.default`: under tsx the default import is the function, while
// TypeScript (NodeNext) types it as the module object.
type Decode = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const mod = jsqrModule as unknown as Decode | { default: Decode };
const jsQR: Decode = typeof mod === 'function' ? mod : mod.default;

/** The first inline <svg …class="qr"…> in an HTML page. */
export function qrSvgOf(html: string): string {
  const m = /<svg[^>]*class="qr"[\s\S]*?<\/svg>/.exec(html);
  if (!m) throw new Error('no QR code on the page');
  return m[0];
}

/** The dark modules of qrcode's SVG output (M x y.5, then h n runs and m dx dy moves). */
function modules(svg: string): { size: number; dark: boolean[][] } {
  const size = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)![1]);
  const d = /<path[^>]*stroke="#000000"[^>]*d="([^"]+)"/.exec(svg)![1];
  const dark = Array.from({ length: size }, () => Array<boolean>(size).fill(false));
  let x = 0;
  let y = 0;
  for (const [, cmd, args] of d.matchAll(/([MmHhVv])([^MmHhVv]*)/g)) {
    const n = args.trim().split(/[\s,]+/).filter(Boolean).map(Number);
    if (cmd === 'M') [x, y] = n;
    else if (cmd === 'm') {
      x += n[0];
      y += n[1];
    } else if (cmd === 'h') {
      for (let i = 0; i < n[0]; i++) dark[Math.floor(y)][x + i] = true;
      x += n[0];
    } else throw new Error(`unexpected path command ${cmd}`);
  }
  return { size, dark };
}

export function decodeQrSvg(svg: string, scale = 6): string | null {
  const { size, dark } = modules(svg);
  const w = size * scale;
  const pixels = new Uint8ClampedArray(w * w * 4);
  for (let py = 0; py < w; py++) {
    for (let px = 0; px < w; px++) {
      const v = dark[Math.floor(py / scale)][Math.floor(px / scale)] ? 0 : 255;
      const i = (py * w + px) * 4;
      pixels[i] = pixels[i + 1] = pixels[i + 2] = v;
      pixels[i + 3] = 255;
    }
  }
  return jsQR(pixels, w, w)?.data ?? null;
}
