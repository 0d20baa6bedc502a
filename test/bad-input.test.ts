import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCarnet, type TestCarnet, type TestResponse } from './support/carnet.js';

/** Every wrong input gets a 4xx OperationOutcome, never a 500, and nothing is stored. */
let t: TestCarnet;
let token: string;
const patientId = 'bad-input-patient';

beforeAll(async () => {
  t = await startCarnet({ env: { MAX_BODY_BYTES: '65536' } });
  token = await t.patient(patientId);
});
afterAll(() => t.close());

async function expectOutcome(res: TestResponse, status: number, text?: RegExp): Promise<any> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
  const oo: any = await res.json();
  expect(oo.resourceType).toBe('OperationOutcome');
  expect(oo.issue.length).toBeGreaterThan(0);
  if (text) expect(oo.issue.map((i: any) => i.diagnostics).join(' ')).toMatch(text);
  return oo;
}

/** How many Observation versions exist in this patient's record: must not change after a refused write. */
async function observationVersions(): Promise<number> {
  const res = await t.request('GET', '/fhir/Observation/_history?_count=200', { token });
  return ((await res.json()) as any).entry.length;
}

const obs = {
  resourceType: 'Observation',
  status: 'final',
  code: { text: 'Poids' },
  subject: { reference: `Patient/${patientId}` },
};

