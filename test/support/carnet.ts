import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { createCarnet, type Carnet } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openDb, type Db } from '../../src/db/index.js';
import { createScratchDatabase } from '../../src/db/scratch.js';
import type { Relation, Role } from '../../src/domain/access/index.js';
import { upsertUser } from '../../src/repo/index.js';
import { signToken } from '../../src/services/auth/tokens.js';
import { userId as demoUserId } from '../../src/services/demo/world.js';
import { TEMPLATE_FILE } from './paths.js';

/**
 * A real Carnet for API tests: a real HTTP server on a loopback port, on a fresh database — PGlite from a
 * migrated template, or a new PostgreSQL database when DATABASE_URL is set (as in CI's second pass).
 */
/** fetch's Response, with json() typed loosely for assertions. */
export type TestResponse = Omit<Response, 'json'> & { json(): Promise<any> };

export interface TestCarnet {
  carnet: Carnet;
  baseUrl: string;
  fhirBase: string;
  db: Db;
  /** The SMTP gateway's port on 127.0.0.1, with `startCarnet({ smtp: true })`. */
  smtpPort?: number;
  /** A token for a demo login (the demo world must be seeded). */
  tokenFor(login: string): Promise<string>;
  /** A patient user with their Patient resource created; returns the user's token. */
  patient(patientId: string, resource?: Record<string, unknown>): Promise<string>;
  /** Creates a user and returns a token for them. */
  user(u: { login?: string; role: Exclude<Role, 'system'>; patientId?: string; practitionerId?: string; represents?: { patientId: string; relation: Relation }[] }): Promise<string>;
  /** fetch on the server, with a JSON body and FHIR content type when `json` is given. */
  request(method: string, url: string, opts?: { token?: string; json?: unknown; body?: string; headers?: Record<string, string> }): Promise<TestResponse>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function freshDb(): Promise<{ db: Db; drop: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const bytes = fs.readFileSync(TEMPLATE_FILE);
    const db = await openDb({ pgliteDir: 'memory://', loadDataDir: new Blob([bytes]) });
    return { db, drop: async () => undefined };
  }
  const scratch = await createScratchDatabase(url, 'carnet_test');
  return { db: await openDb({ databaseUrl: scratch.url }), drop: scratch.drop };
}

export async function startCarnet(opts: { seed?: boolean; env?: Record<string, string>; smtp?: boolean } = {}): Promise<TestCarnet> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-test-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = loadConfig({ DATA_DIR: dataDir, DEMO: 'true', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', PORT: String(port), BASE_URL: baseUrl,
    // the prevention reminders depend on the day and the test people's birth dates: only their own tests turn them on
    PREVENTION_REMINDERS: 'false', ...opts.env });
  const { db, drop } = await freshDb();
  const carnet = await createCarnet(config, { db, seed: opts.seed ?? false });
  await carnet.server.listen({ port, host: '127.0.0.1' });
  const smtpPort = opts.smtp ? await carnet.smtp.listen(0, '127.0.0.1') : undefined;
  const sign = (sub: string, login: string) => signToken(carnet.key, { sub, login }, 3600);
  const tc: TestCarnet = {
    carnet,
    baseUrl,
    fhirBase: `${baseUrl}/fhir`,
    db,
    ...(smtpPort !== undefined ? { smtpPort } : {}),
    tokenFor: (login) => sign(demoUserId(login), login),
    async user(u) {
      const id = randomUUID();
      const login = u.login ?? `user-${id.slice(0, 8)}`;
      await upsertUser(db, {
        id,
        login,
        role: u.role,
        displayName: login,
        ...(u.patientId ? { patientId: u.patientId } : {}),
        ...(u.practitionerId ? { practitionerId: u.practitionerId } : {}),
        ...(u.represents ? { represents: u.represents } : {}),
      });
      return sign(id, login);
    },
    async patient(patientId, resource = {}) {
      const token = await tc.user({ role: 'patient', patientId });
      const res = await tc.request('PUT', `/fhir/Patient/${patientId}`, { token, json: { resourceType: 'Patient', ...resource, id: patientId } });
      if (res.status !== 201) throw new Error(`creating Patient/${patientId}: ${res.status} ${await res.text()}`);
      return token;
    },
    async request(method, url, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      if (o.token) headers.authorization = `Bearer ${o.token}`;
      let body: string | undefined = o.body;
      if (o.json !== undefined) {
        body = JSON.stringify(o.json);
        headers['content-type'] ??= 'application/fhir+json';
      }
      return fetch(url.startsWith('http') ? url : `${baseUrl}${url}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    },
    async close() {
      await carnet.close();
      await drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return tc;
}
