/**
 * `npm run bench:messaging`: issue 7's two figures, on PostgreSQL with DATABASE_URL (the benchmark creates a
 * fresh database on that server and drops it at the end) or on the embedded store (PGlite) without it.
 *
 * 1. SMTP delivery into patients' inboxes. BENCH_MESSAGES (default 2000) messages, each with its own 50 KB
 *    PDF-like attachment (distinct bytes), are sent by BENCH_CLIENTS (default 16) nodemailer pooled transports
 *    (one connection each, kept open, STARTTLS unless BENCH_SMTP_TLS=0) over real TCP on loopback to the SMTP
 *    gateway, from a trusted operator's domain (MAIL_TRUSTED_DOMAINS, no authentication) to BENCH_PATIENTS
 *    (default 200) active patients' addresses `<matricule>@patient.carnet.test`. Each 250 reply means the whole
 *    delivery is done: the message parsed, the attachment encrypted into the BlobStore, the Communication
 *    written through the repository (validated, indexed, audited), the mailbox index rows, the patient's
 *    notification and its e-mail alert queued. Figures: messages/s, p50/p95 of the SMTP transaction (sendMail:
 *    MAIL FROM to the 250 after DATA). At the end, the Communications, mss_message rows, notifications and
 *    alerts written during the phase must each equal the messages sent, or the run fails.
 * 2. WebSocket fan-out of the professionals' chat. BENCH_PROS (default 1000) professionals of the directory,
 *    each with a ticket (POST /api/chat/ticket) and a connected WebSocket (`ws`), in rooms of MAX_MEMBERS (50,
 *    src/services/chat/rules.ts): 20 rooms of 50 for 1000. Messages are posted (POST /api/chat/rooms/:id/
 *    messages) by a member of each room in turn, BENCH_POSTS (default 200) by one poster, then BENCH_POSTS by
 *    BENCH_POSTERS (default 4) concurrent posters (each owning a share of the rooms, so that a room's next
 *    number is known before its post). The latency of a delivery is from the start of the POST to the
 *    receipt of `{type:'message', roomId, seq}` on a member's socket (the author's own socket included):
 *    p50/p95/p99/max over every delivery. Every member must get every post, or the run fails.
 *
 * Where the time goes: Node's event-loop utilisation and CPU, (PostgreSQL) the CPU of this database's
 * backends, and the SQL statements sent (counted at pg.Client#query), per phase and per message or post;
 * BENCH_PROFILE=<dir> also writes a CPU profile of each phase and a
 * summary by package (bench/profile.ts). Client and Carnet share the process, so the figures include the
 * client's cost (nodemailer building the MIME, ws parsing frames).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import nodemailer from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import pg from 'pg';
import WebSocket from 'ws';
import { createCarnet, type Carnet } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createScratchDatabase } from '../src/db/scratch.js';
import { SYSTEM } from '../src/domain/access/index.js';
import { makeRpps } from '../src/domain/directory/luhn.js';
import { INS_OID, insSystem, makeNir } from '../src/domain/ins/index.js';
import { makeContext } from '../src/repo/index.js';
import { signToken } from '../src/services/auth/tokens.js';
import { MAX_MEMBERS } from '../src/services/chat/rules.js';
import { freePort, percentile, pgBackendCpu } from './measure.js';
import { Profiler } from './profile.js';

const env = (name: string, fallback: number) => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number, not '${raw}'`);
  return n;
};
const MESSAGES = env('BENCH_MESSAGES', 2000);
const CLIENTS = env('BENCH_CLIENTS', 16);
const PATIENTS = env('BENCH_PATIENTS', 200);
const PROS = env('BENCH_PROS', 1000);
const POSTS = env('BENCH_POSTS', 200);
const POSTERS = env('BENCH_POSTERS', 4);
const SMTP_TLS = process.env.BENCH_SMTP_TLS !== '0';
const ATTACHMENT_BYTES = 50 * 1024;
const CAP_SECONDS = 600;
const MAIL_DOMAIN = 'carnet.test';
const TRUSTED = 'bench.mssante.fr';

const progress = (msg: string) => process.stderr.write(`[bench:messaging ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (v: number) => (Number.isNaN(v) ? '' : v < 10 ? v.toFixed(2) : v.toFixed(1));

// ---- where the time goes ----

/** SQL statements sent by this process (every pg client, PostgreSQL's or PGlite's adapter), counted at pg.Client#query. */
let statements = 0;
function countStatements(): void {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    statements++;
    return original.apply(this, args);
  };
}

