// Demo satisfaction ratings: votes on many published pledges (each lead unit with its own
// leaning, several below the minimum sample), votes on whatever units are service windows by now
// (the service-windows seeder runs first), some of them verified with used codes, confirm and
// dispute on completed pledges, comments in every moderation state, and one open stuffing flag
// for the office to decide. Deterministic (own seed, days back from today); ~3,000 rows.
import { sql } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import type { DemoExtra } from './extras.ts';
import type { Db } from '../plugins/db.ts';
import { createRandom, type Random } from './random.ts';
import { addDays, instantOn } from './days.ts';
import { BURST_VOTES } from '../ratings/stuffing.ts';

const PLEDGE_COMMENTS = [
  '进度比预期快，点赞。',
  '施工围挡占了半条路，希望加快进度。',
  '问题解决了，感谢相关部门。',
  '还是老样子，没有看到明显变化。',
  '希望公布更详细的进度和时间表。',
  '晚上施工噪音比较大，请注意时间。',
  '整改后效果明显，居民都说好。',
  '承诺的标准写得很清楚，可以监督。',
];
const WINDOW_COMMENTS = ['窗口办事很快，十分钟就办完了。', '排队时间较长，建议高峰期多开窗口。', '工作人员耐心解释政策，态度很好。', '材料一次性告知，没有跑第二趟。', '自助机经常故障。'];
const CHECK_COMMENTS = { confirm: ['确实修好了，我每天路过。', '小区已经通上暖气了。'], dispute: ['只完成了一半，北段还没动工。', '挂了完成，但问题又出现了。'] };
const VALUES = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;

/** A vote leaning toward `p` satisfied; the rest split between basically satisfied and not. */
function answer(rng: Random, p: number): (typeof VALUES)[number] {
  const x = rng.next();
  if (x < p) return 'satisfied';
  return x < p + (1 - p) * 0.55 ? 'basically_satisfied' : 'dissatisfied';
}

/** Most comments get published, some wait, a few are rejected. */
function commentState(rng: Random): 'pending' | 'published' | 'rejected' {
  const x = rng.next();
  return x < 0.6 ? 'published' : x < 0.85 ? 'pending' : 'rejected';
}

