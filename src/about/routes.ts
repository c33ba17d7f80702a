// The "about the method" page: how statuses, overdue and the on-time rate are worked out.
import type { FastifyInstance } from 'fastify';

export default async function aboutRoutes(app: FastifyInstance) {
  app.get('/about', async (request, reply) => {
    const t = request.t;
    return reply.page('about/index', {
      title: t('about.title'),
      description: t('about.description'),
      canonical: '/about',
      breadcrumbs: [{ label: t('about.title') }],
    });
  });
}
