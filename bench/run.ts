/**
 * `npm run bench`: Carnet's throughput and latency at 10 k and 1 M stored resources, on the embedded store
 * (PGlite) by default or on PostgreSQL with DATABASE_URL (an empty database: the benchmark fills it).
 *
 * For each size (BENCH_SIZES, default "10000,1000000"; each size is loaded on top of the previous one):
 *   1. bulk import: generated NDJSON (bench/generate.ts: patients with documents, vital signs and messages)
 *      loaded through the import API, in-process; this is the preload and the bulk import figure;
 *   2. the physical reference: the same rows written by plain multi-row INSERT (and COPY) into a scratch
 *      table of the same shape, on the same database (bench/raw.ts);
 *   3. over real HTTP on loopback (fetch, 8 clients): reads, creates, the two patient-scoped searches, and
 *      transaction Bundles of 100 entries (2 clients). 200 patients are sampled; each is a patient user
 *      (their own record, as any user of the patient space) with a token, and each request is made by the
 *      patient whose record it touches, through the access policy like any other.
 * Prints one markdown table per size. Any response >= 400, any import failure or any wrong search result
 * stops the run with a non-zero exit code.
 *
 * Settings: BENCH_SIZES, BENCH_SEED (default 1), BENCH_PHASE_SECONDS (time cap per HTTP phase, default 60),
 * BENCH_PROFILE=<dir> (a CPU profile of each phase, and a summary of where the time went; bench/profile.ts).
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
import { importPath } from '../src/services/import/importer.js';
import { ClinicalFactory, DataGenerator, DOCUMENT_TYPES, OBSERVATION_CODES, type Json } from './generate.js';
import { Prng } from './prng.js';
import { Profiler } from './profile.js';
import { rawReference, type RawReport } from './raw.js';
import { freePort, measure, percentile, type Measured } from './measure.js';

const COUNTS = { reads: 3000, creates: 1500, searches: 1500, transactions: 30 };
const CLIENTS = 8;
const TX_CLIENTS = 2;
const BUNDLE_ENTRIES = 100;
const IMPORT_CHUNK = 500;
/**
 * NDJSON files of ten chunks: the importer prepares a file's next chunk while the database writes the
 * current one, and reports each file's time (the latency column, per file).
 */
const LINES_PER_FILE = 10 * IMPORT_CHUNK;
const SAMPLED_PATIENTS = 200;
const LOINC = 'http://loinc.org';

const TARGETS = {
  reads: { perSecond: 2000 },
  creates: { perSecond: 1000 },
  search: { perSecond: 1000, p95: 20 },
  transaction: { perSecond: 1500 },
  bulk: { perSecond: 20_000 },
} as const;

function parseSizes(raw: string): number[] {
  const sizes = raw.split(',').map((s) => s.trim().replace(/_/g, '')).filter(Boolean).map((s) => {
    const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(s);
    if (!m) throw new Error(`BENCH_SIZES: '${s}' is not a number of resources (e.g. 10000, 10k, 1M)`);
    const n = Number(m[1]) * (m[2]?.toLowerCase() === 'k' ? 1e3 : m[2]?.toLowerCase() === 'm' ? 1e6 : 1);
    if (!Number.isInteger(n) || n < 1000) throw new Error(`BENCH_SIZES: ${s} is too small (at least 1000)`);
    return n;
  });
  return [...new Set(sizes)].sort((a, b) => a - b);
}

function positiveNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, not '${raw}'`);
  return n;
}

const progress = (msg: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** One line of the result table. */
interface Row {
  figure: string;
  count: number;
  perSecond: number;
  unit: string;
  p50?: number;
  p95?: number;
  target?: { perSecond: number; p95?: number };
  /** What one latency measures when it is not one request ("per Bundle"...). */
  latencyOf?: string;
}

class HttpClient {
  constructor(
    private readonly baseUrl: string,
    /** A bearer token per sampled patient: each request is made by the patient whose record it touches. */
    private readonly tokens: Map<string, string>,
  ) {}

  /** fetch on the server as that patient; any status >= 400 is an error that stops the benchmark. */
  async call(patientId: string, method: string, url: string, body?: unknown, extra: Record<string, string> = {}): Promise<{ status: number; headers: Headers; text: string }> {
    const token = this.tokens.get(patientId);
    if (token === undefined) throw new Error(`no user for Patient/${patientId}`);
    const res = await fetch(`${this.baseUrl}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, accept: 'application/fhir+json', ...(body !== undefined ? { 'content-type': 'application/fhir+json' } : {}), ...extra },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${method} ${url} answered ${res.status}: ${text.slice(0, 600)}`);
    return { status: res.status, headers: res.headers, text };
  }
}

/** Writes the next `count` resources of the stream as NDJSON files of LINES_PER_FILE lines. */
function writeNdjson(gen: DataGenerator, count: number, dir: string): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  let lines: string[] = [];
  const flush = () => {
    if (lines.length === 0) return;
    const file = path.join(dir, `part-${String(files.length + 1).padStart(5, '0')}.ndjson`);
    fs.writeFileSync(file, lines.join('\n') + '\n');
    files.push(file);
    lines = [];
  };
  for (const r of gen.take(count)) {
    lines.push(JSON.stringify(r));
    if (lines.length >= LINES_PER_FILE) flush();
  }
  flush();
  return files;
}

// ---- the two patient-scoped searches, and a check that what they return is right ----

const docSearch = (patientId: string, code: string) =>
  `/fhir/DocumentReference?patient=${patientId}&type=${encodeURIComponent(`${LOINC}|${code}`)}&_sort=-date`;
const obsSearch = (patientId: string, code: string) =>
  `/fhir/Observation?patient=${patientId}&code=${encodeURIComponent(`${LOINC}|${code}`)}&date=ge2024-01-01&date=lt2025-01-01`;

interface SearchCheck {
  /** Search parameters the server said it ignored. */
  ignored: Set<string>;
  requests: number;
  matches: number;
}

/** What a search should return, to check a page of it. */
interface Expectation {
  type: 'DocumentReference' | 'Observation';
  patientId: string;
  /** The token parameter (type or code) and the LOINC code it asks for. */
  codeParam: 'type' | 'code';
  code: string;
  /** The date range asked for, as [from, to) days, if any. */
  range?: [string, string];
  /** The element sorted on, newest first, if any. */
  newestFirstBy?: string;
}

/**
 * Runs a few searches of each kind before measuring and checks their first page against the store: the right
 * type, patient, code and dates, newest first, and as many matches as the store holds (up to the page size).
 * A parameter the server reports as ignored (an OperationOutcome warning) is not checked, and is reported.
 */
async function checkSearches(carnet: Carnet, http: HttpClient, patients: string[], rng: Prng): Promise<{ doc: SearchCheck; obs: SearchCheck }> {
  const doc: SearchCheck = { ignored: new Set(), requests: 0, matches: 0 };
  const obs: SearchCheck = { ignored: new Set(), requests: 0, matches: 0 };
  for (let i = 0; i < 20; i++) {
    const patientId = patients[i % patients.length]!;
    const docCode = rng.pick(DOCUMENT_TYPES).code;
    await checkOne(carnet, http, docSearch(patientId, docCode), doc, {
      type: 'DocumentReference',
      patientId,
      codeParam: 'type',
      code: docCode,
      newestFirstBy: 'date',
    });
    const obsCode = rng.pick(OBSERVATION_CODES).code;
    await checkOne(carnet, http, obsSearch(patientId, obsCode), obs, {
      type: 'Observation',
      patientId,
      codeParam: 'code',
      code: obsCode,
      range: ['2024-01-01', '2025-01-01'],
    });
  }
  return { doc, obs };
}

async function checkOne(carnet: Carnet, http: HttpClient, url: string, tally: SearchCheck, want: Expectation): Promise<void> {
  const { text } = await http.call(want.patientId, 'GET', url);
  const bundle = JSON.parse(text) as { entry?: { resource: Json }[]; link?: { relation: string }[] };
  const entries = bundle.entry ?? [];
  const ignored = new Set<string>();
  for (const e of entries.filter((x) => x.resource.resourceType === 'OperationOutcome')) {
    for (const issue of (e.resource.issue as { severity?: string; expression?: string[] }[] | undefined) ?? []) {
      if (issue.severity === 'warning' || issue.severity === 'information') for (const x of issue.expression ?? []) ignored.add(x);
    }
  }
  for (const p of ignored) tally.ignored.add(p);
  const matches = entries.filter((e) => e.resource.resourceType !== 'OperationOutcome').map((e) => e.resource);
  const fail = (why: string): never => {
    throw new Error(`wrong search result for GET ${url}: ${why}`);
  };
  const element = want.codeParam === 'type' ? 'type' : 'code';
  const dateOf = (r: Json) => String(want.type === 'Observation' ? r.effectiveDateTime : r.date);
  for (const r of matches) {
    const what = `${String(r.resourceType)}/${String(r.id)}`;
    if (r.resourceType !== want.type) fail(`returned ${what}`);
    if ((r.subject as { reference?: string } | undefined)?.reference !== `Patient/${want.patientId}`) fail(`returned ${what} of another patient`);
    const codings = (r[element] as { coding?: { system?: string; code?: string }[] } | undefined)?.coding ?? [];
    if (!ignored.has(want.codeParam) && !codings.some((c) => c.system === LOINC && c.code === want.code)) fail(`returned ${what}, not of ${want.codeParam} ${want.code}`);
    // dates are generated between 07:00 and 21:00 French time: their day is the same in UTC
    const day = dateOf(r).slice(0, 10);
    if (want.range && !ignored.has('date') && (day < want.range[0] || day >= want.range[1])) fail(`returned ${what} dated ${dateOf(r)}, outside the range`);
  }
  if (want.newestFirstBy && !ignored.has('_sort')) {
    for (let i = 1; i < matches.length; i++) {
      if (Date.parse(dateOf(matches[i - 1]!)) < Date.parse(dateOf(matches[i]!))) fail('not newest first');
    }
  }
  const applied = [want.codeParam, ...(want.range ? ['date'] : [])].every((p) => !ignored.has(p));
  if (applied) {
    const params: unknown[] = [want.patientId, want.type, JSON.stringify({ [element]: { coding: [{ system: LOINC, code: want.code }] } })];
    let sql = `SELECT count(*) AS n FROM resource WHERE patient_id = $1 AND resource_type = $2 AND NOT deleted AND content @> $3::jsonb`;
    if (want.range) {
      params.push(...want.range);
      sql += ` AND left(content->>'effectiveDateTime', 10) >= $4 AND left(content->>'effectiveDateTime', 10) < $5`;
    }
    const { rows } = await carnet.db.query<{ n: string | number }>(sql, params);
    const expected = Number(rows[0]!.n);
    const pageSize = carnet.config.defaultCount;
    const hasNext = (bundle.link ?? []).some((l) => l.relation === 'next');
    if (matches.length < Math.min(expected, pageSize) || matches.length > expected || (expected > matches.length && !hasNext)) {
      fail(`${matches.length} matches on the first page${hasNext ? ' (and a next page)' : ''}, the store holds ${expected}`);
    }
  }
  tally.requests++;
  tally.matches += matches.length;
}

// ---- one size ----

interface SizeResult {
  size: number;
  patients: number;
  rows: Row[];
  /** The raw INSERT rate, the reference of the ratios. */
  rawPerSecond: number;
  notes: string[];
}

async function benchSize(
  carnet: Carnet,
  baseUrl: string,
  gen: DataGenerator,
  size: number,
  workDir: string,
  capSeconds: number,
  profiler: Profiler,
): Promise<SizeResult> {
  const phase = <T>(name: string, fn: () => Promise<T>) => profiler.around(`${size}-${name}`, fn);
  const notes: string[] = [];
  const rows: Row[] = [];
  const toLoad = size - gen.emitted;
  const from = gen.emitted;

  // 1. bulk import: the preload
  progress(`${fmt(size)}: generating ${fmt(toLoad)} resources as NDJSON`);
  const dir = path.join(workDir, `ndjson-${size}`);
  const files = writeNdjson(gen, toLoad, dir);
  progress(`${fmt(size)}: importing ${fmt(files.length)} NDJSON file(s) of ${fmt(LINES_PER_FILE)} through importPath, chunks of ${IMPORT_CHUNK}`);
  const t0 = performance.now();
  let lastShown = t0;
  const report = await phase('import', () => importPath(dir, {
    router: carnet.router,
    ctx: makeContext(SYSTEM),
    chunk: IMPORT_CHUNK,
    onProgress: (f) => {
      if (performance.now() - lastShown > 30_000) {
        lastShown = performance.now();
        progress(`  … ${path.basename(f.file)} done, ${((performance.now() - t0) / 1000).toFixed(0)} s in`);
      }
    },
  }));
  const importSeconds = (performance.now() - t0) / 1000;
  const chunkMs = report.files.map((f) => f.seconds * 1000).sort((a, b) => a - b);
  if (report.failed > 0 || report.imported !== toLoad) {
    const first = report.files.flatMap((f) => f.failed).slice(0, 5).map((f) => `${f.what}: ${f.status} ${f.reason}`);
    throw new Error(`bulk import: ${report.imported} of ${toLoad} resources imported, ${report.failed} failed\n  ${first.join('\n  ')}`);
  }
  progress(`${fmt(size)}: imported ${fmt(report.imported)} in ${importSeconds.toFixed(1)} s; ANALYZE`);
  await carnet.db.query('ANALYZE');

  // 2. the physical reference
  progress(`${fmt(size)}: raw INSERT of the same rows into a scratch table`);
  const raw: RawReport = await phase('raw-insert', () => rawReference(carnet.db, files, workDir));
  fs.rmSync(dir, { recursive: true, force: true });
  const rawPerSecond = raw.insert.rows / raw.insert.seconds;
  raw.insert.latencies.sort((a, b) => a - b);

  if (raw.copySkipped) notes.push(`raw COPY: skipped (${raw.copySkipped}).`);

  // 3. HTTP: each sampled patient is a user (their own record, relation self) with a token of their own
  const rng = new Prng(gen.seed * 1_000_003 + size);
  const sample = rng.sample(gen.patientIds, SAMPLED_PATIENTS);
  const tokens = new Map<string, string>();
  for (const patientId of sample) {
    const userId = randomUUID();
    const login = `bench-${userId.slice(0, 8)}`;
    await upsertUser(carnet.db, { id: userId, login, role: 'patient', displayName: gen.patient(patientId).display, patientId });
    tokens.set(patientId, await signToken(carnet.key, { sub: userId, login }, 24 * 3600));
  }
  const http = new HttpClient(baseUrl, tokens);
  const { rows: targets } = await carnet.db.query<{ patient_id: string; resource_type: string; id: string }>(
    `SELECT patient_id, resource_type, id FROM resource
      WHERE patient_id = ANY($1::text[]) AND resource_type IN ('Patient', 'DocumentReference', 'Observation', 'Communication') AND NOT deleted`,
    [sample],
  );
  const readTargets = rng.sample(targets, Math.min(targets.length, 20_000)).map((t) => ({ patientId: t.patient_id, url: `/fhir/${t.resource_type}/${t.id}` }));
  for (let i = readTargets.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [readTargets[i], readTargets[j]] = [readTargets[j]!, readTargets[i]!];
  }
  const factory = new ClinicalFactory(rng, gen.practitioners);

  progress(`${fmt(size)}: warming up and checking the searches`);
  for (let i = 0; i < 100; i++) {
    const t = readTargets[i % readTargets.length]!;
    await http.call(t.patientId, 'GET', t.url);
  }
  const checked = await checkSearches(carnet, http, sample, rng);
  for (const [name, c] of [['documents', checked.doc], ['observations', checked.obs]] as const) {
    if (c.ignored.size > 0) {
      notes.push(`search ${name}: the server ignored ${[...c.ignored].map((p) => `\`${p}\``).join(', ')} (OperationOutcome warning): the figure is not yet that of the real search.`);
    }
  }
  notes.push(
    `search check: ${checked.doc.requests + checked.obs.requests} searches checked against the store before measuring ` +
      `(${(checked.doc.matches / checked.doc.requests).toFixed(1)} documents and ${(checked.obs.matches / checked.obs.requests).toFixed(1)} observations a page on average).`,
  );

  progress(`${fmt(size)}: reads`);
  const reads = await phase('reads', () => measure(COUNTS.reads, CLIENTS, capSeconds, async (i) => {
    const t = readTargets[i % readTargets.length]!;
    await http.call(t.patientId, 'GET', t.url);
  }));
  rows.push({ figure: `read (GET [type]/[id], ${CLIENTS} clients)`, ...perSecond(reads), unit: 'req/s', target: TARGETS.reads });

  progress(`${fmt(size)}: creates`);
  const creates = await phase('creates', () => measure(COUNTS.creates, CLIENTS, capSeconds, async (i) => {
    const patient = gen.patient(sample[i % sample.length]!);
    await http.call(patient.id, 'POST', '/fhir/Observation', factory.observation(patient).resource, { prefer: 'return=minimal' });
  }));
  rows.push({ figure: `create Observation (POST, ${CLIENTS} clients)`, ...perSecond(creates), unit: 'req/s', target: TARGETS.creates });

  progress(`${fmt(size)}: searches`);
  const docs = await phase('search-documents', () => measure(COUNTS.searches, CLIENTS, capSeconds, async (i) => {
    const code = rng.weighted(DOCUMENT_TYPES.map((d) => [d.code, d.weight] as const));
    const patientId = sample[i % sample.length]!;
    await http.call(patientId, 'GET', docSearch(patientId, code));
  }));
  rows.push({ figure: `search: a patient's documents of a type, newest first (${CLIENTS} clients)`, ...perSecond(docs), unit: 'req/s', target: TARGETS.search });
  const obs = await phase('search-observations', () => measure(COUNTS.searches, CLIENTS, capSeconds, async (i) => {
    const code = rng.weighted(OBSERVATION_CODES.map((o) => [o.code, o.weight] as const));
    const patientId = sample[(i * 7) % sample.length]!;
    await http.call(patientId, 'GET', obsSearch(patientId, code));
  }));
  rows.push({ figure: `search: a patient's observations of a code in 2024 (${CLIENTS} clients)`, ...perSecond(obs), unit: 'req/s', target: TARGETS.search });

  progress(`${fmt(size)}: transactions`);
  const tx = await phase('transactions', () => measure(COUNTS.transactions, TX_CLIENTS, capSeconds, async (i) => {
    const patient = gen.patient(sample[(i * 13) % sample.length]!);
    const entry = Array.from({ length: BUNDLE_ENTRIES }, () => {
      const resource = factory.any(patient).resource;
      return { fullUrl: `urn:uuid:${rng.uuid()}`, resource, request: { method: 'POST', url: resource.resourceType } };
    });
    await http.call(patient.id, 'POST', '/fhir', { resourceType: 'Bundle', type: 'transaction', entry });
  }));
  rows.push({
    figure: `transaction Bundle of ${BUNDLE_ENTRIES} (documents, vital signs, messages; ${TX_CLIENTS} clients)`,
    count: tx.count * BUNDLE_ENTRIES,
    perSecond: (tx.count * BUNDLE_ENTRIES) / tx.seconds,
    unit: 'resources/s',
    p50: tx.p50,
    p95: tx.p95,
    target: TARGETS.transaction,
    latencyOf: 'per Bundle',
  });
  rows.push({
    figure: `bulk import (importPath, NDJSON, chunks of ${IMPORT_CHUNK}): ${from === 0 ? `preload of ${fmt(toLoad)}` : `${fmt(toLoad)} more on top of ${fmt(from)}`}`,
    count: report.imported,
    perSecond: report.imported / importSeconds,
    unit: 'resources/s',
    p50: percentile(chunkMs, 50),
    p95: percentile(chunkMs, 95),
    target: TARGETS.bulk,
    latencyOf: `per file of ${fmt(LINES_PER_FILE)}`,
  });
  rows.push({
    figure: 'raw INSERT of the same rows (1,000 per statement)',
    count: raw.insert.rows,
    perSecond: rawPerSecond,
    unit: 'rows/s',
    p50: percentile(raw.insert.latencies, 50),
    p95: percentile(raw.insert.latencies, 95),
    latencyOf: 'per statement',
  });
  if (raw.copy) {
    rows.push({ figure: 'raw COPY FROM STDIN of the same rows', count: raw.copy.rows, perSecond: raw.copy.rows / raw.copy.seconds, unit: 'rows/s' });
  }
  for (const [name, m] of [['reads', reads], ['creates', creates], ['document searches', docs], ['observation searches', obs], ['transactions', tx]] as const) {
    if (m.capped) notes.push(`${name}: stopped by the ${capSeconds} s cap after ${m.count} requests.`);
  }

  return { size, patients: gen.patientIds.length, rows, rawPerSecond, notes };
}

