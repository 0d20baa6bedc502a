/**
 * `npm run bench`: the FHIR store's core interactions over real HTTP on loopback, on PGlite by default or on
 * PostgreSQL with DATABASE_URL. Prints requests per second and latency percentiles. Bounded in count and time.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { createCarnet } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { SYSTEM } from '../src/domain/access/index.js';
import { makeContext, upsertUser } from '../src/repo/index.js';
import { importPath } from '../src/services/import/importer.js';
import { signToken } from '../src/services/auth/tokens.js';

interface Result {
  name: string;
  count: number;
  seconds: number;
  p50: number;
  p95: number;
  p99: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(name: string, count: number, concurrency: number, op: (i: number) => Promise<void>): Promise<Result> {
  const latencies: number[] = [];
  let next = 0;
  const deadline = Date.now() + 120_000;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count && Date.now() < deadline) {
        const i = next++;
        const t0 = performance.now();
        await op(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return { name, count: latencies.length, seconds, p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99) };
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-bench-'));
  const port = 3900 + Math.floor(Math.random() * 50);
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = loadConfig({ ...process.env, DATA_DIR: dataDir, PORT: String(port), BASE_URL: baseUrl, LOG_LEVEL: 'silent', DEMO: 'false' });
  const carnet = await createCarnet(config, { seed: false });
  await carnet.server.listen({ port, host: '127.0.0.1' });
  const patientId = randomUUID();
  const userId = randomUUID();
  await upsertUser(carnet.db, { id: userId, login: `bench-${userId.slice(0, 8)}`, role: 'patient', displayName: 'Bench', patientId });
  const token = await signToken(carnet.key, { sub: userId, login: 'bench' }, 3600);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' };
  const call = async (method: string, url: string, body?: unknown, extra: Record<string, string> = {}) => {
    const res = await fetch(`${baseUrl}${url}`, { method, headers: { ...headers, ...extra }, ...(body ? { body: JSON.stringify(body) } : {}) });
    await res.arrayBuffer();
    if (res.status >= 400) throw new Error(`${method} ${url}: ${res.status}`);
    return res;
  };
  await call('PUT', `/fhir/Patient/${patientId}`, { resourceType: 'Patient', id: patientId, name: [{ family: 'Banc', given: ['Essai'] }] });
  const observation = (i: number) => ({
    resourceType: 'Observation',
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '29463-7', display: 'Body weight' }], text: 'Poids' },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString(),
    valueQuantity: { value: 60 + (i % 20), unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' },
  });

  const ids: string[] = [];
  const results: Result[] = [];
  results.push(await measure('create Observation (1 client)', 300, 1, async (i) => {
    const res = await call('POST', '/fhir/Observation', observation(i), { prefer: 'return=minimal' });
    ids.push(res.headers.get('location')!.split('/')[5]!);
  }));
  results.push(await measure('create Observation (8 clients)', 1000, 8, async (i) => {
    const res = await call('POST', '/fhir/Observation', observation(i), { prefer: 'return=minimal' });
    ids.push(res.headers.get('location')!.split('/')[5]!);
  }));
  results.push(await measure('read Observation (8 clients)', 3000, 8, async (i) => {
    await call('GET', `/fhir/Observation/${ids[i % ids.length]}`);
  }));
  results.push(await measure('update Observation with If-Match (8 clients)', 1000, 8, async (i) => {
    const id = ids[i]!;
    await call('PUT', `/fhir/Observation/${id}`, { ...observation(i), id }, { 'if-match': 'W/"1"' });
  }));
  results.push(await measure('type history, page of 20 (8 clients)', 500, 8, async () => {
    await call('GET', '/fhir/Observation/_history?_count=20');
  }));
  const perBundle = 100;
  const tx = await measure(`transaction of ${perBundle} Observations (2 clients)`, 20, 2, async (i) => {
    const entry = Array.from({ length: perBundle }, (_, j) => ({
      fullUrl: `urn:uuid:${randomUUID()}`,
      resource: observation(i * perBundle + j),
      request: { method: 'POST', url: 'Observation' },
    }));
    await call('POST', '/fhir', { resourceType: 'Bundle', type: 'transaction', entry });
  });
  results.push(tx);
  const ingest = `${Math.round((tx.count * perBundle) / tx.seconds)} resources/s`;
  const ndjson = path.join(dataDir, 'observations.ndjson');
  fs.writeFileSync(ndjson, Array.from({ length: 5000 }, (_, i) => JSON.stringify(observation(100_000 + i))).join('\n'));
  const imported = await importPath(ndjson, { router: carnet.router, ctx: makeContext(SYSTEM), chunk: 500 });
  const bulk = `${Math.round(imported.imported / imported.seconds)} resources/s (${imported.imported} in ${imported.seconds.toFixed(1)} s)`;
  await carnet.close();
  fs.rmSync(dataDir, { recursive: true, force: true });

  console.log(`Carnet FHIR store benchmark, ${new Date().toISOString().slice(0, 10)}, ${carnet.db.kind}, Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`);
  console.log('| interaction | requests | req/s | p50 ms | p95 ms | p99 ms |');
  console.log('|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(`| ${r.name} | ${r.count} | ${Math.round(r.count / r.seconds)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.p99.toFixed(1)} |`);
  }
  console.log(`Transaction ingest: ${ingest}`);
  console.log(`Bulk import (carnet import, NDJSON, 500 per transaction): ${bulk}`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
