// A search's page is read either from the full-text matches or by probing pledge_terms while
// walking the list's order (src/pledges/queries.ts); which one runs is a cost decision, so the
// two must never differ in what they return. Random pledges and random queries, both ways.
import t from 'tap';
import fc from 'fast-check';
import { build, seed } from '../helpers.ts';
import { makePledge, addDays } from '../public/fixtures.ts';
import { createPledgeQueries, type PledgeFilter } from '../../src/pledges/queries.ts';
import { LIST_SORTS, type ListStatus } from '../../src/pledges/list-schema.ts';
import { PLEDGE_STATUSES } from '../../db/schema.ts';
import { queryTerms } from '../../src/search/tokens.ts';
import { probeTerms } from '../../src/search/fold.ts';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 40);

// Few distinct characters, so titles share words and queries match often: Han (single
// characters, repeats), Latin in both cases and with diacritics (folded by the index), digits,
// and separators.
const HAN = ['小', '区', '改', '造', '水', '路'];
const LATIN = ['a', 'b', 'A', 'B', 'é', 'É', 'ü', '1', '2'];
const SEPARATORS = [' ', '·', '-'];
const text = (maxLength: number) =>
  fc.array(fc.constantFrom(...HAN, ...HAN, ...LATIN, ...SEPARATORS), { minLength: 1, maxLength }).map((chars) => chars.join(''));

const pledgeArb = fc.record({
  title: text(12),
  commitment: text(8),
  status: fc.constantFrom(...PLEDGE_STATUSES),
  progress: fc.constantFrom(0, 30, 30, 60, 100),
  due: fc.integer({ min: -3, max: 3 }),
});

const searchArb = (titles: string[]) =>
  fc.record({
    // A piece of a title (so it matches something) or any text from the same characters.
    q: fc.oneof(
      {
        weight: 4,
        arbitrary: fc.tuple(fc.constantFrom(...titles), fc.nat(), fc.integer({ min: 1, max: 4 })).map(([title, at, n]) => {
          const chars = Array.from(title);
          const from = at % chars.length;
          return chars.slice(from, from + n).join('');
        }),
      },
      { weight: 1, arbitrary: text(4) },
      { weight: 1, arbitrary: fc.tuple(text(3), text(3)).map(([a, b]) => `${a} ${b}`) },
    ),
    status: fc.option(fc.constantFrom<ListStatus>('in_progress', 'completed', 'pledged', 'overdue'), { nil: undefined, freq: 2 }),
    sort: fc.constantFrom(...LIST_SORTS),
    page: fc.constantFrom(1, 1, 2, 3),
  });

t.test('probing and reading the matches return the same pledges in the same order', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const sqlite = app.db.$client;
  const probing = createPledgeQueries(app.db, { searchPath: 'probe' });
  const matching = createPledgeQueries(app.db, { searchPath: 'matches' });
  let compared = 0;
  let withRows = 0;
  let probed = 0;

  await fc.assert(
    fc.asyncProperty(
      fc.array(pledgeArb, { minLength: 1, maxLength: 14 }).chain((pledges) =>
        fc.tuple(fc.constant(pledges), fc.array(searchArb(pledges.map((p) => p.title)), { minLength: 1, maxLength: 6 })),
      ),
      async ([pledges, searches]) => {
        sqlite.exec('DELETE FROM pledges; DELETE FROM pledge_search;');
        for (const p of pledges) {
          makePledge(app, fx, {
            title: p.title,
            commitment: p.commitment,
            status: p.status,
            progress: p.progress,
            dueOn: addDays(fx.today, p.due),
            completedOn: p.status === 'completed' ? addDays(fx.today, -1) : null,
          });
        }
        for (const s of searches) {
          const filter: PledgeFilter = { q: s.q, status: s.status };
          const options = { sort: s.sort, page: s.page, pageSize: 3 };
          const [a, b] = await Promise.all([probing.list(filter, options), matching.list(filter, options)]);
          compared++;
          if (a.rows.length) withRows++;
          const terms = queryTerms(s.q);
          if (terms.length && probeTerms(terms) && a.total > 0) probed++;
          const same = JSON.stringify([a.total, a.page, a.rows.map((r) => r.id)]) === JSON.stringify([b.total, b.page, b.rows.map((r) => r.id)]);
          if (!same) {
            t.same(a.rows.map((r) => r.id), b.rows.map((r) => r.id), `probe vs matches for ${JSON.stringify(s)} over ${JSON.stringify(pledges)}`);
            return false;
          }
        }
        return true;
      },
    ),
    { numRuns: RUNS },
  );
  t.ok(compared >= RUNS, `${compared} searches compared`);
  // Enough of the comparisons had something to compare (about half find pledges).
  t.ok(withRows > compared / 5, `${withRows} of them found pledges`);
  t.ok(probed > compared / 5, `${probed} of them were read by probing`);
});
