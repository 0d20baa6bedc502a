import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCarnet, type TestCarnet } from './support/carnet.js';
import { SUPPORTED_TYPES } from '../src/fhir/resource-types.js';

/** The FHIR RESTful interactions over real HTTP, as a patient working on their own record. */
let t: TestCarnet;
let token: string;
const patientId = 'crud-patient';

beforeAll(async () => {
  t = await startCarnet();
  token = await t.patient(patientId, { name: [{ family: 'Lefèvre', given: ['Hélène'] }], gender: 'female' });
});
afterAll(() => t.close());

const weight = (value: number) => ({
  resourceType: 'Observation',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '29463-7', display: 'Body weight' }] },
  subject: { reference: `Patient/${patientId}` },
  effectiveDateTime: '2026-11-01T08:00:00Z',
  valueQuantity: { value, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' },
});

describe('create, read, vread', () => {
  it('creates with Location, ETag and Last-Modified, and reads it back', async () => {
    const res = await t.request('POST', '/fhir/Observation', { token, json: { ...weight(61), id: 'ignored' } });
    expect(res.status).toBe(201);
    const created = await res.json();
    expect(created.id).not.toBe('ignored');
    expect(created.meta.versionId).toBe('1');
    expect(res.headers.get('location')).toBe(`${t.fhirBase}/Observation/${created.id}/_history/1`);
    expect(res.headers.get('etag')).toBe('W/"1"');
    expect(new Date(res.headers.get('last-modified')!).getTime()).toBeGreaterThan(0);
    expect(res.headers.get('content-type')).toMatch(/^application\/fhir\+json/);

    const read = await t.request('GET', `/fhir/Observation/${created.id}`, { token });
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('W/"1"');
    expect(await read.json()).toEqual(created);

    const vread = await t.request('GET', `/fhir/Observation/${created.id}/_history/1`, { token });
    expect(vread.status).toBe(200);
    expect((await vread.json()).valueQuantity.value).toBe(61);
  });

  it('accepts application/json as well as application/fhir+json', async () => {
    const res = await t.request('POST', '/fhir/Observation', { token, json: weight(62), headers: { 'content-type': 'application/json; charset=utf-8' } });
    expect(res.status).toBe(201);
  });

  it('honours Prefer: return=minimal and return=OperationOutcome', async () => {
    const minimal = await t.request('POST', '/fhir/Observation', { token, json: weight(63), headers: { prefer: 'return=minimal' } });
    expect(minimal.status).toBe(201);
    expect(await minimal.text()).toBe('');
    expect(minimal.headers.get('location')).toMatch(/\/fhir\/Observation\/[^/]+\/_history\/1$/);
    const oo = await t.request('POST', '/fhir/Observation', { token, json: weight(64), headers: { prefer: 'return=OperationOutcome' } });
    expect((await oo.json()).resourceType).toBe('OperationOutcome');
  });
});

describe('update', () => {
  it('creates on PUT with a new id (201), then updates (200) with a new version', async () => {
    const first = await t.request('PUT', '/fhir/Observation/weight-a', { token, json: { ...weight(70), id: 'weight-a' } });
    expect(first.status).toBe(201);
    const second = await t.request('PUT', '/fhir/Observation/weight-a', { token, json: { ...weight(71), id: 'weight-a' } });
    expect(second.status).toBe(200);
    expect(second.headers.get('etag')).toBe('W/"2"');
    expect((await second.json()).meta.versionId).toBe('2');
  });

  it('honours If-Match: the right version updates, a stale one gets 412', async () => {
    await t.request('PUT', '/fhir/Observation/weight-b', { token, json: { ...weight(80), id: 'weight-b' } });
    const ok = await t.request('PUT', '/fhir/Observation/weight-b', { token, json: { ...weight(81), id: 'weight-b' }, headers: { 'if-match': 'W/"1"' } });
    expect(ok.status).toBe(200);
    const stale = await t.request('PUT', '/fhir/Observation/weight-b', { token, json: { ...weight(82), id: 'weight-b' }, headers: { 'if-match': 'W/"1"' } });
    expect(stale.status).toBe(412);
    const oo = await stale.json();
    expect(oo.resourceType).toBe('OperationOutcome');
    expect(oo.issue[0].diagnostics).toContain('version 2');
    const current = await (await t.request('GET', '/fhir/Observation/weight-b', { token })).json();
    expect(current.valueQuantity.value).toBe(81);
  });

  it('refuses an unreadable If-Match, and If-Match on a resource that does not exist', async () => {
    const bad = await t.request('PUT', '/fhir/Observation/weight-c', { token, json: { ...weight(1), id: 'weight-c' }, headers: { 'if-match': 'yesterday' } });
    expect(bad.status).toBe(400);
    const missing = await t.request('PUT', '/fhir/Observation/weight-c', { token, json: { ...weight(1), id: 'weight-c' }, headers: { 'if-match': 'W/"1"' } });
    expect(missing.status).toBe(412);
    expect((await t.request('GET', '/fhir/Observation/weight-c', { token })).status).toBe(404);
  });

  it('refuses a body whose id differs from the URL, or has none', async () => {
    const res = await t.request('PUT', '/fhir/Observation/weight-d', { token, json: { ...weight(1), id: 'other' } });
    expect(res.status).toBe(400);
    const none = await t.request('PUT', '/fhir/Observation/weight-d', { token, json: weight(1) });
    expect(none.status).toBe(400);
  });
});

