import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import pg from 'pg';
import { migrate } from '../../src/db/index.js';
import { poolDb } from '../../src/db/db.js';
import { TEMPLATE_FILE } from './paths.js';

/**
 * Builds, once per run, a migrated PGlite database that each test file loads in about half a second,
 * rather than running initdb and the migrations again (several seconds). PostgreSQL runs need none.
 */
export default async function setup(): Promise<void> {
  if (process.env.DATABASE_URL) return;
  const lite = await PGlite.create('memory://');
  const db = poolDb(new pg.Pool(createPgConfig(lite)), 'pglite', async () => undefined);
  await migrate(db);
  const dump = await lite.dumpDataDir('none');
  await db.close();
  await lite.close();
  fs.mkdirSync(new URL('.', TEMPLATE_FILE), { recursive: true });
  fs.writeFileSync(TEMPLATE_FILE, Buffer.from(await dump.arrayBuffer()));
}
