import type { FastifyInstance } from 'fastify';

export default async function bulkRoutes(app: FastifyInstance) {}
