import type { FastifyInstance } from 'fastify';

export default async function apiRoutes(app: FastifyInstance) {}
