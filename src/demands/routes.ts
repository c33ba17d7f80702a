// Demands (民情诉求): what the public reported and units claiming it. One module registers the
// public pages, the office's triage and import, the unit workspace's claiming, the intake API
// and the daily erasure of expired contact details.
import type { FastifyInstance } from 'fastify';
import demandPublicRoutes from './public-routes.ts';
import demandAdminRoutes from './admin-routes.ts';
import claimRoutes from './claim-routes.ts';
import importRoutes from '../intake/import-routes.ts';
import tokenRoutes from '../intake/token-routes.ts';
import intakeApiRoutes from '../intake/api-routes.ts';
import { scheduleContactErasure } from './retention.ts';

export default async function demandRoutes(app: FastifyInstance) {
  await app.register(demandPublicRoutes);
  await app.register(importRoutes);
  await app.register(demandAdminRoutes);
  await app.register(claimRoutes);
  await app.register(tokenRoutes);
  await app.register(intakeApiRoutes);
  scheduleContactErasure(app);
}
