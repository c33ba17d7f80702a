// The template engine (src/plugins/templates.ts): Eta's output, with includes that read only
// what they are given handed that data without a copy, and paths resolved once.
import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { codeOf, keysRead, Views } from '../../src/plugins/templates.ts';
import { tempDir } from '../helpers.ts';

t.test('keysRead: the keys of `it` a template reads, or null when it may need them all', async (t) => {
  t.same(keysRead(`it.s.status\n;\nit.t('x', { n: it.n })`), ['s', 't', 'n']);
  t.same(keysRead(`const edit = 1;`), [], 'no use of `it` at all');
  t.same(keysRead(`const n = Math.max(0, Number(it.n) || 0); x.it = 1;`), ['n'], 'a property named it is not `it`');
  t.equal(keysRead(`it.n = 1;`), null, 'assigns');
  t.equal(keysRead(`it.n += 1;`), null, 'assigns');
  t.equal(keysRead(`it.n++;`), null, 'assigns');
  t.equal(keysRead(`++it.n;`), null, 'assigns');
  t.equal(keysRead(`delete it.n;`), null, 'deletes');
  t.equal(keysRead(`const all = Object.assign({}, it);`), null, 'passes `it` on');
  t.equal(keysRead(`const { a } = it;`), null, 'destructures');
  t.equal(keysRead(`__eta.res+=it['a'];`), null, 'computed key');
  t.equal(keysRead(`__eta.res+=it?.a;`), null, 'optional chain');
  t.equal(keysRead(`__eta.res+=include('/partials/x', { a: it.a });`), null, 'includes another template');
  t.equal(keysRead(`layout('/layout');`), null, 'sets a layout');
  t.equal(keysRead(`it.t('rate it now')`), null, 'the word "it" inside code is counted, to be safe');
  t.same(keysRead(`it.a.b = 1; __eta.res+=it.a.b;`), ['a'], 'changing what a key holds is not changing `it`');
  t.same(keysRead(`if (it.a === it.b) {}`), ['a', 'b'], 'comparison is not assignment');
});

t.test('codeOf: what keysRead looks at is the code in the tags, not the text around them', async (t) => {
  const [eta] = views({});
  const code = codeOf(eta.parse(`<%/* A badge. it: { s, t } — shows it as a word */%>\n<p>rate it now</p><%= it.s %><% /* it here */ const x = it.t; %>`));
  t.notMatch(code, 'rate it now', 'page text left out');
  t.notMatch(code, 'A badge', 'a tag holding only a comment left out');
  t.equal(keysRead(code), null, 'a comment inside code still counts');
  t.same(keysRead(codeOf(eta.parse(`<%/* it: { n } */%><b>it</b><%= it.n %>`))), ['n']);
});

function views(files: Record<string, string>) {
  const dir = tempDir('views-test-');
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  // As in production (templates kept) and as in development and tests (read each time).
  return [true, false].map((cache) => new Views({ views: dir, cache, autoEscape: true, autoTrim: [false, 'nl'] }));
}

t.test('includes give every template the values Eta would give it', async (t) => {
  for (const eta of views({
    'page.eta': [
      `<% layout('/layout', { title: 'T' }) %>`,
      `[<%~ include('/given', { a: 1, b: 2 }) %>]`,
      `[<%~ include('/given', { a: 1 }) %>]`,
      `[<%~ include('/given') %>]`,
      `[<%~ include('/assigns', it.box) %>]<%= it.box.a %>`,
      `[<%~ include('/enumerates', { x: 9 }) %>]`,
      `[<%~ include('/nested', { a: 5 }) %>]`,
    ].join('|'),
    'layout.eta': `<title><%= it.title %></title><%~ it.body %><%= it.b %>`,
    'given.eta': `<%= it.a %>,<%= it.b %>`,
    'assigns.eta': `<% it.a = 'changed'; %><%= it.a %>`,
    'enumerates.eta': `<%= Object.keys(it).sort().join(',') %>`,
    'nested.eta': `<%~ include('/given', { b: 6 }) %>`,
  })) {
    const html = eta.render('/page', { a: 'A', b: 'B', box: { a: 'kept' } });
    t.equal(
      html,
      [
        '<title>T</title>', // the layout() call itself writes nothing
        '[1,2]',
        '[1,B]', // b, not given, comes from the page
        '[A,B]',
        '[changed]kept', // the template that assigns works on a copy: the page's data is untouched
        '[a,b,box,x]',
        '[5,6]', // a nested include sees what its includer was given and what the page has
      ].join('|') + 'B',
      `cache ${eta.config.cache}`,
    );
  }
});

t.test('a template that reads only what it is given gets that data without a copy', async (t) => {
  const [eta] = views({ 'page.eta': `<%~ include('/twice', it.data) %>`, 'twice.eta': `<%= it.n %><%= it.n %>` });
  let reads = 0;
  const data = {
    get n() {
      reads++;
      return reads;
    },
  };
  // A copy ({...it, ...data}) reads the getter once; the data itself is read at each use.
  t.equal(eta.render('/page', { data }), '12');
  t.equal(reads, 2);
});

t.test("Eta's generated include is the one the engine rewrites", async (t) => {
  const [eta] = views({});
  const code = eta.compileToString(`<% layout('/layout') %><%~ include('/x', { a: 1 }) %>`);
  t.match(code, 'this.includeIn(it, __eta_t, __eta_d, options)', 'includes go through Views.includeIn (an Eta upgrade changed its code if not)');
  t.notMatch(code, '{...it, body:', 'the layout is not handed a copy made first');
});

t.test('a template outside the views directory is refused, every time', async (t) => {
  const [eta] = views({ 'page.eta': `<%~ include('../../../etc/passwd') %>` });
  t.throws(() => eta.render('/page', {}), /not in the views directory/);
  t.throws(() => eta.render('/page', {}), /not in the views directory/, 'still refused once paths are remembered');
});
