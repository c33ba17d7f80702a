// Where backups live and what they are called: <database name>-<UTC timestamp>.db in BACKUP_DIR,
// so a plain `ls` sorts them oldest to newest and the newest is easy to name in a message.
import fs from 'node:fs';
import path from 'node:path';

const STAMP = /^(\d{8}T\d{6}(?:\d{3})?Z)$/;

/** 2026-03-01T08:05:09.123Z → 20260301T080509123Z (file-name safe, sorts by time). */
export function timestamp(date = new Date()): string {
  return date.toISOString().replace(/[-:.]/g, '');
}

/** The stem every backup of this database starts with: data/pledges.db → "pledges". */
export function backupStem(databaseFile: string): string {
  return path.basename(databaseFile).replace(/\.(db|sqlite3?)$/i, '') || 'database';
}

export function backupFileName(databaseFile: string, date = new Date()): string {
  return `${backupStem(databaseFile)}-${timestamp(date)}.db`;
}

export interface BackupFile {
  file: string;
  name: string;
  stamp: string;
  bytes: number;
}

/** Backups of this database in dir, newest first. A missing directory simply holds none. */
export function listBackups(dir: string, databaseFile: string): BackupFile[] {
  const stem = backupStem(databaseFile);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const out: BackupFile[] = [];
  for (const name of names) {
    if (!name.startsWith(`${stem}-`) || !name.endsWith('.db')) continue;
    const stamp = name.slice(stem.length + 1, -3);
    if (!STAMP.test(stamp)) continue;
    const file = path.join(dir, name);
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (stat?.isFile()) out.push({ file, name, stamp, bytes: stat.size });
  }
  return out.sort((a, b) => (a.stamp < b.stamp ? 1 : a.stamp > b.stamp ? -1 : 0));
}

export function newestBackup(dir: string, databaseFile: string): BackupFile | undefined {
  return listBackups(dir, databaseFile)[0];
}

/** The file the running server writes beside the database, so `restore` can refuse while it runs. */
export function serverPidFile(databaseFile: string): string {
  return `${databaseFile}.server-pid`;
}

/** The pid of a live server using this database, if one wrote its pid file and still runs. */
export function runningServerPid(databaseFile: string): number | undefined {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(serverPidFile(databaseFile), 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    // EPERM: it exists but belongs to someone else, which still means it runs.
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}