export const seedRatings: DemoExtra = async (db: Db, ctx) => {
  const rng = createRandom(50_005);
  const pledges = db.all<{ id: number; leadUnitId: number; status: string }>(
    sql`SELECT id, lead_unit_id AS leadUnitId, status FROM pledges WHERE status NOT IN ('draft', 'cancelled') ORDER BY id`,
  );
  const windows = db.all<{ id: number }>(sql`SELECT id FROM units WHERE is_service_window = 1 AND active = 1 ORDER BY id`);
  if (!pledges.length) return;
  const leaning = new Map<number, number>();
  const lean = (unitId: number) => {
    if (!leaning.has(unitId)) leaning.set(unitId, 0.35 + rng.next() * 0.5);
    return leaning.get(unitId)!;
  };
  let voter = 0;
  /** A past instant 1..days days before today, during Chinese daytime. */
  const past = (days: number) => instantOn(addDays(ctx.today, -rng.int(1, days)), rng.int(0, 600));
  const address = () => `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;

  const c = db.$client;
  const insertRating = c.prepare(
    `INSERT INTO ratings (target_key, pledge_id, unit_id, voter_id, address_key, value, comment, comment_status, verified, rating_code_id, flag_id, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertCheck = c.prepare(
    `INSERT INTO completion_checks (pledge_id, voter_id, address_key, verdict, comment, comment_status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertCode = c.prepare(`INSERT INTO rating_codes (unit_id, code_hash, batch, created_at, expires_at, used_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`);

  function rate(target: { pledgeId: number } | { unitId: number }, p: number, comments: string[], extra: { verified?: boolean; codeId?: number; at?: string } = {}) {
    const key = 'pledgeId' in target ? `p:${target.pledgeId}` : `u:${target.unitId}`;
    const at = extra.at ?? past(60);
    const withComment = rng.chance(0.12);
    insertRating.run(
      key,
      'pledgeId' in target ? target.pledgeId : null,
      'unitId' in target ? target.unitId : null,
      extra.codeId ? `code:${extra.codeId}` : `demo-${++voter}`,
      address(),
      answer(rng, p),
      withComment ? rng.pick(comments) : '',
      withComment ? commentState(rng) : 'none',
      extra.verified ? 1 : 0,
      extra.codeId ?? null,
      null,
      at,
      at,
    );
  }

  db.transaction(() => {
    // Pledges: about half draw votes; a popular few draw dozens, many stay below the minimum.
    for (const p of pledges) {
      if (!rng.chance(0.5)) continue;
      const n = rng.chance(0.25) ? rng.int(10, 40) : rng.int(1, 9);
      for (let i = 0; i < n; i++) rate({ pledgeId: p.id }, lean(p.leadUnitId), PLEDGE_COMMENTS);
      if (p.status === 'completed' && rng.chance(0.7)) {
        const m = rng.int(2, 16);
        const believed = 0.55 + rng.next() * 0.4;
        for (let i = 0; i < m; i++) {
          const verdict = rng.chance(believed) ? 'confirm' : 'dispute';
          const withComment = rng.chance(0.15);
          const at = past(20);
          insertCheck.run(p.id, `demo-${++voter}`, address(), verdict, withComment ? rng.pick(CHECK_COMMENTS[verdict]) : '', withComment ? commentState(rng) : 'none', at, at);
        }
      }
    }

    // Service windows: web votes, and verified votes cast with codes printed at the window.
    windows.forEach((w, index) => {
      const p = 0.5 + rng.next() * 0.4;
      // The first window stays below the minimum sample, so the page shows "too few ratings".
      const web = index === 0 ? 4 : rng.int(8, 30);
      for (let i = 0; i < web; i++) rate({ unitId: w.id }, p, WINDOW_COMMENTS);
      const printed = index === 0 ? 0 : rng.int(20, 60);
      const batchDay = addDays(ctx.today, -rng.int(10, 25));
      const batch = `${batchDay}-DEMO`;
      const createdAt = instantOn(batchDay, 60);
      const expiresAt = instantOn(addDays(batchDay, 30), 60);
      for (let i = 0; i < printed; i++) {
        const used = rng.chance(0.6);
        const usedAt = used ? instantOn(addDays(batchDay, rng.int(0, 9)), rng.int(0, 600)) : null;
        // The hashes of strings that are not codes at all: the demo hands out no usable code.
        const codeHash = createHash('sha256').update(`demo-code:${w.id}:${i}`).digest('hex');
        const { id } = insertCode.get(w.id, codeHash, batch, createdAt, expiresAt, usedAt) as { id: number };
        if (usedAt) rate({ unitId: w.id }, Math.min(0.95, p + 0.05), WINDOW_COMMENTS, { verified: true, codeId: id, at: usedAt });
      }
    });

    // One burst for the office: many "new voters" from one address within minutes, all against.
    const target = pledges[Math.floor(pledges.length / 3)];
    const burstDay = addDays(ctx.today, -1);
    const burstAddress = '2001:db8:6c:1f::/64';
    const n = BURST_VOTES + 8;
    const first = instantOn(burstDay, 180);
    const last = instantOn(burstDay, 180 + 7);
    const flag = c
      .prepare(`INSERT INTO vote_flags (target_key, address_key, first_at, last_at, vote_count, status, created_at) VALUES (?, ?, ?, ?, ?, 'open', ?) RETURNING id`)
      .get(`p:${target.id}`, burstAddress, first, last, n, first) as { id: number };
    for (let i = 0; i < n; i++) {
      const at = instantOn(burstDay, 180 + (i * 7) / n);
      insertRating.run(`p:${target.id}`, target.id, null, `demo-${++voter}`, burstAddress, 'dissatisfied', '', 'none', 0, null, flag.id, at, at);
    }
  });
};
