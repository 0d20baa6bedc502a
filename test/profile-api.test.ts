import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cip13OfCip7 } from '../src/domain/reference/cip.js';
import { startCarnet, type TestCarnet } from './support/carnet.js';

/**
 * The medical profile's sections over real HTTP (docs/profile.md, src/contract/profile.ts): every section's
 * add, list, edit and delete; "non concerné" with its date, refused when entries exist and withdrawn by an
 * entry; the links between entries; the single-valued parts (blood group, organ donation); bad input named by
 * field with nothing stored, on /api and on /fhir; a parent acting for a child; someone else's record refused.
 */
let tc: TestCarnet;

beforeAll(async () => {
  tc = await startCarnet();
});
afterAll(async () => tc?.close());

type Json = Record<string, any>;
const JSON_HEADERS = { 'content-type': 'application/json' };
const call = async (method: string, url: string, token: string, body?: unknown, headers: Record<string, string> = {}) => {
  const res = await tc.request(method, url, { token, ...(body !== undefined ? { json: body } : {}), headers: { ...JSON_HEADERS, ...headers } });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Json };
};

/** A problem+json answer with this status and code, naming the field in its `fields`. */
function expectProblem(res: { status: number; body: Json }, status: number, code: string | undefined, field?: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  if (code !== undefined) expect(res.body.code).toBe(code);
  if (field) expect(res.body.fields, `${field} named in ${JSON.stringify(res.body)}`).toContain(field);
}

async function newPatient(): Promise<{ id: string; token: string }> {
  const id = randomUUID();
  const token = await tc.patient(id, { name: [{ family: 'Martin', given: ['Camille'] }], birthDate: '1988-03-14', gender: 'female' });
  return { id, token };
}

const CIP13 = cip13OfCip7('4944413');
const WRONG_CIP13 = `${CIP13.slice(0, 12)}${(Number(CIP13[12]) + 1) % 10}`;

/** One input and one changed input per section. */
const CASES: Record<string, { input: Json; changed: Json }> = {
  diseases: { input: { name: 'Asthme', start: { year: 1995, month: 4 }, comment: 'depuis l’enfance' }, changed: { name: 'Asthme allergique', start: { year: 1995 }, end: { year: 2020, month: 6, day: 30 } } },
  treatments: { input: { name: 'Atorvastatine 40 mg', cip13: CIP13, cis: '60007437', dosage: '1 par jour', start: { year: 2024 } }, changed: { name: 'Atorvastatine 40 mg', dosage: '1 le soir' } },
  allergies: { input: { name: 'Pénicilline' }, changed: { name: 'Pénicilline', comment: 'urticaire' } },
  hospitalisations: { input: { name: 'Appendicectomie', start: { year: 2010, month: 7, day: 3 }, duration: { value: 3, unit: 'DAY' } }, changed: { name: 'Appendicectomie', start: { year: 2010, month: 7 }, duration: { value: 1, unit: 'WEEK' }, comment: 'Hôpital Tenon' } },
  'family-history': { input: { name: 'Diabète de type 2', relationship: 'FATHER' }, changed: { name: 'Diabète de type 2', relationship: 'GRANDFATHER', comment: 'paternel' } },
  disabilities: { input: { name: 'Surdité partielle', types: ['SENSORY'], rate: 'LESS_THAN_50', humanHelp: 'NO' }, changed: { name: 'Surdité', types: ['SENSORY', 'OTHERS'], rate: 'BETWEEN_50_AND_79', humanHelp: 'YES', technicalHelp: 'Appareil auditif' } },
  vaccinations: { input: { vaccineRefId: 'vaxigrip-tetra', date: '2025-10-15', administration: 'IMMUNIZ', lotNumber: 'V123' }, changed: { vaccineRefId: 'vaxigrip-tetra', date: '2025-10-16', administration: 'BOOSTER', performer: 'Pharmacie du Marché' } },
  habits: { input: { topic: 'SLEEP', answer: 'Sept heures par nuit', date: '2026-01-05' }, changed: { topic: 'SLEEP', answer: 'Six heures', date: '2026-01-06' } },
  contacts: { input: { kind: 'EMERGENCY_CONTACT', relation: 'SPOUSE', firstName: 'Paul', lastName: 'Martin', phone: '06 12 34 56 78' }, changed: { kind: 'EMERGENCY_CONTACT', relation: 'SPOUSE', firstName: 'Paul', lastName: 'Martin', email: 'paul.martin@exemple.fr' } },
};

