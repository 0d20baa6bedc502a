import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/index.js';
import { loadPrincipal, makeContext, Repository } from '../src/repo/index.js';
import { FhirRouter } from '../src/services/fhir/router.js';
import { startCarnet, type TestCarnet } from './support/carnet.js';

/** Batch and transaction Bundles posted to the FHIR base. */
let t: TestCarnet;
let token: string;
let other: string;
const patientId = 'bundle-patient';
const otherId = 'bundle-other';

beforeAll(async () => {
  t = await startCarnet({ env: { FHIR_MAX_BUNDLE_ENTRIES: '20' } });
  token = await t.patient(patientId);
  other = await t.patient(otherId);
});
afterAll(() => t.close());

const obs = (text: string, extra: Record<string, unknown> = {}) => ({
  resourceType: 'Observation',
  status: 'final',
  code: { text },
  subject: { reference: `Patient/${patientId}` },
  ...extra,
});

const post = (fullUrl: string, resource: unknown, request: Record<string, unknown> = {}) => ({
  fullUrl,
  resource,
  request: { method: 'POST', url: (resource as { resourceType: string }).resourceType, ...request },
});

const transaction = (entry: unknown[]) => ({ resourceType: 'Bundle', type: 'transaction', entry });

async function versions(tok = token): Promise<number> {
  const res = await t.request('GET', '/fhir/Observation/_history?_count=200', { token: tok });
  return (await res.json()).entry.length;
}

