// The board's search reads a page either from the full-text matches or by walking the board's
// order and seeking demand_terms (src/demands/board-search.ts); which one runs is a cost
// decision, so the two (and the cost rule's own choice) must never differ in what they return.
// Random reports and random searches under every filter of the board, each way.
import t from 'tap';
import fc from 'fast-check';
import { build, seed } from '../helpers.ts';
import { makePledge } from '../public/fixtures.ts';
import { createDemandQueries } from '../../src/demands/queries.ts';
import { createDemandRepository, type DemandFilter } from '../../src/demands/repository.ts';
import { boardProbeTerms } from '../../src/demands/board-search.ts';
import { BOARD_STATUSES } from '../../src/demands/schemas.ts';
import { DEMAND_CHANNELS, categories, units, type DemandStatus } from '../../db/schema.ts';
import { ADMIN, demandInput } from './fixtures.ts';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 40);

// Few distinct characters, so texts share words and queries match often: Han, Latin in both
// cases and with diacritics (folded by the index), digits and separators.
const HAN = ['小', '区', '供', '暖', '水', '路'];
const LATIN = ['a', 'b', 'A', 'é', 'É', '1', '2'];
const SEPARATORS = [' ', '，', '-'];
const text = (maxLength: number) =>
  fc.array(fc.constantFrom(...HAN, ...HAN, ...LATIN, ...SEPARATORS), { minLength: 1, maxLength }).map((chars) => chars.join(''));

const demandArb = fc.record({
  text: text(14),
  address: fc.constantFrom('历下区文化东路12号', '市中区经七路3号', 'Lane 5 小区'),
  status: fc.constantFrom<DemandStatus>('new', 'new', 'claimed', 'resolved', 'declined', 'duplicate'),
  hidden: fc.constantFrom(false, false, false, true),
  category: fc.constantFrom(0, 1, 2),
  district: fc.constantFrom(0, 1),
  channel: fc.constantFrom(...DEMAND_CHANNELS),
  // Reports on the same instant are ordered by id: ties are common here on purpose.
  day: fc.integer({ min: 1, max: 6 }),
  claimed: fc.boolean(),
});

/** A filter set in about one search of four, so most searches still find something. */
const sometimes = <T,>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });

const searchArb = (texts: string[]) =>
  fc.record({
    q: fc.oneof(
      {
        weight: 4,
        arbitrary: fc.tuple(fc.constantFrom(...texts), fc.nat(), fc.integer({ min: 1, max: 4 })).map(([whole, at, n]) => {
          const chars = Array.from(whole);
          const from = at % chars.length;
          return chars.slice(from, from + n).join('');
        }),
      },
      { weight: 1, arbitrary: text(4) },
      { weight: 1, arbitrary: fc.tuple(text(3), text(3)).map(([a, b]) => `${a} ${b}`) },
    ),
    status: sometimes(fc.constantFrom(...(BOARD_STATUSES as DemandStatus[]))),
    category: sometimes(fc.constantFrom(0, 1)),
    district: sometimes(fc.constantFrom(0, 1)),
    channel: sometimes(fc.constantFrom(...DEMAND_CHANNELS)),
    pledge: fc.constantFrom(false, false, false, false, true),
    page: fc.constantFrom(1, 1, 2, 3, 9),
  });

t.test('probing demand_terms and reading the full-text matches give the board the same reports in the same order', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const sqlite = app.db.$client;
  // Demands are never deleted (a trigger says so); each run here needs a fresh set.
  sqlite.exec('DROP TRIGGER demands_no_delete');
  const extraCategory = app.db.insert(categories).values({ slug: 'roads', nameZh: '道路交通', nameEn: 'Roads', sortOrder: 2 }).returning().get().id;
  const extraDistrict = app.db.insert(units).values({ slug: 'shizhong', name: '市中区', kind: 'district' }).returning().get().id;
  const categoryIds = [fx.categoryId, extraCategory, null];
  const districtIds = [fx.districtId, extraDistrict];
  const pledgeId = makePledge(app, fx, { title: '小区供水改造' });
  const repo = createDemandRepository(app.db);
  const probing = createDemandQueries(app.db, { searchPath: 'probe' });
  const matching = createDemandQueries(app.db, { searchPath: 'matches' });
  // The cost rule's own choice, with the totals it needs kept per data version.
  const choosing = createDemandQueries(app.db);
  let compared = 0;
  let withRows = 0;
  let probed = 0;

  await fc.assert(
    fc.asyncProperty(
      fc.array(demandArb, { minLength: 1, maxLength: 16 }).chain((reports) =>
        fc.tuple(fc.constant(reports), fc.array(searchArb(reports.map((r) => r.text)), { minLength: 1, maxLength: 6 })),
      ),
      async ([reports, searches]) => {
        sqlite.exec('DELETE FROM pledge_demands; DELETE FROM demands; DELETE FROM demand_search;');
        const created = await repo.createMany(
          ADMIN(fx),
          reports.map((r) =>
            demandInput(fx, {
              text: r.text,
              address: r.address,
              channel: r.channel,
              categoryId: categoryIds[r.category],
              districtUnitId: districtIds[r.district],
              reportedAt: `2026-03-0${r.day}T02:00:00.000Z`,
            }),
          ),
        );
        const update = sqlite.prepare('UPDATE demands SET status = ?, text_hidden = ?, duplicate_of_id = ? WHERE id = ?');
        const claim = sqlite.prepare('INSERT INTO pledge_demands (demand_id, pledge_id, unit_id) VALUES (?, ?, ?)');
        reports.forEach((r, i) => {
          const id = created[i].id;
          const duplicate = r.status === 'duplicate' && i > 0;
          update.run(duplicate ? 'duplicate' : r.status === 'duplicate' ? 'new' : r.status, r.hidden ? 1 : 0, duplicate ? created[0].id : null, id);
          if (r.claimed && !duplicate) claim.run(id, pledgeId, fx.unitA.id);
        });
        for (const s of searches) {
          const filter: DemandFilter = {
            q: s.q,
            status: s.status,
            categoryId: s.category === undefined ? undefined : (categoryIds[s.category] ?? undefined),
            districtUnitId: s.district === undefined ? undefined : districtIds[s.district],
            channel: s.channel,
            pledgeId: s.pledge ? pledgeId : undefined,
          };
          const options = { page: s.page, pageSize: 2 };
          const [a, b, c] = await Promise.all([
            probing.board(filter, options),
            matching.board(filter, options),
            choosing.board(filter, { ...options, memo: app.aggregates }),
          ]);
          compared++;
          if (a.rows.length) withRows++;
          if (boardProbeTerms(s.q) && a.total > 0) probed++;
          const seen = (r: typeof a) => JSON.stringify([r.total, r.page, r.pages, r.rows]);
          if (seen(a) !== seen(b) || seen(c) !== seen(b)) {
            t.same([seen(a), seen(c)], [seen(b), seen(b)], `probe, chosen and matches for ${JSON.stringify(s)} over ${JSON.stringify(reports)}`);
            return false;
          }
          if (a.rows.some((r) => r.text === null)) {
            t.fail(`a hidden text was found by searching ${JSON.stringify(s.q)}`);
            return false;
          }
        }
        return true;
      },
    ),
    { numRuns: RUNS },
  );
  t.ok(compared >= RUNS, `${compared} searches compared`);
  t.ok(withRows > compared / 5, `${withRows} of them found reports`);
  t.ok(probed > compared / 5, `${probed} of them were read by probing`);
});
