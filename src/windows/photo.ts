// Staff photos: JPEG or PNG, told by their bytes (never by the name or the declared type), with
// metadata removed before storing — a phone photo's EXIF can carry where and when it was taken
// and the camera's serial number, none of which belongs on a public post card.

export type PhotoMime = 'image/jpeg' | 'image/png';

export type PhotoCheck = { ok: true; mime: PhotoMime; bytes: Buffer } | { ok: false; reason: 'empty' | 'too_large' | 'not_image' | 'damaged' };

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function sniffImage(bytes: Buffer): PhotoMime | null {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return 'image/png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  return null;
}

/**
 * JPEG without APP1–APP15 (EXIF, XMP, maker notes…) and comments; APP0 (JFIF) is kept. Walks
 * the segments up to the start of scan; null when the structure is broken.
 */
export function stripJpeg(bytes: Buffer): Buffer | null {
  const out: Buffer[] = [bytes.subarray(0, 2)];
  let i = 2;
  while (i + 4 <= bytes.length) {
    if (bytes[i] !== 0xff) return null;
    const marker = bytes[i + 1];
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    const length = bytes.readUInt16BE(i + 2);
    if (length < 2 || i + 2 + length > bytes.length) return null;
    const segment = bytes.subarray(i, i + 2 + length);
    if (marker === 0xda) {
      // Start of scan: the compressed image and everything after it is kept as is.
      out.push(bytes.subarray(i));
      return Buffer.concat(out);
    }
    const isMetadata = (marker >= 0xe1 && marker <= 0xef) || marker === 0xfe;
    if (!isMetadata) out.push(segment);
    i += 2 + length;
  }
  return null;
}

/** Chunks a PNG needs to be drawn; text, EXIF and time chunks are dropped. */
const PNG_KEEP = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND', 'tRNS', 'gAMA', 'cHRM', 'sRGB', 'iCCP', 'sBIT', 'pHYs', 'bKGD']);

export function stripPng(bytes: Buffer): Buffer | null {
  const out: Buffer[] = [PNG_SIGNATURE];
  let i = 8;
  let sawHeader = false;
  while (i + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(i);
    const type = bytes.toString('latin1', i + 4, i + 8);
    const end = i + 12 + length;
    if (end > bytes.length) return null;
    if (!sawHeader && type !== 'IHDR') return null;
    sawHeader = true;
    if (PNG_KEEP.has(type)) out.push(bytes.subarray(i, end));
    i = end;
    if (type === 'IEND') return Buffer.concat(out);
  }
  return null;
}

export function checkPhoto(bytes: Buffer, maxBytes: number): PhotoCheck {
  if (!bytes.length) return { ok: false, reason: 'empty' };
  if (bytes.length > maxBytes) return { ok: false, reason: 'too_large' };
  const mime = sniffImage(bytes);
  if (!mime) return { ok: false, reason: 'not_image' };
  const clean = mime === 'image/png' ? stripPng(bytes) : stripJpeg(bytes);
  if (!clean) return { ok: false, reason: 'damaged' };
  return { ok: true, mime, bytes: clean };
}
