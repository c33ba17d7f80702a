// The pledge list's unit filter: a select while the units leading pledges fit in one (at most
// UNIT_SELECT_MAX), a text box for a name or part of one past that (a city has about 1,500).
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { parse } from 'csv-parse/sync';
import { build, seed, type Fixtures } from '../helpers.ts';
import { UNIT_SELECT_MAX } from '../../src/pledges/routes.ts';
import { listedIds, makePledge, makeUnit, renameUnitSlug } from './fixtures.ts';
import { addLeadUnits } from './many-units.ts';

const SELECT = '<select id="f-unit" name="unit">';
const TEXT_BOX = '<input type="search" id="f-unit" name="unit"';

/** The "choose one" or "no unit matches" notice, or '' when the page has none. */
function unitNotice(html: string): string {
  const start = html.indexOf('class="notice notice-warn unit-matches"');
  return start < 0 ? '' : html.slice(start, html.indexOf('</div>', start));
}

/** The unit slugs the notice offers to choose from, in order. */
function offered(html: string): string[] {
  return [...unitNotice(html).matchAll(/<li><a href="\/pledges\?unit=([a-z0-9-]+)[^"]*">/g)].map((m) => m[1]);
}

/** The text box's value, as the page's HTML carries it (escaped). */
function textBoxValue(html: string): string | undefined {
  return html.match(/<input type="search" id="f-unit" name="unit" value="([^"]*)"/)?.[1];
}

/**
 * Past the select's limit: unit A (市水务局) and B (市交警支队) lead a pledge each, so do a water
 * plant and a unit with markup in its name (both contain 水务), and UNIT_SELECT_MAX - 3 street
 * offices (第N街道办事处). One unit leads nothing, another only a draft.
 */
function cityScale(app: FastifyInstance, fx: Fixtures) {
  const a = makePledge(app, fx, { title: '水务事项' });
  const b = makePledge(app, fx, { title: '交警事项', leadUnitId: fx.unitB.id });
  const plant = makeUnit(app, { slug: 'water-plant-2', name: '市水务局第二水厂', kind: 'institution' });
  const plantPledge = makePledge(app, fx, { leadUnitId: plant.id });
  const hostile = makeUnit(app, { slug: 'hostile', name: '水务<img src=x onerror=alert(1)>所', kind: 'enterprise' });
  makePledge(app, fx, { leadUnitId: hostile.id });
  makeUnit(app, { slug: 'idle', name: '无承诺单位', kind: 'enterprise' });
  const drafting = makeUnit(app, { slug: 'drafting', name: '草稿单位', kind: 'enterprise' });
  makePledge(app, fx, { leadUnitId: drafting.id, status: 'draft' });
  addLeadUnits(app, fx, UNIT_SELECT_MAX - 3);
  return { a, b, plant, plantPledge, total: UNIT_SELECT_MAX + 1 };
}

