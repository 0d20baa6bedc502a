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
    pool.on('error', () => undefined); // an idle client's lost connection is retried on next use
    const db = poolDb(pool, 'postgres', async () => undefined);
    await db.query('SELECT 1');
    return db;
  }
  const dir = opts.pgliteDir ?? 'memory://';
  if (!dir.startsWith('memory://')) fs.mkdirSync(path.dirname(dir), { recursive: true });
  const lite = await PGlite.create(dir, opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {});
  const pool = new pg.Pool(createPgConfig(lite));
  return poolDb(pool, 'pglite', () => lite.close());
}

/** Dumps a PGlite database (for test templates). */
export async function dumpPglite(dir: string): Promise<Blob> {
  const lite = await PGlite.create(dir);
  try {
    return (await lite.dumpDataDir('none')) as Blob;
  } finally {
    await lite.close();
  }
}
