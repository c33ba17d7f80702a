// Builds the Fastify app: cross-cutting plugins first, then one route module per feature.
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import qs from 'node:querystring';
import type { AppConfig } from './config.ts';
import dbPlugin from './plugins/db.ts';
import viewsPlugin from './plugins/views.ts';
import authPlugin from './plugins/auth.ts';
import errorsPlugin from './plugins/errors.ts';
import sectionsPlugin from './plugins/sections.ts';
import pageCache from './cache/page-cache.ts';
import { ensureSessionSecret } from './plugins/secret.ts';
import { loadDemoIfEmpty } from './demo/load.ts';
import healthRoutes from './health/routes.ts';
import authRoutes from './auth/routes.ts';
import accountRoutes from './account/routes.ts';
import homeRoutes from './home/routes.ts';
import pledgeRoutes from './pledges/routes.ts';
import unitRoutes from './units/routes.ts';
import manageRoutes from './manage/routes.ts';
import adminRoutes from './admin/routes.ts';
import pressRoutes from './press/routes.ts';
import apiRoutes from './api/routes.ts';
import feedsRoutes from './feeds/routes.ts';
import exportsRoutes from './exports/routes.ts';
import embedsRoutes from './embeds/routes.ts';
import bulkRoutes from './bulk/routes.ts';
import demandRoutes from './demands/routes.ts';
import hardening from './plugins/hardening.ts';
import securityHeaders from './plugins/security-headers.ts';
import backupSchedule from './backup/schedule.ts';
import integrityRoutes from './integrity/routes.ts';
import categoryRoutes from './categories/routes.ts';
import aboutRoutes from './about/routes.ts';
import leagueRoutes from './league/routes.ts';
import windowRoutes from './windows/routes.ts';
import ratingRoutes from './ratings/routes.ts';
import suggestionRoutes from './suggestions/routes.ts';
import { createCampaignRepository } from './campaigns/repository.ts';
import noticeRoutes from './notices/routes.ts';
import outletRoutes from './press/outlets-routes.ts';
import evidenceRoutes from './evidence/routes.ts';
import deadlineRoutes from './deadlines/routes.ts';
import calendarRoutes from './calendar/routes.ts';
import { projectPath } from './paths.ts';

const publicDir = projectPath('public');

export interface BuildOptions {
  logger?: FastifyServerOptions['logger'];
  /** Print the demo password when one was generated (the server does; tests don't need it). */
  onDemoLoaded?: (info: { password: string; generated: boolean }) => void;
}

export async function buildApp(config: AppConfig, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    logger: options.logger ?? false,
    trustProxy: config.trustProxy as any, // a hop count is valid at run time; Fastify's types omit it
    requestTimeout: 30_000,
    bodyLimit: config.uploadLimitMb * 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  });
  app.decorate('config', config);

  await app.register(dbPlugin, { file: config.databaseFile });
  const sessionSecret = config.sessionSecret ?? ensureSessionSecret(config.databaseFile);
  await app.register(cookie, { secret: sessionSecret });
  // Its hook runs right after the cookie parser, before every later hook (security headers, the
  // rate limiter's per-route hooks): a cached public page is answered there, with the headers
  // it was first sent with (security headers included).
  await app.register(pageCache);
  // Forms post repeated fields (multi-selects); node's querystring keeps them as arrays.
  await app.register(formbody, { parser: (body) => qs.parse(body) });
  await app.register(multipart, { limits: { fileSize: config.uploadLimitMb * 1024 * 1024, files: 1, fields: 20, parts: 21 } });
  await app.register(securityHeaders, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    // Helmet's default no-referrer makes browsers send `Origin: null` on same-site form posts,
    // which the CSRF origin check must refuse; same-origin keeps referrers from other sites.
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: config.publicUrl.startsWith('https:') ? undefined : false,
    crossOriginEmbedderPolicy: false,
  });
  await app.register(rateLimit, {
    global: true,
    max: config.rateLimitPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => addressKey(request.ip),
  });
  await app.register(viewsPlugin, {
    production: config.env === 'production',
    timeZone: config.timeZone,
    publicUrl: config.publicUrl,
    isDemo: () => campaigns.hasDemoSync(),
  });
  await app.register(hardening);
  await app.register(authPlugin, { publicUrl: config.publicUrl, secureCookies: config.publicUrl.startsWith('https:') });
  await app.register(errorsPlugin);
  await app.register(sectionsPlugin);
  await app.register(backupSchedule);
  await app.register(fastifyStatic, { root: publicDir, prefix: '/static/', maxAge: '1d', immutable: false });

  const campaigns = createCampaignRepository(app.db);
  if (config.demoData) {
    const result = await loadDemoIfEmpty(app.db, { password: config.demoPassword, timeZone: config.timeZone, argon2MemoryKib: config.argon2MemoryKib, publicUrl: config.publicUrl });
    if (result) options.onDemoLoaded?.(result);
  }

  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(accountRoutes);
  await app.register(homeRoutes);
  await app.register(pledgeRoutes);
  await app.register(unitRoutes);
  await app.register(manageRoutes);
  await app.register(adminRoutes);
  await app.register(pressRoutes);
  await app.register(apiRoutes);
  await app.register(feedsRoutes);
  await app.register(exportsRoutes);
  await app.register(embedsRoutes);
  await app.register(bulkRoutes);
  await app.register(demandRoutes);
  await app.register(integrityRoutes);
  await app.register(categoryRoutes);
  await app.register(aboutRoutes);
  await app.register(leagueRoutes);
  await app.register(windowRoutes);
  await app.register(ratingRoutes);
  await app.register(suggestionRoutes);
  await app.register(noticeRoutes);
  await app.register(outletRoutes);
  await app.register(evidenceRoutes);
  await app.register(deadlineRoutes);
  await app.register(calendarRoutes);
  return app;
}

/** Rate-limit key: IPv6 addresses are grouped by /64, since one subscriber usually holds a whole /64. */
export function addressKey(ip: string): string {
  if (!ip.includes(':')) return ip;
  if (ip.startsWith('::ffff:')) return ip.slice('::ffff:'.length);
  const [head] = ip.split('%');
  const parts = head.split('::');
  const left = parts[0] ? parts[0].split(':') : [];
  const right = parts.length > 1 && parts[1] ? parts[1].split(':') : [];
  const groups = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return groups.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')).join(':') + '::/64';
}

declare module 'fastify' {
  interface FastifyInstance {
    config: AppConfig;
  }
}
