// Demo accountability data: the 2026 (official) and 2027 (provisional) holiday calendars,
// deadline requests in every state (approved with the date moved, rejected with a public note,
// pending — one for each demo unit account — and withdrawn), and evidence (small generated
// photos and one PDF) on recent progress updates, completions among them. Deterministic: a
// seeded Random, days counted from `today`, images drawn in code.
import { sql } from 'drizzle-orm';
import type { DemoExtra } from './extras.ts';
import { createRandom } from './random.ts';
import { addDays, instantOn } from './days.ts';
import { HOLIDAYS_2026, HOLIDAYS_2027_PROVISIONAL } from '../calendar/holidays-cn.ts';
import { prepareFile, type PreparedFile } from '../evidence/files.ts';

const SEED = 0x0dea_d11e;

/** A one-page PDF written by hand (an acceptance report stand-in): no binary file in the repository. */
const DEMO_PDF = Buffer.from(
  [
    '%PDF-1.4',
    '1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj',
    '2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj',
    '3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 420 297] /Contents 4 0 R /Resources <</Font <</F1 5 0 R>>>>>> endobj',
    '4 0 obj <</Length 86>> stream',
    'BT /F1 18 Tf 40 240 Td (Acceptance report - demo) Tj 0 -30 Td /F1 12 Tf (Demo data) Tj ET',
    'endstream endobj',
    '5 0 obj <</Type /Font /Subtype /Type1 /BaseFont /Helvetica>> endobj',
    'trailer <</Root 1 0 R>>',
    '%%EOF',
  ].join('\n'),
  'latin1',
);
const DEMO_UNIT_ACCOUNTS = ['shuiwu', 'jiaojing', 'chengguan', 'lixia', 'gongre'];

const REASONS = [
  '管材供应商延期交货，已另选供应商，需顺延工期',
  '施工需避开汛期，经设计单位论证调整施工窗口',
  '涉及地下管线迁改，须等待产权单位完成迁移',
  '居民意见征集后调整了实施方案，需重新履行审批程序',
  '受连续降雨影响，室外作业无法进行',
  '上级部门新出台技术标准，需按新标准补充施工内容',
];
const REJECT_NOTES = [
  '延期理由不充分，请调配力量按原期限完成',
  '该事项群众关注度高，不同意延期，请制定赶工计划报办公室',
  '所述困难可通过协调解决，请按期推进，办公室将协助协调',
];
const APPROVE_NOTES = ['', '同意，请在新期限前完成并及时更新进展', '情况属实，同意顺延'];

/** Solid-colour photos with a stripe, small and distinct: enough to see on a timeline. */
async function demoPhotos(): Promise<PreparedFile[]> {
  const colours = [
    { r: 10, g: 107, b: 116 },
    { r: 201, g: 138, b: 27 },
    { r: 91, g: 143, b: 208 },
    { r: 46, g: 125, b: 50 },
  ];
  // Loaded here, not at the top: the server imports the demo loader on every start, and sharp
  // (libvips) is some 28 MB of resident memory a server without the demo never needs.
  const { default: sharp } = await import('sharp');
  const out: PreparedFile[] = [];
  for (const [i, background] of colours.entries()) {
    const stripe = await sharp({ create: { width: 240, height: 30, channels: 3, background: { r: 255, g: 255, b: 255 } } }).png().toBuffer();
    const bytes = await sharp({ create: { width: 240, height: 180, channels: 3, background } })
      .composite([{ input: stripe, top: 40 + i * 20, left: 0 }])
      .png()
      .toBuffer();
    const prepared = await prepareFile(bytes, `现场照片-${i + 1}.png`);
    if (prepared.ok) out.push(prepared.file);
  }
  return out;
}

