// Reading the progress form, which may be multipart (with evidence files) or urlencoded (no
// files: scripts, old clients and the tests that post plain forms). Multipart bodies are not
// parsed before the handler, so the shared CSRF check cannot see their token: it is checked
// here, from the `_csrf` field that precedes the files (or the x-csrf-token header), before a
// byte of any file is read — the same rule as every other upload (DESIGN.md).
import { findBadText } from '../plugins/hardening.ts';
import { HttpError } from '../plugins/errors.ts';
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { MAX_FILES, prepareFile, type PreparedFile } from './files.ts';
import type { FieldErrors } from '../validation.ts';

export const EVIDENCE_FIELD = 'evidence';
/** The text fields of the progress form, plus _csrf: anything more is refused by the form's schema. */
const MAX_FIELDS = 12;

function sameToken(sent: unknown, expected: string): boolean {
  if (typeof sent !== 'string' || !expected) return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export type FormRead =
  | { ok: true; fields: Record<string, string | string[]>; files: PreparedFile[]; errors: FieldErrors }
  | { ok: false; csrf: true };

function addField(fields: Record<string, string | string[]>, name: string, value: string) {
  const had = fields[name];
  fields[name] = had === undefined ? value : [...[had].flat(), value];
}

/**
 * The form's fields and its checked, cleaned files. File problems come back as field errors
 * on `evidence` (too many, too large, wrong type), with the text fields read so far, so the
 * form can be shown again with what was typed.
 */
export async function readEvidenceForm(request: FastifyRequest, opts: { fileSizeBytes: number }): Promise<FormRead> {
  const expected = request.session?.csrfToken ?? '';
  const header = request.headers['x-csrf-token'];
  if (!request.isMultipart()) {
    const body = { ...((request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, string | string[]>) };
    const sent = body._csrf ?? header;
    delete body._csrf;
    if (!sameToken(sent, expected)) return { ok: false, csrf: true };
    return { ok: true, fields: body, files: [], errors: {} };
  }

  let trusted = sameToken(header, expected);
  const fields: Record<string, string | string[]> = {};
  const raw: { buffer: Buffer; name: string }[] = [];
  const errors: FieldErrors = {};
  try {
    const parts = request.parts({ limits: { files: MAX_FILES, fileSize: opts.fileSizeBytes, fields: MAX_FIELDS, parts: MAX_FILES + MAX_FIELDS } });
    for await (const part of parts) {
      if (part.type === 'field') {
        if (part.fieldname === '_csrf') trusted = sameToken(part.value, expected);
        else addField(fields, part.fieldname, String(part.value));
        continue;
      }
      if (!trusted) {
        part.file.resume();
        return { ok: false, csrf: true };
      }
      if (part.fieldname !== EVIDENCE_FIELD) {
        part.file.resume();
        errors[EVIDENCE_FIELD] ??= { key: 'evidence.error.field' };
        continue;
      }
      const buffer = await part.toBuffer();
      // A file input left empty still sends an empty part with no name.
      if (buffer.length === 0 && !part.filename) continue;
      raw.push({ buffer, name: part.filename ?? '' });
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'FST_FILES_LIMIT') errors[EVIDENCE_FIELD] = { key: 'evidence.error.too_many', params: { max: MAX_FILES } };
    else if (code === 'FST_REQ_FILE_TOO_LARGE') errors[EVIDENCE_FIELD] = { key: 'evidence.error.too_large', params: { mb: Math.round(opts.fileSizeBytes / 1024 / 1024) } };
    else if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') errors[EVIDENCE_FIELD] = { key: 'evidence.error.upload' };
    // Anything else the multipart reader throws (no boundary, a truncated body) is the sender's
    // malformed request, not the server's failure.
    else errors[EVIDENCE_FIELD] = { key: 'evidence.error.upload' };
  }
  if (!trusted) return { ok: false, csrf: true };
  // The same refusal of control characters and broken text that plain forms get before any handler.
  if (findBadText(fields)) throw new HttpError(400, request.t('system.bad_characters'));
  if (errors[EVIDENCE_FIELD]) return { ok: true, fields, files: [], errors };

  const files: PreparedFile[] = [];
  for (const r of raw) {
    if (r.buffer.length === 0) {
      errors[EVIDENCE_FIELD] = { key: 'evidence.error.empty', params: { name: r.name.slice(0, 60) } };
      break;
    }
    const prepared = await prepareFile(r.buffer, r.name);
    if (!prepared.ok) {
      errors[EVIDENCE_FIELD] = { key: prepared.error, params: { name: r.name.slice(0, 60) } };
      break;
    }
    files.push(prepared.file);
  }
  return { ok: true, fields, files: errors[EVIDENCE_FIELD] ? [] : files, errors };
}
