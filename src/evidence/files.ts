// What an uploaded evidence file really is, decided by its bytes, never by its name or the
// browser's claimed type; and what is stored of it. Images are decoded and re-encoded with
// sharp: that proves they are images, and the new file carries none of the original's
// metadata (EXIF GPS position, camera serials, XMP, comments), nor any bytes smuggled after
// the picture. PDFs are stored as sent and only ever served as downloads in a sandbox.
import { createHash } from 'node:crypto';

export const MAX_FILES = 5;
/** Long side of a stored image: a phone's 50-megapixel photo would be needlessly large. */
const MAX_SIDE = 3000;
/** Decoding larger images could exhaust memory (a decompression bomb); refused. */
const MAX_INPUT_PIXELS = 60_000_000;

export type EvidenceKind = 'image' | 'pdf';
type Format = 'jpeg' | 'png' | 'webp' | 'pdf';

export const MIME: Record<Format, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', pdf: 'application/pdf' };
export const EXTENSION: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'application/pdf': 'pdf' };

/** The format the first bytes announce, for the four accepted kinds only. */
export function sniff(bytes: Buffer): Format | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  if (bytes.length >= 8 && bytes.toString('latin1', 0, 5) === '%PDF-') return 'pdf';
  return undefined;
}

export interface PreparedFile {
  kind: EvidenceKind;
  mime: string;
  originalName: string;
  bytes: Buffer;
  size: number;
  sha256: string;
  width: number | null;
  height: number | null;
}

export type PrepareResult = { ok: true; file: PreparedFile } | { ok: false; error: 'evidence.error.type' | 'evidence.error.unreadable' };

/** Display name only: control characters and path parts removed, length bounded. */
export function cleanName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  return base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 120);
}

export async function prepareFile(input: Buffer, originalName: string): Promise<PrepareResult> {
  const format = sniff(input);
  if (!format) return { ok: false, error: 'evidence.error.type' };
  const base = { originalName: cleanName(originalName), mime: MIME[format] };
  if (format === 'pdf') {
    return { ok: true, file: { ...base, kind: 'pdf', bytes: input, size: input.length, sha256: sha256(input), width: null, height: null } };
  }
  try {
    // rotate() applies the EXIF orientation to the pixels, since the EXIF itself is dropped
    // (sharp writes no metadata unless asked to).
    // Loaded on first use: the server does not hold libvips in memory until someone uploads.
    const { default: sharp } = await import('sharp');
    const pipeline = sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
      .rotate()
      .resize({ width: MAX_SIDE, height: MAX_SIDE, fit: 'inside', withoutEnlargement: true });
    const encoded =
      format === 'jpeg' ? pipeline.jpeg({ quality: 85 }) : format === 'png' ? pipeline.png({ compressionLevel: 9 }) : pipeline.webp({ quality: 85 });
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    return { ok: true, file: { ...base, kind: 'image', bytes: data, size: data.length, sha256: sha256(data), width: info.width, height: info.height } };
  } catch {
    // Announced as an image but not decodable as one: truncated, corrupt or crafted.
    return { ok: false, error: 'evidence.error.unreadable' };
  }
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