export const seedAccountability: DemoExtra = async (db, ctx) => {
  const rng = createRandom(SEED);
  const c = db.$client;
  const photos = await demoPhotos();
  const pdf = await prepareFile(DEMO_PDF, '验收报告.pdf');
  const admin = db.get<{ id: number } | undefined>(sql`SELECT id FROM users WHERE role = 'admin' ORDER BY id LIMIT 1`);
  const editors = db.all<{ id: number; unitId: number; username: string }>(sql`SELECT id, unit_id AS unitId, username FROM users WHERE role = 'unit' AND unit_id IS NOT NULL ORDER BY id`);
  const editorOf = new Map(editors.map((e) => [e.unitId, e]));
  // Top-level pledges only: a sub-task's deadline stays within its item's.
  const open = db.all<{ id: number; leadUnitId: number; dueOn: string; startOn: string }>(
    sql`SELECT id, lead_unit_id AS leadUnitId, due_on AS dueOn, start_on AS startOn FROM pledges WHERE parent_id IS NULL AND status IN ('pledged','in_progress','delayed') ORDER BY id`,
  );

  const insertDay = c.prepare('INSERT OR REPLACE INTO calendar_days (day, kind, name) VALUES (?, ?, ?)');
  const insertRequest = c.prepare(
    `INSERT INTO deadline_requests (pledge_id, old_due_on, requested_due_on, reason, requested_by, requested_at, status, decided_by, decided_at, decision_note, deadline_change_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertChange = c.prepare(
    'INSERT INTO deadline_changes (pledge_id, old_due_on, new_due_on, reason, requested_by, approved_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id',
  );
  const moveDue = c.prepare('UPDATE pledges SET due_on = ?, version = version + 1 WHERE id = ?');
  const insertEvidence = c.prepare(
    `INSERT INTO evidence (progress_update_id, pledge_id, kind, mime, original_name, bytes, size, sha256, width, height, position, uploaded_by, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );

  c.transaction(() => {
    for (const d of [...HOLIDAYS_2026, ...HOLIDAYS_2027_PROVISIONAL]) insertDay.run(d.day, d.kind, d.name);

    // Deadline requests: each demo account's unit gets one pending request (so signing in
    // shows it), and other units a spread of approved, rejected and withdrawn ones.
    const used = new Set<number>();
    const request = (p: (typeof open)[number], state: 'pending' | 'approved' | 'rejected' | 'withdrawn') => {
      used.add(p.id);
      const by = editorOf.get(p.leadUnitId)?.id ?? null;
      const requestedAt = instantOn(addDays(ctx.today, -rng.int(state === 'pending' ? 1 : 8, state === 'pending' ? 6 : 60)), rng.int(30, 540));
      const newDue = addDays(p.dueOn, rng.pick([15, 30, 45, 60]));
      const reason = rng.pick(REASONS);
      const decidedAt = state === 'pending' ? null : instantOn(addDays(requestedAt.slice(0, 10), rng.int(1, 5)), rng.int(30, 540));
      let changeId: number | null = null;
      if (state === 'approved') {
        changeId = (insertChange.get(p.id, p.dueOn, newDue, reason, by, admin?.id ?? null, decidedAt) as { id: number }).id;
        moveDue.run(newDue, p.id);
      }
      const note = state === 'approved' ? rng.pick(APPROVE_NOTES) : state === 'rejected' ? rng.pick(REJECT_NOTES) : '';
      const decidedBy = state === 'withdrawn' ? by : state === 'pending' ? null : (admin?.id ?? null);
      insertRequest.run(p.id, p.dueOn, newDue, reason, by, requestedAt, state, decidedBy, decidedAt, note, changeId);
    };
    for (const username of DEMO_UNIT_ACCOUNTS) {
      const editor = editors.find((e) => e.username === username);
      const p = editor && open.find((x) => x.leadUnitId === editor.unitId && !used.has(x.id));
      if (p) request(p, 'pending');
    }
    const others = rng.sample(
      open.filter((p) => !used.has(p.id)),
      Math.min(14, open.length),
    );
    others.forEach((p, i) => request(p, i < 6 ? 'approved' : i < 10 ? 'rejected' : i < 12 ? 'withdrawn' : 'pending'));

    // Evidence: photos on recent updates, and a photo plus the acceptance report on completions.
    const completions = db.all<{ id: number; pledgeId: number; authorId: number | null; createdAt: string }>(
      sql`SELECT u.id, u.pledge_id AS pledgeId, u.author_id AS authorId, u.created_at AS createdAt FROM progress_updates u WHERE u.status = 'completed' ORDER BY u.id LIMIT 30`,
    );
    const recent = db.all<{ id: number; pledgeId: number; authorId: number | null; createdAt: string }>(
      sql`SELECT u.id, u.pledge_id AS pledgeId, u.author_id AS authorId, u.created_at AS createdAt FROM progress_updates u WHERE u.status IS NULL OR u.status <> 'completed' ORDER BY u.happened_on DESC, u.id DESC LIMIT 60`,
    );
    const attach = (u: (typeof recent)[number], files: PreparedFile[]) =>
      files.forEach((f, position) =>
        insertEvidence.run(u.id, u.pledgeId, f.kind, f.mime, f.originalName, f.bytes, f.size, f.sha256, f.width, f.height, position, u.authorId, u.createdAt),
      );
    for (const u of completions) attach(u, pdf.ok && rng.chance(0.4) ? [rng.pick(photos), pdf.file] : [rng.pick(photos)]);
    for (const u of recent) if (rng.chance(0.5)) attach(u, rng.sample(photos, rng.int(1, 3)));
  })();
};
