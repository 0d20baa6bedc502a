import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCarnet, type TestCarnet } from './support/carnet.js';
import { insuredPatient, professional, type TestPatient, type TestPro } from './support/care.js';

/**
 * The security review of issue 8, over real HTTP: what a professional must not write (the patient's wishes, the
 * profile's "non concerné" declarations) nor read (the patient's own sections by any FHIR path, the filed
 * summary, advance directives once "entourage et volontés" is closed), advance directives refused for a minor
 * on /fhir too, and impossible measure dates refused on every path.
 */
let tc: TestCarnet;
let patient: TestPatient;
let doctor: TestPro;
let stranger: TestPro;

type Json = Record<string, any>;
const call = async (method: string, url: string, token: string, body?: unknown, headers: Record<string, string> = {}) => {
  const res = await tc.request(method, url, { token, ...(body !== undefined ? { json: body } : {}), headers: { 'content-type': 'application/json', ...headers } });
  const text = await res.text();
  let parsed: Json | undefined;
  try {
    parsed = text ? (JSON.parse(text) as Json) : undefined;
  } catch {
    parsed = { text };
  }
  return { status: res.status, body: parsed as Json, text };
};
const FHIR = { 'content-type': 'application/fhir+json' };
const CATEGORY = 'https://carnet.example/fhir/CodeSystem/profile-section';
const entries: Record<string, string> = {};

const wishConsent = (patientId: string, code: 'organ-donation' | 'advance-directive') => ({
  resourceType: 'Consent',
  status: 'active',
  scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'adr' }] },
  category: [{ coding: [{ system: CATEGORY, code }] }],
  patient: { reference: `Patient/${patientId}` },
  policyRule: { text: 'CSP L1232-1' },
  provision: { type: 'deny' },
});

beforeAll(async () => {
  tc = await startCarnet();
  patient = await insuredPatient(tc);
  doctor = await professional(tc, { family: 'Durand' });
  stranger = await professional(tc, { family: 'Inconnu' });
  expect((await tc.request('PUT', `/api/professionals/${doctor.practitionerId}/roles/medecin-traitant`, { token: patient.token })).status).toBe(200);
  const add = async (section: string, input: Json) => {
    const res = await call('POST', `/api/profile/sections/${section}`, patient.token, input);
    expect(res.status, res.text).toBe(201);
    entries[section] = res.body.id;
  };
  await add('vaccinations', { vaccineRefId: 'vaxigrip-tetra', date: '2025-10-15', administration: 'IMMUNIZ' });
  await add('diseases', { name: 'Asthme', start: { year: 1995 } });
  await add('hospitalisations', { name: 'Appendicite', start: { year: 2001 } });
});
afterAll(async () => tc?.close());

