import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIRECTORY_TYPES, SYSTEM } from '../src/domain/access/index.js';
import { AppError } from '../src/errors.js';
import { makeContext } from '../src/repo/index.js';
import { patientCompartment } from '../src/fhir/compartment.js';
import { SUPPORTED_TYPES } from '../src/fhir/resource-types.js';
import { startCarnet, type TestCarnet } from './support/carnet.js';
import { ROOT } from './support/paths.js';

/**
 * The official R4 examples (npm hl7.fhir.r4.examples) of every supported type, stored through the API and
 * read back intact (meta aside). Each is written by whoever the access policy lets write it: the patient
 * whose record it belongs to, an operator for directory data, or Carnet itself for clinical data outside any
 * record (which operators may not touch: they are refused first).
 */
const EXAMPLES = path.join(ROOT, 'node_modules/hl7.fhir.r4.examples');

/** The spec's definition bundles (profiles, value sets...) are megabytes of conformance data, not examples. */
const MAX_BYTES = 1_000_000;

/** Official examples that are not valid R4, with the rule they break (the official validator agrees). */
const INVALID: Record<string, RegExp> = {
  'Questionnaire-qs1.json': /linkId/, // items without the required linkId
};

interface Example {
  file: string;
  resource: Record<string, any>;
}

function examples(): Example[] {
  const out: Example[] = [];
  for (const file of fs.readdirSync(EXAMPLES).sort()) {
    const type = file.split('-')[0]!;
    if (!file.endsWith('.json') || !(SUPPORTED_TYPES as readonly string[]).includes(type)) continue;
    if (fs.statSync(path.join(EXAMPLES, file)).size > MAX_BYTES) continue;
    const resource = JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8'));
    if (resource.resourceType === type) out.push({ file, resource });
  }
  return out;
}

function withoutMeta(r: Record<string, any>): Record<string, any> {
  const { meta: _meta, ...rest } = r;
  return rest;
}

let t: TestCarnet;
let operator: string;
const patientTokens = new Map<string, string>();

async function writerFor(resource: Record<string, any>, fhirBase: string): Promise<string | 'several' | 'carnet'> {
  let owner: string | null;
  try {
    owner = patientCompartment(resource, fhirBase);
  } catch (err) {
    if (err instanceof AppError && err.status === 422) return 'several';
    throw err;
  }
  if (owner === null) return DIRECTORY_TYPES.has(resource.resourceType) ? operator : 'carnet';
  if (!patientTokens.has(owner)) patientTokens.set(owner, await t.user({ role: 'patient', patientId: owner }));
  return patientTokens.get(owner)!;
}

/** Creates through the repository as Carnet itself, answering like the API would (status and Location). */
async function createAsCarnet(resource: Record<string, any>): Promise<{ status: number; headers: Headers; clone(): { text(): Promise<string> }; json(): Promise<any> }> {
  const { version } = await t.carnet.repo.create(makeContext(SYSTEM), structuredClone(resource));
  const headers = new Headers({ location: `${t.fhirBase}/${version.resourceType}/${version.id}/_history/${version.versionId}` });
  return { status: 201, headers, clone: () => ({ text: async () => '' }), json: async () => JSON.parse(version.content!) };
}

/** The types written through the DMP's paths (documents) or the messaging (Communication) only (services/fhir/router.ts). */
const DOCUMENT_TYPES = new Set(['DocumentReference', 'List', 'Binary', 'Communication']);

beforeAll(async () => {
  t = await startCarnet();
  operator = await t.user({ role: 'operator' });
});
afterAll(() => t.close());

describe('official R4 examples', () => {
  const all = examples();

  it('covers every supported type', () => {
    const types = new Set(all.map((e) => e.resource.resourceType));
    expect([...SUPPORTED_TYPES].filter((s) => !types.has(s))).toEqual([]);
    expect(all.length).toBeGreaterThan(200);
  });

  it('stores each one and reads it back intact', async () => {
    const stored: string[] = [];
    const severalPatients: string[] = [];
    for (const { file, resource } of all) {
      const writer = await writerFor(resource, t.fhirBase);
      const url = `/fhir/${resource.resourceType}/${resource.id}`;
      if (writer === 'several') {
        const res = await t.request('PUT', url, { token: operator, json: resource });
        expect(res.status, file).toBe(422);
        severalPatients.push(file);
        continue;
      }
      // the audit trail is written by Carnet only: AuditEvents are created in-process, then read over HTTP
      const appendOnly = resource.resourceType === 'AuditEvent';
      // documents, their lists and their bytes are written through the DMP's paths only (ITI-65): as plain
      // REST writes they are refused, so Carnet stores the examples itself
      const document = DOCUMENT_TYPES.has(resource.resourceType);
      if (document) {
        expect((await t.request('PUT', url, { token: writer === 'carnet' ? operator : writer, json: resource })).status, `${file} as a plain write`).toBe(405);
      } else if (writer === 'carnet' && !appendOnly) {
        expect((await t.request('PUT', url, { token: operator, json: resource })).status, `${file} by an operator`).toBe(403);
      }
      const byCarnet = appendOnly || document || writer === 'carnet';
      const res = byCarnet ? await createAsCarnet(resource) : await t.request('PUT', url, { token: writer, json: resource });
      if (INVALID[file]) {
        expect(res.status, file).toBe(400);
        expect(JSON.stringify(await res.json()), file).toMatch(INVALID[file]!);
        continue;
      }
      expect(res.status, `${file}: ${await res.clone().text()}`).toBe(201);
      const location = res.headers.get('location')!.replace(/\/_history\/\d+$/, '');
      let back: Record<string, any>;
      if (writer === 'carnet' || resource.resourceType === 'Binary') {
        // nobody but Carnet reads clinical data outside any record
        const [type, id] = location.split('/').slice(-2) as [string, string];
        back = JSON.parse((await t.carnet.repo.read(makeContext(SYSTEM), type, id)).content!);
      } else {
        const read = await t.request('GET', location, { token: writer });
        expect(read.status, file).toBe(200);
        back = await read.json();
      }
      expect(back.meta.versionId, file).toBe('1');
      expect(withoutMeta(back), file).toEqual({ ...withoutMeta(resource), id: back.id });
      if (!byCarnet) expect(back.id).toBe(resource.id);
      stored.push(file);
    }
    console.log(`R4 examples: ${all.length} examined, ${stored.length} stored and read back, ${severalPatients.length} refused as spanning several patients (${severalPatients.join(", ")})`);
    // Bundles mixing several patients cannot be shown to one of them: refused, and few.
    expect(severalPatients.length).toBeLessThan(10);
    expect(stored.length).toBeGreaterThan(all.length - 15);
  });
});
