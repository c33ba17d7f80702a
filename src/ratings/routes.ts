// Satisfaction ratings (满意度评价): public votes on pledges and service windows, confirm/dispute
// of completed pledges, verified votes with printed codes, the office's flag and comment queues,
// and the blocks these add to the pledge, unit, home, workspace and office pages.
import type { FastifyInstance } from 'fastify';
import ratingPublicRoutes from './public-routes.ts';
import ratingManageRoutes from './manage-routes.ts';
import ratingAdminRoutes from './admin-routes.ts';
import { registerRatingSections } from './sections.ts';

export default async function ratingRoutes(app: FastifyInstance) {
  registerRatingSections(app);
  await app.register(ratingPublicRoutes);
  await app.register(ratingManageRoutes);
  await app.register(ratingAdminRoutes);
}