interface Usage {
  seconds: number;
  /** SQL statements (round trips to the database) during the phase. */
  statements: number;
  /** Event-loop utilisation of Carnet's (and the client's) main thread, 0..1. */
  elu: number;
  /** CPU of this Node process (all its threads), in cores. */
  nodeCores: number;
  /** CPU of this database's PostgreSQL backends, in cores (undefined on PGlite or without /proc). */
  pgCores: number | undefined;
}

class UsageMeter {
  private readonly elu: EventLoopUtilization;
  private readonly cpu: NodeJS.CpuUsage;
  private readonly pg: Map<number, number> | undefined;
  private readonly t0 = performance.now();
  private readonly statements0 = statements;

  constructor(private readonly database: string | undefined) {
    this.elu = performance.eventLoopUtilization();
    this.cpu = process.cpuUsage();
    this.pg = database ? pgBackendCpu(database) : undefined;
  }

  stop(): Usage {
    const seconds = (performance.now() - this.t0) / 1000;
    const elu = performance.eventLoopUtilization(this.elu).utilization;
    const cpu = process.cpuUsage(this.cpu);
    let pgCores: number | undefined;
    if (this.database && this.pg) {
      const after = pgBackendCpu(this.database);
      let spent = 0;
      for (const [pid, s] of after) spent += s - (this.pg.get(pid) ?? 0);
      pgCores = after.size > 0 ? spent / seconds : undefined;
    }
    return { seconds, statements: statements - this.statements0, elu, nodeCores: (cpu.user + cpu.system) / 1e6 / seconds, pgCores };
  }
}

/** The phase's usage, and its CPU cost per operation (which does not depend on what else runs on the machine). */
const usageLine = (u: Usage, ops: number, what: string) => {
  const per = (cores: number) => ((1000 * cores * u.seconds) / ops).toFixed(1);
  return (
    `Node event loop busy ${(100 * u.elu).toFixed(0)} %, Node CPU ${u.nodeCores.toFixed(2)} cores` +
    (u.pgCores !== undefined ? `, PostgreSQL backends ${u.pgCores.toFixed(2)} cores` : '') +
    ` (over ${u.seconds.toFixed(1)} s); CPU per ${what}: Node ${per(u.nodeCores)} ms` +
    (u.pgCores !== undefined ? `, PostgreSQL ${per(u.pgCores)} ms` : '') +
    `; ${(u.statements / ops).toFixed(1)} SQL statements per ${what}`
  );
};

// ---- the people ----

interface Pro {
  practitionerId: string;
  userId: string;
  token: string;
  /** A personal mailbox in the directory (the SMTP senders only). */
  address?: string;
}

