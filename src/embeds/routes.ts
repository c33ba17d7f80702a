import type { FastifyInstance } from 'fastify';

export default async function embedsRoutes(app: FastifyInstance) {}
