import fp from 'fastify-plugin';

// Public page cache (issue 7). Registered before the routes; does nothing yet.
export default fp(async () => {}, { name: 'page-cache', dependencies: ['db', 'auth'] });