t.test('the unit filter stays a select up to the limit of lead units and becomes a text box past it', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  makePledge(app, fx);
  makePledge(app, fx, { leadUnitId: fx.unitB.id });
  addLeadUnits(app, fx, UNIT_SELECT_MAX - 2);
  // Neither a unit leading only a draft nor one leading nothing counts towards the limit.
  const drafting = makeUnit(app, { slug: 'drafting', name: '草稿单位', kind: 'enterprise' });
  makePledge(app, fx, { leadUnitId: drafting.id, status: 'draft' });
  makeUnit(app, { slug: 'idle', name: '无承诺单位', kind: 'enterprise' });

  const atLimit = await app.inject('/pledges');
  t.equal(atLimit.statusCode, 200);
  t.match(atLimit.body, SELECT, `${UNIT_SELECT_MAX} lead units: the select as before`);
  t.notMatch(atLimit.body, TEXT_BOX);
  const select = atLimit.body.slice(atLimit.body.indexOf(SELECT), atLimit.body.indexOf('</select>', atLimit.body.indexOf(SELECT)));
  t.equal([...select.matchAll(/<option value="[^"]+">/g)].length, UNIT_SELECT_MAX, 'every lead unit is an option, besides "all"');
  t.notMatch(select, '草稿单位');
  t.match(atLimit.body, '<option value="water-bureau">');

  const extra = makeUnit(app, { slug: 'one-more', name: '又一个单位', kind: 'enterprise' });
  makePledge(app, fx, { leadUnitId: extra.id });
  const past = await app.inject('/pledges');
  t.equal(past.statusCode, 200);
  t.notMatch(past.body, SELECT, `${UNIT_SELECT_MAX + 1} lead units: no select`);
  t.notMatch(past.body, '<option value="street-', 'and no list of units sent with the form');
  t.match(past.body, `${TEXT_BOX} value="" maxlength="80" autocomplete="off" aria-describedby="f-unit-hint">`);
  t.match(past.body, '<label for="f-unit">牵头单位</label>', 'the same label');
  t.match(past.body, '<span class="hint" id="f-unit-hint">输入单位名称或其中几个字</span>');
  t.equal(unitNotice(past.body), '', 'no notice without a unit asked for');
  t.ok(past.body.length < atLimit.body.length, 'the page is smaller than with the select');
  const en = await app.inject('/pledges?lang=en');
  t.match(en.body, '<label for="f-unit">Lead unit</label>');
  t.match(en.body, '<span class="hint" id="f-unit-hint">Type the unit&#39;s name or part of it</span>');
});

t.test('with the text box, ?unit= is a slug, a retired slug, an exact name or the one name containing it', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const city = cityScale(app, fx);
  renameUnitSlug(app, fx.unitB.id, 'traffic-police', 'jiaojing');

  const filtered = async (query: string, expected: number[], shown: string, why: string) => {
    const res = await app.inject(`/pledges?${query}`);
    t.equal(res.statusCode, 200, why);
    t.same(listedIds(res.body), expected, why);
    t.equal(textBoxValue(res.body), shown, `${why}: the box shows the unit's name`);
    t.equal(unitNotice(res.body), '', `${why}: no notice`);
    return res;
  };
  await filtered('unit=water-bureau', [city.a], '市水务局', 'a current slug');
  await filtered('unit=traffic-police', [city.b], '市交警支队', 'a retired slug');
  await filtered('unit=jiaojing', [city.b], '市交警支队', 'the new slug');
  await filtered(`unit=${encodeURIComponent('市水务局')}`, [city.a], '市水务局', 'an exact name, though a longer name contains it too');
  await filtered(`unit=${encodeURIComponent('交警')}`, [city.b], '市交警支队', 'the one lead unit whose name contains the text');
  await filtered(`unit=${encodeURIComponent('第二水厂')}`, [city.plantPledge], '市水务局第二水厂', 'part of a longer name');
  await filtered(`unit=${encodeURIComponent('  交警 ')}`, [city.b], '市交警支队', 'spaces around the text are trimmed');
  await filtered(`unit=${encodeURIComponent('无承诺单位')}`, [], '无承诺单位', 'an exact name filters even a unit leading nothing, as its slug does');

  const paged = await app.inject(`/pledges?unit=${encodeURIComponent('交警')}&status=in_progress`);
  t.same(listedIds(paged.body), [city.b], 'the text combines with the other filters');
  const csv: string[][] = parse((await app.inject(`/pledges?unit=${encodeURIComponent('交警')}&format=csv`)).body, { bom: true });
  t.equal(csv.length, 2, 'the download resolves the text the same way: one pledge');
  t.match(csv[1].join(','), '市交警支队');
});