/** The 1-, 5- and 15-minute load averages. */
function loadAverage(): string {
  return os.loadavg().map((l) => l.toFixed(1)).join(' / ');
}

function perSecond(m: Measured): Pick<Row, 'count' | 'perSecond' | 'p50' | 'p95'> {
  return { count: m.count, perSecond: m.count / m.seconds, p50: m.p50, p95: m.p95 };
}

function printTable(result: SizeResult, kind: string, stored: { resources: number; audit: number }): void {
  const lines: string[] = [];
  lines.push('');
  lines.push(`### ${fmt(result.size)} generated resources (${fmt(result.patients)} patients) on ${kind}`);
  lines.push('');
  lines.push(`Store at the end of this size: ${fmt(stored.resources)} resources in \`resource\` (the generated ones and those the HTTP phases wrote), besides ${fmt(stored.audit)} AuditEvents.`);
  lines.push('');
  lines.push('| figure | count | per second | p50 ms | p95 ms | target | ratio to raw insert |');
  lines.push('|---|---|---|---|---|---|---|');
  for (const r of result.rows) {
    const ms = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '' : v < 10 ? v.toFixed(2) : v.toFixed(1));
    let target = '';
    if (r.target) {
      const ok = r.perSecond >= r.target.perSecond && (r.target.p95 === undefined || (r.p95 ?? Infinity) < r.target.p95);
      target = `≥ ${fmt(r.target.perSecond)}/s${r.target.p95 !== undefined ? `, p95 < ${r.target.p95} ms` : ''} ${ok ? '✓' : '✗'}`;
    }
    const ratio = r.perSecond / result.rawPerSecond;
    const latency = r.latencyOf ? ` (${r.latencyOf})` : '';
    lines.push(
      `| ${r.figure} | ${fmt(r.count)} | ${fmt(r.perSecond)} ${r.unit} | ${ms(r.p50)}${r.p50 !== undefined ? latency : ''} | ${ms(r.p95)} | ${target} | ${ratio >= 0.1 ? ratio.toFixed(2) : ratio.toFixed(3)} |`,
    );
  }
  lines.push('');
  for (const n of result.notes) lines.push(`- ${n}`);
  lines.push(`- load average at the end: ${loadAverage()} (${os.cpus().length} cores; anything else running on the machine lowers these figures).`);
  process.stdout.write(lines.join('\n') + '\n');
}

