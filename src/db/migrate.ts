import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.js';

/** Versioned plain-SQL migrations live in <package>/migrations, named NNNN_what.sql. */

function migrationsDir(): string {
  // src/db/migrate.ts runs from dist/src/db (built) or src/db (tests): find the folder upwards.
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'migrations');
    if (fs.existsSync(candidate) && fs.existsSync(path.join(dir, 'package.json'))) return candidate;
  }
  throw new Error('migrations folder not found');
}

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function listMigrations(dir = migrationsDir()): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 4)), name: f.replace(/\.sql$/, ''), sql: fs.readFileSync(path.join(dir, f), 'utf8') }));
}

/**
 * Applies the migrations not yet applied, each in its own transaction, under an advisory lock so that
 * several Carnet processes starting together do not race. Returns the names applied.
 */
export async function migrate(db: Db): Promise<string[]> {
  const applied: string[] = [];
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(7262963)');
    await tx.query(
      `CREATE TABLE IF NOT EXISTS schema_migration (
         version integer PRIMARY KEY,
         name text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const done = new Set(
      (await tx.query<{ version: number }>('SELECT version FROM schema_migration')).rows.map((r) => r.version),
    );
    for (const m of listMigrations()) {
      if (done.has(m.version)) continue;
      await tx.query(m.sql);
      await tx.query('INSERT INTO schema_migration (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.name);
    }
  });
  return applied;
}