describe('every section: add, list, edit, delete', () => {
  for (const [section, c] of Object.entries(CASES)) {
    it(section, async () => {
      const p = await newPatient();
      const created = await call('POST', `/api/profile/sections/${section}`, p.token, c.input);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body).toMatchObject({ ...c.input, source: { kind: 'patient' } });
      expect(typeof created.body.updatedAt).toBe('string');
      const id = created.body.id as string;

      const list = await call('GET', `/api/profile/sections/${section}`, p.token);
      expect(list.status).toBe(200);
      expect(list.body.section).toBe(section);
      expect(list.body.entries.map((e: Json) => e.id)).toEqual([id]);
      expect(list.body.entries[0]).toMatchObject(c.input);

      const edited = await call('PUT', `/api/profile/sections/${section}/${id}`, p.token, c.changed);
      expect(edited.status, JSON.stringify(edited.body)).toBe(200);
      expect(edited.body).toMatchObject({ ...c.changed, id });
      const after = (await call('GET', `/api/profile/sections/${section}`, p.token)).body.entries;
      expect(after).toHaveLength(1);
      expect(after[0]).toMatchObject(c.changed);
      // what was dropped in the change is gone
      for (const key of Object.keys(c.input)) if (!(key in c.changed)) expect(after[0][key]).toBeUndefined();

      expect((await call('DELETE', `/api/profile/sections/${section}/${id}`, p.token)).status).toBe(204);
      expect((await call('GET', `/api/profile/sections/${section}`, p.token)).body.entries).toEqual([]);
      expectProblem(await call('DELETE', `/api/profile/sections/${section}/${id}`, p.token), 404, 'profile.entry-unknown');
    });
  }

  it('a vaccination carries the reference list’s label, diseases and codes', async () => {
    const p = await newPatient();
    const created = await call('POST', '/api/profile/sections/vaccinations', p.token, { vaccineRefId: 'infanrix-hexa', date: '2019-08-02', administration: 'INITIMMUNIZ' });
    expect(created.body).toMatchObject({ label: 'Infanrix hexa', authoredByPatient: true });
    expect(created.body.diseases).toContain('hépatite B');
    const fhir = await (await tc.request('GET', `/fhir/Immunization/${created.body.id}`, { token: p.token })).json();
    expect(fhir.vaccineCode.coding.map((c: Json) => c.system)).toContain('http://www.whocc.no/atc');
    expect(fhir.meta.tag).toEqual([
      { system: 'https://carnet.example/fhir/CodeSystem/profile-section', code: 'vaccinations' },
      { system: 'https://carnet.example/fhir/CodeSystem/written-by', code: 'patient' },
    ]);
    expectProblem(await call('POST', '/api/profile/sections/vaccinations', p.token, { vaccineRefId: 'no-such-vaccine', date: '2019-08-02', administration: 'BOOSTER' }), 422, 'vaccinations.unknown-vaccine', 'vaccineRefId');
  });

  it('the sections that share a type are told apart (diseases and disabilities are both Condition)', async () => {
    const p = await newPatient();
    await call('POST', '/api/profile/sections/diseases', p.token, CASES.diseases!.input);
    await call('POST', '/api/profile/sections/disabilities', p.token, CASES.disabilities!.input);
    expect((await call('GET', '/api/profile/sections/diseases', p.token)).body.entries.map((e: Json) => e.name)).toEqual(['Asthme']);
    expect((await call('GET', '/api/profile/sections/disabilities', p.token)).body.entries.map((e: Json) => e.name)).toEqual(['Surdité partielle']);
    const overview = await call('GET', '/api/profile', p.token);
    expect(overview.status, JSON.stringify(overview.body)).toBe(200);
    expect(overview.body.patient).toMatchObject({ id: p.id, name: 'Camille Martin', birthDate: '1988-03-14', sex: 'female', minor: false });
    const count = (s: string) => overview.body.sections.find((x: Json) => x.section === s).count;
    expect([count('diseases'), count('disabilities'), count('allergies')]).toEqual([1, 1, 0]);
    // the entry of one section is not reached through another
    const disease = (await call('GET', '/api/profile/sections/diseases', p.token)).body.entries[0];
    expectProblem(await call('PUT', `/api/profile/sections/disabilities/${disease.id}`, p.token, CASES.disabilities!.input), 404, 'profile.entry-unknown');
    expectProblem(await call('GET', '/api/profile/sections/moods', p.token), 404, 'profile.section-unknown');
  });
});

