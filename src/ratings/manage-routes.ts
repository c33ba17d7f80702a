// The unit workspace's code sheet: an editor of a service window (or the office, for any window)
// prints one-time rating codes. The plaintext codes exist only in the sheet this POST answers
// with; the QR codes point at PUBLIC_URL, never at whatever Host the request came in on.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { HttpError } from '../plugins/errors.ts';
import { parseForm, formValues, type FieldErrors } from '../validation.ts';
import { WORKSPACE } from '../manage/access.ts';
import { parseQuery } from '../manage/pages.ts';
import { createCodeRepository } from './codes.ts';
import { CODES_MAX, CODE_DAYS_MAX, codesForm, codesQuery, formatCode } from './schemas.ts';

/** Defaults of the form: a day's receipts at a busy window, valid for a month. */
const DEFAULT_COUNT = 50;
const DEFAULT_DAYS = 30;

/** The address a code's QR opens. */
export function codeUrl(publicUrl: string, code: string): string {
  return `${publicUrl}/rate/${code}`;
}

export async function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

export default async function ratingManageRoutes(app: FastifyInstance) {
  const codes = createCodeRepository(app.db);

  /**
   * Which window the request may print for. An editor: their own unit, which must be a service
   * window; naming another unit is a 403. The office: the window it names (none yet: undefined).
   */
  async function windowFor(request: FastifyRequest, asked: number | undefined) {
    const user = request.user!;
    if (user.role !== 'admin') {
      if (!user.unitId || (asked !== undefined && asked !== user.unitId)) throw new HttpError(403);
      const unit = await codes.unit(user.unitId);
      if (!unit || !unit.isServiceWindow || !unit.active) throw new HttpError(403);
      return unit;
    }
    if (asked === undefined) return undefined;
    const unit = await codes.unit(asked);
    if (!unit || !unit.isServiceWindow || !unit.active) throw new HttpError(400, 'unit');
    return unit;
  }

  async function formPage(request: FastifyRequest, reply: FastifyReply, unitId: number | undefined, opts: { values?: Record<string, unknown>; errors?: FieldErrors } = {}) {
    const unit = await windowFor(request, unitId);
    const isAdmin = request.user!.role === 'admin';
    return reply.code(opts.errors ? 400 : 200).page('ratings/codes', {
      title: request.t('ratings.codes.title'),
      breadcrumbs: [{ href: '/manage', label: request.t('manage.title') }, { label: request.t('ratings.codes.title') }],
      unit,
      isAdmin,
      windows: isAdmin ? await codes.windows() : [],
      batches: unit ? await codes.batches(unit.id) : [],
      max: { count: CODES_MAX, days: CODE_DAYS_MAX },
      values: { count: String(DEFAULT_COUNT), days: String(DEFAULT_DAYS), unitId: unit ? String(unit.id) : '', ...(opts.values ?? {}) },
      errors: opts.errors,
    });
  }

  app.get('/manage/ratings/codes', { config: WORKSPACE }, async (request, reply) => {
    const q = parseQuery(codesQuery, request.query);
    return formPage(request, reply, q.unit);
  });

  app.post('/manage/ratings/codes', { config: WORKSPACE }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const parsed = parseForm(codesForm, body);
    if (!parsed.ok) {
      // Ownership first: a forged unit id is a 403 even when the rest of the form is wrong.
      const asked = Number(body.unitId);
      return formPage(request, reply, Number.isInteger(asked) && asked > 0 ? asked : undefined, { values: formValues(body), errors: parsed.errors });
    }
    const unit = await windowFor(request, parsed.data.unitId);
    if (!unit) return formPage(request, reply, undefined, { values: formValues(body), errors: { unitId: { key: 'validation.required' } } });
    const made = await codes.create(request.actor(), { unitId: unit.id, count: parsed.data.count, days: parsed.data.days });
    const sheet = await Promise.all(
      made.codes.map(async (code) => {
        const url = codeUrl(app.config.publicUrl, code);
        return { code: formatCode(code), url, svg: await qrSvg(url) };
      }),
    );
    reply.header('cache-control', 'no-store');
    return reply.page('ratings/sheet', {
      title: request.t('ratings.sheet.title', { unit: unit.name }),
      breadcrumbs: [{ href: '/manage', label: request.t('manage.title') }, { href: `/manage/ratings/codes${request.user!.role === 'admin' ? `?unit=${unit.id}` : ''}`, label: request.t('ratings.codes.title') }, { label: request.t('ratings.sheet.crumb') }],
      unit,
      batch: made.batch,
      expiresAt: made.expiresAt,
      sheet,
    });
  });
}
