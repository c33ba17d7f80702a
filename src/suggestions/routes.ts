// Suggestions (建言献策): public messages on a pledge, a unit or the campaign; the office's
// moderation; the unit's public answer; the blocks on other pages; the Atom feed. The read API
// resource lives in api.ts and is served with the rest of the JSON API.
import type { FastifyInstance } from 'fastify';
import suggestionPublicRoutes from './public-routes.ts';
import suggestionAdminRoutes from './admin-routes.ts';
import suggestionManageRoutes from './manage-routes.ts';
import suggestionFeedRoutes from './feed.ts';
import { registerSuggestionSections } from './sections.ts';

export default async function suggestionRoutes(app: FastifyInstance) {
  registerSuggestionSections(app);
  await app.register(suggestionPublicRoutes);
  await app.register(suggestionAdminRoutes);
  await app.register(suggestionManageRoutes);
  await app.register(suggestionFeedRoutes);
}
