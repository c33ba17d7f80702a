// The unit workspace (/manage): every route here is for unit editors and the office admin.
import type { FastifyInstance } from 'fastify';
import { createPages } from './pages.ts';
import dashboardRoutes from './dashboard-routes.ts';
import pledgeRoutes from './pledge-routes.ts';
import progressRoutes from './progress-routes.ts';

export default async function manageRoutes(app: FastifyInstance) {
  const pages = createPages(app);
  dashboardRoutes(app, pages);
  pledgeRoutes(app, pages);
  progressRoutes(app, pages);
}
