/**
 * `npm run bench:dmp`: the shared medical record's two targets, over real HTTP on loopback, on PostgreSQL with
 * DATABASE_URL (an empty database) or on the embedded store.
 *
 * 1. ITI-65 ingest: transaction Bundles of one 100 KB PDF each (every one distinct: its own bytes, hash and
 *    masterIdentifier), posted by BENCH_CLIENTS (default 16) concurrent clients as a professional with access,
 *    BENCH_SUBMISSIONS (default 3000) of them, spread over 100 records. Each is the whole path: MHD and PDSm
 *    checks, the patient resolved, the bytes encrypted into the BlobStore, the submission set and document
 *    written with their audit record and the patient's notification. Target: ≥ 300 submissions/s.
 * 2. ITI-67 search on a patient with 500 documents among BENCH_DOCUMENTS (default 5,000,000) stored. The
 *    filler documents are written by SQL (INSERT … SELECT generate_series) with the search columns Carnet
 *    extracts, over 100,000 records; the measured patient's 500 come through ITI-65. The search is
 *    `GET /fhir/DocumentReference?patient=…&status=current&_count=50` by a médecin with access, so the
 *    habilitation matrix and the hidden-document rule are applied in the SQL. Target: p95 < 20 ms.
 *
 * Settings: BENCH_SUBMISSIONS, BENCH_CLIENTS, BENCH_DOCUMENTS, BENCH_SEARCHES (default 2000), BENCH_PROFILE=<dir>
 * (a CPU profile of each phase, bench/profile.ts).
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
import { depositBundle } from '../src/services/dmp/deposit-bundle.js';
import { freePort, measure, type Measured } from './measure.js';
import { Profiler } from './profile.js';

const env = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const SUBMISSIONS = env('BENCH_SUBMISSIONS', 3000);
const CLIENTS = env('BENCH_CLIENTS', 16);
const DOCUMENTS = env('BENCH_DOCUMENTS', 5_000_000);
const SEARCHES = env('BENCH_SEARCHES', 2000);
const RECORDS = 100;
const FILLER_RECORDS = 100_000;
const PRACTITIONER = '810009999994';

const progress = (msg: string) => process.stderr.write(`[bench:dmp ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

/** A valid PDF of about 100 KB whose bytes differ by `n` (a comment line), so each has its own hash. */
function pdf100k(n: number): Buffer {
  const filler = 'x'.repeat(100 * 1024);
  const body = `%PDF-1.4\n%${n}\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% ${filler}\ntrailer << /Root 1 0 R >>\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

async function setUp(carnet: Carnet): Promise<{ token: string; patients: string[] }> {
  const db = carnet.db;
  const now = new Date();
  await db.query(`INSERT INTO directory_practitioner (id, id_type, identifier, family, given, updated_at) VALUES ($1, '8', $2, 'Bench', 'Anne', $3)`, [PRACTITIONER, PRACTITIONER.slice(1), now]);
  await db.query(`INSERT INTO directory_organization (id, name, city, postal_code, updated_at) VALUES ('bench-lab', 'Laboratoire Bench', 'Paris', '75010', $1)`, [now]);
  await db.query(
    `INSERT INTO directory_role (id, practitioner_id, organization_id, profession_code, profession_label, family_key, given_key, city_key, updated_at)
     VALUES ('bench-role', $1, 'bench-lab', '10', 'Médecin', 'bench', 'anne', 'paris', $2)`,
    [PRACTITIONER, now],
  );
  const userId = randomUUID();
  await upsertUser(db, { id: userId, login: 'bench.pro', role: 'professional', displayName: 'Dr Anne Bench', practitionerId: PRACTITIONER });
  const patients = Array.from({ length: RECORDS }, () => randomUUID());
  const ctx = makeContext(SYSTEM);
  for (const id of patients) await carnet.repo.update(ctx, { resourceType: 'Patient', id, name: [{ family: 'Bench' }] });
  await db.query(
    `INSERT INTO care_relation (patient_id, practitioner_id, in_list, care_team_since, added_at, added_by, updated_at)
     SELECT unnest($1::text[]), $2, false, $3, $3, 'care-team', $3`,
    [patients, PRACTITIONER, now],
  );
  return { token: await signToken(carnet.key, { sub: userId, login: 'bench.pro' }, 24 * 3600), patients };
}

function bundleFor(patientId: string, n: number): string {
  const bytes = pdf100k(n);
  return JSON.stringify(
    depositBundle({
      patientId,
      bytes,
      format: 'pdf',
      typeCode: '11502-2',
      title: `Compte rendu de biologie ${n}`,
      visibility: [],
      author: { practitionerId: PRACTITIONER, display: 'Dr Anne Bench' },
      now: new Date(),
    }),
  );
}

async function post(baseUrl: string, token: string, body: string): Promise<void> {
  const res = await fetch(`${baseUrl}/fhir`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' }, body });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`ITI-65 answered ${res.status}: ${text.slice(0, 500)}`);
}

/** The filler: documents of 100,000 other records, with the search columns extracted from such a document. */
async function fill(carnet: Carnet, count: number): Promise<void> {
  const batch = 250_000;
  for (let done = 0; done < count; done += batch) {
    const n = Math.min(batch, count - done);
    await carnet.db.query(
      `INSERT INTO resource (patient_id, resource_type, id, version_id, last_updated, deleted, content, tokens, strings, date_params, date_lo, date_hi)
       SELECT 'filler-' || (g % $3), 'DocumentReference', 'f' || g, 1, now() - (g % 1000) * interval '1 hour', false,
              jsonb_build_object('resourceType', 'DocumentReference', 'id', 'f' || g, 'status', 'current',
                'subject', jsonb_build_object('reference', 'Patient/filler-' || (g % $3)),
                'type', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object('system', 'http://loinc.org', 'code', '11502-2'))),
                'date', to_char(now(), 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                'content', jsonb_build_array(jsonb_build_object('attachment', jsonb_build_object('contentType', 'application/pdf', 'size', 102400)))),
              ARRAY['patient=Patient/filler-' || (g % $3), 'patient', 'subject=Patient/filler-' || (g % $3), 'subject',
                    'type=11502-2', 'type=http://loinc.org|11502-2', 'type', 'status=current', 'status=|current', 'status',
                    'security-label=N', 'security-label', 'depositor=Practitioner/8' || (10000000000 + g % 50000), 'depositor'],
              '{}', ARRAY['date'], ARRAY[now() - (g % 1000) * interval '1 hour'], ARRAY[now() - (g % 1000) * interval '1 hour' + interval '1 second']
         FROM generate_series($1::bigint, $2::bigint) AS g`,
      [done, done + n - 1, FILLER_RECORDS],
    );
    progress(`filler: ${done + n} of ${count} documents`);
  }
  await carnet.db.query('ANALYZE resource');
}

function line(name: string, m: Measured, target: string): string {
  return `| ${name} | ${m.count.toLocaleString('en-US')} | ${(m.count / m.seconds).toFixed(1)}/s | ${m.p50.toFixed(1)} | ${m.p95.toFixed(1)} | ${target} |`;
}

async function main(): Promise<void> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-bench-dmp-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = loadConfig({ ...process.env, DATA_DIR: workDir, PORT: String(port), BASE_URL: baseUrl, LOG_LEVEL: 'silent', DEMO: 'false', RATE_LIMIT_PER_MINUTE: '100000' });
  const carnet = await createCarnet(config, { seed: false });
  try {
    await carnet.server.listen({ port, host: '127.0.0.1' });
    const { token, patients } = await setUp(carnet);
    progress(`ingest: ${SUBMISSIONS} submissions of a 100 KB PDF, ${CLIENTS} clients`);
    // warm-up
    for (let i = 0; i < 20; i++) await post(baseUrl, token, bundleFor(patients[i % RECORDS]!, -1 - i));
    const profiler = new Profiler(process.env.BENCH_PROFILE || undefined);
    const ingest = await profiler.around('dmp-ingest', () => measure(SUBMISSIONS, CLIENTS, 600, (i) => post(baseUrl, token, bundleFor(patients[i % RECORDS]!, i))));

    const measured = randomUUID();
    await carnet.repo.update(makeContext(SYSTEM), { resourceType: 'Patient', id: measured, name: [{ family: 'Mesure' }] });
    await carnet.db.query(`INSERT INTO care_relation (patient_id, practitioner_id, in_list, care_team_since, added_at, added_by, updated_at) VALUES ($1, $2, false, now(), now(), 'care-team', now())`, [measured, PRACTITIONER]);
    progress('the measured patient: 500 documents through ITI-65');
    await measure(500, 8, 600, (i) => post(baseUrl, token, bundleFor(measured, 1_000_000 + i)));
    progress(`filler: ${DOCUMENTS - 500 - SUBMISSIONS} documents by SQL`);
    await fill(carnet, Math.max(0, DOCUMENTS - 500 - SUBMISSIONS - 20));
    const { rows } = await carnet.db.query<{ n: string }>(`SELECT count(*) AS n FROM resource WHERE resource_type = 'DocumentReference'`);
    progress(`${Number(rows[0]!.n).toLocaleString('en-US')} documents stored; searching`);
    const url = `${baseUrl}/fhir/DocumentReference?patient=${measured}&status=current&_count=50`;
    const search = async () => {
      const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      const body = (await res.json()) as { entry?: unknown[] };
      if (res.status !== 200 || body.entry?.length !== 50) throw new Error(`ITI-67 answered ${res.status} with ${body.entry?.length} entries`);
    };
    for (let i = 0; i < 50; i++) await search();
    const one = await profiler.around('dmp-search', () => measure(SEARCHES, 1, 300, search));
    const four = await measure(SEARCHES, 4, 300, search);
    const store = config.databaseUrl ? 'PostgreSQL' : 'PGlite';
    console.log(`\n### DMP on ${store}, ${os.cpus().length} cores, ${new Date().toISOString().slice(0, 10)}\n`);
    console.log('| figure | count | throughput | p50 ms | p95 ms | target |');
    console.log('|---|---|---|---|---|---|');
    console.log(line(`ITI-65 ingest, 100 KB PDF, ${CLIENTS} clients`, ingest, `≥ 300/s ${ingest.count / ingest.seconds >= 300 ? '✓' : '✗'}`));
    console.log(line(`ITI-67 search, 500 of ${Number(rows[0]!.n).toLocaleString('en-US')} documents, 1 client`, one, `p95 < 20 ms ${one.p95 < 20 ? '✓' : '✗'}`));
    console.log(line(`ITI-67 search, same, 4 clients`, four, `p95 < 20 ms ${four.p95 < 20 ? '✓' : '✗'}`));
  } finally {
    await carnet.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
