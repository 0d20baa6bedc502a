import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCarnet, type TestCarnet } from './support/carnet.js';

/** If-Match under concurrency: two writers, never a lost update. */
let t: TestCarnet;
let token: string;
const patientId = 'concurrency-patient';

beforeAll(async () => {
  t = await startCarnet();
  token = await t.patient(patientId);
});
afterAll(() => t.close());

const counter = (id: string, value: number) => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: { text: 'Nombre de pas' },
  subject: { reference: `Patient/${patientId}` },
  valueInteger: value,
});

async function readCounter(id: string): Promise<{ value: number; version: string }> {
  const res = await t.request('GET', `/fhir/Observation/${id}`, { token });
  const body = await res.json();
  return { value: body.valueInteger, version: res.headers.get('etag')! };
}

describe('If-Match under concurrency', () => {
  it('of two writers holding the same version, exactly one wins and the other gets 412', async () => {
    await t.request('PUT', '/fhir/Observation/race', { token, json: counter('race', 0) });
    for (let round = 1; round <= 10; round++) {
      const { version } = await readCounter('race');
      const [a, b] = await Promise.all(
        [100 + round, 200 + round].map((v) => t.request('PUT', '/fhir/Observation/race', { token, json: counter('race', v), headers: { 'if-match': version } })),
      );
      expect([a!.status, b!.status].sort()).toEqual([200, 412]);
      const winner = a!.status === 200 ? 100 + round : 200 + round;
      const now = await readCounter('race');
      expect(now.value).toBe(winner);
      expect(now.version).toBe(`W/"${round + 1}"`);
    }
    const history = await (await t.request('GET', '/fhir/Observation/race/_history?_count=100', { token })).json();
    expect(history.entry).toHaveLength(11);
  });

  it('two writers incrementing with read, If-Match and retry lose no increment', async () => {
    await t.request('PUT', '/fhir/Observation/steps', { token, json: counter('steps', 0) });
    const increments = 15;
    const writer = async () => {
      for (let i = 0; i < increments; i++) {
        for (;;) {
          const { value, version } = await readCounter('steps');
          const res = await t.request('PUT', '/fhir/Observation/steps', { token, json: counter('steps', value + 1), headers: { 'if-match': version } });
          if (res.status === 200) break;
          expect(res.status).toBe(412);
        }
      }
    };
    await Promise.all([writer(), writer()]);
    const final = await readCounter('steps');
    expect(final.value).toBe(2 * increments);
    // every conflict was detected (412) and retried, rather than overwritten
    expect(final.version).toBe(`W/"${2 * increments + 1}"`);
  });

  it('concurrent updates without If-Match each get their own version, none overwritten silently', async () => {
    await t.request('PUT', '/fhir/Observation/free', { token, json: counter('free', 0) });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => t.request('PUT', '/fhir/Observation/free', { token, json: counter('free', i + 1) })),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    const versions = await Promise.all(results.map(async (r) => (await r.json()).meta.versionId));
    expect(new Set(versions).size).toBe(10);
    const history = await (await t.request('GET', '/fhir/Observation/free/_history?_count=100', { token })).json();
    expect(history.entry).toHaveLength(11);
  });
});
