import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../src/db/index.js';
import { SYSTEM } from '../src/domain/access/index.js';
import { makeContext } from '../src/repo/index.js';
import { importPath, pruneUnsupported } from '../src/services/import/importer.js';
import { startCarnet, type TestCarnet } from './support/carnet.js';
import { SHARED_DATA } from './support/paths.js';

/** Bulk import of Synthea transaction Bundles and NDJSON, in-process through the repository. */
let t: TestCarnet;
let dir: string;

beforeAll(async () => {
  t = await startCarnet();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-import-'));
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const run = (target: string, chunk?: number) =>
  importPath(target, { router: t.carnet.router, ctx: makeContext(SYSTEM), ...(chunk ? { chunk } : {}) });

describe('carnet import', () => {
  it('loads Synthea transaction Bundles, leaving out the types Carnet does not store (Claim...) and the references to them', async () => {
    const file = fs.readdirSync(path.join(SHARED_DATA, 'synthea')).find((f) => f.startsWith('Abdul_Koepp'))!;
    const bundle = JSON.parse(fs.readFileSync(path.join(SHARED_DATA, 'synthea', file), 'utf8'));
    const supported = bundle.entry.filter((e: any) => ['Patient', 'Observation', 'Condition', 'Immunization', 'Procedure', 'AllergyIntolerance', 'Organization', 'Practitioner', 'Encounter'].includes(e.resource.resourceType)).length;
    fs.copyFileSync(path.join(SHARED_DATA, 'synthea', file), path.join(dir, file));
    const report = await run(path.join(dir, file));
    expect(report.failed).toBe(0);
    expect(report.imported).toBe(supported);
    expect(report.files[0]!.skipped.Claim).toBeGreaterThan(0);
    expect(report.files[0]!.skipped.Encounter).toBeUndefined();

    // the patient and their observations are linked by the ids Carnet assigned
    const patient = (await t.db.query<{ id: string }>("SELECT id FROM resource WHERE resource_type = 'Patient' AND content->'name'->0->>'family' LIKE 'Koepp%'")).rows[0]!;
    const token = await t.user({ role: 'patient', patientId: patient.id });
    const observations = await (await t.request('GET', '/fhir/Observation?_count=200', { token })).json();
    expect(observations.entry.length).toBeGreaterThan(50);
    expect(observations.entry.every((e: any) => e.resource.subject.reference === `Patient/${patient.id}`)).toBe(true);
    // encounters are stored too: the observations' references to them resolve to the ids Carnet assigned
    const encounters = await (await t.request('GET', '/fhir/Encounter?_count=200', { token })).json();
    const encounterIds = new Set(encounters.entry.map((e: any) => `Encounter/${e.resource.id}`));
    expect(encounterIds.size).toBeGreaterThan(0);
    expect(observations.entry.filter((e: any) => e.resource.encounter).every((e: any) => encounterIds.has(e.resource.encounter.reference))).toBe(true);
  });

  it('loads NDJSON in chunks, updates on re-import, and reports bad lines and invalid resources', async () => {
    const lines = [
      ...Array.from({ length: 25 }, (_, i) =>
        JSON.stringify({ resourceType: 'Organization', id: `org-${i}`, name: `Pharmacie n°${i}` }),
      ),
      '{"resourceType": "Organization", "id": "broken"',
      JSON.stringify({ resourceType: 'Claim', id: 'c1', status: 'active' }),
    ];
    const file = path.join(dir, 'organizations.ndjson');
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const first = await run(file, 10);
    expect(first.imported).toBe(25);
    expect(first.skipped).toBe(1);
    expect(first.files[0]!.failed).toEqual([expect.objectContaining({ what: 'organizations.ndjson line 26', status: 400 })]);
    const again = await run(file, 10);
    expect(again.imported).toBe(25);
    const org = await (await t.request('GET', '/fhir/Organization/org-3', { token: await t.user({ role: 'operator' }) })).json();
    expect(org.meta.versionId).toBe('2');

    fs.writeFileSync(path.join(dir, 'invalid.ndjson'), `${JSON.stringify({ resourceType: 'Organization', id: 'bad', active: 'yes' })}\n`);
    const invalid = await run(path.join(dir, 'invalid.ndjson'));
    expect(invalid.imported).toBe(0);
    expect(invalid.files[0]!.failed[0]!.reason).toMatch(/Organization\.active/);
  });

  it('drops references to left-out entries without leaving empty elements', () => {
    const pruned = pruneUnsupported(
      {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          { fullUrl: 'urn:uuid:enc', resource: { resourceType: 'Claim' }, request: { method: 'POST', url: 'Claim' } },
          {
            fullUrl: 'urn:uuid:obs',
            resource: { resourceType: 'Observation', encounter: { reference: 'urn:uuid:enc' }, basedOn: [{ reference: 'urn:uuid:enc' }], performer: [{ reference: 'urn:uuid:enc' }, { reference: 'Practitioner/1' }] },
            request: { method: 'POST', url: 'Observation' },
          },
        ],
      },
      {},
    );
    expect(pruned.entry).toEqual([
      { fullUrl: 'urn:uuid:obs', resource: { resourceType: 'Observation', performer: [{ reference: 'Practitioner/1' }] }, request: { method: 'POST', url: 'Observation' } },
    ]);
  });
});

describe('the embedded store', () => {
  it('refuses a second opening of the same data dir while the first is open', async () => {
    const store = path.join(dir, 'pglite');
    const db = await openDb({ pgliteDir: store });
    try {
      await expect(openDb({ pgliteDir: store })).rejects.toThrow(/in use by process/);
    } finally {
      await db.close();
    }
    expect(fs.existsSync(`${store}.lock`)).toBe(false);
  });
});