describe('non concerné', () => {
  it('is declared with its date, refused when the section has entries, withdrawn by an entry in the same unit', async () => {
    const p = await newPatient();
    const declared = await call('PUT', '/api/profile/sections/allergies/unconcerned', p.token);
    expect(declared.status).toBe(200);
    expect(Date.parse(declared.body.declaredAt)).toBeGreaterThan(Date.now() - 60_000);
    // declaring again keeps the first date
    expect((await call('PUT', '/api/profile/sections/allergies/unconcerned', p.token)).body.declaredAt).toBe(declared.body.declaredAt);
    expect((await call('GET', '/api/profile/sections/allergies', p.token)).body.unconcerned).toEqual({ declaredAt: declared.body.declaredAt });
    const overview = (await call('GET', '/api/profile', p.token)).body;
    expect(overview.sections.find((s: Json) => s.section === 'allergies').unconcerned).toEqual({ declaredAt: declared.body.declaredAt });
    // the declaration is a List of the record, empty for the reason nilknown
    const lists = await (await tc.request('GET', `/fhir/List?patient=${p.id}&code=https://carnet.example/fhir/CodeSystem/profile-section|allergies`, { token: p.token })).json();
    expect(lists.entry).toHaveLength(1);
    expect(lists.entry[0].resource).toMatchObject({ emptyReason: { coding: [{ code: 'nilknown' }] }, date: declared.body.declaredAt });

    // an entry withdraws it
    const added = await call('POST', '/api/profile/sections/allergies', p.token, { name: 'Pollen' });
    expect(added.status).toBe(201);
    expect((await call('GET', '/api/profile/sections/allergies', p.token)).body.unconcerned).toBeNull();
    // and with entries, it cannot be declared: nothing is stored
    expectProblem(await call('PUT', '/api/profile/sections/allergies/unconcerned', p.token), 409, 'profile.section-not-empty');
    expect((await call('GET', '/api/profile/sections/allergies', p.token)).body.unconcerned).toBeNull();

    // withdrawn on request
    await call('PUT', '/api/profile/sections/diseases/unconcerned', p.token);
    expect((await call('DELETE', '/api/profile/sections/diseases/unconcerned', p.token)).status).toBe(204);
    expect((await call('GET', '/api/profile/sections/diseases', p.token)).body.unconcerned).toBeNull();
    expectProblem(await call('PUT', '/api/profile/sections/vaccinations/unconcerned', p.token), 400, 'profile.section-not-declarable');
  });
});

