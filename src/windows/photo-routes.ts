// Uploading and removing a staff card's photo. Multipart bodies are not parsed before handlers,
// so the shared CSRF check cannot see the form's token: it is checked here from the `_csrf`
// field that precedes the file (or the x-csrf-token header) before a byte of the file is read.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../plugins/errors.ts';
import type { FieldErrors } from '../validation.ts';
import { WORKSPACE } from '../manage/access.ts';
import type { WindowRepository } from './repository.ts';
import { emptyForm } from './schemas.ts';
import { checkPhoto } from './photo.ts';
import { assertOwns, entryId } from './access.ts';

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

interface Deps {
  repo: WindowRepository;
  editPage(request: FastifyRequest, reply: FastifyReply, opts: { status?: number; errors?: FieldErrors }): Promise<FastifyReply>;
  back(unitId: number, done: 'photo' | 'photo_removed', anchor: string): string;
}

export function photoRoutes(app: FastifyInstance, { repo, editPage, back }: Deps) {
  const maxBytes = app.config.uploadLimitMb * 1024 * 1024;

  async function ownedCard(request: FastifyRequest) {
    const card = await repo.staffCard(entryId(request));
    if (!card) throw new HttpError(404);
    assertOwns(request, card.unitId);
    return card;
  }

  app.post('/manage/window/staff/:id/photo', { config: { ...WORKSPACE, csrf: 'none' } }, async (request, reply) => {
    const t = request.t;
    const refuse = () => reply.code(403).page('error', { status: 403, title: t('error.403.title'), message: t('error.csrf') });
    if (!request.isMultipart()) return refuse();
    const session = request.session!;
    const header = request.headers['x-csrf-token'];
    let trusted = typeof header === 'string' && sameToken(header, session.csrfToken);
    const card = await ownedCard(request);
    const photoError = (key: string) => editPage(request, reply, { status: 400, errors: { photo: { key, params: { max: app.config.uploadLimitMb } } } });
    let file: Buffer | undefined;
    try {
      for await (const part of request.parts({ limits: { fileSize: maxBytes } })) {
        if (part.type === 'field') {
          if (part.fieldname === '_csrf') trusted = typeof part.value === 'string' && sameToken(part.value, session.csrfToken);
          else throw new HttpError(400, t('validation.unknown_field', { fields: part.fieldname.slice(0, 40) }));
          continue;
        }
        if (!trusted) {
          part.file.resume();
          return refuse();
        }
        if (part.fieldname !== 'photo' || file) throw new HttpError(400, t('validation.unknown_field', { fields: part.fieldname.slice(0, 40) }));
        file = await part.toBuffer();
      }
    } catch (err) {
      if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') return photoError('windows.error.photo_too_large');
      if (err instanceof HttpError) throw err;
      // A malformed multipart body (no boundary, cut short) is the sender's error.
      return photoError('windows.error.photo_damaged');
    }
    if (!trusted) return refuse();
    if (!file) return photoError('windows.error.photo_empty');
    const checked = await checkPhoto(file, maxBytes);
    if (!checked.ok) return photoError(`windows.error.photo_${checked.reason}`);
    await repo.setPhoto(request.actor(), card.id, { bytes: checked.bytes, mime: checked.mime });
    return reply.redirect(back(card.unitId, 'photo', 'staff'), 303);
  });

  app.post('/manage/window/staff/:id/photo/remove', { config: WORKSPACE }, async (request, reply) => {
    const card = await ownedCard(request);
    if (!emptyForm.safeParse(request.body ?? {}).success) throw new HttpError(400);
    await repo.setPhoto(request.actor(), card.id, null);
    return reply.redirect(back(card.unitId, 'photo_removed', 'staff'), 303);
  });

  // Public: the photo of an active card of a service window. Served as an image only: the type
  // was checked by content on upload, nosniff stops any reinterpretation, and the sandbox CSP
  // keeps it inert even if opened directly.
  app.get('/windows/staff/:id/photo', async (request, reply) => {
    const photo = await repo.photo(entryId(request));
    if (!photo) throw new HttpError(404);
    reply.removeHeader('vary');
    return reply
      .header('content-type', photo.mime)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('content-disposition', 'inline')
      .header('cache-control', 'public, max-age=300')
      .header('last-modified', new Date(photo.updatedAt).toUTCString())
      .send(photo.bytes);
  });
}
