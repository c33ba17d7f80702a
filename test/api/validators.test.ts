// The validators of an API answer are worked out cheaply (the body encoded once, the start of
// the day remembered for a second): they must still describe exactly what is sent.
import crypto from 'node:crypto';
import t from 'tap';
import { build, seed } from '../helpers.ts';
import { makePledge } from '../public/fixtures.ts';
import { startOfTodayIn } from '../../src/api/http.ts';

t.test('the ETag is the hash of the bytes sent, and the body is the JSON of the answer', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  makePledge(app, fx, { title: '“引号”与 <尖括号> & 符号' });
  makePledge(app, fx, { title: '老旧小区改造' });
  const res = await app.inject('/api/v1/pledges?limit=5');
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8');
  const bytes = res.rawPayload;
  t.equal(Number(res.headers['content-length']), bytes.length, 'Content-Length counts the bytes');
  t.equal(res.headers.etag, `W/"${crypto.createHash('sha1').update(bytes).digest('base64url')}"`, 'a weak tag of exactly these bytes');
  const body = res.json();
  t.equal(bytes.toString('utf8'), JSON.stringify(body), 'compact JSON, UTF-8');
  t.same(
    body.data.map((r: { title: string }) => r.title),
    ['“引号”与 <尖括号> & 符号', '老旧小区改造'],
    'text as written, nothing escaped twice',
  );
  const again = await app.inject({ url: '/api/v1/pledges?limit=5', headers: { 'if-none-match': String(res.headers.etag) } });
  t.equal(again.statusCode, 304, 'and it validates a repeat');
});

t.test('the start of today is worked out per zone and per second', async (t) => {
  // Shanghai has no daylight saving: its day starts at 16:00 UTC.
  t.equal(startOfTodayIn('Asia/Shanghai', new Date('2026-03-01T15:59:59.000Z')).toISOString(), '2026-02-28T16:00:00.000Z');
  t.equal(startOfTodayIn('Asia/Shanghai', new Date('2026-03-01T15:59:59.900Z')).toISOString(), '2026-02-28T16:00:00.000Z', 'the same second');
  t.equal(startOfTodayIn('Asia/Shanghai', new Date('2026-03-01T16:00:00.000Z')).toISOString(), '2026-03-01T16:00:00.000Z', 'the next second starts the next day');
  t.equal(startOfTodayIn('Asia/Kathmandu', new Date('2026-03-01T18:15:00.000Z')).toISOString(), '2026-03-01T18:15:00.000Z', 'another zone, its own midnight');
  t.equal(startOfTodayIn('Asia/Shanghai', new Date('2026-03-01T15:59:59.000Z')).toISOString(), '2026-02-28T16:00:00.000Z', 'an earlier instant again');
  const kept = startOfTodayIn('Asia/Shanghai', new Date('2026-03-01T16:00:00.000Z'));
  kept.setTime(0);
  t.equal(startOfTodayIn('Asia/Shanghai', new Date('2026-03-01T16:00:00.500Z')).toISOString(), '2026-03-01T16:00:00.000Z', 'a caller changing the Date it got changes nothing kept');
});
