import t from 'tap';
import { eq, sql } from 'drizzle-orm';
import { PNG } from 'pngjs';
import jsqrModule from 'jsqr';
import { build, seed, login } from '../helpers.ts';
import { units } from '../../db/schema.ts';
import { createCodeRepository, hashCode } from '../../src/ratings/codes.ts';
import { makeUnit } from '../public/fixtures.ts';
import { post, ratingRows, makeWindow, voterCookie } from './fixtures.ts';

// jsqr is CommonJS with `exports.default`: tsx hands over the function, TypeScript types the module.
type Decode = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const jsqrAny = jsqrModule as unknown as Decode | { default: Decode };
const jsQR: Decode = typeof jsqrAny === 'function' ? jsqrAny : jsqrAny.default;

/**
 * Rasterises the SVG the qrcode library drew (a white square, then one path of horizontal
 * runs: "M x y.5 h n m dx dy h n …") into a PNG, reads the PNG back and decodes it with jsQR.
 */
function decodeSvgQr(svg: string): string | null {
  const size = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)![1]);
  const d = /<path stroke="#000000" d="([^"]+)"/.exec(svg)![1];
  const dark = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
  let x = 0;
  let y = 0;
  for (const [, cmd, args] of d.matchAll(/([MmHh])([^MmHh]*)/g)) {
    const n = args.trim().split(/[\s,]+/).filter(Boolean).map(Number);
    if (cmd === 'M') [x, y] = n;
    else if (cmd === 'm') [x, y] = [x + n[0], y + n[1]];
    else {
      const to = cmd === 'h' ? x + n[0] : n[0];
      for (let c = Math.min(x, to); c < Math.max(x, to); c++) dark[Math.floor(y)][c] = true;
      x = to;
    }
  }
  const scale = 6;
  const png = new PNG({ width: size * scale, height: size * scale });
  for (let py = 0; py < size * scale; py++) {
    for (let px = 0; px < size * scale; px++) {
      const v = dark[Math.floor(py / scale)][Math.floor(px / scale)] ? 0 : 255;
      const i = (py * size * scale + px) * 4;
      png.data[i] = png.data[i + 1] = png.data[i + 2] = v;
      png.data[i + 3] = 255;
    }
  }
  const read = PNG.sync.read(PNG.sync.write(png));
  return jsQR(new Uint8ClampedArray(read.data), read.width, read.height)?.data ?? null;
}

function slips(html: string): { code: string; svg: string }[] {
  return [...html.matchAll(/<div class="code-qr"[^>]*>(<svg[\s\S]*?<\/svg>)\s*<\/div>\s*<p class="code-text"><strong>([0-9A-Z-]+)<\/strong>/g)].map((m) => ({ svg: m[1], code: m[2] }));
}

t.test('an editor of a service window prints codes; each QR decodes to PUBLIC_URL/rate/<code>, never the Host header', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  app.db.update(units).set({ isServiceWindow: true }).where(eq(units.id, f.unitA.id)).run();
  const editor = await login(app, 'editor-a');
  const form = await editor.request({ url: '/manage/ratings/codes' });
  t.equal(form.statusCode, 200);
  t.match(form.body, 'name="count"');
  const res = await editor.request({ method: 'POST', url: '/manage/ratings/codes', form: { count: '3', days: '7' }, headers: { host: 'evil.example' } });
  t.equal(res.statusCode, 200);
  t.match(res.headers['cache-control'] as string, 'no-store');
  const sheet = slips(res.body);
  t.equal(sheet.length, 3);
  for (const s of sheet) {
    const plain = s.code.replace(/-/g, '');
    t.equal(decodeSvgQr(s.svg), `https://pledges.example.gov.cn/rate/${plain}`, `QR of ${s.code}`);
  }
  t.notMatch(res.body, 'evil.example');
  const stored = app.db.all<{ codeHash: string; unitId: number }>(sql`SELECT code_hash AS codeHash, unit_id AS unitId FROM rating_codes`);
  t.equal(stored.length, 3);
  t.same(stored.map((r) => r.codeHash).sort(), sheet.map((s) => hashCode(s.code.replace(/-/g, ''))).sort(), 'only hashes are stored');
  const everything = JSON.stringify(app.db.all(sql`SELECT * FROM rating_codes`));
  for (const s of sheet) t.notMatch(everything, s.code.replace(/-/g, ''), 'no plaintext in the table');
  t.equal(app.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM audit_log WHERE action = 'rating_codes.print'`).n, 1);
  const again = await editor.request({ url: '/manage/ratings/codes' });
  for (const s of sheet) t.notMatch(again.body, s.code, 'the codes are not shown again');
});

t.test('a code rates its window once, verified; a second use and an expired code get a clear message and no vote', async (t) => {
  const app = await build(t);
  await seed(app);
  const hall = makeWindow(app);
  const codes = createCodeRepository(app.db);
  const actor = { userId: null, username: 'test' };
  const { codes: [code, spare] } = await codes.create(actor, { unitId: hall.id, count: 2, days: 1 });
  const page = await app.inject({ url: `/rate/${code.toLowerCase()}` });
  t.equal(page.statusCode, 200, 'case does not matter');
  t.match(page.body, '市民中心服务大厅');
  t.match(page.body, `action="/rate/${code}"`);

  const res = await post(app, `/rate/${code}`, { value: 'satisfied', comment: '办事很快' });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, `/units/${hall.slug}?voted=1&verified=1#rating`);
  t.equal(voterCookie(res), undefined, 'a code vote needs no voter cookie');
  const rows = ratingRows(app, `u:${hall.id}`);
  t.equal(rows.length, 1);
  t.equal(rows[0].verified, 1);
  t.match(rows[0].voterId, /^code:\d+$/);

  const second = await post(app, `/rate/${code}`, { value: 'dissatisfied' });
  t.equal(second.statusCode, 410);
  t.match(second.body, '已经使用过');
  t.equal((await app.inject({ url: `/rate/${code}` })).statusCode, 410);
  t.equal(ratingRows(app).length, 1);
  t.equal(ratingRows(app)[0].value, 'satisfied', 'the first vote stands');

  // Two racing submissions of one code: exactly one vote.
  const race = await Promise.all(Array.from({ length: 10 }, () => post(app, `/rate/${spare}`, { value: 'dissatisfied' })));
  t.equal(race.filter((r) => r.statusCode === 303).length, 1);
  t.equal(ratingRows(app).length, 2);

  const { codes: [old] } = await codes.create(actor, { unitId: hall.id, count: 1, days: 1, now: new Date(Date.now() - 2 * 86_400_000) });
  const expired = await post(app, `/rate/${old}`, { value: 'satisfied' });
  t.equal(expired.statusCode, 410);
  t.match(expired.body, '已过有效期');
  t.equal(ratingRows(app).length, 2);

  const unknown = await post(app, '/rate/ABCDEFGHJKMN', { value: 'satisfied' });
  t.equal(unknown.statusCode, 404);
  t.match(unknown.body, '评价码无效');
  t.equal((await app.inject({ url: '/rate/not-a-code!' })).statusCode, 404);
  t.equal((await app.inject({ url: `/rate?code=${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}` })).headers.location, `/rate/${code}`);
  t.equal((await app.inject({ url: '/rate?code=xyz' })).statusCode, 400);

  const unitPage = await app.inject({ url: `/units/${hall.slug}` });
  t.match(unitPage.body, '窗口验证评价');
});