describe('delete and history', () => {
  it('soft-deletes: 410 on read, the history keeps every version, vread of old versions works', async () => {
    await t.request('PUT', '/fhir/Observation/weight-e', { token, json: { ...weight(90), id: 'weight-e' } });
    await t.request('PUT', '/fhir/Observation/weight-e', { token, json: { ...weight(91), id: 'weight-e' } });
    const del = await t.request('DELETE', '/fhir/Observation/weight-e', { token });
    expect(del.status).toBe(204);
    const gone = await t.request('GET', '/fhir/Observation/weight-e', { token });
    expect(gone.status).toBe(410);
    expect((await gone.json()).issue[0].code).toBe('deleted');
    expect((await t.request('DELETE', '/fhir/Observation/weight-e', { token })).status).toBe(204);

    const history = await (await t.request('GET', '/fhir/Observation/weight-e/_history', { token })).json();
    expect(history.type).toBe('history');
    expect(history.entry.map((e: any) => e.request.method)).toEqual(['DELETE', 'PUT', 'POST']);
    expect(history.entry[1].resource.valueQuantity.value).toBe(91);
    expect((await t.request('GET', '/fhir/Observation/weight-e/_history/1', { token })).status).toBe(200);
    expect((await t.request('GET', '/fhir/Observation/weight-e/_history/3', { token })).status).toBe(410);
    expect((await t.request('GET', '/fhir/Observation/weight-e/_history/9', { token })).status).toBe(404);

    // a PUT brings it back as a new version
    const back = await t.request('PUT', '/fhir/Observation/weight-e', { token, json: { ...weight(92), id: 'weight-e' } });
    expect(back.status).toBe(200);
    expect((await back.json()).meta.versionId).toBe('4');
  });

  it('pages a type history with next links that stay put while data is written', async () => {
    for (let i = 0; i < 5; i++) await t.request('POST', '/fhir/Observation', { token, json: weight(100 + i) });
    const seen = new Set<string>();
    let url: string | undefined = '/fhir/Observation/_history?_count=3';
    let pages = 0;
    while (url && pages < 50) {
      const page: any = await (await t.request('GET', url, { token })).json();
      expect(page.type).toBe('history');
      for (const e of page.entry) seen.add(`${e.fullUrl}@${e.response.etag}`);
      if (pages === 0) await t.request('POST', '/fhir/Observation', { token, json: weight(200) }); // written meanwhile
      url = page.link.find((l: any) => l.relation === 'next')?.url;
      pages++;
    }
    expect(pages).toBeGreaterThan(3);
    const total = await (await t.request('GET', '/fhir/Observation/_history?_count=200', { token })).json();
    // every version that existed when paging started was seen exactly once
    expect(seen.size).toBe(total.entry.length - 1);
  });

  it('reports unknown resources with 404', async () => {
    expect((await t.request('GET', '/fhir/Observation/does-not-exist', { token })).status).toBe(404);
    expect((await t.request('GET', '/fhir/Observation/does-not-exist/_history', { token })).status).toBe(404);
    expect((await t.request('DELETE', '/fhir/Observation/does-not-exist', { token })).status).toBe(404);
  });
});

