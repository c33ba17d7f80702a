// Serving evidence files, and the evidence of each timeline entry on the public pledge page.
// A stored file is served as exactly what its bytes were detected to be, under a generated
// name, with headers that keep a browser from sniffing, running or framing anything in it.
import type { FastifyInstance } from 'fastify';
import { HttpError } from '../plugins/errors.ts';
import { id as idSchema } from '../validation.ts';
import { createEvidenceRepository } from './repository.ts';
import { EXTENSION } from './files.ts';

export default async function evidenceRoutes(app: FastifyInstance) {
  const repo = createEvidenceRepository(app.db);

  // Bytes never change once stored, but they are not page HTML: kept out of the page cache.
  app.get('/evidence/:id', { config: { pageCache: false } }, async (request, reply) => {
    const raw = (request.params as { id: string }).id;
    const parsed = /^[0-9]{1,10}$/.test(raw) ? idSchema().safeParse(raw) : undefined;
    if (!parsed?.success) throw new HttpError(404);
    const file = await repo.getPublic(parsed.data);
    if (!file) throw new HttpError(404);
    const etag = `"${file.sha256}"`;
    const name = `evidence-${file.id}.${EXTENSION[file.mime] ?? 'bin'}`;
    reply
      .header('content-type', file.mime)
      .header('content-disposition', `${file.kind === 'pdf' ? 'attachment' : 'inline'}; filename="${name}"`)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cross-origin-resource-policy', 'same-origin')
      .header('cache-control', 'public, max-age=86400')
      .header('etag', etag);
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.send(file.bytes);
  });

  // Data only: the public page's TIMELINE part reads it per update.
  app.sections.add('pledge', {
    template: 'evidence',
    slot: 'data',
    async load(ctx) {
      return { evidenceByUpdate: ctx.has.evidence ? await repo.byUpdate(ctx.pledgeId) : {} };
    },
  });
}