describe('links between entries', () => {
  it('a treatment names its diseases and allergies; the disease and the allergy list the treatment; deleting a disease unlinks it', async () => {
    const p = await newPatient();
    const disease = (await call('POST', '/api/profile/sections/diseases', p.token, { name: 'Hypercholestérolémie', start: { year: 2020 } })).body;
    const allergy = (await call('POST', '/api/profile/sections/allergies', p.token, { name: 'Lactose' })).body;
    const treatment = await call('POST', '/api/profile/sections/treatments', p.token, { name: 'Atorvastatine', diseaseIds: [disease.id], allergyIds: [allergy.id] });
    expect(treatment.status, JSON.stringify(treatment.body)).toBe(201);
    expect(treatment.body).toMatchObject({ diseaseIds: [disease.id], allergyIds: [allergy.id] });
    expect((await call('GET', '/api/profile/sections/diseases', p.token)).body.entries[0].treatmentIds).toEqual([treatment.body.id]);
    expect((await call('GET', '/api/profile/sections/allergies', p.token)).body.entries[0].treatmentIds).toEqual([treatment.body.id]);
    // the links are references in FHIR
    const fhir = await (await tc.request('GET', `/fhir/MedicationStatement/${treatment.body.id}`, { token: p.token })).json();
    expect(fhir.reasonReference).toEqual([{ reference: `Condition/${disease.id}` }]);
    expect(JSON.stringify(fhir.extension)).toContain(`AllergyIntolerance/${allergy.id}`);

    // a link to something that is not an entry of the section (or of this record) is refused, nothing stored
    expectProblem(await call('POST', '/api/profile/sections/treatments', p.token, { name: 'X', diseaseIds: [allergy.id] }), 422, 'profile.link-unknown', 'diseaseIds');
    const other = await newPatient();
    const foreign = (await call('POST', '/api/profile/sections/diseases', other.token, { name: 'Autre', start: { year: 2020 } })).body;
    expectProblem(await call('POST', '/api/profile/sections/treatments', p.token, { name: 'X', diseaseIds: [foreign.id] }), 403, undefined);
    expect((await call('GET', '/api/profile/sections/treatments', p.token)).body.entries).toHaveLength(1);

    expect((await call('DELETE', `/api/profile/sections/diseases/${disease.id}`, p.token)).status).toBe(204);
    const [left] = (await call('GET', '/api/profile/sections/treatments', p.token)).body.entries;
    expect(left.diseaseIds).toBeUndefined();
    expect(left.allergyIds).toEqual([allergy.id]);
  });
});

describe('blood group and organ donation', () => {
  it('one blood group: a second is refused with 409 naming group, and nothing is stored', async () => {
    const p = await newPatient();
    expect((await call('GET', '/api/profile/blood-group', p.token)).body).toEqual({ bloodGroup: null });
    const created = await call('POST', '/api/profile/blood-group', p.token, { group: 'APOS' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ group: 'APOS', source: { kind: 'patient' } });
    expectProblem(await call('POST', '/api/profile/blood-group', p.token, { group: 'ONEG' }), 409, 'blood-group.exists', 'group');
    const obs = await (await tc.request('GET', `/fhir/Observation?patient=${p.id}&code=http://loinc.org|882-1`, { token: p.token })).json();
    expect(obs.entry).toHaveLength(1);
    // a connected app through /fhir is refused the same way
    const second = await tc.request('POST', '/fhir/Observation', { token: p.token, json: { ...obs.entry[0].resource, id: undefined, meta: undefined } });
    expect(second.status).toBe(409);
    expect((await call('PUT', '/api/profile/blood-group', p.token, { group: 'ONEG' })).body).toMatchObject({ group: 'ONEG', id: created.body.id });
    expect((await call('GET', '/api/profile', p.token)).body.bloodGroup).toBe('ONEG');
    expectProblem(await call('PUT', '/api/profile/blood-group', p.token, { group: 'Z' }), 400, 'profile.group-invalid', 'group');
    expect((await call('DELETE', '/api/profile/blood-group', p.token)).status).toBe(204);
    expect((await call('GET', '/api/profile/blood-group', p.token)).body).toEqual({ bloodGroup: null });
    expectProblem(await call('PUT', '/api/profile/blood-group', p.token, { group: 'ONEG' }), 404, 'blood-group.none');
  });

  it('organ donation: recorded, changed, deleted; one personne de confiance', async () => {
    const p = await newPatient();
    const put = await call('PUT', '/api/profile/organ-donation', p.token, { position: 'DONOR', informedRelatives: true });
    expect(put.status).toBe(200);
    const again = await call('PUT', '/api/profile/organ-donation', p.token, { position: 'REFUSES', informedRelatives: false, comment: 'Pas les cornées' });
    expect(again.body).toMatchObject({ id: put.body.id, position: 'REFUSES', informedRelatives: false, comment: 'Pas les cornées' });
    expect((await call('GET', '/api/profile/organ-donation', p.token)).body.organDonation).toMatchObject({ position: 'REFUSES' });
    expect((await call('GET', '/api/profile', p.token)).body.organDonation).toBe(true);
    expectProblem(await call('PUT', '/api/profile/organ-donation', p.token, { position: 'MAYBE' }), 400, 'profile.position-invalid', 'position');
    expect((await call('DELETE', '/api/profile/organ-donation', p.token)).status).toBe(204);
    expect((await call('GET', '/api/profile/organ-donation', p.token)).body.organDonation).toBeNull();

    const trusted = { kind: 'TRUSTED_CONTACT', relation: 'CHILD', firstName: 'Léa', lastName: 'Martin', phone: '0611223344' };
    expect((await call('POST', '/api/profile/sections/contacts', p.token, trusted)).status).toBe(201);
    expectProblem(await call('POST', '/api/profile/sections/contacts', p.token, { ...trusted, firstName: 'Hugo' }), 409, 'contacts.trusted-exists', 'kind');
    expect((await call('GET', '/api/profile/sections/contacts', p.token)).body.entries).toHaveLength(1);
  });
});

