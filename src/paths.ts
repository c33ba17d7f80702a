// Where the project's own files are, for code that runs either as TypeScript from src/
// (tsx: tests, CLI, `npm run dev`) or compiled to dist/src/ (`npm start`). Paths are
// found from the project root, never from a module's own depth, so both layouts work.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const projectRoot = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

/** A path under the project root: projectPath('views'), projectPath('data', 'demo'). */
export function projectPath(...segments: string[]): string {
  return path.join(projectRoot, ...segments);
}

/** A sibling module of `moduleUrl` by base name, with the caller's own extension
 *  (.ts under tsx, .js when compiled): for scripts spawned as processes or workers. */
export function siblingScript(moduleUrl: string, baseName: string): string {
  const self = fileURLToPath(moduleUrl);
  return path.join(path.dirname(self), baseName + path.extname(self));
}