describe('bad input on /fhir', () => {
  it('malformed JSON', async () => {
    const before = await observationVersions();
    await expectOutcome(await t.request('POST', '/fhir/Observation', { token, body: '{"resourceType": "Observation",', headers: { 'content-type': 'application/fhir+json' } }), 400, /not valid JSON/);
    expect(await observationVersions()).toBe(before);
  });

  it('a resourceType that does not match the URL', async () => {
    await expectOutcome(await t.request('POST', '/fhir/Observation', { token, json: { ...obs, resourceType: 'Condition' } }), 400, /Condition.*Observation/);
    await expectOutcome(await t.request('PUT', '/fhir/Observation/x1', { token, json: { ...obs, resourceType: 'Patient', id: 'x1' } }), 400);
  });

  it('an unknown or unsupported type', async () => {
    await expectOutcome(await t.request('POST', '/fhir/Spaceship', { token, json: { resourceType: 'Spaceship' } }), 404, /Spaceship/);
    await expectOutcome(await t.request('GET', '/fhir/Encounter/1', { token }), 404, /Encounter/);
  });

  it('a body over the configured limit', async () => {
    const big = { ...obs, note: [{ text: 'x'.repeat(70_000) }] };
    await expectOutcome(await t.request('POST', '/fhir/Observation', { token, json: big }), 413, /MAX_BODY_BYTES/);
  });

  it('an id that does not fit [A-Za-z0-9-.]{1,64}', async () => {
    const long = 'a'.repeat(65);
    await expectOutcome(await t.request('PUT', `/fhir/Observation/${long}`, { token, json: { ...obs, id: long } }), 400, /does not match/);
    await expectOutcome(await t.request('GET', '/fhir/Observation/a_b', { token }), 400, /does not match/);
    await expectOutcome(await t.request('PUT', '/fhir/Observation/a%20b', { token, json: { ...obs, id: 'a b' } }), 400);
  });

  it('a wrong content type', async () => {
    await expectOutcome(await t.request('POST', '/fhir/Observation', { token, body: JSON.stringify(obs), headers: { 'content-type': 'text/plain' } }), 415);
    await expectOutcome(await t.request('POST', '/fhir/Observation', { token, body: '<Observation/>', headers: { 'content-type': 'application/fhir+xml' } }), 415);
  });

  it('a response format other than JSON', async () => {
    await expectOutcome(await t.request('GET', `/fhir/Patient/${patientId}`, { token, headers: { accept: 'application/fhir+xml' } }), 406);
    await expectOutcome(await t.request('GET', `/fhir/Patient/${patientId}?_format=xml`, { token }), 406);
  });

  it('an empty body or a body that is not an object', async () => {
    await expectOutcome(await t.request('POST', '/fhir/Observation', { token, body: '', headers: { 'content-type': 'application/fhir+json' } }), 400);
    await expectOutcome(await t.request('POST', '/fhir/Observation', { token, json: [obs] }), 400);
    await expectOutcome(await t.request('POST', '/fhir/Observation', { token, json: 'Observation' }), 400);
  });

  it('a resource that breaks the R4 structure names the element, and nothing is stored', async () => {
    const before = await observationVersions();
    const cases: [unknown, RegExp][] = [
      [{ ...obs, status: 'finished' }, /Observation\.status/],
      [{ ...obs, code: undefined }, /Observation\.code/],
      [{ ...obs, effectiveDateTime: '2026-13-45' }, /Observation\.effective/],
      [{ ...obs, valueQuantity: { value: 'seventy' } }, /Observation\.value/],
      [{ ...obs, colour: 'blue' }, /colour/],
      [{ ...obs, identifier: { value: 'not-an-array' } }, /Observation\.identifier/],
    ];
    for (const [body, expected] of cases) {
      const oo = await expectOutcome(await t.request('POST', '/fhir/Observation', { token, json: body }), 400);
      expect(JSON.stringify(oo.issue)).toMatch(expected);
    }
    expect(await observationVersions()).toBe(before);
  });

  it('property names that reach into JavaScript objects, and absurd nesting', async () => {
    await expectOutcome(await t.request('POST', '/fhir/Observation', { token, body: JSON.stringify({ ...obs, code: { text: 'x', constructor: 'y' } }), headers: { 'content-type': 'application/fhir+json' } }), 400, /constructor/);
    await expectOutcome(await t.request('POST', '/fhir/Observation', { token, body: `{"resourceType":"Observation","__proto__":{"status":"final"}}`, headers: { 'content-type': 'application/fhir+json' } }), 400, /__proto__/);
    const deep = `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`;
    await expectOutcome(await t.request('POST', '/fhir/Observation', { token, body: deep, headers: { 'content-type': 'application/fhir+json' } }), 400, /nested/);
  });

  it('malformed percent-encoding in the URL', async () => {
    await expectOutcome(await t.request('GET', '/fhir/Patient/a%ZZ', { token }), 400);
    await expectOutcome(await t.request('GET', '/fhir/Patient/%', { token }), 400);
  });

  it('a method the URL does not support', async () => {
    await expectOutcome(await t.request('PATCH', `/fhir/Patient/${patientId}`, { token, json: [] }), 405);
    await expectOutcome(await t.request('POST', `/fhir/Patient/${patientId}`, { token, json: { resourceType: 'Patient' } }), 405);
    await expectOutcome(await t.request('GET', '/fhir', { token }), 405);
  });

  it('conditional writes without criteria, or with criteria Carnet cannot evaluate', async () => {
    await expectOutcome(await t.request('DELETE', '/fhir/Observation', { token }), 400, /criteria/);
    await expectOutcome(await t.request('PUT', '/fhir/Observation?value-quantity=1', { token, json: obs }), 400, /value-quantity/);
  });

  it('a POST to the base that is not a batch or transaction Bundle, and unknown paths', async () => {
    await expectOutcome(await t.request('POST', '/fhir', { token, json: obs }), 400, /batch or transaction/);
    await expectOutcome(await t.request('POST', '/fhir', { token, json: { resourceType: 'Bundle', type: 'collection' } }), 400, /collection/);
    await expectOutcome(await t.request('GET', '/fhir/Patient/x/y/z/w', { token }), 404);
  });

  it('wrong search parameters', async () => {
    await expectOutcome(await t.request('GET', '/fhir/Observation?_count=lots', { token }), 400, /_count/);
    await expectOutcome(await t.request('GET', '/fhir/Observation/_history?_since=yesterday', { token }), 400, /_since/);
    await expectOutcome(await t.request('GET', '/fhir/Observation?_cursor=forged', { token }), 400, /_cursor/);
    await expectOutcome(await t.request('GET', '/fhir/Observation?patient=Practitioner/1', { token }), 400);
  });

  it('an impossible version in a vread is 404', async () => {
    await expectOutcome(await t.request('GET', `/fhir/Patient/${patientId}/_history/abc`, { token }), 404);
    await expectOutcome(await t.request('GET', `/fhir/Patient/${patientId}/_history/99999999999999999999`, { token }), 404);
  });
});

describe('identity of the caller', () => {
  it('refuses a request without a token, or with a bad one, with 401', async () => {
    await expectOutcome(await t.request('GET', `/fhir/Patient/${patientId}`), 401, /Bearer/);
    const res = await t.request('GET', `/fhir/Patient/${patientId}`, { token: 'not.a.token' });
    await expectOutcome(res, 401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    await expectOutcome(await t.request('GET', `/fhir/Patient/${patientId}`, { headers: { authorization: `Basic ${btoa('a:b')}` } }), 401);
    const tampered = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    await expectOutcome(await t.request('GET', `/fhir/Patient/${patientId}`, { token: tampered }), 401);
  });

  it('answers problem+json on /api', async () => {
    const res = await t.request('GET', '/api/me');
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await res.json()) as any).status).toBe(401);
    const missing = await t.request('GET', '/api/nothing-here', { token });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});
