// The campaign office's pages: each part in its own module, all of them office-admin only.
import type { FastifyInstance } from 'fastify';
import overviewAdminRoutes from './overview-routes.ts';
import campaignAdminRoutes from './campaigns-routes.ts';
import unitAdminRoutes from './units-routes.ts';
import categoryAdminRoutes from './categories-routes.ts';
import accountAdminRoutes from './accounts-routes.ts';
import auditAdminRoutes from './audit-routes.ts';

export default async function adminRoutes(app: FastifyInstance) {
  await app.register(overviewAdminRoutes);
  await app.register(campaignAdminRoutes);
  await app.register(unitAdminRoutes);
  await app.register(categoryAdminRoutes);
  await app.register(accountAdminRoutes);
  await app.register(auditAdminRoutes);
}
