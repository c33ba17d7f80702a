// The voter cookie: a random id signed with the site's cookie secret, set only when a person
// votes (pages stay cacheable and visitors who only read carry no id). A cookie whose signature
// does not check out is no cookie at all: its bearer becomes a new voter, never someone else.
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { addressKey } from '../app.ts';

/** Browsers keep a cookie at most 400 days; it is renewed with every vote. */
const VOTER_MAX_AGE_S = 400 * 86_400;
const ID = /^[A-Za-z0-9_-]{22}$/;

export function voterCookieName(secure: boolean): string {
  // Over HTTPS the __Host- prefix stops a subdomain or a plain-http page from planting one.
  return secure ? '__Host-voter' : 'voter';
}

export interface Voter {
  id: string;
  /** True when the request carried no (valid) voter cookie. */
  isNew: boolean;
  addressKey: string;
}

export function voterOf(request: FastifyRequest, secure: boolean): Voter {
  const raw = request.cookies[voterCookieName(secure)];
  const key = addressKey(request.ip);
  if (raw) {
    const unsigned = request.unsignCookie(raw);
    if (unsigned.valid && unsigned.value && ID.test(unsigned.value)) return { id: unsigned.value, isNew: false, addressKey: key };
  }
  return { id: randomBytes(16).toString('base64url'), isNew: true, addressKey: key };
}

export function rememberVoter(reply: FastifyReply, voter: Voter, secure: boolean): void {
  reply.setCookie(voterCookieName(secure), voter.id, { signed: true, httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: VOTER_MAX_AGE_S });
}
