// The pledge page's suggestion block makes its target from what the page has read, instead of
// reading the pledge again: it must be the target the resolver gives the form's own page. Its
// form's signed served time is made once a second. The unit page's block does the same with
// what the unit page has read of the unit.
import t from 'tap';
import { build, seed } from '../helpers.ts';
import { makePledge } from '../public/fixtures.ts';
import { createTargetResolver } from '../../src/suggestions/targets.ts';
import { createUnitRepository } from '../../src/units/repository.ts';
import { pledgeTarget, signedOncePerSecond } from '../../src/suggestions/sections.ts';
import { createFormGuard, MIN_FILL_MS } from '../../src/abuse/form-guard.ts';

t.test("a pledge page's suggestion target is the resolver's", async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const id = makePledge(app, fx, { title: '背街小巷路灯整修', leadUnitId: fx.unitB.id });
  const resolved = await createTargetResolver(app).resolve({ pledgeId: id });
  t.ok(resolved);
  t.same(pledgeTarget({ pledgeId: id, campaignId: fx.campaignId, leadUnitId: fx.unitB.id, title: '背街小巷路灯整修' }), resolved);

  const page = await app.inject(`/pledges/${id}`);
  t.match(page.body, `<input type="hidden" name="pledgeId" value="${id}">`);
  t.match(page.body, `<a href="/suggest?pledge=${id}">`);
});

t.test("a unit page's suggestion target is the resolver's, and an inactive unit has none", async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const targets = createTargetResolver(app);
  const row = (await createUnitRepository(app.db).bySlug(fx.unitB.slug))!.unit;
  const unit = { id: row.id, slug: row.slug, name: row.name, active: row.active };
  const resolved = await targets.resolve({ unitSlug: fx.unitB.slug });
  t.ok(resolved);
  t.same(await targets.ofUnit(unit), resolved);
  t.equal(await targets.ofUnit({ ...unit, active: false }), undefined);

  const page = await app.inject(`/units/${fx.unitB.slug}`);
  t.match(page.body, `<input type="hidden" name="unit" value="${fx.unitB.slug}">`, 'the unit page carries the form for it');
});

t.test('the inline form signs its served time once a second, never earlier than it was served', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const guard = createFormGuard(app);
  const inline = signedOncePerSecond(guard);
  const served = 1_700_000_000_200;
  const token = inline.startedToken(served);
  t.equal(inline.startedToken(served + 700), token, 'the same token for the rest of that second');
  t.equal(app.unsignCookie(token).value, '1700000001000', 'the next whole second');
  t.notOk(guard.fillTimeOk(token, served + MIN_FILL_MS), 'a post the minimum fill time after serving is still too fast');
  t.ok(guard.fillTimeOk(token, 1_700_000_001_000 + MIN_FILL_MS));
  t.not(inline.startedToken(served + 801), token, 'past that second, a new token');

  const id = makePledge(app, fx);
  const before = Date.now();
  const page = await app.inject(`/pledges/${id}`);
  const started = /name="started" value="([^"]+)"/.exec(page.body)![1];
  const at = Number(app.unsignCookie(started).value);
  t.ok(at >= before && at <= Date.now() + 1000, "the page's form carries a signed time no earlier than it was served");
});
