// Staff photos: JPEG or PNG, told by their bytes (never by the name or the declared type), and
// cleaned the way evidence photos are (src/evidence/files.ts: decoded and re-encoded, so no
// EXIF position, camera serial or comment survives) — a post card shows a face, nothing more.
import { prepareFile, sniff } from '../evidence/files.ts';

export type PhotoMime = 'image/jpeg' | 'image/png';

export type PhotoCheck = { ok: true; mime: PhotoMime; bytes: Buffer } | { ok: false; reason: 'empty' | 'too_large' | 'not_image' | 'damaged' };

export async function checkPhoto(bytes: Buffer, maxBytes: number): Promise<PhotoCheck> {
  if (!bytes.length) return { ok: false, reason: 'empty' };
  if (bytes.length > maxBytes) return { ok: false, reason: 'too_large' };
  const format = sniff(bytes);
  if (format !== 'jpeg' && format !== 'png') return { ok: false, reason: 'not_image' };
  const prepared = await prepareFile(bytes, '');
  if (!prepared.ok) return { ok: false, reason: 'damaged' };
  return { ok: true, mime: prepared.file.mime as PhotoMime, bytes: prepared.file.bytes };
}
