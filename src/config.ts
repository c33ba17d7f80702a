import { z } from 'zod';
import path from 'node:path';

const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'], {
    error: 'must be one of 1/0, true/false, yes/no, on/off',
  })
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATABASE_FILE: z.string().min(1).default('data/pledges.db'),
    DEMO_DATA: flag.optional(),
    DEMO_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
    SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    PUBLIC_URL: z
      .url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL, e.g. https://pledges.example.gov.cn' })
      .transform((u) => u.replace(/\/+$/, ''))
      .optional(),
    TRUST_PROXY: z.string().optional(),
    TZ_DEFAULT: z.string().refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai').default('Asia/Shanghai'),
    UPLOAD_LIMIT_MB: z.coerce.number().int().min(1).max(1024).default(20),
    MIN_RATINGS: z.coerce.number().int().min(1).default(10),
    BACKUP_DIR: z.string().min(1).default('data/backups'),
    BACKUP_KEEP: z.coerce.number().int().min(1).default(14),
    BACKUP_EVERY_HOURS: z.coerce.number().min(0).max(168).default(0),
    OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(0).default(1000),
    OVERLOAD_MAX_EVENT_LOOP_UTILIZATION: z.coerce.number().min(0).max(1).default(0),
    OVERLOAD_MAX_HEAP_MB: z.coerce.number().int().min(0).default(0),
    DEMAND_CONTACT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
    PAGE_CACHE_MB: z.coerce.number().min(0).max(4096).default(64),
    PUBLIC_MAX_AGE: z.coerce.number().int().min(0).max(86400).default(30),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production') {
      if (!env.SESSION_SECRET) ctx.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: 'is required when NODE_ENV=production' });
      if (!env.PUBLIC_URL) ctx.addIssue({ code: 'custom', path: ['PUBLIC_URL'], message: 'is required when NODE_ENV=production' });
    }
  });

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  databaseFile: string;
  demoData: boolean;
  demoPassword?: string;
  /** When unset outside production, the db plugin generates one and keeps it beside the database. */
  sessionSecret?: string;
  publicUrl: string;
  /** Passed to Fastify's trustProxy: false, true, a hop count, or a list of addresses. */
  trustProxy: boolean | number | string;
  timeZone: string;
  uploadLimitMb: number;
  minRatings: number;
  backupDir: string;
  backupKeep: number;
  /** Hours between the server's own backups; 0 (the default) leaves backups to cron and the CLI. */
  backupEveryHours: number;
  /** Load shedding (503 with Retry-After) past any of these; 0 turns a check off. */
  overload: { maxEventLoopDelayMs: number; maxEventLoopUtilization: number; maxHeapMb: number };
  rateLimitPerMinute: number;
  /** Reporters' contact details are erased this many days after their report is resolved or declined. */
  demandContactRetentionDays: number;
  logLevel: string;
  /** Memory for rendered public pages (0 turns the page cache off). */
  pageCacheMb: number;
  /** Seconds a browser, proxy or CDN may keep an anonymous public page (the app's own cache is never stale). */
  publicMaxAge: number;
  /** Argon2 memory cost in KiB; lowered only by tests so the suite stays quick. */
  argon2MemoryKib: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function parseTrustProxy(raw: string | undefined): boolean | number | string {
  if (raw === undefined || raw === '' || ['0', 'false', 'off', 'no'].includes(raw)) return false;
  if (['1', 'true', 'on', 'yes'].includes(raw)) return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw;
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'} ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseFile: e.DATABASE_FILE === ':memory:' ? e.DATABASE_FILE : path.resolve(e.DATABASE_FILE),
    demoData: e.DEMO_DATA ?? e.NODE_ENV !== 'production',
    demoPassword: e.DEMO_PASSWORD,
    sessionSecret: e.SESSION_SECRET,
    publicUrl: e.PUBLIC_URL ?? `http://${e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST}:${e.PORT}`,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    timeZone: e.TZ_DEFAULT,
    uploadLimitMb: e.UPLOAD_LIMIT_MB,
    minRatings: e.MIN_RATINGS,
    backupDir: path.resolve(e.BACKUP_DIR),
    backupKeep: e.BACKUP_KEEP,
    backupEveryHours: e.BACKUP_EVERY_HOURS,
    overload: {
      maxEventLoopDelayMs: e.OVERLOAD_MAX_EVENT_LOOP_DELAY_MS,
      maxEventLoopUtilization: e.OVERLOAD_MAX_EVENT_LOOP_UTILIZATION,
      maxHeapMb: e.OVERLOAD_MAX_HEAP_MB,
    },
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    demandContactRetentionDays: e.DEMAND_CONTACT_RETENTION_DAYS,
    logLevel: e.LOG_LEVEL,
    pageCacheMb: e.PAGE_CACHE_MB,
    publicMaxAge: e.PUBLIC_MAX_AGE,
    argon2MemoryKib: 19456,
  };
}