/** BENCH_PROS professionals in the directory, each a user with a token; the first CLIENTS with a mailbox. */
async function professionals(carnet: Carnet): Promise<Pro[]> {
  const db = carnet.db;
  const now = new Date();
  const count = Math.max(PROS, CLIENTS);
  const ids: string[] = [];
  const rpps: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = makeRpps(String(3_000_000_000 + i));
    rpps.push(r);
    ids.push(`8${r}`);
  }
  const family = ids.map((_, i) => `Praticien${i}`);
  await db.query(`INSERT INTO directory_organization (id, name, city, postal_code, updated_at) VALUES ('bench-org', 'Maison de santé Bench', 'Paris', '75011', $1)`, [now]);
  await db.query(
    `INSERT INTO directory_practitioner (id, id_type, identifier, practice_civility_code, family, given, updated_at)
     SELECT id, '8', rpps, 'DR', family, 'Hélène', $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS t(id, rpps, family)`,
    [ids, rpps, family, now],
  );
  await db.query(
    `INSERT INTO directory_role (id, practitioner_id, organization_id, profession_code, profession_label, family_key, given_key, city_key, updated_at)
     SELECT 'r-' || id, id, 'bench-org', '10', 'Médecin', lower(family), 'hélène', 'paris', $3 FROM unnest($1::text[], $2::text[]) AS t(id, family)`,
    [ids, family, now],
  );
  const userIds = ids.map(() => randomUUID());
  await db.query(
    `INSERT INTO app_user (id, login, role, display_name, practitioner_id)
     SELECT uid, 'bench-pro-' || n, 'professional', 'Dr Hélène ' || family, id
       FROM unnest($1::uuid[], $2::text[], $3::text[]) WITH ORDINALITY AS t(uid, id, family, n)`,
    [userIds, ids, family],
  );
  const addresses = ids.slice(0, CLIENTS).map((id, i) => `helene.praticien${i}.${id}@${TRUSTED}`);
  await db.query(
    `INSERT INTO directory_mailbox (address, kind, practitioner_id, active, updated_at) SELECT a, 'PER', id, true, $3 FROM unnest($1::text[], $2::text[]) AS t(a, id)`,
    [addresses, ids.slice(0, CLIENTS), now],
  );
  const pros: Pro[] = [];
  for (let i = 0; i < count; i++) {
    pros.push({
      practitionerId: ids[i]!,
      userId: userIds[i]!,
      token: await signToken(carnet.key, { sub: userIds[i]!, login: `bench-pro-${i + 1}` }, 24 * 3600),
      ...(i < CLIENTS ? { address: addresses[i]! } : {}),
    });
  }
  return pros;
}

/**
 * BENCH_PATIENTS insured people with an active profile (hence a mailbox): the insured row with a valid
 * matricule, their Patient resource, and their own user with a verified e-mail (so each message also queues
 * the e-mail alert, as for a real patient).
 */
async function activePatients(carnet: Carnet): Promise<string[]> {
  const db = carnet.db;
  const now = new Date();
  const ids: string[] = [];
  const nirs: string[] = [];
  const births: string[] = [];
  const sexes: string[] = [];
  const places: string[] = [];
  for (let i = 0; i < PATIENTS; i++) {
    const sex = i % 2 ? 'F' : 'M';
    const year = String(50 + (i % 50));
    const month = String(1 + (i % 12)).padStart(2, '0');
    const commune = String(101 + (i % 899)).padStart(3, '0');
    const order = String(1 + Math.floor(i / 899)).padStart(3, '0');
    ids.push(randomUUID());
    nirs.push(makeNir({ sex: sex === 'M' ? '1' : '2', birthYear: year, birthMonth: month, department: '75', commune, order }));
    births.push(`19${year}-${month}-15`);
    sexes.push(sex);
    places.push(`75${commune}`);
  }
  await db.query(
    `INSERT INTO insured (id, nir, ins_oid, birth_name, first_given_name, given_names, birth_date, sex, birth_place, state, state_since, updated_at)
     SELECT id, nir, $6, 'BENCH', 'Camille', 'Camille Marie', birth::date, sex, place, 'active', $7, $7
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[]) AS t(id, nir, birth, sex, place)`,
    [ids, nirs, births, sexes, places, INS_OID.NIR, now],
  );
  const ctx = makeContext(SYSTEM);
  const system = insSystem(INS_OID.NIR);
  for (let i = 0; i < PATIENTS; i++) {
    await carnet.repo.update(ctx, {
      resourceType: 'Patient',
      id: ids[i]!,
      identifier: [{ system, value: nirs[i]! }],
      name: [{ family: 'BENCH', given: ['Camille', 'Marie'] }],
      birthDate: births[i]!,
      gender: sexes[i] === 'F' ? 'female' : 'male',
    });
  }
  const userIds = ids.map(() => randomUUID());
  await db.query(
    `INSERT INTO app_user (id, login, role, display_name, patient_id, insured_id, email, email_verified_at)
     SELECT uid, 'bench-patient-' || n, 'patient', 'Camille BENCH', pid::text, pid, 'camille.bench.' || n || '@exemple.fr', $3
       FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS t(uid, pid, n)`,
    [userIds, ids, now],
  );
  await db.query(`INSERT INTO app_user_patient (user_id, patient_id, relation) SELECT uid, pid, 'self' FROM unnest($1::uuid[], $2::text[]) AS t(uid, pid)`, [userIds, ids]);
  return nirs.map((nir) => `${nir}@patient.${MAIL_DOMAIN}`);
}

