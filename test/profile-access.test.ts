import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCarnet, type TestCarnet } from './support/carnet.js';
import { insuredPatient, professional, type TestPatient, type TestPro } from './support/care.js';

/**
 * What professionals see of the medical profile (domain.md §2.8, docs/profile.md), over real HTTP on the
 * application API and on /fhir, decided by the access policy: the médecin traitant reads the vaccinations and
 * "entourage et volontés" and nothing else of the profile; once the patient closes "entourage et volontés",
 * the contacts and the wishes are refused or filtered while the DMP's own Consent stays; a professional without
 * access reads nothing; a professional records a vaccination the patient sees as theirs; every read is traced.
 */
let tc: TestCarnet;
let patient: TestPatient;
let doctor: TestPro;
let outsider: TestPro;

type Json = Record<string, any>;
const JSON_HEADERS = { 'content-type': 'application/json' };
const call = async (method: string, url: string, token: string, body?: unknown) => {
  const res = await tc.request(method, url, { token, ...(body !== undefined ? { json: body } : {}), headers: JSON_HEADERS });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Json };
};
const fhir = (token: string, url: string) => call('GET', `/fhir/${url}`, token);
const ids = (bundle: Json): string[] => (bundle.entry ?? []).map((e: Json) => e.resource.id).sort();

const CATEGORY = 'https://carnet.example/fhir/CodeSystem/profile-section';
const entries: Record<string, string> = {};

beforeAll(async () => {
  tc = await startCarnet();
  patient = await insuredPatient(tc);
  doctor = await professional(tc, { family: 'Durand', given: 'Claire' });
  outsider = await professional(tc, { family: 'Étranger' });
  expect((await tc.request('PUT', `/api/professionals/${doctor.practitionerId}/roles/medecin-traitant`, { token: patient.token })).status).toBe(200);
  const add = async (section: string, input: Json) => {
    const res = await call('POST', `/api/profile/sections/${section}`, patient.token, input);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    entries[section] = res.body.id;
  };
  await add('vaccinations', { vaccineRefId: 'vaxigrip-tetra', date: '2025-10-15', administration: 'IMMUNIZ' });
  await add('contacts', { kind: 'TRUSTED_CONTACT', relation: 'SPOUSE', firstName: 'Paul', lastName: 'Martin', phone: '0612345678' });
  await add('diseases', { name: 'Asthme', start: { year: 1995 } });
  await add('allergies', { name: 'Pollen' });
  await add('treatments', { name: 'Ventoline' });
  await add('family-history', { name: 'Diabète', relationship: 'FATHER' });
  await add('habits', { topic: 'TOBACCO', answer: 'Non-fumeuse' });
  expect((await call('PUT', '/api/profile/organ-donation', patient.token, { position: 'DONOR', informedRelatives: true })).status).toBe(200);
  expect((await call('POST', '/api/profile/blood-group', patient.token, { group: 'OPOS' })).status).toBe(201);
});
afterAll(async () => tc?.close());

describe('the médecin traitant', () => {
  it('sees the vaccinations, the contacts and the organ donation through the API', async () => {
    const res = await call('GET', `/api/pro/patients/${patient.patientId}/profile`, doctor.token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.vaccinations.map((v: Json) => v.id)).toEqual([entries.vaccinations]);
    expect(res.body.vaccinations[0]).toMatchObject({ label: 'Vaxigrip Tetra', authoredByPatient: true, source: { kind: 'patient' } });
    expect(res.body.entourage).toMatchObject({ closed: false, organDonation: { position: 'DONOR', informedRelatives: true }, advanceDirective: null });
    expect(res.body.entourage.contacts.map((c: Json) => [c.kind, c.firstName])).toEqual([['TRUSTED_CONTACT', 'Paul']]);
    // nothing else of the profile is in the answer
    expect(Object.keys(res.body).sort()).toEqual(['entourage', 'vaccinations']);
  });

  it('sees them through /fhir, and not the diseases, allergies, treatments, measures, family history or habits', async () => {
    const p = patient.patientId;
    expect(ids((await fhir(doctor.token, `Immunization?patient=${p}`)).body)).toEqual([entries.vaccinations]);
    expect(ids((await fhir(doctor.token, `RelatedPerson?patient=${p}`)).body)).toContain(entries.contacts);
    const consents = (await fhir(doctor.token, `Consent?patient=${p}&category=${CATEGORY}|organ-donation`)).body;
    expect(consents.entry).toHaveLength(1);
    expect((await fhir(doctor.token, `Immunization/${entries.vaccinations}`)).status).toBe(200);
    for (const type of ['Condition', 'AllergyIntolerance', 'MedicationStatement', 'Observation', 'FamilyMemberHistory']) {
      const res = await fhir(doctor.token, `${type}?patient=${p}`);
      expect(res.status, `${type}: ${JSON.stringify(res.body)}`).toBe(403);
      expect(res.body.resourceType).toBe('OperationOutcome');
    }
    expect((await fhir(doctor.token, `Condition/${entries.diseases}`)).status).toBe(403);
    expect((await fhir(doctor.token, `MedicationStatement/${entries.treatments}`)).status).toBe(403);
    // nor the "non concerné" declarations (Lists that are neither submission sets nor folders)
    expect((await call('PUT', '/api/profile/sections/disabilities/unconcerned', patient.token)).status).toBe(200);
    const lists = (await fhir(doctor.token, `List?patient=${p}`)).body;
    expect((lists.entry ?? []).filter((e: Json) => e.resource.emptyReason)).toEqual([]);
  });

  it('every read is in the patient’s access history', async () => {
    const history = await call('GET', '/api/dmp/history', patient.token);
    expect(history.status).toBe(200);
    const mine = history.body.items.filter((i: Json) => i.actorType === 'professional' && i.agent === `pro-${doctor.rpps}`);
    const whats = mine.map((i: Json) => `${i.interaction} ${i.outcome} ${i.what}`).join('\n');
    for (const type of ['Immunization', 'RelatedPerson', 'Consent']) expect(whats).toContain(type);
    // the refusals too
    expect(mine.some((i: Json) => i.outcome === 'refused' && i.what.includes('Condition'))).toBe(true);
  });
});

