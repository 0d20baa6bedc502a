/**
 * `npm run bench:measures`: the measures' figures (docs/measures.md), over real HTTP on loopback, on PostgreSQL
 * with DATABASE_URL (an empty database) or on the embedded store (PGlite).
 *
 * 1. Recording through the web app's API: BENCH_RECORDS (default 2000) `POST /api/profile/measures` of a weight,
 *    by BENCH_CLIENTS (default 8) concurrent clients, over BENCH_PATIENTS (default 50) adult records that each
 *    have a height: every weight is checked, written as a mes-mesures Observation, and its BMI computed and
 *    written (the height looked up, that day's BMI replaced), all in one unit of work with its audit records.
 * 2. Recording by a partner app through /fhir: BENCH_TRANSACTIONS (default 1000) transaction Bundles (a Device
 *    by conditional create and one weight Observation), same clients and records: the path of the "API Mesures
 *    de santé", checked by the same rules in the repository.
 * 3. The growth chart of a child with BENCH_CHILD_MEASURES (default 60) weights and as many heights (and so
 *    BMIs): `GET /api/profile/growth?measure=weight` then `measure=bmi` (the IOTF curves), BENCH_CHARTS
 *    (default 500) of each, one client, then 4 clients.
 *
 * The machine's load average is printed with the figures: the benchmarks share the machine with whatever runs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { createCarnet, type Carnet } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { SYSTEM } from '../src/domain/access/index.js';
import { makeContext, upsertUser } from '../src/repo/index.js';
import { signToken } from '../src/services/auth/tokens.js';
import { freePort, measure, type Measured } from './measure.js';

const env = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const RECORDS = env('BENCH_RECORDS', 2000);
const TRANSACTIONS = env('BENCH_TRANSACTIONS', 1000);
const CLIENTS = env('BENCH_CLIENTS', 8);
const PATIENTS = env('BENCH_PATIENTS', 50);
const CHILD_MEASURES = env('BENCH_CHILD_MEASURES', 60);
const CHARTS = env('BENCH_CHARTS', 500);
const DAY = 86_400_000;

const progress = (msg: string) => process.stderr.write(`[bench:measures ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

interface Person {
  patientId: string;
  token: string;
}

async function person(carnet: Carnet, birthDate: string, gender: 'male' | 'female', represents: string[] = []): Promise<Person> {
  const patientId = randomUUID();
  const userId = randomUUID();
  await carnet.repo.update(makeContext(SYSTEM), { resourceType: 'Patient', id: patientId, name: [{ family: 'Bench' }], gender, birthDate });
  await upsertUser(carnet.db, {
    id: userId,
    login: `bench-${userId.slice(0, 8)}`,
    role: 'patient',
    displayName: 'Bench',
    patientId,
    represents: represents.map((id) => ({ patientId: id, relation: 'parent' as const })),
  });
  return { patientId, token: await signToken(carnet.key, { sub: userId, login: `bench-${userId.slice(0, 8)}` }, 24 * 3600) };
}

async function call(baseUrl: string, method: string, url: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<unknown> {
  const res = await fetch(`${baseUrl}${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': url.startsWith('/fhir') ? 'application/fhir+json' : 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${url} answered ${res.status}: ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : undefined;
}

function transaction(patientId: string, n: number) {
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        fullUrl: 'urn:uuid:6f1c2a34-0000-4000-8000-000000000001',
        resource: { resourceType: 'Device', identifier: [{ system: 'urn:oid:1.2.250.1.999.42.1', value: `scale-${patientId}` }], patient: { reference: `Patient/${patientId}` } },
        request: { method: 'POST', url: 'Device', ifNoneExist: `identifier=urn:oid:1.2.250.1.999.42.1|scale-${patientId}` },
      },
      {
        fullUrl: 'urn:uuid:6f1c2a34-0000-4000-8000-000000000002',
        resource: {
          resourceType: 'Observation',
          meta: { profile: ['https://fhir.monespacesante.fr/ref/mesure/StructureDefinition/mes-observation-bodyweight'], source: 'urn:oid:1.2.250.1.999.42' },
          status: 'final',
          category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
          code: { coding: [{ system: 'http://loinc.org', code: '29463-7' }] },
          subject: { reference: `Patient/${patientId}` },
          effectiveDateTime: new Date(Date.now() - (n % 700) * DAY - 3_600_000).toISOString(),
          valueQuantity: { value: 60 + (n % 200) / 10, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' },
          device: { reference: 'urn:uuid:6f1c2a34-0000-4000-8000-000000000001' },
        },
        request: { method: 'POST', url: 'Observation' },
      },
    ],
  };
}

function line(name: string, m: Measured): string {
  return `| ${name} | ${m.count.toLocaleString('en-US')} | ${(m.count / m.seconds).toFixed(1)}/s | ${m.p50.toFixed(1)} | ${m.p95.toFixed(1)} |`;
}

async function main(): Promise<void> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-bench-measures-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = loadConfig({ ...process.env, DATA_DIR: workDir, PORT: String(port), BASE_URL: baseUrl, LOG_LEVEL: 'silent', DEMO: 'false', RATE_LIMIT_PER_MINUTE: '100000' });
  const carnet = await createCarnet(config, { seed: false });
  const loadBefore = os.loadavg();
  try {
    await carnet.server.listen({ port, host: '127.0.0.1' });
    const now = Date.now();
    progress(`${PATIENTS} adult records, each with a height`);
    const adults: Person[] = [];
    for (let i = 0; i < PATIENTS; i++) {
      const p = await person(carnet, '1980-05-12', i % 2 ? 'male' : 'female');
      await call(baseUrl, 'POST', '/api/profile/measures', p.token, { code: 'HEIGHT', value: 160 + (i % 30), unit: 'cm', date: day(now - 200 * DAY) });
      adults.push(p);
    }
    const weight = (i: number) => ({ code: 'WEIGHT', value: 55 + (i % 400) / 10, unit: 'kg', date: day(now - (i % 360) * DAY) });
    for (let i = 0; i < 20; i++) await call(baseUrl, 'POST', '/api/profile/measures', adults[i % PATIENTS]!.token, weight(RECORDS + i));

    progress(`recording: ${RECORDS} weights through the API (with their BMI), ${CLIENTS} clients`);
    const api = await measure(RECORDS, CLIENTS, 600, (i) => call(baseUrl, 'POST', '/api/profile/measures', adults[i % PATIENTS]!.token, weight(i)).then(() => undefined));
    progress(`recording: ${TRANSACTIONS} partner transactions through /fhir, ${CLIENTS} clients`);
    const fhir = await measure(TRANSACTIONS, CLIENTS, 600, (i) => call(baseUrl, 'POST', '/fhir', adults[i % PATIENTS]!.token, transaction(adults[i % PATIENTS]!.patientId, i)).then(() => undefined));

    progress(`a child with ${CHILD_MEASURES} weights and heights`);
    const childBirth = now - 9 * 365 * DAY;
    const child = await person(carnet, day(childBirth), 'female');
    const parent = await person(carnet, '1985-01-01', 'female', [child.patientId]);
    const forChild = { 'x-acting-for': child.patientId };
    for (let i = 0; i < CHILD_MEASURES; i++) {
      const months = (i * (9 * 12 - 1)) / CHILD_MEASURES;
      const date = day(childBirth + months * 30.4375 * DAY);
      await call(baseUrl, 'POST', '/api/profile/measures', parent.token, { code: 'WEIGHT', value: Math.round((3.3 + months * 0.25) * 10) / 10, unit: 'kg', date }, forChild);
      await call(baseUrl, 'POST', '/api/profile/measures', parent.token, { code: 'HEIGHT', value: Math.round((50 + months * 0.8) * 10) / 10, unit: 'cm', date }, forChild);
    }
    const chart = (measureName: string) => () => call(baseUrl, 'GET', `/api/profile/growth?measure=${measureName}`, parent.token, undefined, forChild).then(() => undefined);
    for (let i = 0; i < 20; i++) await chart('weight')();
    progress(`growth charts: ${CHARTS} of each, 1 then 4 clients`);
    const weight1 = await measure(CHARTS, 1, 300, chart('weight'));
    const bmi1 = await measure(CHARTS, 1, 300, chart('bmi'));
    const weight4 = await measure(CHARTS, 4, 300, chart('weight'));

    const store = config.databaseUrl ? 'PostgreSQL' : 'PGlite';
    const loadAfter = os.loadavg();
    console.log(`\n### Measures on ${store}, ${os.cpus().length} cores, ${new Date().toISOString().slice(0, 10)}\n`);
    console.log(`Load average (1, 5, 15 min) before: ${loadBefore.map((l) => l.toFixed(2)).join(', ')}; after: ${loadAfter.map((l) => l.toFixed(2)).join(', ')}\n`);
    console.log('| figure | count | throughput | p50 ms | p95 ms |');
    console.log('|---|---|---|---|---|');
    console.log(line(`POST /api/profile/measures, a weight and its BMI, ${CLIENTS} clients`, api));
    console.log(line(`POST /fhir, partner transaction (Device + weight), ${CLIENTS} clients`, fhir));
    console.log(line(`GET /api/profile/growth weight (WHO, ${CHILD_MEASURES} points), 1 client`, weight1));
    console.log(line(`GET /api/profile/growth bmi (IOTF, ${CHILD_MEASURES} points), 1 client`, bmi1));
    console.log(line(`GET /api/profile/growth weight, 4 clients`, weight4));
  } finally {
    await carnet.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