// ---- 1. SMTP delivery ----

/** A PDF-like attachment of 50 KB whose bytes are its own (a random stream body, as compressed PDF streams look). */
function pdf50k(n: number): Buffer {
  const head = Buffer.from(`%PDF-1.4\n%bench ${n}\n1 0 obj << /Length ${ATTACHMENT_BYTES - 200} >> stream\n`, 'latin1');
  const tail = Buffer.from('\nendstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
  return Buffer.concat([head, randomBytes(ATTACHMENT_BYTES - head.length - tail.length), tail]);
}

interface SmtpResult {
  sent: number;
  seconds: number;
  latencies: number[];
  usage: Usage;
}

type Transport = nodemailer.Transporter<SMTPPool.SentMessageInfo, SMTPPool.Options>;

async function smtpPhase(carnet: Carnet, smtpPort: number, senders: Pro[], recipients: string[], profiler: Profiler, database: string | undefined): Promise<SmtpResult> {
  const transports: Transport[] = senders.map(() =>
    nodemailer.createTransport({
      pool: true,
      maxConnections: 1,
      maxMessages: Infinity,
      host: '127.0.0.1',
      port: smtpPort,
      secure: false,
      ...(SMTP_TLS ? { requireTLS: true, tls: { rejectUnauthorized: false } } : { ignoreTLS: true }),
    }),
  );
  const mail = (k: number, i: number) => ({
    from: { name: `Dr Hélène Praticien${k}`, address: senders[k]!.address! },
    to: recipients[((i % recipients.length) + recipients.length) % recipients.length]!,
    subject: `Compte rendu de consultation ${i}`,
    text: `Bonjour,\n\nVous trouverez ci-joint le compte rendu de votre consultation (${i}).\n\nBien cordialement,\nDr Hélène Praticien${k}\n`,
    headers: { 'X-MSS-NIL': 'carnet-bench' },
    attachments: [{ filename: `compte-rendu-${i}.pdf`, content: pdf50k(i), contentType: 'application/pdf' }],
  });
  const send = async (t: Transport, k: number, i: number) => {
    const info = (await t.sendMail(mail(k, i))) as { response?: string; accepted?: unknown[] };
    if (!info.response?.startsWith('250') || info.accepted?.length !== 1) throw new Error(`message ${i}: ${info.response}`);
  };
  const count = async (): Promise<Record<string, number>> => {
    const { rows } = await carnet.db.query<Record<string, string | number>>(
      `SELECT (SELECT count(*) FROM resource WHERE resource_type = 'Communication' AND NOT deleted) AS communications,
              (SELECT count(*) FROM mss_message) AS index_rows,
              (SELECT count(*) FROM notification WHERE type = 'message-received') AS notifications,
              (SELECT count(*) FROM mail_outbox WHERE template = 'notification') AS alerts`,
    );
    return Object.fromEntries(Object.entries(rows[0]!).map(([k, v]) => [k, Number(v)]));
  };
  try {
    // warm-up: each transport opens its connection (STARTTLS), and the code paths are compiled
    progress(`SMTP warm-up: ${transports.length} connections${SMTP_TLS ? ' (STARTTLS)' : ''}`);
    await Promise.all(transports.map(async (t, k) => {
      for (let j = 0; j < 3; j++) await send(t, k, -1 - k * 3 - j);
    }));
    const before = await count();
    progress(`SMTP: ${MESSAGES} messages of a 50 KB attachment, ${CLIENTS} connections, to ${recipients.length} patients`);
    const latencies: number[] = [];
    let next = 0;
    let failure: unknown;
    const deadline = Date.now() + CAP_SECONDS * 1000;
    const meter = new UsageMeter(database);
    const start = performance.now();
    await profiler.around('messaging-smtp', () =>
      Promise.all(
        transports.map(async (t, k) => {
          while (failure === undefined && next < MESSAGES && Date.now() < deadline) {
            const i = next++;
            const t0 = performance.now();
            try {
              await send(t, k, i);
            } catch (err) {
              failure ??= err;
              return;
            }
            latencies.push(performance.now() - t0);
          }
        }),
      ),
    );
    const seconds = (performance.now() - start) / 1000;
    const usage = meter.stop();
    if (failure !== undefined) throw failure;
    const after = await count();
    const delta = Object.fromEntries(Object.keys(after).map((k) => [k, after[k]! - before[k]!]));
    progress(`written during the phase: ${JSON.stringify(delta)}`);
    for (const [what, n] of Object.entries(delta)) {
      if (n !== latencies.length) throw new Error(`SMTP: ${latencies.length} messages accepted but ${n} ${what} written (expected equal)`);
    }
    if (latencies.length !== MESSAGES) throw new Error(`SMTP: stopped by the ${CAP_SECONDS} s cap after ${latencies.length} of ${MESSAGES} messages`);
    latencies.sort((a, b) => a - b);
    return { sent: latencies.length, seconds, latencies, usage };
  } finally {
    for (const t of transports) t.close();
  }
}

// ---- 2. WebSocket fan-out ----

interface Pending {
  t0: number;
  expected: number;
  received: number;
  first: number;
}

class FanOut {
  readonly pending = new Map<string, Pending>();
  readonly deliveries: number[] = [];
  /** Per post: the time until its last member got it. */
  readonly done: number[] = [];
  /** Per post: from its first member's receipt to its last's (the fan-out loop itself, and the client reading it). */
  readonly spread: number[] = [];
  unexpected: string[] = [];
  private waiter: (() => void) | undefined;

  onEvent(data: string): void {
    const e = JSON.parse(data) as { type: string; roomId?: string; seq?: number };
    if (e.type !== 'message') return;
    const key = `${e.roomId}:${e.seq}`;
    const p = this.pending.get(key);
    if (!p) {
      this.unexpected.push(key);
      return;
    }
    const now = performance.now();
    this.deliveries.push(now - p.t0);
    if (p.received++ === 0) p.first = now;
    if (p.received === p.expected) {
      this.pending.delete(key);
      this.done.push(now - p.t0);
      this.spread.push(now - p.first);
      if (this.pending.size === 0) this.waiter?.();
    }
  }

  expect(roomId: string, seq: number, members: number): Pending {
    const p: Pending = { t0: performance.now(), expected: members, received: 0, first: 0 };
    this.pending.set(`${roomId}:${seq}`, p);
    return p;
  }

  reset(): void {
    this.deliveries.length = 0;
    this.done.length = 0;
    this.spread.length = 0;
  }

  /** Resolves once every expected delivery arrived; fails after `msTimeout`. */
  async settle(msTimeout: number): Promise<void> {
    if (this.pending.size === 0) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        const missing = [...this.pending.entries()].slice(0, 5).map(([k, p]) => `${k}: ${p.received}/${p.expected}`);
        reject(new Error(`fan-out: ${this.pending.size} posts not delivered to every member within ${msTimeout} ms (${missing.join(', ')})`));
      }, msTimeout);
      this.waiter = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.waiter = undefined;
  }
}

