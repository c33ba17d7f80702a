// The public integrity page: the audit chain's current head, published outside the database
// so that history up to it cannot be rewritten unnoticed (see docs/security.md).
import type { FastifyInstance } from 'fastify';
import { currentChainHead } from '../audit/repository.ts';

export default async function integrityRoutes(app: FastifyInstance) {
  app.get('/integrity', async (request, reply) => {
    const t = request.t;
    return reply.page('integrity/index', {
      title: t('integrity.title'),
      description: t('integrity.description'),
      canonical: '/integrity',
      breadcrumbs: [{ label: t('integrity.title') }],
      head: currentChainHead(app.db),
    });
  });
}
