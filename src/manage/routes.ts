import type { FastifyInstance } from 'fastify';

export default async function manageRoutes(app: FastifyInstance) {}
