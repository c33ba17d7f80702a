// `npm start` runs the server compiled to JavaScript (tsconfig.build.json), with plain node.
// Files the server reads (views, migrations, demo data, static files, the share image) and the
// notice-rendering child it spawns must be found from the compiled layout too.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import t from 'tap';
import { root, startServer } from '../crash/server.ts';
import { doc, row } from '../press/doc-fixture.ts';

// Inside the project (as dist/ is), so the compiled code finds the project root above it;
// a folder of its own, so a developer's dist/ is left alone.
fs.mkdirSync(path.join(root, '.tap'), { recursive: true });
const outDir = fs.mkdtempSync(path.join(root, '.tap', 'compiled-'));
t.teardown(() => fs.rmSync(outDir, { recursive: true, force: true }));
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', outDir, '--incremental', 'false'], { cwd: root, stdio: 'pipe' });

t.test('the compiled server starts with plain node and serves pages, static files and the share image', async (t) => {
  const dbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'compiled-'));
  t.teardown(() => fs.rmSync(dbDir, { recursive: true, force: true }));
  const server = await startServer({ DATABASE_FILE: path.join(dbDir, 'app.db') }, { script: path.join(outDir, 'src', 'server.js'), timeoutMs: 60_000 });
  t.teardown(async () => {
    server.proc.kill('SIGTERM');
    await server.exited;
  });
  for (const [p, type] of [
    ['/', 'text/html'],
    ['/pledges', 'text/html'],
    ['/about', 'text/html'],
    ['/static/app.css', 'text/css'],
    ['/share/preview.png', 'image/png'],
  ] as const) {
    const res = await fetch(server.base + p);
    t.equal(res.status, 200, `${p}: 200`);
    t.match(res.headers.get('content-type'), type, `${p}: ${type}`);
  }
  // The demo campaign came from data/demo and its pledges are on the list.
  t.match(await (await fetch(server.base + '/pledges')).text(), /href="\/pledges\/\d+"/);
});

t.test('the compiled notice renderer spawns its compiled child', async (t) => {
  const compiled = (await import(pathToFileURL(path.join(outDir, 'src', 'press', 'render-process.js')).href)) as typeof import('../../src/press/render-process.ts');
  const [file] = await compiled.renderInChild(doc([row()]), {}, 'csv');
  t.equal(file!.format, 'csv');
  t.match(file!.bytes.toString('utf8'), '老旧供水管网改造');
});
