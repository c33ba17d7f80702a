import type { FastifyInstance } from 'fastify';

export default async function pledgeRoutes(app: FastifyInstance) {}
