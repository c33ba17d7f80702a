// Every test gets a fresh app on a fresh temporary database, closed in t.teardown.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { loadConfig, type AppConfig } from '../src/config.ts';
import { buildApp } from '../src/app.ts';
import { hashPassword } from '../src/auth/passwords.ts';
import { campaigns, categories, units, users } from '../db/schema.ts';
import { todayIn } from '../src/pledges/status.ts';

export const PASSWORD = 'correct horse battery staple';
let passwordHash: Promise<string> | undefined;
/** One cheap hash shared by every fixture user (argon2 at full cost would dominate the suite). */
export function fixtureHash() {
  passwordHash ??= hashPassword(PASSWORD, 1024);
  return passwordHash;
}

interface Tap {
  teardown(fn: () => unknown): void;
  testdirName?: string;
}

export function tempDir(prefix = 'pledges-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function testConfig(env: Record<string, string> = {}, dir = tempDir()): AppConfig {
  // Load shedding reacts to how busy the whole machine is, not to the code under test: off
  // unless a test turns it on.
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_FILE: path.join(dir, 'test.db'), DEMO_DATA: '0', PUBLIC_URL: 'https://pledges.example.gov.cn', OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '0', ...env });
  config.argon2MemoryKib = 1024;
  return config;
}

export async function build(t: Tap, env: Record<string, string> = {}): Promise<FastifyInstance> {
  const dir = tempDir();
  const app = await buildApp(testConfig(env, dir));
  t.teardown(async () => {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return app;
}

export interface Fixtures {
  campaignId: number;
  today: string;
  unitA: { id: number; slug: string };
  unitB: { id: number; slug: string };
  districtId: number;
  categoryId: number;
  users: { admin: number; press: number; editorA: number; editorB: number };
}

/** Adds a running campaign, two units (A, B), a district, a category and one user of each role. */
export async function seed(app: FastifyInstance): Promise<Fixtures> {
  const db = app.db;
  const today = todayIn('Asia/Shanghai');
  const year = Number(today.slice(0, 4));
  const campaign = db
    .insert(campaigns)
    .values({ slug: 'test-campaign', name: '深入基层、服务群众', startsOn: `${year - 1}-01-01`, endsOn: `${year + 1}-12-31`, timeZone: 'Asia/Shanghai', issuingOffice: '活动领导小组办公室' })
    .returning()
    .get();
  const district = db.insert(units).values({ slug: 'lixia', name: '历下区', kind: 'district' }).returning().get();
  const a = db.insert(units).values({ slug: 'water-bureau', name: '市水务局', kind: 'city_department', contactPhone: '0531-12345' }).returning().get();
  const b = db.insert(units).values({ slug: 'traffic-police', name: '市交警支队', kind: 'city_department' }).returning().get();
  const cat = db.insert(categories).values({ slug: 'water', nameZh: '供水供气供暖', nameEn: 'Water, gas and heating', sortOrder: 1 }).returning().get();
  const hash = await fixtureHash();
  const mk = (username: string, role: 'admin' | 'press' | 'unit', unitId: number | null) =>
    db.insert(users).values({ username, role, unitId, passwordHash: hash, displayName: username }).returning().get().id;
  return {
    campaignId: campaign.id,
    today,
    unitA: { id: a.id, slug: a.slug },
    unitB: { id: b.id, slug: b.slug },
    districtId: district.id,
    categoryId: cat.id,
    users: { admin: mk('admin', 'admin', null), press: mk('press', 'press', null), editorA: mk('editor-a', 'unit', a.id), editorB: mk('editor-b', 'unit', b.id) },
  };
}

export interface Agent {
  /** The Cookie header value that carries the session ("__Host-sid=…" when PUBLIC_URL is https). */
  cookie: string;
  /** The session token itself (what app.authRepo.findSession takes). */
  token: string;
  csrf: string;
  /** app.inject with this session's cookie; form bodies get the CSRF token added. */
  request(opts: InjectOptions & { form?: Record<string, string | string[]> }): Promise<LightMyRequestResponse>;
}

function cookieHeader(res: LightMyRequestResponse, name: string): string | undefined {
  const c = res.cookies.find((x) => x.name === name);
  return c?.value;
}

export function encodeForm(form: Record<string, string | string[] | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const x of v) params.append(k, x);
    else params.append(k, String(v));
  }
  return params.toString();
}

/** Signs in through the real login form and returns an agent carrying the session. */
export async function login(app: FastifyInstance, username: string, password = PASSWORD): Promise<Agent> {
  const names = app.cookieNames;
  const page = await app.inject({ method: 'GET', url: '/login' });
  const pre = cookieHeader(page, names.preSession)!;
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1];
  const res = await app.inject({
    method: 'POST',
    url: '/login',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `${names.preSession}=${pre}` },
    payload: encodeForm({ username, password, _csrf: token }),
  });
  if (res.statusCode !== 303) throw new Error(`login as ${username} failed: ${res.statusCode}`);
  const sid = cookieHeader(res, names.session)!;
  const session = await app.authRepo.findSession(sid);
  const cookie = `${names.session}=${sid}`;
  const csrf = session!.csrfToken;
  return {
    cookie,
    token: sid,
    csrf,
    request(opts) {
      const { form, ...rest } = opts;
      const headers = { ...(rest.headers ?? {}), cookie };
      if (form) {
        return app.inject({
          ...rest,
          headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
          payload: encodeForm({ _csrf: csrf, ...form }),
        });
      }
      return app.inject({ ...rest, headers });
    },
  };
}