t.test('with the text box, text naming several units or none leaves the list unfiltered with a notice', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const city = cityScale(app, fx);
  const everything = await app.inject('/pledges');
  t.match(everything.body, `共 ${city.total} 条`);

  const several = await app.inject(`/pledges?unit=${encodeURIComponent('水务')}&status=in_progress&page=2`);
  t.equal(several.statusCode, 200);
  t.match(several.body, `共 ${city.total} 条`, 'not filtered by unit');
  t.equal(textBoxValue(several.body), '水务', 'the box keeps the text to edit');
  t.match(unitNotice(several.body), '有 3 个单位的名称含有“水务”，请选择一个：');
  t.same(offered(several.body), ['water-bureau', 'water-plant-2', 'hostile'], 'shortest names first');
  t.match(unitNotice(several.body), '<a href="/pledges?unit=water-bureau&amp;status=in_progress">市水务局</a>', 'each link keeps the other filters and starts at page 1');
  t.match(unitNotice(several.body), '水务&lt;img src=x onerror=alert(1)&gt;所', 'unit names are escaped');
  t.notMatch(several.body, '<img src=x');
  t.notMatch(unitNotice(several.body), '还有更多');

  const many = await app.inject(`/pledges?unit=${encodeURIComponent('街道')}`);
  t.equal(many.statusCode, 200);
  t.match(unitNotice(many.body), `有 ${UNIT_SELECT_MAX - 3} 个单位的名称含有“街道”`);
  t.equal(offered(many.body).length, 20, 'twenty to choose from');
  t.match(unitNotice(many.body), '还有更多……多输入几个字可以缩小范围。');
  t.match(many.body, `共 ${city.total} 条`);

  for (const text of ['不存在的单位', '无承诺', '草稿', '%', '_', '水务局第三']) {
    const none = await app.inject(`/pledges?unit=${encodeURIComponent(text)}`);
    t.equal(none.statusCode, 200, `${text}: typed text is not an error`);
    t.match(unitNotice(none.body), `没有单位的名称含有“${text}”。下面的承诺事项未按单位筛选。`, `${text}: no lead unit's name contains it`);
    t.same(offered(none.body), []);
    t.match(none.body, `共 ${city.total} 条`);
  }

  const en = await app.inject(`/pledges?unit=${encodeURIComponent('水务')}&lang=en`);
  t.match(unitNotice(en.body), '3 units match “水务”: choose one.');
  const enMany = await app.inject(`/pledges?unit=${encodeURIComponent('街道')}&lang=en`);
  t.match(unitNotice(enMany.body), 'More… type more of the name to narrow it down.');
  const enNone = await app.inject(`/pledges?unit=${encodeURIComponent('不存在')}&lang=en`);
  t.match(unitNotice(enNone.body), 'No unit matches “不存在”. The pledges below are not filtered by unit.');
});

t.test('with the text box, hostile text is escaped everywhere it is echoed, and over-long text is refused', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  cityScale(app, fx);
  for (const text of ['<script>alert(1)</script>', '"><svg onload=alert(1)>', "' onfocus='alert(1)"]) {
    const res = await app.inject(`/pledges?unit=${encodeURIComponent(text)}`);
    t.equal(res.statusCode, 200, text);
    t.notMatch(res.body, text, `${text} never appears raw`);
    t.match(unitNotice(res.body), '没有单位的名称含有');
    t.notMatch(textBoxValue(res.body) ?? '', /["<>']/, `${text}: the box's value stays inside its attribute`);
  }
  const script = await app.inject(`/pledges?unit=${encodeURIComponent('<script>alert(1)</script>')}`);
  t.equal(textBoxValue(script.body), '&lt;script&gt;alert(1)&lt;/script&gt;');
  const long = await app.inject(`/pledges?unit=${encodeURIComponent('水'.repeat(81))}`);
  t.equal(long.statusCode, 400, 'longer than the box allows: a crafted URL');
  const longest = await app.inject(`/pledges?unit=${encodeURIComponent('水'.repeat(80))}`);
  t.equal(longest.statusCode, 200);
});

t.test('with the select, a value it does not offer is still a 400 naming it, names included', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const id = makePledge(app, fx);
  for (const value of ['nowhere', '市水务局', '水务']) {
    const res = await app.inject(`/pledges?unit=${encodeURIComponent(value)}`);
    t.equal(res.statusCode, 400, value);
    t.match(res.body, `找不到单位“${value}”`);
    t.notMatch(res.body, 'unit-matches');
  }
  const en = await app.inject('/pledges?unit=nowhere&lang=en');
  t.equal(en.statusCode, 400);
  t.match(en.body, 'There is no Unit “nowhere”');
  const bySlug = await app.inject('/pledges?unit=water-bureau');
  t.same(listedIds(bySlug.body), [id]);
  t.match(bySlug.body, '<option value="water-bureau" selected>');
  t.notMatch(bySlug.body, TEXT_BOX);
});
