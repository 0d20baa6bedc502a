import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCarnet, type TestCarnet } from './support/carnet.js';
import { insuredPatient, professional, type TestPatient, type TestPro } from './support/care.js';
import { pdfBytes, provideBundle, sha1Base64 } from './support/mhd-bundles.js';
import { SHARED_DATA } from './support/paths.js';

/**
 * IHE MHD at /fhir over real HTTP: a laboratory's software deposits (ITI-65), the patient and the médecin
 * traitant read (ITI-67, ITI-68), replacement, metadata update and deletion by the producer, and the
 * submissions that are refused with nothing stored.
 */
let tc: TestCarnet;

beforeAll(async () => {
  tc = await startCarnet();
});
afterAll(async () => tc?.close());

/** A professional with access to a new patient's record (care team declared). */
async function caring(o: Parameters<typeof professional>[1] = {}, p?: TestPatient): Promise<{ pro: TestPro; patient: TestPatient }> {
  const pro = await professional(tc, o);
  const patient = p ?? (await insuredPatient(tc));
  const res = await tc.request('POST', `/api/pro/patients/${patient.patientId}/access`, { token: pro.token, json: { basis: 'care-team' } });
  expect(res.status).toBe(201);
  return { pro, patient };
}

const submit = (token: string, bundle: unknown) => tc.request('POST', '/fhir', { token, json: bundle });

async function documentsOf(p: TestPatient, token = p.token): Promise<any[]> {
  const res = await tc.request('GET', `/fhir/DocumentReference?patient=${p.patientId}&_count=100`, { token });
  expect(res.status).toBe(200);
  return ((await res.json()).entry ?? []).map((e: any) => e.resource);
}

async function storedCount(patientId: string): Promise<number> {
  const { rows } = await tc.db.query<{ n: string }>(`SELECT count(*) AS n FROM resource WHERE patient_id = $1 AND resource_type IN ('DocumentReference', 'List')`, [patientId]);
  return Number(rows[0]!.n);
}

describe('ITI-65 provide and ITI-68 retrieve', () => {
  it("stores a laboratory's biology report: the patient reads it, with a notification, and its PDF streams back", async () => {
    const { pro, patient } = await caring();
    const bytes = pdfBytes('Compte rendu de biologie', 100);
    const res = await submit(pro.token, provideBundle({ patient: `Patient/${patient.patientId}`, authorIdNat: pro.practitionerId, documents: [{ bytes, typeCode: '11502-2' }] }));
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.type).toBe('transaction-response');
    expect(body.entry.every((e: any) => e.response.status.startsWith('201'))).toBe(true);

    const [doc] = await documentsOf(patient);
    expect(doc.type.coding[0].code).toBe('11502-2');
    expect(doc.content[0].attachment.url).toBe(`${tc.fhirBase}/Binary/${doc.id}`);
    const bin = await tc.request('GET', `/fhir/Binary/${doc.id}`, { token: patient.token, headers: { accept: 'application/pdf' } });
    expect(bin.status).toBe(200);
    expect(bin.headers.get('content-type')).toBe('application/pdf');
    const got = Buffer.from(await bin.arrayBuffer());
    expect(sha1Base64(got)).toBe(sha1Base64(bytes));

    const { rows } = await tc.db.query<{ type: string }>('SELECT type FROM notification WHERE patient_id = $1', [patient.patientId]);
    expect(rows.map((r) => r.type)).toContain('AJOUT_DOCUMENT');
  });

  it('accepts the French PDSm example once its patient is one of ours, with the class/type warning', async () => {
    const { pro, patient } = await caring();
    const example = JSON.parse(fs.readFileSync(path.join(SHARED_DATA, 'pdsm/pdsm4dmp/example/Bundle-example-td2-iti65-lot-soumission.json'), 'utf8'));
    const text = JSON.stringify(example)
      .replaceAll('urn:oid:1.2.250.1.213.1.4.8|123456789012345', `${patient.insSystem}|${patient.nir}`)
      .replaceAll('"system":"urn:oid:1.2.250.1.213.1.4.8","value":"123456789012345"', `"system":"${patient.insSystem}","value":"${patient.nir}"`);
    const res = await submit(pro.token, JSON.parse(text));
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    const warnings = body.entry.flatMap((e: any) => e.response.outcome?.issue ?? []);
    expect(warnings.some((i: any) => i.diagnostics.includes('dmp.class-type-mismatch'))).toBe(true);
    expect((await documentsOf(patient)).length).toBe(1);
  });
});

