import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { tempDir } from '../helpers.ts';
import { openDatabase } from '../../src/plugins/db.ts';
import { loadDemoIfEmpty } from '../../src/demo/load.ts';
import { outlets, publicationFiles, publications, PUBLICATION_FORMATS } from '../../db/schema.ts';

t.test('the demo holds outlets and small published notices of every kind, one a correction', { timeout: 600_000 }, async (t) => {
  const dir = tempDir();
  const db = openDatabase(path.join(dir, 'demo.db'));
  t.teardown(() => {
    db.$client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const started = Date.now();
  await loadDemoIfEmpty(db, { password: 'demo-password-2011', timeZone: 'Asia/Shanghai', argon2MemoryKib: 1024, publicUrl: 'https://pledges.example.gov.cn' });
  t.comment(`demo loaded in ${Date.now() - started} ms`);
  const names = db.select().from(outlets).all().map((o) => o.name);
  for (const name of ['济南日报', '济南电视台', '济南人民广播电台']) t.ok(names.includes(name), name);
  t.ok(db.select().from(outlets).all().some((o) => o.language === 'en'), 'an English-language outlet');
  const pubs = db.select().from(publications).all();
  t.same([...new Set(pubs.map((p) => p.kind))].sort(), ['newspaper', 'radio', 'tv']);
  t.ok(pubs.every((p) => p.rowCount >= 1 && p.rowCount <= 15), 'small notices');
  t.ok(pubs.some((p) => p.correctsId !== null), 'one correction');
  const files = db.select().from(publicationFiles).all();
  t.equal(files.length, pubs.length * PUBLICATION_FORMATS.length);
  t.ok(files.every((f) => createHash('sha256').update(f.bytes).digest('hex') === f.sha256));
});