describe('transaction', () => {
  it('creates every entry and resolves urn:uuid references to the ids it assigns', async () => {
    const res = await t.request('POST', '/fhir', {
      token,
      json: transaction([
        post('urn:uuid:11111111-1111-4111-8111-111111111111', obs('Tension systolique')),
        post('urn:uuid:22222222-2222-4222-8222-222222222222', obs('Tension', { hasMember: [{ reference: 'urn:uuid:11111111-1111-4111-8111-111111111111' }] })),
        { resource: obs('Fixe', { id: 'fixed-1' }), request: { method: 'PUT', url: 'Observation/fixed-1' } },
      ]),
    });
    expect(res.status).toBe(200);
    const bundle = await res.json();
    expect(bundle.type).toBe('transaction-response');
    expect(bundle.entry.map((e: any) => e.response.status)).toEqual(['201', '201', '201']);
    const [first, second, third] = bundle.entry;
    expect(second.resource.hasMember[0].reference).toBe(`Observation/${first.resource.id}`);
    expect(first.response.location).toMatch(new RegExp(`/fhir/Observation/${first.resource.id}/_history/1$`));
    expect(third.resource.id).toBe('fixed-1');
    const stored = await (await t.request('GET', `/fhir/Observation/${second.resource.id}`, { token })).json();
    expect(stored.hasMember[0].reference).toBe(`Observation/${first.resource.id}`);
  });

  it('is all or nothing: one invalid entry, and nothing is stored', async () => {
    const before = await versions();
    const res = await t.request('POST', '/fhir', {
      token,
      json: transaction([post('urn:uuid:a', obs('Bon')), post('urn:uuid:b', obs('Mauvais', { status: 'finished' }))]),
    });
    expect(res.status).toBe(400);
    const oo = await res.json();
    expect(oo.issue[0].diagnostics).toMatch(/^Bundle\.entry\[1\]/);
    expect(JSON.stringify(oo)).toMatch(/Observation\.status/);
    expect(await versions()).toBe(before);
  });

  it('refuses a reference to a urn:uuid that is not in the Bundle', async () => {
    const before = await versions();
    const res = await t.request('POST', '/fhir', {
      token,
      json: transaction([post('urn:uuid:a', obs('Seul', { hasMember: [{ reference: 'urn:uuid:nowhere' }] }))]),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).issue[0].diagnostics).toMatch(/urn:uuid:nowhere/);
    expect(await versions()).toBe(before);
  });

  it('is refused whole when one entry writes into a record the caller may not touch, and the refusal is audited', async () => {
    const before = await versions();
    const res = await t.request('POST', '/fhir', {
      token: other,
      json: transaction([
        post('urn:uuid:mine', { ...obs('À moi'), subject: { reference: `Patient/${otherId}` } }),
        post('urn:uuid:theirs', obs('Chez quelqu’un d’autre')),
      ]),
    });
    expect(res.status).toBe(403);
    expect(await versions(other)).toBe(0);
    expect(await versions()).toBe(before);
    const audit = await (await t.request('GET', '/fhir/AuditEvent/_history?_count=200', { token })).json();
    expect(audit.entry.some((e: any) => e.resource.outcome === '4' && e.resource.agent[0].who.reference === `Patient/${otherId}`)).toBe(true);
  });

  it('handles conditional create, update and delete inside the Bundle', async () => {
    const identifier = (value: string) => ({ identifier: [{ system: 'urn:carnet:test', value }] });
    const first = await t.request('POST', '/fhir', {
      token,
      json: transaction([post('urn:uuid:c', obs('Conditionnel', identifier('cond-1')), { ifNoneExist: 'identifier=urn:carnet:test|cond-1' })]),
    });
    const created = (await first.json()).entry[0];
    expect(created.response.status).toBe('201');
    // the same again: matched, and references to its fullUrl point at the existing resource
    const again = await t.request('POST', '/fhir', {
      token,
      json: transaction([
        post('urn:uuid:c', obs('Conditionnel', identifier('cond-1')), { ifNoneExist: 'identifier=urn:carnet:test|cond-1' }),
        post('urn:uuid:d', obs('Lié', { hasMember: [{ reference: 'urn:uuid:c' }] })),
      ]),
    });
    const [matched, linked] = (await again.json()).entry;
    expect(matched.response.status).toBe('200');
    expect(matched.resource.id).toBe(created.resource.id);
    expect(linked.resource.hasMember[0].reference).toBe(`Observation/${created.resource.id}`);

    const update = await t.request('POST', '/fhir', {
      token,
      json: transaction([{ resource: obs('Mis à jour', identifier('cond-1')), request: { method: 'PUT', url: 'Observation?identifier=urn:carnet:test|cond-1' } }]),
    });
    const updated = (await update.json()).entry[0];
    expect(updated.response.status).toBe('200');
    expect(updated.resource.id).toBe(created.resource.id);
    expect(updated.resource.meta.versionId).toBe('2');

    const del = await t.request('POST', '/fhir', {
      token,
      json: transaction([{ request: { method: 'DELETE', url: 'Observation?identifier=urn:carnet:test|cond-1' } }]),
    });
    expect((await del.json()).entry[0].response.status).toBe('204');
    expect((await t.request('GET', `/fhir/Observation/${created.resource.id}`, { token })).status).toBe(410);
  });

  it('never duplicates a conditional create when transactions race', async () => {
    const body = transaction([
      post('urn:uuid:x', obs('Course', { identifier: [{ system: 'urn:carnet:test', value: 'tx-race' }] }), { ifNoneExist: 'identifier=urn:carnet:test|tx-race' }),
    ]);
    const results = await Promise.all(Array.from({ length: 6 }, () => t.request('POST', '/fhir', { token, json: body })));
    expect(results.map((r) => r.status)).toEqual(Array(6).fill(200));
    const statuses = await Promise.all(results.map(async (r) => (await r.json()).entry[0].response.status));
    expect(statuses.filter((s) => s === '201')).toHaveLength(1);
    const found = await (await t.request('GET', '/fhir/Observation?identifier=urn:carnet:test|tx-race', { token })).json();
    expect(found.entry).toHaveLength(1);
  });

  it('refuses more entries than the configured limit, and malformed entries', async () => {
    const many = Array.from({ length: 21 }, (_, i) => post(`urn:uuid:${i}`, obs(`n${i}`)));
    const res = await t.request('POST', '/fhir', { token, json: transaction(many) });
    expect(res.status).toBe(400);
    expect((await res.json()).issue[0].diagnostics).toMatch(/FHIR_MAX_BUNDLE_ENTRIES/);
    const noRequest = await t.request('POST', '/fhir', { token, json: transaction([{ resource: obs('x') }]) });
    expect(noRequest.status).toBe(400);
    const patch = await t.request('POST', '/fhir', { token, json: transaction([{ request: { method: 'PATCH', url: 'Observation/x' } }]) });
    expect(patch.status).toBe(400);
    const twice = await t.request('POST', '/fhir', { token, json: transaction([post('urn:uuid:same', obs('a')), post('urn:uuid:same', obs('b'))]) });
    expect(twice.status).toBe(400);
  });
});

