import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCarnet, type TestCarnet } from './support/carnet.js';

/**
 * The repository choke point: who may and who must NOT reach a record, and the audit trail each access
 * leaves in the patient's compartment.
 */
let t: TestCarnet;
let anna: string; // patient
let paul: string; // another patient
let parent: string; // parent of the child
let pro: string;
let operator: string;

const ids = { anna: 'anna', paul: 'paul', child: 'child-of-parent', parentSelf: 'the-parent' };
const obs = (patient: string, id: string) => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: { text: 'Glycémie' },
  subject: { reference: `Patient/${patient}` },
  valueQuantity: { value: 1.02, unit: 'g/L' },
});

beforeAll(async () => {
  t = await startCarnet();
  anna = await t.patient(ids.anna);
  paul = await t.patient(ids.paul);
  parent = await t.user({ role: 'patient', patientId: ids.parentSelf, represents: [{ patientId: ids.child, relation: 'parent' }] });
  pro = await t.user({ role: 'professional', practitionerId: 'pro-1' });
  operator = await t.user({ role: 'operator' });
  // the parent creates the child's Patient resource in the child's record
  expect((await t.request('PUT', `/fhir/Patient/${ids.child}`, { token: parent, json: { resourceType: 'Patient', id: ids.child } })).status).toBe(201);
  expect((await t.request('PUT', '/fhir/Observation/anna-1', { token: anna, json: obs(ids.anna, 'anna-1') })).status).toBe(201);
  expect((await t.request('PUT', '/fhir/Observation/child-1', { token: parent, json: obs(ids.child, 'child-1') })).status).toBe(201);
});
afterAll(() => t.close());

async function auditOf(token: string): Promise<any[]> {
  const res = await t.request('GET', '/fhir/AuditEvent/_history?_count=200', { token });
  expect(res.status).toBe(200);
  return ((await res.json()) as any).entry.map((e: any) => e.resource);
}

describe('patients', () => {
  it('a patient reads their own record', async () => {
    expect((await t.request('GET', '/fhir/Observation/anna-1', { token: anna })).status).toBe(200);
    expect((await t.request('GET', `/fhir/Patient/${ids.anna}`, { token: anna })).status).toBe(200);
  });

  it('another patient may not read, update, delete or see the history of it', async () => {
    expect((await t.request('GET', '/fhir/Observation/anna-1', { token: paul })).status).toBe(403);
    expect((await t.request('GET', '/fhir/Observation/anna-1/_history/1', { token: paul })).status).toBe(403);
    expect((await t.request('GET', '/fhir/Observation/anna-1/_history', { token: paul })).status).toBe(403);
    expect((await t.request('PUT', '/fhir/Observation/anna-1', { token: paul, json: obs(ids.paul, 'anna-1') })).status).toBe(403);
    expect((await t.request('DELETE', '/fhir/Observation/anna-1', { token: paul })).status).toBe(403);
    expect((await t.request('GET', '/fhir/Observation/anna-1', { token: anna })).status).toBe(200);
  });

  it('nobody writes into someone else’s record, nor moves a resource out of theirs', async () => {
    expect((await t.request('POST', '/fhir/Observation', { token: paul, json: obs(ids.anna, 'x') })).status).toBe(403);
    expect((await t.request('PUT', '/fhir/Patient/someone-new', { token: paul, json: { resourceType: 'Patient', id: 'someone-new' } })).status).toBe(403);
    const moved = await t.request('PUT', '/fhir/Observation/anna-1', { token: anna, json: obs(ids.paul, 'anna-1') });
    expect(moved.status).toBe(422);
  });

  it('type history and search return only the caller’s records', async () => {
    const history: any = await (await t.request('GET', '/fhir/Observation/_history', { token: paul })).json();
    expect(history.entry).toHaveLength(0);
    // a search that names someone else's record is refused (and audited), as a read of it would be
    expect((await t.request('GET', `/fhir/Observation?patient=${ids.anna}`, { token: paul })).status).toBe(403);
    const own: any = await (await t.request('GET', '/fhir/Observation', { token: anna })).json();
    expect(own.entry.map((e: any) => e.resource.id)).toEqual(['anna-1']);
  });

  it('a parent reads and writes their child’s record, and the audit says they acted as parent', async () => {
    expect((await t.request('GET', '/fhir/Observation/child-1', { token: parent })).status).toBe(200);
    expect((await t.request('GET', '/fhir/Observation/child-1', { token: anna })).status).toBe(403);
    const events = await auditOf(parent);
    const read = events.find((e) => e.outcome === '0' && e.subtype[0].code === 'read' && e.entity[0].what.reference.startsWith('Observation/child-1'));
    expect(read.agent[0].role[0].text).toContain('parent');
    expect(read.entity[1].what.reference).toBe(`Patient/${ids.child}`);
  });

  it('a record with several owners is refused', async () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [{ resource: obs(ids.anna, 'a') }, { resource: obs(ids.paul, 'b') }],
    };
    expect((await t.request('POST', '/fhir/Bundle', { token: anna, json: bundle })).status).toBe(422);
  });
});