describe('conditional create', () => {
  const withIdentifier = (v: number) => ({ ...weight(v), identifier: [{ system: 'urn:carnet:test', value: 'w-42' }] });

  it('creates once, then returns the existing resource with 200', async () => {
    const first = await t.request('POST', '/fhir/Observation', { token, json: withIdentifier(1), headers: { 'if-none-exist': 'identifier=urn:carnet:test|w-42' } });
    expect(first.status).toBe(201);
    const id = (await first.json()).id;
    const again = await t.request('POST', '/fhir/Observation', { token, json: withIdentifier(2), headers: { 'if-none-exist': 'identifier=urn:carnet:test|w-42' } });
    expect(again.status).toBe(200);
    expect((await again.json()).id).toBe(id);
  });

  it('creates exactly one resource when many clients race', async () => {
    const body = { ...weight(5), identifier: [{ system: 'urn:carnet:test', value: 'race' }] };
    const results = await Promise.all(
      Array.from({ length: 8 }, () => t.request('POST', '/fhir/Observation', { token, json: body, headers: { 'if-none-exist': 'identifier=urn:carnet:test|race' } })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(7);
    const search = await (await t.request('GET', '/fhir/Observation?identifier=urn:carnet:test|race', { token })).json();
    expect(search.entry.filter((e: any) => e.search.mode === 'match')).toHaveLength(1);
  });

  it('refuses criteria it cannot evaluate, and several matches with 412', async () => {
    const bad = await t.request('POST', '/fhir/Observation', { token, json: weight(1), headers: { 'if-none-exist': 'value-quantity=1234' } });
    expect(bad.status).toBe(400);
    for (const v of [1, 2]) {
      await t.request('POST', '/fhir/Observation', { token, json: { ...weight(v), identifier: [{ system: 'urn:carnet:test', value: 'twice' }] } });
    }
    const many = await t.request('POST', '/fhir/Observation', { token, json: weight(3), headers: { 'if-none-exist': 'identifier=twice' } });
    expect(many.status).toBe(412);
  });
});

describe('conditional update', () => {
  it('with no match and an id in the body, creates that id; with a match, updates it', async () => {
    const body = { ...weight(50), id: 'chosen-id', identifier: [{ system: 'urn:carnet:test', value: 'cu-1' }] };
    const created = await t.request('PUT', '/fhir/Observation?identifier=urn:carnet:test|cu-1', { token, json: body });
    expect(created.status).toBe(201);
    expect((await created.json()).id).toBe('chosen-id');
    const { id: _id, ...withoutId } = body;
    const updated = await t.request('PUT', '/fhir/Observation?identifier=cu-1', { token, json: { ...withoutId, valueQuantity: { value: 51, unit: 'kg' } } });
    expect(updated.status).toBe(200);
    expect(await updated.json()).toMatchObject({ id: 'chosen-id', meta: { versionId: '2' } });
  });
});

describe('search (the minimal set this issue needs)', () => {
  it('pages without skipping or repeating resources updated between two pages', async () => {
    const tag = (i: number) => ({ ...weight(i + 1), identifier: [{ system: 'urn:carnet:paging', value: 'p' }] });
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await (await t.request('POST', '/fhir/Observation', { token, json: tag(i) })).json()).id);
    const seen: string[] = [];
    let url: string | undefined = '/fhir/Observation?identifier=urn:carnet:paging|p&_count=2';
    for (let page = 0; url && page < 10; page++) {
      const bundle: any = await (await t.request('GET', url, { token })).json();
      seen.push(...bundle.entry.map((e: any) => e.resource.id));
      // update everything seen so far and everything not yet seen, between pages
      for (const id of ids) await t.request('PUT', `/fhir/Observation/${id}`, { token, json: { ...tag(99), id } });
      url = bundle.link.find((l: any) => l.relation === 'next')?.url;
    }
    expect(seen.sort()).toEqual([...ids].sort());
  });

  it('finds by _id and identifier within the caller’s records, and reports ignored parameters', async () => {
    const res = await t.request('GET', `/fhir/Patient?_id=${patientId}&unknown-param=1`, { token });
    expect(res.status).toBe(200);
    const bundle = await res.json();
    expect(bundle.type).toBe('searchset');
    const matches = bundle.entry.filter((e: any) => e.search.mode === 'match');
    expect(matches.map((e: any) => e.resource.id)).toEqual([patientId]);
    const outcome = bundle.entry.find((e: any) => e.search.mode === 'outcome');
    expect(outcome.resource.issue[0].diagnostics).toContain('unknown-param');
  });

  it('searches with POST _search and a form body, and filters history with _since', async () => {
    const res = await t.request('POST', '/fhir/Patient/_search', { token, body: `_id=${patientId}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(200);
    expect((await res.json()).entry.map((e: any) => e.resource.id)).toEqual([patientId]);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const none = await (await t.request('GET', `/fhir/Observation/_history?_since=${encodeURIComponent(future)}`, { token })).json();
    expect(none.entry).toHaveLength(0);
    const all = await (await t.request('GET', '/fhir/Observation/_history?_since=2000-01-01T00:00:00Z', { token })).json();
    expect(all.entry.length).toBeGreaterThan(0);
  });

  it('rejects unknown parameters with Prefer: handling=strict', async () => {
    const res = await t.request('GET', '/fhir/Patient?unknown-param=1', { token, headers: { prefer: 'handling=strict' } });
    expect(res.status).toBe(400);
  });
});

describe('metadata', () => {
  it('serves a CapabilityStatement without a token that lists exactly the supported interactions', async () => {
    const res = await t.request('GET', '/fhir/metadata');
    expect(res.status).toBe(200);
    const cs = await res.json();
    expect(cs.resourceType).toBe('CapabilityStatement');
    expect(cs.fhirVersion).toBe('4.0.1');
    const types = cs.rest[0].resource.map((r: any) => r.type);
    expect(types).toContain('DocumentReference');
    expect(types).toHaveLength(SUPPORTED_TYPES.length);
    for (const type of ['Encounter', 'Goal', 'Appointment']) expect(types).toContain(type);
    const audit = cs.rest[0].resource.find((r: any) => r.type === 'AuditEvent');
    expect(audit.interaction.map((i: any) => i.code)).toEqual(['read', 'vread', 'search-type', 'history-instance', 'history-type']);
    const observation = cs.rest[0].resource.find((r: any) => r.type === 'Observation');
    expect([observation.conditionalCreate, observation.conditionalUpdate, observation.conditionalDelete]).toEqual([true, true, 'single']);
    expect(audit.conditionalDelete).toBe('not-supported');
    expect(cs.rest[0].interaction.map((i: any) => i.code)).toEqual(['transaction', 'batch']);
  });
});
