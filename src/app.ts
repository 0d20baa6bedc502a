import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { migrate, openDb, type Db } from './db/index.js';
import { buildServer } from './http/server.js';
import { Repository } from './repo/index.js';
import { loadOrCreateSigningKey, type SigningKey } from './services/auth/keys.js';
import { seedDemoWorld, type SeedReport } from './services/demo/seed.js';
import { FhirRouter } from './services/fhir/router.js';
import { warmUpValidator } from './fhir/validate.js';
import { warmUpSearchParams } from './fhir/search/definitions.js';
import { reindexIfNeeded } from './repo/reindex.js';

export interface Carnet {
  config: Config;
  db: Db;
  repo: Repository;
  key: SigningKey;
  router: FhirRouter;
  server: FastifyInstance;
  seed?: SeedReport;
  close(): Promise<void>;
}

export interface CreateOptions {
  /** An already open database (tests); otherwise opened from the config. */
  db?: Db;
  /** Seed the demo world when in demo mode (default true). */
  seed?: boolean;
  syntheaDir?: string;
}

export function packageVersion(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return '0.0.0';
}

export function openConfiguredDb(config: Config): Promise<Db> {
  return openDb(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { pgliteDir: path.join(config.dataDir, 'pglite') });
}

/** Opens the store, applies the migrations, seeds the demo world and builds the HTTP server (not listening). */
export async function createCarnet(config: Config, opts: CreateOptions = {}): Promise<Carnet> {
  const db = opts.db ?? (await openConfiguredDb(config));
  try {
    await migrate(db);
    const key = await loadOrCreateSigningKey(config.dataDir);
    warmUpValidator();
    warmUpSearchParams();
    const fhirBase = `${config.baseUrl}/fhir`;
    await reindexIfNeeded(db, fhirBase);
    const repo = new Repository(db, fhirBase, config.readAuditCommit === 'async');
    const seed =
      config.demo && opts.seed !== false
        ? await seedDemoWorld(db, repo, opts.syntheaDir ? { syntheaDir: opts.syntheaDir } : {})
        : undefined;
    const router = new FhirRouter(repo, {
      fhirBase,
      version: packageVersion(),
      defaultCount: config.defaultCount,
      maxCount: config.maxCount,
      maxBundleEntries: config.maxBundleEntries,
      startedAt: new Date().toISOString(),
    });
    const server = buildServer({ db, key, router, maxBodyBytes: config.maxBodyBytes, logLevel: config.logLevel });
    return {
      config,
      db,
      repo,
      key,
      router,
      server,
      ...(seed ? { seed } : {}),
      async close() {
        await server.close();
        await db.close();
      },
    };
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
}