describe('professionals and operators (denied by default until later issues)', () => {
  it('a professional is refused patient data', async () => {
    expect((await t.request('GET', '/fhir/Observation/anna-1', { token: pro })).status).toBe(403);
    expect((await t.request('POST', '/fhir/Observation', { token: pro, json: obs(ids.anna, 'p') })).status).toBe(403);
    expect((await t.request('GET', '/fhir/Observation/_history', { token: pro })).status).toBe(403);
  });

  it('an operator never reads health data', async () => {
    const res = await t.request('GET', '/fhir/Observation/anna-1', { token: operator });
    expect(res.status).toBe(403);
    expect(((await res.json()) as any).issue[0].diagnostics).toMatch(/operators/);
    expect((await t.request('GET', `/fhir/Patient/${ids.anna}`, { token: operator })).status).toBe(403);
  });

  it('operators administer the directory; everyone signed in reads it; patients may not write it', async () => {
    const org = { resourceType: 'Organization', id: 'org-1', name: 'Pharmacie des Lilas' };
    expect((await t.request('PUT', '/fhir/Organization/org-1', { token: anna, json: org })).status).toBe(403);
    expect((await t.request('PUT', '/fhir/Organization/org-1', { token: operator, json: org })).status).toBe(201);
    expect((await t.request('GET', '/fhir/Organization/org-1', { token: anna })).status).toBe(200);
    expect((await t.request('GET', '/fhir/Organization/org-1', { token: pro })).status).toBe(200);
    const search: any = await (await t.request('GET', '/fhir/Organization', { token: paul })).json();
    expect(search.entry.map((e: any) => e.resource.id)).toContain('org-1');
  });
});

describe('audit', () => {
  it('every access to a record leaves an AuditEvent the patient can read, refusals included', async () => {
    const before = (await auditOf(anna)).length;
    await t.request('GET', '/fhir/Observation/anna-1', { token: anna });
    await t.request('GET', '/fhir/Observation/anna-1', { token: paul });
    await t.request('GET', '/fhir/Observation/anna-1', { token: operator });
    const events = await auditOf(anna);
    // newest first: the reading of the trail before, then the three accesses, newest first
    const [operatorRead, paulRead, annaRead] = events.filter((e) => e.entity[0]?.what?.reference === 'Observation/anna-1/_history/1').slice(0, 3);
    expect(events.length).toBeGreaterThanOrEqual(before + 4);
    expect([annaRead.agent[0].altId, annaRead.outcome]).toEqual([expect.stringMatching(/^user-/), '0']);
    expect([paulRead.agent[0].type.text, paulRead.outcome]).toEqual(['patient', '4']);
    expect(paulRead.agent[0].who.reference).toBe(`Patient/${ids.paul}`);
    expect([operatorRead.agent[0].type.text, operatorRead.outcome]).toEqual(['operator', '4']);
    const refused = [paulRead, operatorRead];
    expect(refused[0].outcomeDesc).toBeTruthy();
    const ok = events.find((e) => e.outcome === '0' && e.subtype[0].code === 'read');
    expect(ok.agent[0].who.reference).toBe(`Patient/${ids.anna}`);
    expect(ok.entity.at(-1).what.reference).toBe(`Patient/${ids.anna}`);
  });

  it('AuditEvents are written by Carnet only, and never changed', async () => {
    const [event] = await auditOf(anna);
    const forged = { ...event, id: undefined, agent: [{ ...event.agent[0], who: { display: 'Dr Durand' } }] };
    expect((await t.request('POST', '/fhir/AuditEvent', { token: anna, json: forged })).status).toBe(403);
    expect((await t.request('POST', '/fhir/AuditEvent', { token: operator, json: forged })).status).toBe(403);
    expect((await t.request('PUT', '/fhir/AuditEvent?_id=zzz', { token: anna, json: forged })).status).toBe(403);
    expect((await t.request('PUT', `/fhir/AuditEvent/${event.id}`, { token: anna, json: event })).status).toBe(405);
    expect((await t.request('DELETE', `/fhir/AuditEvent/${event.id}`, { token: anna })).status).toBe(405);
  });

  it('another patient does not see the audit trail of a record that is not theirs', async () => {
    const events = await auditOf(paul);
    expect(events.every((e) => e.entity.some((x: any) => x.what?.reference === `Patient/${ids.paul}`))).toBe(true);
  });
});