describe('bad input is refused, naming the field, and nothing is stored', () => {
  it('each field at fault is named', async () => {
    const p = await newPatient();
    expectProblem(await call('POST', '/api/profile/sections/diseases', p.token, { name: '', start: { year: 2020 } }), 400, 'profile.name-invalid', 'name');
    expectProblem(await call('POST', '/api/profile/sections/diseases', p.token, { name: 'x', start: { year: 2021, month: 2, day: 29 } }), 400, 'profile.start-invalid', 'start');
    expectProblem(await call('POST', '/api/profile/sections/diseases', p.token, { name: 'x', start: { year: 2999 } }), 400, 'profile.start-future', 'start');
    expectProblem(await call('POST', '/api/profile/sections/family-history', p.token, { name: 'x', relationship: 'COUSIN' }), 400, 'profile.relationship-invalid', 'relationship');
    expectProblem(await call('POST', '/api/profile/sections/habits', p.token, { topic: 'SPORT', answer: 'x' }), 400, 'profile.topic-invalid', 'topic');
    expectProblem(await call('POST', '/api/profile/sections/contacts', p.token, { kind: 'EMERGENCY_CONTACT', relation: 'OTHER', firstName: 'a', lastName: 'b', email: 'pas-un-courriel' }), 400, 'profile.email-invalid', 'email');
    expectProblem(await call('POST', '/api/profile/sections/allergies', p.token, { name: 'x'.repeat(201) }), 400, 'profile.name-invalid', 'name');
    expectProblem(await call('POST', '/api/profile/sections/allergies', p.token, [1, 2]), 400, 'request.invalid');
    const overview = (await call('GET', '/api/profile', p.token)).body;
    expect(overview.sections.every((s: Json) => s.count === 0)).toBe(true);
  });

  it('a CIP13 with a wrong key: 422 naming cip13 on /api, and the same MedicationStatement refused on /fhir', async () => {
    const p = await newPatient();
    expectProblem(await call('POST', '/api/profile/sections/treatments', p.token, { name: 'Atorvastatine', cip13: WRONG_CIP13 }), 422, 'treatments.cip-invalid', 'cip13');
    const statement = {
      resourceType: 'MedicationStatement',
      status: 'active',
      medicationCodeableConcept: { coding: [{ system: 'urn:oid:1.2.250.1.213.2.3.2', code: WRONG_CIP13 }], text: 'Atorvastatine' },
      subject: { reference: `Patient/${p.id}` },
    };
    const res = await tc.request('POST', '/fhir/MedicationStatement', { token: p.token, json: statement });
    expect(res.status).toBe(422);
    const outcome = await res.json();
    expect(outcome.issue[0].expression[0]).toContain('MedicationStatement.medicationCodeableConcept.coding[0].code');
    expect((await call('GET', '/api/profile/sections/treatments', p.token)).body.entries).toEqual([]);
    // the right key passes on both
    expect((await tc.request('POST', '/fhir/MedicationStatement', { token: p.token, json: { ...statement, medicationCodeableConcept: { coding: [{ system: 'urn:oid:1.2.250.1.213.2.3.2', code: CIP13 }] } } })).status).toBe(201);
  });
});

