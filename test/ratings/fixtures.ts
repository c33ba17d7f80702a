// Helpers for the ratings tests: anonymous form posts (Origin-checked, no token) and the voter
// cookie as a browser would carry it.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'drizzle-orm';
import { encodeForm, type Fixtures } from '../helpers.ts';
import { makePledge, makeUnit, type PledgeInput } from '../public/fixtures.ts';

export const ORIGIN = 'https://pledges.example.gov.cn';
export const FORM = { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, host: 'pledges.example.gov.cn' };
/** Over https (the tests' PUBLIC_URL) the cookie carries the __Host- prefix. */
export const VOTER = '__Host-voter';

export interface VoteOptions {
  cookie?: string;
  ip?: string;
  headers?: Record<string, string>;
}

export function post(app: FastifyInstance, url: string, form: Record<string, string>, o: VoteOptions = {}): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url,
    headers: { ...FORM, ...(o.cookie ? { cookie: `${VOTER}=${o.cookie}` } : {}), ...(o.headers ?? {}) },
    remoteAddress: o.ip ?? '203.0.113.7',
    payload: encodeForm(form),
  });
}

/** The (signed) voter cookie value a response set, if any. */
export function voterCookie(res: LightMyRequestResponse): string | undefined {
  return res.cookies.find((c) => c.name === VOTER)?.value;
}

export function ratingRows(app: FastifyInstance, targetKey?: string) {
  return app.db.all<{ id: number; targetKey: string; voterId: string; value: string; comment: string; commentStatus: string; flagId: number | null; verified: number; addressKey: string }>(
    sql`SELECT id, target_key AS targetKey, voter_id AS voterId, value, comment, comment_status AS commentStatus, flag_id AS flagId, verified, address_key AS addressKey FROM ratings ${targetKey ? sql`WHERE target_key = ${targetKey}` : sql``} ORDER BY id`,
  );
}

export function published(app: FastifyInstance, f: Fixtures, input: PledgeInput = {}): number {
  return makePledge(app, f, input);
}

/** A service window unit (and an editor for it when asked). */
export function makeWindow(app: FastifyInstance, slug = 'hall', name = '市民中心服务大厅'): { id: number; slug: string } {
  return makeUnit(app, { slug, name, kind: 'institution', isServiceWindow: true });
}
