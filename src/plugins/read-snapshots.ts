// One read transaction per request. Outside a transaction every statement SQLite runs is a read
// transaction of its own: it takes the WAL read lock and lets it go again (two fcntl calls, about
// two thirds of a one-row read on this VM), and two statements of one page may see two states of
// the record. A public page runs 12–16 statements; begun once, the read costs that once, and the
// whole page reads one state.
//
// The server's connection also writes, and a write inside an open read transaction would join it
// (a `transaction()` would become a savepoint) and be committed only when the read ends. So the
// snapshot is ended before anything that writes: a prepared statement that is not a read,
// `exec`, `pragma`, `transaction()` and `close` first commit the read transaction, and the write
// runs exactly as it would without snapshots. Reads after it, in the same request, go on in
// autocommit mode as before.
//
// A snapshot never outlives the event-loop turn that began it (setImmediate ends it), and every
// request that arrives ends the one before it (a GET that misses the page cache then begins its
// own, src/plugins/db.ts): every commit made before a request arrived, by this process or
// another, is in what it reads.
import type Database from 'better-sqlite3';

export interface ReadSnapshots {
  /** Ends any snapshot still open and begins a fresh one (SQLite takes it at the first read). */
  begin(): void;
  /** Commits the read transaction begun by begin(), if it is still open. */
  end(): void;
  /** Whether a snapshot begun here is open. */
  readonly open: boolean;
  /**
   * `read` made to run in one read transaction: the open snapshot's when there is one, else a
   * transaction of its own (outside requests: the CLI, press outputs). For code that only reads;
   * a write inside it would end the snapshot and run on in autocommit mode.
   */
  together<A extends unknown[], R>(read: (...args: A) => R): (...args: A) => R;
}

const snapshotsOf = new WeakMap<Database.Database, ReadSnapshots>();

/** The snapshots of a connection opened by openDatabase (src/plugins/db.ts). */
export function readSnapshotsOf(sqlite: Database.Database): ReadSnapshots {
  const found = snapshotsOf.get(sqlite);
  if (!found) throw new Error('this connection has no read snapshots (not opened by openDatabase)');
  return found;
}

/**
 * A statement that only reads. sqlite3_stmt_readonly() is also true of BEGIN, COMMIT, SAVEPOINT
 * and the like, which return no rows: those count as writes here, so they end a snapshot first.
 */
function onlyReads(statement: Database.Statement): boolean {
  return statement.readonly && statement.reader;
}

type Method = (...args: unknown[]) => unknown;

/**
 * Installs the write guard on a fresh connection (before anything is prepared on it, so no
 * statement escapes it) and returns its snapshots. Until begin() is called the guard does nothing
 * but check a flag: the CLI and the dataset tools never begin one.
 */
export function installReadSnapshots(sqlite: Database.Database): ReadSnapshots {
  // Prepared before the guard: these two must not end the snapshot they manage.
  const beginRead = sqlite.prepare('BEGIN');
  const commitRead = sqlite.prepare('COMMIT');
  let open = false;
  let endScheduled = false;

  function end(): void {
    if (!open) return;
    // Throws while an iterate() is still open on the connection (better-sqlite3 runs nothing
    // else then); the snapshot stays open, and marked so, until it can end.
    if (sqlite.inTransaction) commitRead.run();
    open = false;
  }
  const endAtTurnEnd = () => {
    endScheduled = false;
    try {
      end();
    } catch {
      // An iterator held open across an await: try again next turn rather than throw where
      // nobody catches it.
      endScheduled = true;
      setImmediate(endAtTurnEnd);
    }
  };

  /** `method`, ending the snapshot first. */
  const endingFirst = <F extends Method>(method: F): F =>
    function (this: unknown, ...args: unknown[]) {
      end();
      return method.apply(this, args);
    } as F;

  const prepare = sqlite.prepare as unknown as Method;
  sqlite.prepare = function (this: Database.Database, ...args: unknown[]) {
    const statement = prepare.apply(this, args) as Database.Statement;
    if (onlyReads(statement)) return statement;
    const own = statement as unknown as Record<string, Method>;
    for (const name of ['run', 'get', 'all', 'iterate']) own[name] = endingFirst(own[name]!);
    return statement;
  } as typeof sqlite.prepare;

  for (const name of ['exec', 'pragma', 'close'] as const) {
    const method = sqlite[name] as unknown as Method;
    (sqlite as unknown as Record<string, Method>)[name] = endingFirst(method);
  }

  const unguardedTransaction = sqlite.transaction.bind(sqlite);
  // transaction(fn) returns a function (and its deferred/immediate/exclusive variants) that
  // begins the transaction when called: the snapshot ends at that call, not at transaction().
  const transaction = sqlite.transaction as unknown as Method;
  sqlite.transaction = function (this: Database.Database, ...args: unknown[]) {
    const made = transaction.apply(this, args) as Method & Record<'deferred' | 'immediate' | 'exclusive', Method>;
    const guarded = endingFirst(made) as typeof made;
    for (const variant of ['deferred', 'immediate', 'exclusive'] as const) {
      Object.defineProperty(guarded, variant, { value: endingFirst(made[variant]) });
    }
    Object.defineProperty(guarded, 'default', { value: guarded });
    Object.defineProperty(guarded, 'database', { value: this, enumerable: true });
    return guarded;
  } as typeof sqlite.transaction;

  const snapshots: ReadSnapshots = {
    begin() {
      end();
      // Someone else's transaction (a migration, a CLI task) is theirs to end.
      if (sqlite.inTransaction) return;
      beginRead.run();
      open = true;
      if (!endScheduled) {
        endScheduled = true;
        setImmediate(endAtTurnEnd);
      }
    },
    end,
    together(read) {
      const alone = unguardedTransaction(read);
      return (...args) => (open ? read(...args) : alone(...args));
    },
    get open() {
      return open;
    },
  };
  snapshotsOf.set(sqlite, snapshots);
  return snapshots;
}