describe('refused submissions store nothing', () => {
  const cases: [string, (b: any) => void, number, string][] = [
    ['a hash that does not match', (b) => (b.entry[1].resource.content[0].attachment.hash = sha1Base64(Buffer.from('other'))), 422, 'mhd.hash-mismatch'],
    ['a size that does not match', (b) => (b.entry[1].resource.content[0].attachment.size += 1), 422, 'mhd.size-mismatch'],
    ['an unknown type code', (b) => (b.entry[1].resource.type.coding[0].code = '99999-9'), 422, 'dmp.type-unknown'],
    ['a missing masterIdentifier', (b) => delete b.entry[1].resource.masterIdentifier, 422, 'mhd.master-identifier-missing'],
    ['a Binary referenced but absent', (b) => b.entry.splice(2, 1), 422, 'mhd.binary-missing'],
  ];
  for (const [what, mutate, status, rule] of cases) {
    it(`refuses ${what}`, async () => {
      const { pro, patient } = await caring();
      const bundle = provideBundle({ patient: `Patient/${patient.patientId}`, authorIdNat: pro.practitionerId });
      mutate(bundle);
      const res = await submit(pro.token, bundle);
      const body = await res.json();
      expect(res.status).toBe(status);
      expect(body.resourceType).toBe('OperationOutcome');
      expect(JSON.stringify(body)).toContain(rule);
      expect(await storedCount(patient.patientId)).toBe(0);
    });
  }

  it('refuses a patient Carnet does not know, and a duplicate masterIdentifier', async () => {
    const { pro, patient } = await caring();
    const unknown = await submit(pro.token, provideBundle({ patient: 'Patient?identifier=urn:oid:1.2.250.1.213.1.4.8|190017512345678' }));
    expect(unknown.status).toBe(422);
    expect(JSON.stringify(await unknown.json())).toContain('mhd.patient-unknown');
    const bundle = provideBundle({ patient: `Patient/${patient.patientId}`, documents: [{ masterIdentifier: 'urn:oid:1.2.250.1.213.1.1.9.77.1' }] });
    expect((await submit(pro.token, bundle)).status).toBe(200);
    const again = await submit(pro.token, provideBundle({ patient: `Patient/${patient.patientId}`, documents: [{ masterIdentifier: 'urn:oid:1.2.250.1.213.1.1.9.77.1' }] }));
    expect(again.status).toBe(409);
    expect(JSON.stringify(await again.json())).toContain('mhd.master-identifier-duplicate');
    expect((await documentsOf(patient)).length).toBe(1);
  });

  it('refuses a plain create of a DocumentReference: documents come with ITI-65', async () => {
    const { pro, patient } = await caring();
    const res = await tc.request('POST', '/fhir/DocumentReference', { token: pro.token, json: { resourceType: 'DocumentReference', status: 'current', subject: { reference: `Patient/${patient.patientId}` }, content: [{ attachment: { contentType: 'text/plain' } }] } });
    expect(res.status).toBe(405);
    expect(await storedCount(patient.patientId)).toBe(0);
  });
});

describe('replacement, metadata update and deletion', () => {
  it('supersedes the replaced document; another professional may neither replace nor change it', async () => {
    const { pro, patient } = await caring();
    await submit(pro.token, provideBundle({ patient: `Patient/${patient.patientId}` }));
    const [old] = await documentsOf(patient);
    const res = await submit(pro.token, provideBundle({ patient: `Patient/${patient.patientId}`, documents: [{ replaces: `DocumentReference/${old.id}` }] }));
    expect(res.status, JSON.stringify(await res.clone().json())).toBe(200);
    const docs = await documentsOf(patient);
    expect(docs.find((d) => d.id === old.id).status).toBe('superseded');
    const fresh = docs.find((d) => d.id !== old.id);
    expect(fresh.relatesTo[0]).toMatchObject({ code: 'replaces', target: { reference: `DocumentReference/${old.id}` } });

    const { pro: other } = await caring({}, patient);
    const replaced = await submit(other.token, provideBundle({ patient: `Patient/${patient.patientId}`, documents: [{ replaces: `DocumentReference/${fresh.id}` }] }));
    expect(replaced.status).toBe(403);
    const put = await tc.request('PUT', `/fhir/DocumentReference/${fresh.id}`, { token: other.token, json: { ...fresh, status: 'entered-in-error' } });
    expect(put.status).toBe(403);
    const del = await tc.request('DELETE', `/fhir/DocumentReference/${fresh.id}`, { token: other.token });
    expect(del.status).toBe(403);
  });

  it("refuses the replacement of another patient's document", async () => {
    const { pro, patient } = await caring();
    const { patient: second } = await caring({}, undefined).then(async (x) => {
      await tc.request('POST', `/api/pro/patients/${x.patient.patientId}/access`, { token: pro.token, json: { basis: 'care-team' } });
      return x;
    });
    await submit(pro.token, provideBundle({ patient: `Patient/${second.patientId}` }));
    const [theirs] = await documentsOf(second);
    const res = await submit(pro.token, provideBundle({ patient: `Patient/${patient.patientId}`, documents: [{ replaces: `DocumentReference/${theirs.id}` }] }));
    expect(res.status).toBe(422);
    expect(JSON.stringify(await res.json())).toContain('mhd.replace-other-patient');
    expect(await storedCount(patient.patientId)).toBe(0);
  });

  it('lets the producer archive and delete; the patient is told of the deletion', async () => {
    const { pro, patient } = await caring();
    await submit(pro.token, provideBundle({ patient: `Patient/${patient.patientId}` }));
    const [doc] = await documentsOf(patient);
    const renamed = await tc.request('PUT', `/fhir/DocumentReference/${doc.id}`, { token: pro.token, json: { ...doc, description: 'autre' } });
    expect(renamed.status).toBe(422);
    const archived = { ...doc, extension: [...doc.extension, { url: 'https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/pdsm-ext-is-archived', valueBoolean: true }] };
    const put = await tc.request('PUT', `/fhir/DocumentReference/${doc.id}`, { token: pro.token, json: archived });
    expect(put.status, JSON.stringify(await put.clone().json())).toBe(200);
    const byPatient = await tc.request('DELETE', `/fhir/DocumentReference/${doc.id}`, { token: patient.token });
    expect(byPatient.status).toBe(403);
    const del = await tc.request('DELETE', `/fhir/DocumentReference/${doc.id}`, { token: pro.token });
    expect(del.status).toBe(204);
    const { rows } = await tc.db.query<{ type: string }>('SELECT type FROM notification WHERE patient_id = $1', [patient.patientId]);
    expect(rows.map((r) => r.type)).toContain('SUPP_DOC');
  });
});
