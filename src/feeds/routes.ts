import type { FastifyInstance } from 'fastify';

export default async function feedsRoutes(app: FastifyInstance) {}
