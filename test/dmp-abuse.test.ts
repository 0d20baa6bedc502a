import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCarnet, type TestCarnet } from './support/carnet.js';
import { clientToken } from './support/client-token.js';
import { insuredPatient, professional, type TestPatient } from './support/care.js';
import { provideBundle } from './support/mhd-bundles.js';

/**
 * The shared record against misuse, one test per way a review found to get around its rules: tokens scoped
 * to read without search, forged visibility codes, the producer lifting the patient's mask, notifications
 * about documents hidden from representatives, SAMU access by any doctor, odd INS references, folders listing
 * another record's documents, and dangerous content types.
 */
let tc: TestCarnet;
beforeAll(async () => {
  tc = await startCarnet();
});
afterAll(async () => tc?.close());

type Json = Record<string, any>;
let orgs = 0;

async function pro(profession = '10') {
  const id = `A${process.pid}o${++orgs}`;
  return { ...(await professional(tc, { profession, organization: { id, name: `Structure ${id}`, city: 'Paris' } })), organizationId: id };
}

async function careTeam(p: { token: string }, patient: TestPatient) {
  expect((await tc.request('POST', `/api/pro/patients/${patient.patientId}/access`, { token: p.token, json: { basis: 'care-team' } })).status).toBe(201);
}

async function deposit(by: { token: string; practitionerId: string }, patient: TestPatient, docs: Json[]): Promise<string[]> {
  const res = await tc.request('POST', '/fhir', { token: by.token, json: provideBundle({ patient: `Patient/${patient.patientId}`, authorIdNat: by.practitionerId, documents: docs }) });
  const body = await res.json();
  expect(res.status, JSON.stringify(body).slice(0, 500)).toBe(200);
  return body.entry.map((e: Json) => e.response.location ?? '').filter((l: string) => l.startsWith('DocumentReference/')).map((l: string) => l.split('/')[1]);
}

/** A practice software's token for the same professional, with these SMART scopes. */
const scoped = (userToken: string, scope: string): Promise<string> => clientToken(tc, userToken, 'practice-software', scope);

const read = (token: string, path: string) => tc.request('GET', path, { token });

describe('the document rules hold whatever the token', () => {
  it('a token that may read but not search still meets the habilitation matrix and the mask', async () => {
    const patient = await insuredPatient(tc);
    const doctor = await pro('10');
    const nurse = await pro('60');
    await careTeam(doctor, patient);
    await careTeam(nurse, patient);
    const [denied] = await deposit(doctor, patient, [{ typeCode: '68599-0' }]);
    const [masked] = await deposit(doctor, patient, [{ securityLabels: ['N', 'MASQUE_PS'] }]);
    const token = await scoped(nurse.token, 'user/DocumentReference.r');
    for (const path of [`/fhir/DocumentReference/${denied}`, `/fhir/DocumentReference/${masked}`, `/fhir/Binary/${masked}`, `/fhir/DocumentReference/${masked}/_history/1`]) {
      expect((await read(token, path)).status, path).toBe(404);
    }
  });
});

describe('visibility codes', () => {
  it('refuses a visibility code in another code system (it would hide without the rules that go with it)', async () => {
    const patient = await insuredPatient(tc);
    const doctor = await pro();
    await careTeam(doctor, patient);
    const [id] = await deposit(doctor, patient, [{}]);
    const doc = await (await read(doctor.token, `/fhir/DocumentReference/${id}`)).json();
    const forged = { ...doc, securityLabel: [...doc.securityLabel, { coding: [{ system: 'urn:x', code: 'INVISIBLE_PATIENT' }] }] };
    const res = await tc.request('PUT', `/fhir/DocumentReference/${id}`, { token: doctor.token, json: forged });
    expect(res.status).toBe(422);
    expect(JSON.stringify(await res.json())).toContain('dmp.security-label-unknown');
    expect((await read(patient.token, `/fhir/DocumentReference/${id}`)).status).toBe(200);
  });

  it("lets the producer hide from professionals, never lift the patient's mask", async () => {
    const patient = await insuredPatient(tc);
    const doctor = await pro();
    await careTeam(doctor, patient);
    const [id] = await deposit(doctor, patient, [{}]);
    expect((await tc.request('PATCH', `/api/documents/${id}`, { token: patient.token, json: { hiddenFromProfessionals: true } })).status).toBe(200);
    const lift = await tc.request('PATCH', `/api/pro/patients/${patient.patientId}/documents/${id}`, { token: doctor.token, json: { hiddenFromProfessionals: false } });
    expect(lift.status).toBe(403);
    expect((await lift.json()).code).toBe('documents.mask-is-patients');
  });

  it("tells a minor's profile nothing of a document hidden from their representatives", async () => {
    const patient = await insuredPatient(tc);
    const doctor = await pro();
    await careTeam(doctor, patient);
    await deposit(doctor, patient, [{ securityLabels: ['N', 'INVISIBLE_REPRESENTANTS_LEGAUX'] }]);
    const { rows } = await tc.db.query('SELECT type FROM notification WHERE patient_id = $1', [patient.patientId]);
    expect(rows).toEqual([]);
  });
});