describe('the patient closes "entourage et volontés"', () => {
  it('RelatedPerson is refused and the organ-donation Consent filtered on /fhir, the API says closed, the DMP Consent stays', async () => {
    const p = patient.patientId;
    // a professional records the patient's consent to access the DMP (a Consent of the record)
    const nurse = await professional(tc, { family: 'Moreau', profession: '60' });
    expect((await call('POST', `/api/pro/patients/${p}/access`, nurse.token, { basis: 'consent' })).status).toBe(201);
    const dmpConsents = ids((await fhir(nurse.token, `Consent?patient=${p}`)).body);
    expect(dmpConsents.length).toBeGreaterThanOrEqual(2);

    expect((await call('PUT', '/api/profile/settings', patient.token, { closed: ['entourage'] })).status).toBe(200);

    const related = await fhir(doctor.token, `RelatedPerson?patient=${p}`);
    expect(related.status).toBe(403);
    expect((await fhir(doctor.token, `RelatedPerson/${entries.contacts}`)).status).toBe(403);
    const wishes = await fhir(doctor.token, `Consent?patient=${p}&category=${CATEGORY}|organ-donation`);
    expect(wishes.status).toBe(200);
    expect(wishes.body.entry ?? []).toEqual([]);
    // the DMP consent recorded by the nurse is still readable, the wish is not
    const after = ids((await fhir(nurse.token, `Consent?patient=${p}`)).body);
    expect(after.length).toBe(dmpConsents.length - 1);
    const organ = (await call('GET', '/api/profile/organ-donation', patient.token)).body.organDonation;
    expect(after).not.toContain(organ.id);
    expect((await fhir(doctor.token, `Consent/${organ.id}`)).status).toBe(404);

    const view = await call('GET', `/api/pro/patients/${p}/profile`, doctor.token);
    expect(view.status).toBe(200);
    expect(view.body.entourage).toEqual({ closed: true, contacts: [], organDonation: null, advanceDirective: null });
    // the vaccinations stay open
    expect(view.body.vaccinations).toHaveLength(1);
    // the patient still sees everything
    expect((await call('GET', '/api/profile/sections/contacts', patient.token)).body.entries).toHaveLength(1);

    expect((await call('PUT', '/api/profile/settings', patient.token, { closed: [] })).status).toBe(200);
    expect((await call('GET', `/api/pro/patients/${p}/profile`, doctor.token)).body.entourage.closed).toBe(false);
  });
});

describe('a professional without access, and the professional’s vaccination', () => {
  it('a professional without access sees nothing', async () => {
    const p = patient.patientId;
    expect((await call('GET', `/api/pro/patients/${p}/profile`, outsider.token)).status).toBe(403);
    for (const url of [`Immunization?patient=${p}`, `RelatedPerson?patient=${p}`, `Consent?patient=${p}&category=${CATEGORY}|organ-donation`]) {
      expect((await fhir(outsider.token, url)).status, url).toBe(403);
    }
    expect((await call('POST', `/api/pro/patients/${p}/vaccinations`, outsider.token, { vaccineRefId: 'priorix', date: '2025-01-10', administration: 'BOOSTER' })).status).toBe(403);
    // the patient's API is not the professional's
    expect((await call('GET', '/api/profile', doctor.token)).status).toBe(403);
    expect((await call('GET', `/api/pro/patients/${p}/profile`, patient.token)).status).toBe(403);
  });

  it('the médecin traitant records a vaccination; the patient sees it as entered by a professional', async () => {
    const p = patient.patientId;
    const bad = await call('POST', `/api/pro/patients/${p}/vaccinations`, doctor.token, { vaccineRefId: 'priorix', date: '2999-01-01', administration: 'BOOSTER' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('profile.date-future');
    const res = await call('POST', `/api/pro/patients/${p}/vaccinations`, doctor.token, { vaccineRefId: 'boostrixtetra', date: '2026-01-12', administration: 'BOOSTER', lotNumber: 'L42' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ label: 'Boostrixtetra', authoredByPatient: false, source: { kind: 'professional' } });
    const seen = (await call('GET', '/api/profile/sections/vaccinations', patient.token)).body.entries.find((v: Json) => v.id === res.body.id);
    expect(seen).toMatchObject({ authoredByPatient: false, source: { kind: 'professional' }, lotNumber: 'L42', administration: 'BOOSTER' });
    expect(seen.source.name).toBeTruthy();
    // the professional's entry stays as they wrote it
    const edit = await call('PUT', `/api/profile/sections/vaccinations/${res.body.id}`, patient.token, { vaccineRefId: 'boostrixtetra', date: '2026-01-12', administration: 'IMMUNIZ' });
    expect(edit.status).toBe(403);
    expect(edit.body.code).toBe('vaccinations.professional-entry');
    const resource = (await fhir(patient.token, `Immunization/${res.body.id}`)).body;
    expect(resource.primarySource).toBe(true);
    expect(JSON.stringify(resource.extension)).toContain(`Practitioner/${doctor.practitionerId}`);
    // and the professional sees it in the profile
    expect((await call('GET', `/api/pro/patients/${p}/profile`, doctor.token)).body.vaccinations.map((v: Json) => v.id)).toContain(res.body.id);
  });
});