describe('who acts for whom', () => {
  it('a parent acts for their child; another patient is refused', async () => {
    const parent = await newPatient();
    const childId = randomUUID();
    await tc.carnet.repo.update((await import('../src/repo/index.js')).makeContext((await import('../src/domain/access/index.js')).SYSTEM), {
      resourceType: 'Patient',
      id: childId,
      name: [{ family: 'Martin', given: ['Léo'] }],
      birthDate: '2018-06-02',
    });
    const parentToken = await tc.user({ role: 'patient', patientId: parent.id, represents: [{ patientId: childId, relation: 'parent' }] });
    const acting = { 'x-acting-for': childId };
    const created = await call('POST', '/api/profile/sections/vaccinations', parentToken, { vaccineRefId: 'priorix', date: '2019-06-10', administration: 'INITIMMUNIZ' }, acting);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const listed = await call('GET', '/api/profile/sections/vaccinations', parentToken, undefined, acting);
    expect(listed.body.entries.map((e: Json) => e.id)).toEqual([created.body.id]);
    expect((await call('GET', '/api/profile', parentToken, undefined, acting)).body.patient).toMatchObject({ id: childId, minor: true });
    // the parent's own profile does not hold it
    expect((await call('GET', '/api/profile/sections/vaccinations', parentToken)).body.entries).toEqual([]);

    const stranger = await newPatient();
    expectProblem(await call('GET', '/api/profile/sections/vaccinations', stranger.token, undefined, acting), 403, 'acting-for.forbidden');
    // another record's entry is refused by the access policy (and the attempt is in that record's trail)
    expect((await call('DELETE', `/api/profile/sections/vaccinations/${created.body.id}`, stranger.token)).status).toBe(403);
    expect((await call('GET', '/api/profile/sections/vaccinations', parentToken, undefined, acting)).body.entries).toHaveLength(1);
    const pro = await tc.user({ role: 'professional', practitionerId: '810000000000' });
    expectProblem(await call('GET', '/api/profile', pro), 403, 'patient.only');
  });

  it('settings: the sections closed to professionals', async () => {
    const p = await newPatient();
    expect((await call('GET', '/api/profile/settings', p.token)).body).toEqual({ closed: [] });
    expect((await call('PUT', '/api/profile/settings', p.token, { closed: ['entourage'] })).body).toEqual({ closed: ['entourage'] });
    expect((await call('GET', '/api/profile/settings', p.token)).body).toEqual({ closed: ['entourage'] });
    expect((await call('GET', '/api/profile', p.token)).body.closed).toEqual(['entourage']);
    expectProblem(await call('PUT', '/api/profile/settings', p.token, { closed: ['everything'] }), 400, 'profile.closed-invalid', 'closed');
    const carer = await tc.user({ role: 'patient', patientId: randomUUID(), represents: [{ patientId: p.id, relation: 'carer' }] });
    expectProblem(await call('PUT', '/api/profile/settings', carer, { closed: [] }, { 'x-acting-for': p.id }), 403, 'profile.settings-carer');
    expect((await call('GET', '/api/profile/settings', p.token)).body).toEqual({ closed: ['entourage'] });
  });
});
