import type { FastifyInstance } from 'fastify';

export default async function unitRoutes(app: FastifyInstance) {}
