import type { FastifyInstance } from 'fastify';

export default async function exportsRoutes(app: FastifyInstance) {}
