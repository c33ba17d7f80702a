// Press desk benchmark (not a test): time, peak memory and size of each renderer's output for the
// whole demo campaign and for 1,529 generated pledges. Each output renders in its own child process
// so "peak RSS" is that output's own high-water mark, not the sum of everything before it.
//
//   npm run bench:press
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pledges, campaigns } from '../../db/schema.ts';
import type { NoticeDocument } from '../../src/press/render/types.ts';

const OUTPUTS = ['pdf-a4', 'pdf-half-4', 'html', 'docx', 'cards'] as const;
type Output = (typeof OUTPUTS)[number];

async function renderOne(docFile: string, output: Output): Promise<void> {
  const { renderPdf, renderHtml, renderDocx, renderCards } = await import('../../src/press/render/index.ts');
  const doc = JSON.parse(fs.readFileSync(docFile, 'utf8')) as NoticeDocument;
  const start = process.hrtime.bigint();
  let size: number;
  if (output === 'pdf-a4') size = (await renderPdf(doc, { layout: 'a4' })).length;
  else if (output === 'pdf-half-4') size = (await renderPdf(doc, { layout: 'half', columns: 4 })).length;
  else if (output === 'html') size = Buffer.byteLength(renderHtml(doc));
  else if (output === 'docx') size = (await renderDocx(doc)).length;
  else size = (await renderCards(doc)).length;
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  // maxRSS is in KiB; worker threads share the process, so the cards' workers are included.
  process.stdout.write(JSON.stringify({ ms, rssMb: process.resourceUsage().maxRSS / 1024, size }));
}

async function demoDocument(dir: string): Promise<NoticeDocument> {
  const { loadConfig } = await import('../../src/config.ts');
  const { buildApp } = await import('../../src/app.ts');
  const { createPressRepository } = await import('../../src/press/repository.ts');
  const { buildNoticeDocument, defaultTitle } = await import('../../src/press/document.ts');
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'development',
    DATABASE_FILE: path.join(dir, 'bench.db'),
    DEMO_DATA: '1',
    DEMO_PASSWORD: 'bench-password-not-used',
    PUBLIC_URL: 'https://pledges.example.gov.cn',
    LOG_LEVEL: 'silent',
  });
  const app = await buildApp(config);
  try {
    const campaign = app.db.select().from(campaigns).all()[0]!;
    const ids = app.db.select({ id: pledges.id }).from(pledges).all().map((r) => r.id);
    const rows = await createPressRepository(app.db).rows(ids);
    return buildNoticeDocument(rows, {
      outlet: { name: '济南日报', kind: 'newspaper', language: 'zh-CN' },
      campaign: { name: campaign.name, issuingOffice: campaign.issuingOffice ?? '', timeZone: campaign.timeZone },
      noticeNo: '第1号',
      edition: 'A3',
      publishedOn: new Date().toISOString().slice(0, 10),
      title: defaultTitle('zh-CN', campaign.name),
      corrects: null,
      publicUrl: config.publicUrl,
    });
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const [mode, docFile, output] = process.argv.slice(2);
  if (mode === '--one') return renderOne(docFile!, output as Output);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'press-bench-'));
  try {
    const { makeNotice } = await import('./fixtures.ts');
    const datasets: [string, NoticeDocument][] = [
      ['demo campaign', await demoDocument(dir)],
      ['1,529 generated', makeNotice(1529, { units: 48 })],
    ];
    const self = fileURLToPath(import.meta.url);
    console.log(`${'dataset'.padEnd(18)}${'output'.padEnd(12)}${'pledges'.padStart(8)}${'time (ms)'.padStart(12)}${'peak RSS (MB)'.padStart(15)}${'size (KB)'.padStart(12)}`);
    for (const [name, doc] of datasets) {
      const file = path.join(dir, `${name.replace(/\W+/g, '-')}.json`);
      fs.writeFileSync(file, JSON.stringify(doc));
      for (const output of OUTPUTS) {
        const out = execFileSync(process.execPath, [...process.execArgv, self, '--one', file, output], { encoding: 'utf8', maxBuffer: 1 << 20 });
        const r = JSON.parse(out) as { ms: number; rssMb: number; size: number };
        console.log(
          `${name.padEnd(18)}${output.padEnd(12)}${String(doc.total).padStart(8)}${r.ms.toFixed(0).padStart(12)}${r.rssMb.toFixed(0).padStart(15)}${(r.size / 1024).toFixed(0).padStart(12)}`,
        );
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