describe('a professional does not write the patient’s wishes nor the profile’s declarations', () => {
  it('any professional (no access, or the médecin traitant) is refused an organ-donation or advance-directive Consent, on /fhir and in a transaction', async () => {
    const p = patient.patientId;
    for (const pro of [stranger, doctor]) {
      for (const code of ['organ-donation', 'advance-directive'] as const) {
        const res = await call('POST', '/fhir/Consent', pro.token, wishConsent(p, code), FHIR);
        expect(res.status, `${code}: ${res.text}`).toBe(403);
        expect(res.body.resourceType).toBe('OperationOutcome');
      }
    }
    const bundle = { resourceType: 'Bundle', type: 'transaction', entry: [{ fullUrl: `urn:uuid:${randomUUID()}`, resource: wishConsent(p, 'organ-donation'), request: { method: 'POST', url: 'Consent' } }] };
    expect((await call('POST', '/fhir', doctor.token, bundle, FHIR)).status).toBe(403);
    // nothing was recorded as the patient's wish, and the patient records theirs
    expect((await call('GET', '/api/profile/organ-donation', patient.token)).body).toEqual({ organDonation: null });
    expect((await call('GET', `/fhir/Consent?patient=${p}&category=${CATEGORY}|organ-donation`, patient.token)).body.entry ?? []).toEqual([]);
    const mine = await call('PUT', '/api/profile/organ-donation', patient.token, { position: 'DONOR', informedRelatives: true });
    expect(mine.status, mine.text).toBe(200);
    expect(mine.body.source.kind).toBe('patient');
  });

  it('the médecin traitant may not declare a section "non concerné" (a List of the profile); the DMP consent stays theirs to record', async () => {
    const p = patient.patientId;
    const list = { resourceType: 'List', status: 'current', mode: 'snapshot', code: { coding: [{ system: CATEGORY, code: 'allergies' }] }, subject: { reference: `Patient/${p}` }, emptyReason: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/list-empty-reason', code: 'nilknown' }] }, date: '2026-01-01T00:00:00Z' };
    // plain /fhir refuses List writes (405) and the policy refuses this one to professionals on every path (profile.test.ts)
    expect([403, 405]).toContain((await call('POST', '/fhir/List', doctor.token, list, FHIR)).status);
    expect((await call('GET', '/api/profile/sections/allergies', patient.token)).body.unconcerned).toBeNull();
    // a professional still records the patient's consent to access the record
    const nurse = await professional(tc, { family: 'Moreau', profession: '60' });
    expect((await call('POST', `/api/pro/patients/${p}/access`, nurse.token, { basis: 'consent' })).status).toBe(201);
  });

  it('the refusals are in the patient’s access history', async () => {
    const history = await call('GET', '/api/dmp/history', patient.token);
    expect(history.status).toBe(200);
    const refused = history.body.items.filter((i: Json) => i.outcome === 'refused' && i.agent === `pro-${stranger.rpps}`);
    expect(refused.some((i: Json) => String(i.what).includes('Consent'))).toBe(true);
  });
});

describe('a professional reads nothing of the patient’s own sections, by any path', () => {
  it('includes, reverse includes, histories, batches and the other types of the profile', async () => {
    const p = patient.patientId;
    for (const url of [
      `Immunization?patient=${p}&_include=*`,
      `Immunization?patient=${p}&_revinclude=*`,
      `Procedure?patient=${p}&_revinclude=*`,
    ]) {
      const res = await call('GET', `/fhir/${url}`, doctor.token);
      expect(res.status, url).toBe(200);
      expect((res.body.entry ?? []).map((e: Json) => e.resource.resourceType).filter((t: string) => !['Immunization', 'Procedure', 'Patient', 'Practitioner', 'Organization', 'OperationOutcome'].includes(t)), url).toEqual([]);
    }
    for (const url of [
      `Patient?_id=${p}&_revinclude=Condition:subject`,
      `Patient?_id=${p}&_has:Condition:patient:code:text=Asthme`,
      `Condition/${entries.diseases}/_history`,
      `Condition/_history`,
      `Encounter/${entries.hospitalisations}`,
      `Encounter?patient=${p}`,
      `Goal?patient=${p}`,
      `Appointment?patient=${p}`,
      `Condition?patient.identifier=${patient.insSystem}|${patient.nir}`,
    ]) {
      const res = await call('GET', `/fhir/${url}`, doctor.token);
      expect(res.status, `${url}: ${res.text}`).toBe(403);
      expect(res.text).not.toContain('Asthme');
    }
    const batch = await call('POST', '/fhir', doctor.token, { resourceType: 'Bundle', type: 'batch', entry: [{ request: { method: 'GET', url: `Condition?patient=${p}` } }, { request: { method: 'GET', url: `Condition/${entries.diseases}` } }] }, FHIR);
    expect(batch.body.entry.map((e: Json) => e.response.status)).toEqual(['403', '403']);
    expect(batch.text).not.toContain('Asthme');
  });

  it('the summary filed in the documents is hidden from professionals (it holds the diseases); the patient still has it', async () => {
    const p = patient.patientId;
    const filed = await call('POST', '/api/profile/summary', patient.token, { sections: ['DISEASES', 'VACCINES'], action: 'file' });
    expect(filed.status, filed.text).toBe(201);
    const id = filed.body.documentId as string;
    expect((await call('GET', `/fhir/DocumentReference/${id}`, doctor.token)).status).toBe(404);
    expect((await tc.request('GET', `/fhir/Binary/${id}`, { token: doctor.token })).status).toBe(404);
    expect((await call('GET', `/api/pro/patients/${p}/documents`, doctor.token)).text).not.toContain(id);
    const own = await call('GET', `/fhir/DocumentReference/${id}`, patient.token);
    expect(own.status).toBe(200);
    expect(JSON.stringify(own.body.securityLabel)).toContain('MASQUE_PS');
  });

  it('closing "entourage et volontés" hides the advance directives’ document on every path', async () => {
    const p = patient.patientId;
    const form = await call('POST', '/api/profile/advance-directives/form', patient.token, { model: 'good-health', answers: { context: 'Je vis seul.', lifeSupport: 'Non.', sedation: 'Oui.', place: 'Lyon' } });
    expect(form.status, form.text).toBe(201);
    const docId = form.body.documentId as string;
    const paths = [
      `/fhir/DocumentReference/${docId}`,
      `/fhir/DocumentReference?patient=${p}`,
      `/fhir/Binary/${docId}`,
      `/fhir/DocumentReference/${docId}/_history`,
      `/fhir/Consent?patient=${p}&_include=Consent:source-reference`,
      `/fhir/DocumentReference?patient=${p}&_revinclude=Consent:source-reference`,
      `/api/pro/patients/${p}/documents`,
      `/api/pro/patients/${p}/documents/${docId}/content`,
    ];
    expect((await call('GET', `/fhir/DocumentReference/${docId}`, doctor.token)).status).toBe(200);
    expect((await call('PUT', '/api/profile/settings', patient.token, { closed: ['entourage'] })).status).toBe(200);
    for (const url of paths) {
      const res = await tc.request('GET', url, { token: doctor.token });
      const text = await res.text();
      expect([200, 404], url).toContain(res.status);
      if (res.status === 200) expect(text, url).not.toContain(docId);
    }
    expect((await call('PUT', '/api/profile/settings', patient.token, { closed: [] })).status).toBe(200);
  });
});

describe('advance directives are refused for a minor on /fhir too', () => {
  it('a parent’s Consent of advance directives for their child is 422 directives.minor, nothing stored', async () => {
    const child = await insuredPatient(tc, { birthDate: '2015-04-02' });
    const parent = await tc.user({ role: 'patient', patientId: randomUUID(), represents: [{ patientId: child.patientId, relation: 'parent' }] });
    const acting = { 'x-acting-for': child.patientId };
    const res = await call('POST', '/fhir/Consent', parent, { ...wishConsent(child.patientId, 'advance-directive'), provision: undefined }, { ...FHIR, ...acting });
    expect(res.status, res.text).toBe(422);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.text).toContain('minor');
    expect((await call('GET', `/fhir/Consent?patient=${child.patientId}`, parent, undefined, acting)).body.entry ?? []).toEqual([]);
    // an adult's goes through
    const adult = await call('POST', '/fhir/Consent', patient.token, { ...wishConsent(patient.patientId, 'advance-directive'), provision: undefined, status: 'inactive' }, FHIR);
    expect(adult.status, adult.text).toBe(201);
  });
});

