import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { poolDb, type Db } from './db.js';

// timestamptz and bigint come back as strings: Carnet formats instants itself and versions stay exact.
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, (v) => v);
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => v);

export interface OpenDbOptions {
  /** PostgreSQL server; when absent, the embedded PGlite store is used. */
  databaseUrl?: string;
  /** Where PGlite keeps its files (DATA_DIR/pglite). `memory://` keeps it in memory. */
  pgliteDir?: string;
  /** A PGlite data dir dump to start from (tests use a migrated template). */
  loadDataDir?: Blob;
}

export async function openDb(opts: OpenDbOptions): Promise<Db> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10, options: '-c TimeZone=UTC' });
    // for units that only read: their audit records commit without waiting for the disk
    const relaxed = new pg.Pool({ connectionString: opts.databaseUrl, max: 10, options: '-c TimeZone=UTC -c synchronous_commit=off' });
    for (const p of [pool, relaxed]) p.on('error', () => undefined); // an idle client's lost connection is retried on next use
    const db = poolDb(pool, 'postgres', async () => undefined, relaxed);
    await db.query('SELECT 1');
    return db;
  }
  const dir = opts.pgliteDir ?? 'memory://';
  const unlock = dir.startsWith('memory://') ? () => undefined : lockPglite(dir);
  try {
    const lite = await PGlite.create(dir, opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {});
    const pool = new pg.Pool(createPgConfig(lite));
    return poolDb(pool, 'pglite', async () => {
      await lite.close();
      unlock();
    });
  } catch (err) {
    unlock();
    throw err;
  }
}

/**
 * PGlite is single-process: two processes on one data dir would corrupt it. A lock file next to it holds the
 * owner's pid; a second process is refused with a message, a lock left by a dead process is taken over.
 */
function lockPglite(dir: string): () => void {
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const lock = `${dir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lock, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(fs.readFileSync(lock, 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
        throw new Error(`The embedded store ${dir} is in use by process ${pid} (a running Carnet?): stop it first, or use the HTTP API.`);
      }
      fs.rmSync(lock, { force: true });
    }
  }
  throw new Error(`Could not lock the embedded store ${dir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

