// SQL-looking text and LIKE / FTS wildcards are data: stored as typed, shown as typed, and
// searched for literally, never widening a search or touching the schema.
import t from 'tap';
import { build, seed, login } from '../helpers.ts';
import { draftFields } from '../manage/fixtures.ts';
import { listedIds } from '../public/fixtures.ts';

const TEXTS = ["'; DROP TABLE pledges; --", '" OR 1=1 --', '100% 完成', 'a_b 下划线', 'x%_y\\z', 'NEAR(供水 管网) OR *'];

t.test('SQL-looking and wildcard text is stored as typed and searched literally', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const editor = await login(app, 'editor-a');
  const ids: number[] = [];
  for (const title of TEXTS) {
    const res = await editor.request({ method: 'POST', url: '/manage/pledges', form: draftFields(f, { title, commitment: title, standard: title }) });
    t.equal(res.statusCode, 303, `saved: ${title}`);
    const id = Number(/\/manage\/pledges\/(\d+)/.exec(res.headers.location as string)![1]);
    t.equal((await editor.request({ method: 'POST', url: `/manage/pledges/${id}/publish`, form: { version: '1' } })).statusCode, 303);
    ids.push(id);
  }
  const stored = app.db.$client.prepare('SELECT title FROM pledges ORDER BY id').all() as { title: string }[];
  t.same(stored.map((r) => r.title), TEXTS, 'stored exactly as typed');
  t.ok(app.db.$client.prepare("SELECT name FROM sqlite_master WHERE name = 'pledges'").get(), 'the table is still there');

  const search = async (q: string) => {
    const res = await app.inject(`/pledges?q=${encodeURIComponent(q)}`);
    t.equal(res.statusCode, 200, `search ${q}`);
    return listedIds(res.body);
  };
  t.same(await search('DROP TABLE'), [ids[0]], 'the SQL-looking title is found by its words, and only it');
  t.same(await search("' OR '1'='1"), [ids[1]], 'an injection attempt matches only the text that has those words, not everything');
  t.same(await search('" OR 1=1 --'), [ids[1]], 'quotes and operators are words, not syntax');
  t.same(await search('下划线'), [ids[3]]);
  t.same(await search('NEAR(供水'), [ids[5]], 'FTS syntax is inert');
  const everything = await search('%');
  t.ok(everything.length <= ids.length, 'a lone % does not error');
  const res = await app.inject(`/pledges/${ids[0]}`);
  t.match(res.body, '&#39;; DROP TABLE pledges; --', 'shown as typed');
});

t.test('the office unit search treats % and _ as the characters themselves', async (t) => {
  const app = await build(t);
  await seed(app);
  const admin = await login(app, 'admin');
  for (const [slug, name] of [
    ['percent', '百分之100%办'],
    ['underscore', '下划线_办'],
    ['plain', '普通办公室'],
  ]) {
    const res = await admin.request({ method: 'POST', url: '/admin/units', form: { name, slug, kind: 'community', active: 'on' } });
    t.equal(res.statusCode, 303);
  }
  const names = async (q: string) => {
    const res = await admin.request({ url: `/admin/units?q=${encodeURIComponent(q)}` });
    t.equal(res.statusCode, 200);
    return ['百分之100%办', '下划线_办', '普通办公室', '市水务局', '市交警支队', '历下区'].filter((n) => res.body.includes(n));
  };
  t.same(await names('%'), ['百分之100%办'], '% finds only the name containing %');
  t.same(await names('_'), ['下划线_办'], '_ finds only the name containing _');
  t.same(await names('\\'), [], 'a backslash is just a backslash');
  t.same(await names("' OR 1=1 --"), [], 'SQL-looking text matches nothing');
});
