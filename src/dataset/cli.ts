// npm run dataset -- --scale N [--force] [--seed S]: writes a generated campaign at N times the
// source campaign's size to DATABASE_FILE, through the app's schema and migrations.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { openDatabase } from '../plugins/db.ts';
import { todayIn } from '../pledges/status.ts';
import { createDatasetWriter } from './repository.ts';
import { generateDataset } from './generate.ts';

const argsSchema = z.object({
  scale: z.coerce.number().int().min(1).max(100),
  seed: z.coerce.number().int().optional(),
  force: z.boolean().default(false),
});

export function runDatasetCli(argv: string[], env: NodeJS.ProcessEnv = process.env): number {
  let raw;
  try {
    raw = parseArgs({ args: argv, options: { scale: { type: 'string', default: '1' }, seed: { type: 'string' }, force: { type: 'boolean' } }, strict: true }).values;
  } catch (err) {
    console.error(`dataset: ${(err as Error).message}\nusage: npm run dataset -- --scale N [--force] [--seed S]`);
    return 2;
  }
  const parsed = argsSchema.safeParse(raw);
  if (!parsed.success) {
    console.error(`dataset: --scale must be a whole number from 1 to 100 (${z.prettifyError(parsed.error)})`);
    return 2;
  }
  const file = path.resolve(env.DATABASE_FILE ?? 'data/pledges.db');
  if (fs.existsSync(file)) {
    if (!parsed.data.force) {
      console.error(`dataset: ${file} exists; add --force to replace it`);
      return 1;
    }
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  }
  const started = Date.now();
  const db = openDatabase(file);
  try {
    const summary = generateDataset(createDatasetWriter(db), { scale: parsed.data.scale, seed: parsed.data.seed, today: todayIn(env.TZ_DEFAULT ?? 'Asia/Shanghai') });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`dataset: scale ${summary.scale} written to ${file} in ${seconds} s`);
    console.log(`  units ${summary.units}, pledges ${summary.pledges}, progress updates ${summary.updates}, demands ${summary.demands}, ratings ${summary.ratings}, completion checks ${summary.checks}, suggestions ${summary.suggestions}`);
  } finally {
    db.$client.close();
  }
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = runDatasetCli(process.argv.slice(2));