describe('transaction re-run after a serialization failure', () => {
  it('starts again from the Bundle as posted: references point at the ids of the attempt that commits', async () => {
    // a Db whose first transaction fails at the end with 40001, as PostgreSQL does on a serialization failure
    let failed = false;
    const flaky: Db = {
      ...t.db,
      query: t.db.query.bind(t.db),
      transaction: (fn) =>
        t.db.transaction(async (tx) => {
          const result = await fn(tx);
          if (!failed) {
            failed = true;
            throw Object.assign(new Error('could not serialize access'), { code: '40001' });
          }
          return result;
        }),
    };
    const router = new FhirRouter(new Repository(flaky, t.fhirBase), { fhirBase: t.fhirBase, version: 'test', defaultCount: 20, maxCount: 200, maxBundleEntries: 20, startedAt: new Date().toISOString() });
    const principal = (await loadPrincipal(t.db, (await t.request('GET', '/api/me', { token }).then((r) => r.json())).id))!;
    const res = await router.handle(
      {
        method: 'POST',
        path: '/',
        query: new URLSearchParams(),
        body: transaction([
          post('urn:uuid:first', obs('Relancé')),
          post('urn:uuid:second', obs('Relancé, lié', { hasMember: [{ reference: 'urn:uuid:first' }] })),
        ]),
      },
      makeContext(principal),
    );
    expect(failed).toBe(true);
    const [first, second] = (res.body as any).entry;
    expect(second.resource.hasMember[0].reference).toBe(`Observation/${first.resource.id}`);
    expect((await t.request('GET', `/fhir/Observation/${first.resource.id}`, { token })).status).toBe(200);
    const stored = await (await t.request('GET', `/fhir/Observation/${second.resource.id}`, { token })).json();
    expect(stored.hasMember[0].reference).toBe(`Observation/${first.resource.id}`);
  });
});

describe('batch', () => {
  it('runs each entry on its own and reports each outcome', async () => {
    const res = await t.request('POST', '/fhir', {
      token,
      json: {
        resourceType: 'Bundle',
        type: 'batch',
        entry: [
          post('urn:uuid:ok', obs('Bon')),
          post('urn:uuid:bad', obs('Mauvais', { status: 'finished' })),
          { request: { method: 'GET', url: `Patient/${patientId}` } },
          { request: { method: 'GET', url: `Patient/${otherId}` } },
          { request: { method: 'GET', url: 'Encounter/1' } },
          { request: { method: 'GET', url: 'http://[' } },
          { request: { method: 'GET', url: 'Patient/%' } },
          { request: { method: 'toString', url: 'Patient/x' } },
        ],
      },
    });
    expect(res.status).toBe(200);
    const bundle = await res.json();
    expect(bundle.type).toBe('batch-response');
    expect(bundle.entry.map((e: any) => e.response.status)).toEqual(['201', '400', '200', '403', '404', '400', '400', '400']);
    expect(bundle.entry[1].response.outcome.resourceType).toBe('OperationOutcome');
    const id = bundle.entry[0].resource.id;
    expect((await t.request('GET', `/fhir/Observation/${id}`, { token })).status).toBe(200);
  });
});