describe('emergency access', () => {
  it('is SAMU regulation only for the doctors of a SAMU the operator named, and needs a profession with access', async () => {
    const patient = await insuredPatient(tc);
    expect((await tc.request('PUT', '/api/dmp/settings', { token: patient.token, json: { breakGlass: false } })).status).toBe(200);
    const doctor = await pro('10');
    const etreat = await tc.request('POST', `/api/pro/patients/${patient.patientId}/emergency`, { token: doctor.token, json: { purpose: 'ETREAT', reason: 'Appel au centre 15 pour ce patient' } });
    expect(etreat.status).toBe(403);
    expect((await etreat.json()).code).toBe('emergency.samu-doctor');
    const audioprothesiste = await pro('26');
    const open = await insuredPatient(tc);
    const btg = await tc.request('POST', `/api/pro/patients/${open.patientId}/emergency`, { token: audioprothesiste.token, json: { purpose: 'BTG', reason: 'Malaise pendant le rendez-vous' } });
    expect(btg.status).toBe(403);
    expect((await btg.json()).code).toBe('emergency.profession');
  });
});

describe('odd submissions', () => {
  it('answers a percent-encoded INS reference without a 500', async () => {
    const doctor = await pro();
    const res = await tc.request('POST', '/fhir', { token: doctor.token, json: provideBundle({ patient: 'Patient?identifier=urn%3Aoid%3A1.2.250.1.213.1.4.8%25|190017512345678' }) });
    expect(res.status).toBeLessThan(500);
    expect(res.status).toBeGreaterThanOrEqual(400);
  });

  it("refuses a folder listing a document of another record", async () => {
    const [a, b] = [await insuredPatient(tc), await insuredPatient(tc)];
    const doctor = await pro();
    await careTeam(doctor, a);
    await careTeam(doctor, b);
    const [theirs] = await deposit(doctor, b, [{}]);
    const bundle = provideBundle({ patient: `Patient/${a.patientId}`, authorIdNat: doctor.practitionerId });
    const folder = {
      fullUrl: 'urn:uuid:7d1d4b2e-6f7a-4d5e-9c3b-2a1f0e9d8c7b',
      resource: {
        resourceType: 'List',
        status: 'current',
        mode: 'working',
        title: 'Dossier',
        date: new Date().toISOString(),
        code: { coding: [{ system: 'https://profiles.ihe.net/ITI/MHD/CodeSystem/MHDlistTypes', code: 'folder' }] },
        subject: { reference: `Patient/${a.patientId}` },
        extension: [{ url: 'https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-designationType', valueCodeableConcept: { coding: [{ system: 'http://loinc.org', code: '11502-2' }] } }],
        entry: [{ item: { reference: `DocumentReference/${theirs}` } }],
      },
      request: { method: 'POST', url: 'List' },
    };
    (bundle.entry as Json[]).push(folder);
    (bundle.entry as Json[])[0]!.resource.entry.push({ item: { reference: folder.fullUrl } });
    const res = await tc.request('POST', '/fhir', { token: doctor.token, json: bundle });
    const body = await res.json();
    expect(res.status, JSON.stringify(body).slice(0, 600)).toBe(422);
    expect(JSON.stringify(body)).toContain('mhd.folder-entry');
  });

  it('gives the browser an HTML document to download, never to render', async () => {
    const patient = await insuredPatient(tc);
    const doctor = await pro();
    await careTeam(doctor, patient);
    const [id] = await deposit(doctor, patient, [{ bytes: Buffer.from('<script>alert(1)</script>'), contentType: 'text/html', formatCode: 'urn:ihe:iti:xds:2017:mimeTypeSufficient' }]);
    const res = await read(patient.token, `/api/documents/${id}/content`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('content-disposition')).toBe('attachment');
  });
});