t.test('roles on /manage/ratings/codes', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  t.equal((await app.inject({ url: '/manage/ratings/codes' })).statusCode, 302, 'sign in first');
  // Unit B is not a service window: its editor cannot print.
  const editorB = await login(app, 'editor-b');
  t.equal((await editorB.request({ url: '/manage/ratings/codes' })).statusCode, 403);
  t.equal((await editorB.request({ method: 'POST', url: '/manage/ratings/codes', form: { count: '5', days: '5' } })).statusCode, 403);
  // Both windows now: B's editor still cannot print for A.
  app.db.update(units).set({ isServiceWindow: true }).run();
  t.equal((await editorB.request({ method: 'POST', url: '/manage/ratings/codes', form: { count: '5', days: '5', unitId: String(f.unitA.id) } })).statusCode, 403);
  t.equal((await editorB.request({ url: `/manage/ratings/codes?unit=${f.unitA.id}` })).statusCode, 403);
  t.equal((await editorB.request({ method: 'POST', url: '/manage/ratings/codes', form: { count: '500', days: '5', unitId: String(f.unitA.id) } })).statusCode, 403, 'ownership before validation');
  t.equal(app.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM rating_codes`).n, 0);
  const press = await login(app, 'press');
  t.equal((await press.request({ url: '/manage/ratings/codes' })).statusCode, 403);

  const editorA = await login(app, 'editor-a');
  const tooMany = await editorA.request({ method: 'POST', url: '/manage/ratings/codes', form: { count: '201', days: '5' } });
  t.equal(tooMany.statusCode, 400);
  t.match(tooMany.body, '请输入不超过上限');
  t.match(tooMany.body, '一次最多 200 个');
  t.equal((await editorA.request({ method: 'POST', url: '/manage/ratings/codes', form: { count: '2', days: '0' } })).statusCode, 400);

  // The office picks the window.
  const plain = makeUnit(app, { slug: 'plain', name: '普通单位', kind: 'city_department' });
  const admin = await login(app, 'admin');
  const pick = await admin.request({ url: '/manage/ratings/codes' });
  t.equal(pick.statusCode, 200);
  t.match(pick.body, 'name="unit"');
  t.equal((await admin.request({ method: 'POST', url: '/manage/ratings/codes', form: { count: '2', days: '5' } })).statusCode, 400, 'the office names a window');
  t.equal((await admin.request({ method: 'POST', url: '/manage/ratings/codes', form: { count: '2', days: '5', unitId: String(plain.id) } })).statusCode, 400, 'not a window');
  const ok = await admin.request({ method: 'POST', url: '/manage/ratings/codes', form: { count: '2', days: '5', unitId: String(f.unitB.id) } });
  t.equal(ok.statusCode, 200);
  t.equal(slips(ok.body).length, 2);
  t.equal(app.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM rating_codes WHERE unit_id = ${f.unitB.id}`).n, 2);
});