interface Room {
  id: string;
  members: Pro[];
  seq: number;
}

interface FanOutResult {
  label: string;
  posts: number;
  seconds: number;
  deliveries: number[];
  done: number[];
  spread: number[];
  postLatencies: number[];
  usage: Usage;
}

async function api(baseUrl: string, token: string, method: string, url: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${baseUrl}${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    json = { text };
  }
  return { status: res.status, json };
}

/** A ticket, then the socket; resolves once the server said `ready`. */
async function connect(baseUrl: string, pro: Pro, fan: FanOut): Promise<WebSocket> {
  const t = await api(baseUrl, pro.token, 'POST', '/api/chat/ticket');
  if (t.status !== 200) throw new Error(`ticket for ${pro.practitionerId}: ${t.status} ${JSON.stringify(t.json)}`);
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/api/chat/socket?ticket=${encodeURIComponent(String(t.json.ticket))}`);
  return new Promise((resolve, reject) => {
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    ws.once('error', reject);
    ws.on('message', (data: Buffer) => {
      const text = data.toString();
      if (text === '{"type":"ready"}') {
        ws.off('error', reject);
        ws.on('error', (err) => progress(`socket of ${pro.practitionerId}: ${err.message}`));
        resolve(ws);
        return;
      }
      fan.onEvent(text);
    });
  });
}

async function postPhase(label: string, baseUrl: string, rooms: Room[], count: number, posters: number, fan: FanOut, profiler: Profiler, database: string | undefined): Promise<FanOutResult> {
  const postLatencies: number[] = [];
  let next = 0;
  let failure: unknown;
  fan.reset();
  const meter = new UsageMeter(database);
  const start = performance.now();
  await profiler.around(`messaging-fanout-${posters}`, () =>
    Promise.all(
      Array.from({ length: posters }, async (_, w) => {
        // this poster's rooms: no other poster writes in them, so each room's next number is known in advance
        const mine = rooms.filter((_r, i) => i % posters === w);
        let turn = 0;
        while (failure === undefined && next < count) {
          next++;
          const room = mine[turn % mine.length]!;
          const author = room.members[Math.floor(turn / mine.length) % room.members.length]!;
          turn++;
          const seq = room.seq + 1;
          const p = fan.expect(room.id, seq, room.members.length);
          try {
            const res = await api(baseUrl, author.token, 'POST', `/api/chat/rooms/${room.id}/messages`, { body: `Message ${seq} de la discussion (${label})` });
            if (res.status !== 201 || res.json.seq !== seq) throw new Error(`post in ${room.id}: ${res.status} seq ${String(res.json.seq)} (expected ${seq}) ${JSON.stringify(res.json).slice(0, 300)}`);
          } catch (err) {
            failure ??= err;
            return;
          }
          postLatencies.push(performance.now() - p.t0);
          room.seq = seq;
        }
      }),
    ),
  );
  if (failure !== undefined) throw failure;
  await fan.settle(30_000);
  const seconds = (performance.now() - start) / 1000;
  const usage = meter.stop();
  if (fan.unexpected.length) throw new Error(`fan-out: ${fan.unexpected.length} notifications of posts not made here (${fan.unexpected.slice(0, 3).join(', ')})`);
  const sorted = (a: number[]) => [...a].sort((x, y) => x - y);
  return { label, posts: postLatencies.length, seconds, deliveries: sorted(fan.deliveries), done: sorted(fan.done), spread: sorted(fan.spread), postLatencies: sorted(postLatencies), usage };
}

// ---- main ----

async function main(): Promise<void> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-bench-messaging-'));
  const fresh = process.env.DATABASE_URL ? await createScratchDatabase(process.env.DATABASE_URL, 'carnet_bench_msg') : undefined;
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    ...process.env,
    ...(fresh ? { DATABASE_URL: fresh.url } : {}),
    DATA_DIR: workDir,
    PORT: String(port),
    BASE_URL: baseUrl,
    LOG_LEVEL: 'silent',
    DEMO: 'false',
    RATE_LIMIT_PER_MINUTE: '100000',
    MAIL_DOMAIN,
    MAIL_TRUSTED_DOMAINS: TRUSTED,
  });
  const profiler = new Profiler(process.env.BENCH_PROFILE || undefined);
  countStatements();
  const sockets: WebSocket[] = [];
  let carnet: Carnet | undefined;
  try {
    carnet = await createCarnet(config, { seed: false });
    await carnet.server.listen({ port, host: '127.0.0.1' });
    const smtpPort = await carnet.smtp.listen(0, '127.0.0.1');
    const store = carnet.db.kind === 'postgres' ? 'PostgreSQL' : 'PGlite';
    const { rows: version } = await carnet.db.query<{ v: string }>("SELECT current_setting('server_version') AS v");
    const cpus = os.cpus();
    const header =
      `Carnet messaging benchmark, ${new Date().toISOString().slice(0, 10)}: ${store} ${version[0]?.v ?? ''}, Node ${process.version}, ` +
      `${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')} at the start`;
    progress(header);

    progress(`setting up ${PROS} professionals and ${PATIENTS} active patients`);
    const pros = await professionals(carnet);
    const recipients = await activePatients(carnet);

    // 1. SMTP
    const smtp = await smtpPhase(carnet, smtpPort, pros.slice(0, CLIENTS), recipients, profiler, fresh?.name);

    // 2. WebSocket fan-out
    const members = pros.slice(0, PROS);
    const fan = new FanOut();
    const groups: Pro[][] = [];
    for (let i = 0; i < members.length; i += MAX_MEMBERS) groups.push(members.slice(i, i + MAX_MEMBERS));
    progress(`fan-out: ${groups.length} rooms of up to ${MAX_MEMBERS} members (MAX_MEMBERS), created through the API`);
    const rooms: Room[] = [];
    for (const [g, group] of groups.entries()) {
      if (group.length < 2) continue;
      const res = await api(baseUrl, group[0]!.token, 'POST', '/api/chat/rooms', { title: `Réunion de concertation ${g + 1}`, members: group.slice(1).map((p) => p.practitionerId) });
      if (res.status !== 201) throw new Error(`room ${g}: ${res.status} ${JSON.stringify(res.json).slice(0, 300)}`);
      rooms.push({ id: String(res.json.id), members: group, seq: 0 });
    }
    const inRooms = rooms.reduce((s, r) => s + r.members.length, 0);
    progress(`connecting ${inRooms} WebSockets (a ticket each), 16 at a time`);
    const connectTimes: number[] = [];
    const toConnect = rooms.flatMap((r) => r.members);
    let nextConnect = 0;
    const connectStart = performance.now();
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (nextConnect < toConnect.length) {
          const pro = toConnect[nextConnect++]!;
          const t0 = performance.now();
          sockets.push(await connect(baseUrl, pro, fan));
          connectTimes.push(performance.now() - t0);
        }
      }),
    );
    const connectSeconds = (performance.now() - connectStart) / 1000;
    connectTimes.sort((a, b) => a - b);
    progress(`${sockets.length} sockets open in ${connectSeconds.toFixed(1)} s; warming up`);
    // warm-up: two posts in each room
    await postPhase('warm-up', baseUrl, rooms, 2 * rooms.length, 1, fan, new Profiler(undefined), undefined);
    progress(`fan-out: ${POSTS} posts by 1 poster`);
    const one = await postPhase('1 poster', baseUrl, rooms, POSTS, 1, fan, profiler, fresh?.name);
    const posters = Math.min(POSTERS, rooms.length);
    progress(`fan-out: ${POSTS} posts by ${posters} concurrent posters`);
    const many = await postPhase(`${posters} concurrent posters`, baseUrl, rooms, POSTS, posters, fan, profiler, fresh?.name);

    // the report
    const lines: string[] = [];
    lines.push('', `### Secure messaging on ${store}`, '', header, '');
    lines.push('| figure | count | throughput | p50 ms | p95 ms | p99 ms | max ms |', '|---|---:|---:|---:|---:|---:|---:|');
    const l = smtp.latencies;
    lines.push(
      `| SMTP delivery, 50 KB PDF attachment, ${CLIENTS} connections${SMTP_TLS ? ' (STARTTLS)' : ''}, ${recipients.length} patients (per SMTP transaction) | ${fmt(smtp.sent)} | ${(smtp.sent / smtp.seconds).toFixed(1)} messages/s | ${ms(percentile(l, 50))} | ${ms(percentile(l, 95))} | ${ms(percentile(l, 99))} | ${ms(l[l.length - 1]!)} |`,
    );
    for (const r of [one, many]) {
      const d = r.deliveries;
      lines.push(
        `| WebSocket fan-out, ${r.label}: POST → each member's socket (${rooms.length} rooms of ${MAX_MEMBERS}, ${sockets.length} sockets) | ${fmt(d.length)} deliveries | ${(r.posts / r.seconds).toFixed(1)} posts/s | ${ms(percentile(d, 50))} | ${ms(percentile(d, 95))} | ${ms(percentile(d, 99))} | ${ms(d[d.length - 1]!)} |`,
      );
      lines.push(
        `| … same, POST → its last member's socket (per post) | ${fmt(r.done.length)} posts | | ${ms(percentile(r.done, 50))} | ${ms(percentile(r.done, 95))} | ${ms(percentile(r.done, 99))} | ${ms(r.done[r.done.length - 1]!)} |`,
      );
      lines.push(
        `| … same, from its first member's socket to its last (per post) | ${fmt(r.spread.length)} posts | | ${ms(percentile(r.spread, 50))} | ${ms(percentile(r.spread, 95))} | ${ms(percentile(r.spread, 99))} | ${ms(r.spread[r.spread.length - 1]!)} |`,
      );
      lines.push(
        `| … same, the POST's own response | ${fmt(r.postLatencies.length)} posts | | ${ms(percentile(r.postLatencies, 50))} | ${ms(percentile(r.postLatencies, 95))} | ${ms(percentile(r.postLatencies, 99))} | ${ms(r.postLatencies[r.postLatencies.length - 1]!)} |`,
      );
    }
    lines.push(
      `| connecting: POST /api/chat/ticket then the WebSocket upgrade to \`ready\`, 16 at a time | ${fmt(connectTimes.length)} sockets | ${(connectTimes.length / connectSeconds).toFixed(0)}/s | ${ms(percentile(connectTimes, 50))} | ${ms(percentile(connectTimes, 95))} | ${ms(percentile(connectTimes, 99))} | ${ms(connectTimes[connectTimes.length - 1]!)} |`,
    );
    lines.push('');
    lines.push(`- SMTP phase: ${usageLine(smtp.usage, smtp.sent, 'message')}.`);
    lines.push(`- fan-out, 1 poster: ${usageLine(one.usage, one.posts, 'post')}.`);
    lines.push(`- fan-out, ${many.label}: ${usageLine(many.usage, many.posts, 'post')}.`);
    lines.push(`- load average at the end: ${os.loadavg().map((x) => x.toFixed(1)).join(' / ')} (${cpus.length} cores).`);
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    for (const ws of sockets) ws.terminate();
    profiler.close();
    await carnet?.close().catch((err: unknown) => progress(`closing: ${String(err)}`));
    await fresh?.drop().catch((err: unknown) => progress(`dropping the database: ${String(err)}`));
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? `bench failed: ${err.stack ?? err.message}` : err);
  process.exitCode = 1;
});