async function main(): Promise<void> {
  const sizes = parseSizes(process.env.BENCH_SIZES ?? '10000,1000000');
  const seed = positiveNumber('BENCH_SEED', 1);
  const capSeconds = positiveNumber('BENCH_PHASE_SECONDS', 60);
  const profiler = new Profiler(process.env.BENCH_PROFILE || undefined);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-bench-'));
  // interrupted (Ctrl-C, kill): remove the NDJSON and the PGlite files, which reach several GB at 1 M
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      progress(`${signal}: removing ${workDir}`);
      fs.rmSync(workDir, { recursive: true, force: true });
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = loadConfig({ ...process.env, DATA_DIR: workDir, PORT: String(port), BASE_URL: baseUrl, LOG_LEVEL: 'silent', DEMO: 'false' });
  let carnet: Carnet | undefined;
  try {
    carnet = await createCarnet(config, { seed: false });
    const { rows: existing } = await carnet.db.query<{ n: string | number }>('SELECT count(*) AS n FROM resource');
    if (Number(existing[0]!.n) > 0) {
      throw new Error(`the database already holds ${existing[0]!.n} resources: point DATABASE_URL at an empty database (the benchmark fills it)`);
    }
    await carnet.server.listen({ port, host: '127.0.0.1' });
    const cpus = os.cpus();
    const { rows: version } = await carnet.db.query<{ v: string }>("SELECT current_setting('server_version') AS v");
    process.stdout.write(
      `Carnet benchmark, ${new Date().toISOString().slice(0, 10)}: ${carnet.db.kind === 'postgres' ? 'PostgreSQL' : 'PGlite'} ${version[0]?.v ?? ''}, ` +
        `Node ${process.version}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM; ` +
        `sizes ${sizes.map(fmt).join(', ')}, seed ${seed}; load average ${loadAverage()} at the start\n`,
    );
    process.stdout.write(
      'Targets (✓/✗) are those of PostgreSQL at 1 M stored resources on 2 cores; client and server share the machine. ' +
        'Each size is loaded on top of the previous one; ANALYZE runs after each load.\n',
    );
    const gen = new DataGenerator(seed);
    for (const size of sizes) {
      const result = await benchSize(carnet, baseUrl, gen, size, workDir, capSeconds, profiler);
      const { rows: counts } = await carnet.db.query<{ resources: string | number; audit: string | number }>(
        "SELECT count(*) FILTER (WHERE resource_type <> 'AuditEvent') AS resources, count(*) FILTER (WHERE resource_type = 'AuditEvent') AS audit FROM resource",
      );
      printTable(result, carnet.db.kind === 'postgres' ? 'PostgreSQL' : 'PGlite', {
        resources: Number(counts[0]!.resources),
        audit: Number(counts[0]!.audit),
      });
    }
  } finally {
    profiler.close();
    await carnet?.close().catch(() => undefined);
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? `bench failed: ${err.message}` : err);
  process.exitCode = 1;
});
