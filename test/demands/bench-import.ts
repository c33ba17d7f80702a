// Benchmark, not a test (npm run bench:import): rows per second of a 20,000-row hotline import
// through the real path (decode, map, validate, redact, index, store in one transaction),
// printed beside the rate of the same rows inserted with a bare prepared statement in one
// transaction, in the same run, so the price of what the import does is plain to see.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/plugins/db.ts';
import { categories, units, users } from '../../db/schema.ts';
import { createDemandRepository } from '../../src/demands/repository.ts';
import { newTrackingNo } from '../../src/demands/redact.ts';
import { readUpload } from '../../src/intake/decode.ts';
import { autoMap } from '../../src/intake/columns.ts';
import { validateRows } from '../../src/intake/rows.ts';
import { HEADER_ZH, csvText, hotlineRows, gbk } from './upload.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 20_000);

function freshDb(dir: string, name: string) {
  const db = openDatabase(path.join(dir, name));
  const category = db.insert(categories).values({ slug: 'utilities', nameZh: '供水供气供暖', nameEn: 'Utilities' }).returning().get();
  const district = db.insert(units).values({ slug: 'lixia', name: '历下区', kind: 'district' }).returning().get();
  const user = db.insert(users).values({ username: 'admin', role: 'admin', passwordHash: 'x' }).returning().get();
  return { db, category, district, user };
}

const rate = (n: number, ms: number) => Math.round((n / ms) * 1000).toLocaleString('en');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-import-'));
try {
  // A GBK file, as Chinese Excel writes them: the decoder has the most to do.
  const file = gbk(csvText([HEADER_ZH, ...hotlineRows(ROWS)]));
  console.log(`${ROWS.toLocaleString('en')} rows, ${(file.length / 1024 / 1024).toFixed(1)} MB GBK CSV`);

  const real = freshDb(dir, 'import.db');
  const t0 = performance.now();
  const decoded = await readUpload(file, 'bench.csv');
  if (!decoded.ok) throw new Error(decoded.error);
  const t1 = performance.now();
  const { valid, refused } = validateRows(decoded.table, autoMap(decoded.table.headers).mapping, {
    categories: [real.category],
    districts: [real.district],
    campaignId: null,
    timeZone: 'Asia/Shanghai',
  });
  const t2 = performance.now();
  const result = await createDemandRepository(real.db).importBatch(
    { userId: real.user.id, username: 'admin' },
    { fileName: 'bench.csv', format: 'csv', encoding: decoded.encoding, totalRows: decoded.table.rows.length, refusedRows: '[]', refusedCount: refused.length },
    valid,
  );
  const t3 = performance.now();
  if (result.stored !== ROWS) throw new Error(`stored ${result.stored} of ${ROWS}`);

  const bare = freshDb(dir, 'bare.db');
  const insert = bare.db.$client.prepare(
    `INSERT INTO demands (tracking_no, channel, source, external_ref, campaign_id, category_id, district_unit_id, text, public_text,
       address, location, reported_at, reporter_name, reporter_phone, reporter_contact)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // Tracking numbers are made beforehand: the bare run measures the database and nothing else.
  const numbers = valid.map(() => newTrackingNo());
  const b0 = performance.now();
  bare.db.$client.transaction(() => {
    valid.forEach((r, i) =>
      insert.run(numbers[i], r.channel, r.source, r.externalRef, r.campaignId, bare.category.id, bare.district.id, r.text, r.text, r.address, '', r.reportedAt, r.reporterName, r.reporterPhone, r.reporterContact),
    );
  })();
  const b1 = performance.now();

  console.log(`import (decode ${(t1 - t0).toFixed(0)} ms, validate ${(t2 - t1).toFixed(0)} ms, redact+index+store ${(t3 - t2).toFixed(0)} ms): ${(t3 - t0).toFixed(0)} ms, ${rate(ROWS, t3 - t0)} rows/s`);
  console.log(`bare prepared INSERT, one transaction:                     ${(b1 - b0).toFixed(0)} ms, ${rate(ROWS, b1 - b0)} rows/s`);
  real.db.$client.close();
  bare.db.$client.close();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
