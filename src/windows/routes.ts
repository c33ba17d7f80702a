// Service windows (四推一诺): published service commitments (限时办结) and staff post cards
// (亮牌上岗) — kept in the unit workspace, shown on the unit page, printed as posters and cards.
import type { FastifyInstance } from 'fastify';
import manageWindowRoutes from './manage-routes.ts';
import publicWindowRoutes from './public-routes.ts';

export default async function windowRoutes(app: FastifyInstance) {
  manageWindowRoutes(app);
  publicWindowRoutes(app);
}