describe('impossible measure dates', () => {
  it('the 30th of February is refused on the API (naming date) and on /fhir (naming effectiveDateTime); nothing stored', async () => {
    const api = await call('POST', '/api/profile/measures', patient.token, { code: 'WEIGHT', value: 70, unit: 'kg', date: '2025-02-30T10:00:00Z' });
    expect(api.status, api.text).toBe(400);
    expect(api.body.fields).toEqual(['date']);
    const obs = {
      resourceType: 'Observation',
      status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: '29463-7' }] },
      subject: { reference: `Patient/${patient.patientId}` },
      effectiveDateTime: '2025-02-30T10:00:00Z',
      valueQuantity: { value: 70, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' },
    };
    const fhir = await call('POST', '/fhir/Observation', patient.token, obs, FHIR);
    expect(fhir.status, fhir.text).toBe(422);
    expect(JSON.stringify(fhir.body.issue)).toContain('Observation.effectiveDateTime');
    const series = await call('GET', '/api/profile/measures?code=WEIGHT', patient.token);
    expect(series.body.measures).toEqual([]);
  });
});

describe('who entered an entry is who wrote it, not what the resource claims', () => {
  it('a vaccination a patient writes through /fhir naming a doctor as performer is shown as the patient’s, and the tag cannot be forged', async () => {
    const forged = {
      resourceType: 'Immunization',
      status: 'completed',
      vaccineCode: { text: 'Vaxigrip Tetra' },
      patient: { reference: `Patient/${patient.patientId}` },
      occurrenceDateTime: '2025-11-02',
      primarySource: true,
      performer: [{ actor: { reference: `Practitioner/${doctor.practitionerId}`, display: 'Dr Durand' } }],
      meta: { tag: [{ system: 'https://carnet.example/fhir/CodeSystem/written-by', code: 'professional' }] },
    };
    const created = await call('POST', '/fhir/Immunization', patient.token, forged, FHIR);
    expect(created.status, created.text).toBe(201);
    expect(created.body.meta.tag).toEqual([{ system: 'https://carnet.example/fhir/CodeSystem/written-by', code: 'patient' }]);
    const list = await call('GET', '/api/profile/sections/vaccinations', patient.token);
    const entry = list.body.entries.find((e: Json) => e.id === created.body.id);
    expect(entry.source.kind).toBe('patient');
    expect(entry.authoredByPatient).toBe(true);
    // the doctor's own vaccination, through the professional's API, is the doctor's
    const recorded = await call('POST', `/api/pro/patients/${patient.patientId}/vaccinations`, doctor.token, { vaccineRefId: 'vaxigrip-tetra', date: '2025-11-03', administration: 'BOOSTER' });
    expect(recorded.status, recorded.text).toBe(201);
    const again = await call('GET', '/api/profile/sections/vaccinations', patient.token);
    expect(again.body.entries.find((e: Json) => e.id === recorded.body.id).source.kind).toBe('professional');
  });
});
