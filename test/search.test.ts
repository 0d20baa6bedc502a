import { makeRpps } from '../src/domain/directory/luhn.js';
import { SYSTEM } from '../src/domain/access/index.js';
import { makeContext } from '../src/repo/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCarnet, type TestCarnet, type TestResponse } from './support/carnet.js';
import {
  composition,
  condition,
  documentReference,
  IS_ARCHIVED_URL,
  nir,
  observation,
  oneOfEachType,
  organization,
  patient,
  practitioner,
  practitionerRole,
  SYSTEMS,
} from './support/search-fixtures.js';

/**
 * FHIR R4 search over real HTTP (http://hl7.org/fhir/R4/search.html): every supported type, GET and
 * POST _search, the standard parameters and the French PDSm ones, modifiers and prefixes, chains, _include
 * and _revinclude, _sort, _summary=count, _total, unknown parameters, the CapabilityStatement, bad input,
 * and privacy (nothing from a record the caller may not read, whatever the route).
 *
 * The world: Hélène Lefèvre, parent of Noël Lefèvre and Éloïse Gérard (her account reads the three
 * records); René Lefèvre and Gaëlle Morin, two other patients with their own accounts; a GP (Dr François
 * Gérard) and a radiologist (Dr Anaïs Noël) in the directory, with an imaging centre and a laboratory.
 */
let t: TestCarnet;
let helene: string; // token: Hélène, who also represents Noël and Éloïse
let rene: string; // token: another patient
let gaelle: string; // token: another patient, who tries to reach René's data through references
let pro: string; // token: a professional (Dr Gérard)
let operator: string; // token: an operator

const NIR13 = { helene: '2840375112045', noel: '1181269123067', eloise: '2150633063021', rene: '1500729019112', gaelle: '2900975056089' };
const INS = Object.fromEntries(Object.entries(NIR13).map(([k, v]) => [k, nir(v)])) as Record<keyof typeof NIR13, string>;
const RPPS = { gerard: makeRpps('1000123456'), noel: makeRpps('1000654321') };

const LOINC = {
  weight: { system: SYSTEMS.loinc, code: '29463-7', display: 'Poids corporel' },
  glucose: { system: SYSTEMS.loinc, code: '2339-0', display: 'Glycémie' },
  bp: { system: SYSTEMS.loinc, code: '85354-9', display: 'Pression artérielle' },
  hba1c: { system: SYSTEMS.loinc, code: '4548-4', display: 'Hémoglobine glyquée (HbA1c)' },
  height: { system: SYSTEMS.loinc, code: '8302-2', display: 'Taille' },
  smoking: { system: SYSTEMS.loinc, code: '72166-2', display: 'Statut tabagique' },
};

/** Every Observation Hélène's account can read (her record and her children's). */
const HELENE_OBS = [
  'obs-poids',
  'obs-poids-maison',
  'obs-glycemie',
  'obs-tension',
  'obs-hba1c',
  'obs-taille',
  'obs-tabac',
  'obs-noel-poids',
  'obs-eloise-taille',
];
/** Every DocumentReference Hélène's account can read. */
const HELENE_DOCS = ['doc-bio-noel', 'doc-consult', 'doc-cr-v1', 'doc-cr-v2', 'doc-imagerie'];

async function put(token: string, resource: Record<string, unknown>): Promise<any> {
  // documents and their lists are written through the DMP's paths only, messages through the messaging: the
  // fixtures are stored by Carnet itself
  if (['DocumentReference', 'List', 'Binary', 'Communication'].includes(resource.resourceType as string)) {
    return JSON.parse((await t.carnet.repo.update(makeContext(SYSTEM), resource)).version.content!);
  }
  const res = await t.request('PUT', `/fhir/${resource.resourceType as string}/${resource.id as string}`, { token, json: resource });
  if (res.status !== 201 && res.status !== 200) throw new Error(`PUT ${resource.resourceType as string}/${resource.id as string}: ${res.status} ${await res.text()}`);
  return res.json();
}

beforeAll(async () => {
  t = await startCarnet();
  operator = await t.user({ role: 'operator' });
  pro = await t.user({ role: 'professional', practitionerId: 'dr-gerard' });
  helene = await t.user({
    role: 'patient',
    patientId: 'helene',
    represents: [
      { patientId: 'noel', relation: 'parent' },
      { patientId: 'eloise', relation: 'parent' },
    ],
  });
  rene = await t.patient('rene', patient({ id: 'rene', family: 'Lefèvre', given: ['René'], gender: 'male', birthDate: '1950-07-14', nir13: NIR13.rene }));
  gaelle = await t.patient('gaelle', patient({ id: 'gaelle', family: 'Morin', given: ['Gaëlle'], gender: 'female', birthDate: '1990-09-09', nir13: NIR13.gaelle }));

  // the directory, written by an operator
  await put(operator, practitioner({ id: 'dr-gerard', family: 'Gérard', given: ['François'], rpps10: '1000123456' }));
  await put(operator, practitioner({ id: 'dr-noel', family: 'Noël', given: ['Anaïs'], rpps10: '1000654321' }));
  await put(operator, organization({ id: 'org-imagerie', name: 'Centre d’imagerie de la Croix-Rousse', finess8: '69004123' }));
  await put(operator, organization({ id: 'org-labo', name: 'Laboratoire Biogénie Lyon', finess8: '69004567' }));
  await put(operator, practitionerRole({ id: 'pr-noel-radio', practitioner: 'dr-noel', organization: 'org-imagerie', specialty: 'SM44' }));

  // Hélène's family
  await put(helene, patient({ id: 'helene', family: 'Lefèvre', given: ['Hélène', 'Marie'], gender: 'female', birthDate: '1984-03-12', nir13: NIR13.helene, maidenName: 'Ménard' }));
  await put(helene, patient({ id: 'noel', family: 'Lefèvre', given: ['Noël'], gender: 'male', birthDate: '2018-12-25', nir13: NIR13.noel }));
  await put(helene, patient({ id: 'eloise', family: 'Gérard', given: ['Éloïse'], gender: 'female', birthDate: '2015-06-02', nir13: NIR13.eloise }));

  const kg = (value: number) => ({ value, unit: 'kg', code: 'kg' });
  for (const o of [
    observation({ id: 'obs-poids', patient: 'helene', code: LOINC.weight, category: 'vital-signs', effective: '2024-03-15T09:30:00+01:00', performer: ['Practitioner/dr-gerard'], value: kg(61.2) }),
    // weighed at home with a connected scale whose app sends no code system
    observation({ id: 'obs-poids-maison', patient: 'helene', code: { code: '29463-7', display: 'Poids (pesée à domicile)' }, category: 'vital-signs', effective: '2024-03-10T07:15:00+01:00', value: kg(61.8) }),
    observation({ id: 'obs-glycemie', patient: 'helene', code: LOINC.glucose, category: 'laboratory', effective: '2024-03-20', value: { value: 1.02, unit: 'g/L', code: 'g/L' } }),
    observation({ id: 'obs-tension', patient: 'helene', code: LOINC.bp, category: 'vital-signs', status: 'preliminary', effective: { start: '2024-02-25', end: '2024-03-05' } }),
    observation({ id: 'obs-hba1c', patient: 'helene', code: LOINC.hba1c, category: 'laboratory', effective: '2023-11-02T14:00:00Z', value: { value: 6.4, unit: '%', code: '%' } }),
    observation({ id: 'obs-taille', patient: 'helene', code: LOINC.height, category: 'vital-signs', status: 'amended', effective: '2024-03-28T00:30:00+02:00', value: { value: 165, unit: 'cm', code: 'cm' } }),
    observation({ id: 'obs-tabac', patient: 'helene', code: LOINC.smoking }),
    observation({ id: 'obs-noel-poids', patient: 'noel', code: LOINC.weight, category: 'vital-signs', effective: '2024-03-15T17:00:00+01:00', value: kg(21.4) }),
    observation({ id: 'obs-eloise-taille', patient: 'eloise', code: LOINC.height, category: 'vital-signs', effective: '2024-01-10', value: { value: 132, unit: 'cm', code: 'cm' } }),
  ]) {
    await put(helene, o);
  }

  const pdf = 'urn:ihe:iti:xds-sd:pdf:2008';
  const common = { confidentiality: 'N' as const, format: pdf };
  for (const d of [
    documentReference({
      id: 'doc-consult', patient: 'helene', loinc: ['11488-4', 'Compte rendu de consultation'], classCode: ['10', 'Compte rendu'], status: 'current',
      date: '2024-03-15T10:00:00+01:00', authors: ['Practitioner/dr-gerard'], ...common, facility: ['SA07', 'Cabinet individuel'], setting: ['GENE', 'Médecine générale'],
      period: { start: '2024-03-15T09:00:00+01:00', end: '2024-03-15T09:45:00+01:00' }, creation: '2024-03-15T09:50:00+01:00', isArchived: false,
      title: 'Consultation du 15 mars 2024', masterIdentifier: 'urn:oid:1.2.250.1.999.1.1',
    }),
    documentReference({
      id: 'doc-cr-v1', patient: 'helene', loinc: ['18842-5', 'Lettre de sortie'], classCode: ['10', 'Compte rendu'], status: 'superseded',
      date: '2023-12-10T16:00:00Z', authors: ['Practitioner/dr-gerard'], ...common, facility: ['SA01', 'Établissement public de santé'], setting: ['CARDIO', 'Cardiologie'],
      period: { start: '2023-12-01', end: '2023-12-08' }, creation: '2023-12-09T11:00:00+01:00', isArchived: true, title: 'Lettre de sortie (version 1)',
    }),
    documentReference({
      id: 'doc-cr-v2', patient: 'helene', loinc: ['18842-5', 'Lettre de sortie'], classCode: ['10', 'Compte rendu'], status: 'current',
      date: '2023-12-12T09:00:00Z', authors: ['Practitioner/dr-gerard'], ...common, facility: ['SA01', 'Établissement public de santé'], setting: ['CARDIO', 'Cardiologie'],
      period: { start: '2023-12-01', end: '2023-12-08' }, creation: '2023-12-11T15:30:00+01:00', replaces: 'DocumentReference/doc-cr-v1', title: 'Lettre de sortie (version 2)',
    }),
    documentReference({
      id: 'doc-imagerie', patient: 'helene', loinc: ['18748-4', 'Compte rendu d’imagerie'], classCode: ['40', 'Imagerie médicale'], status: 'current',
      date: '2024-01-20T11:00:00Z', authors: ['PractitionerRole/pr-noel-radio', 'Organization/org-imagerie'], confidentiality: 'R', format: 'urn:ihe:rad:PDF',
      facility: ['SA05', 'Centre de santé'], setting: ['RADIO', 'Radiologie'], period: { start: '2024-01-20T08:15:00+01:00' }, creation: '2024-01-20T10:00:00+01:00',
      isArchived: false, title: 'IRM du genou droit',
    }),
    documentReference({
      id: 'doc-bio-noel', patient: 'noel', loinc: ['11502-2', 'Compte rendu de biologie'], classCode: ['30', 'Biologie'], status: 'current',
      date: '2024-02-01T08:00:00Z', authors: ['Organization/org-labo'], ...common, facility: ['SA29', 'Laboratoire de biologie médicale'], setting: ['BIO', 'Biologie médicale'],
      period: { start: '2024-01-31', end: '2024-01-31' }, creation: '2024-02-01T07:30:00+01:00', isArchived: true, title: 'Bilan sanguin',
    }),
  ]) {
    await put(helene, d);
  }

  await put(helene, condition({ id: 'cond-diabete', patient: 'helene', snomed: ['44054006', 'Diabète de type 2'], category: 'problem-list-item', onset: '2019' }));
  await put(helene, condition({ id: 'cond-hta', patient: 'helene', snomed: ['38341003', 'Hypertension artérielle'], category: 'encounter-diagnosis' }));
  await put(helene, condition({ id: 'cond-noel-asthme', patient: 'noel', snomed: ['195967001', 'Asthme'], category: 'problem-list-item' }));
  await put(helene, composition({ id: 'comp-vsm', patient: 'helene', loinc: ['60591-5', 'Volet de synthèse médicale'], status: 'final', date: '2024-02-10T10:00:00+01:00', author: 'Practitioner/dr-gerard', title: 'Volet de synthèse médicale' }));
  await put(helene, composition({ id: 'comp-cr', patient: 'helene', loinc: ['11488-4', 'Compte rendu'], status: 'preliminary', date: '2024-03-15T11:00:00+01:00', author: 'Practitioner/dr-noel', title: 'Compte rendu d’IRM' }));

  const extra = oneOfEachType('helene');
  for (const r of extra.inRecord) await put(helene, r);
  for (const r of extra.shared) await put(operator, r);

  // René: the same kinds of data as Hélène, same codes, same author, same days — any leak would show
  await put(rene, observation({ id: 'obs-rene-poids', patient: 'rene', code: LOINC.weight, category: 'vital-signs', effective: '2024-03-15T10:00:00+01:00', value: kg(82) }));
  await put(rene, observation({ id: 'obs-rene-glycemie', patient: 'rene', code: LOINC.glucose, category: 'laboratory', effective: '2024-03-20' }));
  await put(rene, condition({ id: 'cond-rene-diabete', patient: 'rene', snomed: ['44054006', 'Diabète de type 2'], category: 'problem-list-item' }));
  await put(
    rene,
    documentReference({
      id: 'doc-rene', patient: 'rene', loinc: ['11488-4', 'Compte rendu de consultation'], classCode: ['10', 'Compte rendu'], status: 'current',
      date: '2024-03-15T11:00:00+01:00', authors: ['Practitioner/dr-gerard'], ...common, facility: ['SA07', 'Cabinet individuel'], setting: ['GENE', 'Médecine générale'],
      period: { start: '2024-03-15T10:30:00+01:00', end: '2024-03-15T10:50:00+01:00' }, creation: '2024-03-15T10:55:00+01:00', isArchived: false, title: 'Consultation',
    }),
  );

  // Gaëlle: a document in her own record that points at René's, to probe it through _include and chains
  await put(
    gaelle,
    documentReference({
      id: 'doc-sonde', patient: 'gaelle', loinc: ['34133-9', 'Synthèse d’épisode'], classCode: ['10', 'Compte rendu'], status: 'current',
      date: '2024-04-02T10:00:00+02:00', authors: ['Practitioner/dr-gerard'], ...common, facility: ['SA07', 'Cabinet individuel'], setting: ['GENE', 'Médecine générale'],
      creation: '2024-04-02T09:00:00+02:00', replaces: 'DocumentReference/doc-rene', title: 'Sonde',
    }),
  );
});
afterAll(() => t.close());

// ---------------------------------------------------------------------------------------------------------
// helpers

/** 'a=1&b=x|y' → pairs, taken literally (no percent-decoding), so that accents, '|' and '+' are sent as written. */
function pairs(query: string): [string, string][] {
  if (query === '') return [];
  return query.split('&').map((p) => {
    const i = p.indexOf('=');
    return i < 0 ? [p, ''] : [p.slice(0, i), p.slice(i + 1)];
  });
}

const encode = (query: string) => new URLSearchParams(pairs(query)).toString();

function get(token: string, type: string, query: string, headers: Record<string, string> = {}): Promise<TestResponse> {
  return t.request('GET', `/fhir/${type}${query ? `?${encode(query)}` : ''}`, { token, headers });
}

function post(token: string, type: string, query: string, headers: Record<string, string> = {}): Promise<TestResponse> {
  return t.request('POST', `/fhir/${type}/_search`, { token, body: encode(query), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
}

async function searchset(res: TestResponse, what: string): Promise<any> {
  const text = await res.text();
  expect(res.status, `${what}: ${text.slice(0, 500)}`).toBe(200);
  const bundle = JSON.parse(text);
  expect(bundle.resourceType).toBe('Bundle');
  expect(bundle.type).toBe('searchset');
  return bundle;
}

const entries = (b: any): any[] => b.entry ?? [];
/** Ids of the matches, in the server's order. */
const matchIds = (b: any): string[] => entries(b).filter((e) => e.search?.mode === 'match').map((e) => e.resource.id);
/** Type/id of the included resources, sorted. */
const included = (b: any): string[] => entries(b).filter((e) => e.search?.mode === 'include').map((e) => `${e.resource.resourceType}/${e.resource.id}`).sort();
/** The diagnostics of the OperationOutcome entry (ignored parameters), if any. */
const warnings = (b: any): string[] =>
  entries(b)
    .filter((e) => e.search?.mode === 'outcome')
    .flatMap((e) => e.resource.issue.map((i: any) => `${i.severity}: ${i.diagnostics}`));
const summary = (b: any): string[] => entries(b).map((e) => `${e.search?.mode}:${e.resource.resourceType}/${e.resource.id}`);

/**
 * Runs the search with GET and with POST _search: both must give a searchset with the same entries and no
 * ignored parameter. Returns the GET bundle.
 */
async function both(token: string, type: string, query: string, opts: { ordered?: boolean } = {}): Promise<any> {
  const viaGet = await searchset(await get(token, type, query), `GET ${type}?${query}`);
  const viaPost = await searchset(await post(token, type, query), `POST ${type}/_search ${query}`);
  expect(warnings(viaGet), `GET ${type}?${query}: parameters reported as ignored`).toEqual([]);
  const norm = (b: any) => (opts.ordered ? summary(b) : summary(b).sort());
  expect(norm(viaPost), `POST ${type}/_search ${query} differs from GET`).toEqual(norm(viaGet));
  return viaGet;
}

/** The ids matched (sorted), by GET and POST alike. */
async function find(token: string, type: string, query: string): Promise<string[]> {
  return matchIds(await both(token, type, query)).sort();
}

/** The ids matched, in the server's order, by GET and POST alike. */
async function findOrdered(token: string, type: string, query: string): Promise<string[]> {
  return matchIds(await both(token, type, query, { ordered: true }));
}

const sorted = (ids: string[]) => [...ids].sort();
const without = (all: string[], ...ids: string[]) => sorted(all.filter((i) => !ids.includes(i)));

/** An OperationOutcome with an error whose text names what is wrong. */
async function expectBadRequest(res: TestResponse, names: RegExp, what: string): Promise<void> {
  const text = await res.text();
  expect(res.status, `${what}: ${text.slice(0, 300)}`).toBe(400);
  expect(res.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
  const oo = JSON.parse(text);
  expect(oo.resourceType).toBe('OperationOutcome');
  expect(oo.issue.some((i: any) => i.severity === 'error' || i.severity === 'fatal')).toBe(true);
  const said = oo.issue.map((i: any) => [i.diagnostics, i.details?.text, ...(i.expression ?? [])].join(' ')).join(' ');
  expect(said, what).toMatch(names);
}

// ---------------------------------------------------------------------------------------------------------

describe('every supported type, GET and POST _search', () => {
  const ids: Record<string, string> = {
    AllergyIntolerance: 'x-allergy',
    Appointment: 'x-appointment',
    Bundle: 'x-bundle',
    Communication: 'x-communication',
    Composition: 'comp-vsm',
    Condition: 'cond-diabete',
    Consent: 'x-consent',
    Device: 'x-device',
    DocumentReference: 'doc-consult',
    FamilyMemberHistory: 'x-fmh',
    Immunization: 'x-immunization',
    List: 'x-list',
    MedicationStatement: 'x-medstatement',
    Observation: 'obs-poids',
    Organization: 'org-imagerie',
    Patient: 'helene',
    Practitioner: 'dr-gerard',
    PractitionerRole: 'pr-noel-radio',
    Procedure: 'x-procedure',
    Questionnaire: 'x-questionnaire',
    QuestionnaireResponse: 'x-qr',
    RelatedPerson: 'x-related',
  };

  async function anAuditEventId(): Promise<string> {
    const b = await searchset(await get(helene, 'AuditEvent', '_count=1'), 'AuditEvent');
    expect(matchIds(b)).toHaveLength(1);
    return matchIds(b)[0]!;
  }

  it('refuses to search Binary: the bytes of a document are read at Binary/<document id> (ITI-68)', async () => {
    expect((await get(helene, 'Binary', '_id=x-binary')).status).toBe(405);
  });

  it('finds a resource of each of the 23 other types by _id', async () => {
    const all = { ...ids, AuditEvent: await anAuditEventId() };
    expect(Object.keys(all)).toHaveLength(23);
    for (const [type, id] of Object.entries(all)) {
      expect(await find(helene, type, `_id=${id}`), type).toEqual([id]);
      expect(await find(helene, type, `_id=${id},does-not-exist`), type).toEqual([id]);
      expect(await find(helene, type, '_id=does-not-exist'), type).toEqual([]);
    }
  });

  it('filters each of the 24 types by _lastUpdated', async () => {
    const all = { ...ids, AuditEvent: await anAuditEventId() };
    for (const [type, id] of Object.entries(all)) {
      expect(await find(helene, type, `_id=${id}&_lastUpdated=ge2020-01-01`), type).toEqual([id]);
      expect(await find(helene, type, `_id=${id}&_lastUpdated=gt2020`), type).toEqual([id]);
      expect(await find(helene, type, `_id=${id}&_lastUpdated=lt2020-01-01T00:00:00Z`), type).toEqual([]);
    }
  });

  it('_lastUpdated compares instants at the precision given', async () => {
    await new Promise((r) => setTimeout(r, 25));
    const created = await put(helene, { ...oneOfEachType('helene').inRecord[0]!, id: 'x-allergy-2' });
    const at: string = created.meta.lastUpdated;
    expect(await find(helene, 'AllergyIntolerance', `_lastUpdated=ge${at}`)).toEqual(['x-allergy-2']);
    expect(await find(helene, 'AllergyIntolerance', `_lastUpdated=lt${at}`)).toEqual(['x-allergy']);
    expect(await find(helene, 'AllergyIntolerance', `_lastUpdated=${at}`)).toEqual(['x-allergy-2']);
    expect(await find(helene, 'AllergyIntolerance', `_lastUpdated=le${at}`)).toEqual(['x-allergy', 'x-allergy-2']);
    expect(await find(helene, 'AllergyIntolerance', `_lastUpdated=gt${at}`)).toEqual([]);
  });
});

describe('identifier, patient and subject', () => {
  it('identifier as system|value, |value and value', async () => {
    expect(await find(helene, 'Patient', `identifier=${SYSTEMS.ins}|${INS.noel}`)).toEqual(['noel']);
    expect(await find(helene, 'Patient', `identifier=${INS.eloise}`)).toEqual(['eloise']);
    expect(await find(helene, 'Patient', `identifier=|${INS.eloise}`)).toEqual([]); // it has a system
    expect(await find(helene, 'Patient', `identifier=urn:oid:1.2.3|${INS.noel}`)).toEqual([]);
    expect(await find(helene, 'Practitioner', `identifier=${SYSTEMS.rpps}|${RPPS.noel}`)).toEqual(['dr-noel']);
    expect(await find(helene, 'DocumentReference', 'identifier=urn:ietf:rfc:3986|urn:oid:1.2.250.1.999.1.1')).toEqual(['doc-consult']);
  });

  it('patient and subject as Type/id, bare id and absolute URL', async () => {
    expect(await find(helene, 'Observation', 'patient=noel')).toEqual(['obs-noel-poids']);
    expect(await find(helene, 'Observation', 'subject=Patient/eloise')).toEqual(['obs-eloise-taille']);
    expect(await find(helene, 'Observation', `subject=${t.fhirBase}/Patient/eloise`)).toEqual(['obs-eloise-taille']);
    expect(await find(helene, 'Observation', 'patient=noel,eloise')).toEqual(['obs-eloise-taille', 'obs-noel-poids']);
    expect(await find(helene, 'Observation', 'patient=Patient/helene')).toEqual(without(HELENE_OBS, 'obs-noel-poids', 'obs-eloise-taille'));
    expect(await find(helene, 'DocumentReference', 'patient=noel')).toEqual(['doc-bio-noel']);
    expect(await find(helene, 'DocumentReference', 'subject=Patient/helene')).toEqual(without(HELENE_DOCS, 'doc-bio-noel'));
    expect(await find(helene, 'Condition', 'patient=noel')).toEqual(['cond-noel-asthme']);
  });
});

describe('string parameters', () => {
  it('name, family and given are accent- and case-insensitive and match a prefix', async () => {
    expect(await find(helene, 'Patient', 'name=Hélène')).toEqual(['helene']);
    expect(await find(helene, 'Patient', 'name=helene')).toEqual(['helene']);
    expect(await find(helene, 'Patient', 'name=HÉLÈNE')).toEqual(['helene']);
    expect(await find(helene, 'Patient', 'family=lef')).toEqual(['helene', 'noel']);
    expect(await find(helene, 'Patient', 'family=LEFEVRE')).toEqual(['helene', 'noel']);
    expect(await find(helene, 'Patient', 'given=ELO')).toEqual(['eloise']);
    expect(await find(helene, 'Patient', 'given=noel')).toEqual(['noel']);
    expect(await find(helene, 'Patient', 'given=marie')).toEqual(['helene']); // second given name
    expect(await find(helene, 'Patient', 'family=menard')).toEqual(['helene']); // maiden name
    expect(await find(helene, 'Patient', 'name=gerard')).toEqual(['eloise']);
    // a prefix, not a substring
    expect(await find(helene, 'Patient', 'given=oïse')).toEqual([]);
    expect(await find(helene, 'Patient', 'family=fèvre')).toEqual([]);
  });

  it('on Practitioner too', async () => {
    expect(await find(helene, 'Practitioner', 'family=noel')).toEqual(['dr-noel']);
    expect(await find(helene, 'Practitioner', 'given=franc')).toEqual(['dr-gerard']);
    expect(await find(helene, 'Practitioner', 'name=ANAÏS')).toEqual(['dr-noel']);
    expect(await find(helene, 'Practitioner', 'name=gérard')).toEqual(['dr-gerard']);
  });

  it(':exact is case- and accent-sensitive and matches the whole value', async () => {
    expect(await find(helene, 'Patient', 'family:exact=Lefèvre')).toEqual(['helene', 'noel']);
    expect(await find(helene, 'Patient', 'family:exact=Lefevre')).toEqual([]);
    expect(await find(helene, 'Patient', 'family:exact=lefèvre')).toEqual([]);
    expect(await find(helene, 'Patient', 'family:exact=Lef')).toEqual([]);
    expect(await find(helene, 'Patient', 'given:exact=Éloïse')).toEqual(['eloise']);
    expect(await find(helene, 'Patient', 'given:exact=Eloise')).toEqual([]);
  });

  it(':contains matches anywhere in the value', async () => {
    expect(await find(helene, 'Patient', 'family:contains=fèv')).toEqual(['helene', 'noel']);
    expect(await find(helene, 'Patient', 'given:contains=OIS')).toEqual(['eloise']);
    expect(await find(helene, 'Patient', 'family:contains=rar')).toEqual(['eloise']);
    expect(await find(helene, 'Patient', 'family:contains=xyz')).toEqual([]);
  });
});

describe('token parameters', () => {
  it('code as system|code, |code and code', async () => {
    expect(await find(helene, 'Observation', `code=${SYSTEMS.loinc}|29463-7`)).toEqual(['obs-noel-poids', 'obs-poids']);
    expect(await find(helene, 'Observation', 'code=29463-7')).toEqual(['obs-noel-poids', 'obs-poids', 'obs-poids-maison']);
    expect(await find(helene, 'Observation', 'code=|29463-7')).toEqual(['obs-poids-maison']);
    expect(await find(helene, 'Observation', `code=${SYSTEMS.snomed}|29463-7`)).toEqual([]);
    expect(await find(helene, 'Observation', `code=${SYSTEMS.loinc}|2339-0,${SYSTEMS.loinc}|4548-4`)).toEqual(['obs-glycemie', 'obs-hba1c']);
    expect(await find(helene, 'Condition', `code=${SYSTEMS.snomed}|44054006`)).toEqual(['cond-diabete']);
  });

  it('category, status and gender', async () => {
    expect(await find(helene, 'Observation', 'category=vital-signs')).toEqual(
      sorted(['obs-poids', 'obs-poids-maison', 'obs-tension', 'obs-taille', 'obs-noel-poids', 'obs-eloise-taille']),
    );
    expect(await find(helene, 'Observation', `category=${SYSTEMS.obsCategory}|laboratory`)).toEqual(['obs-glycemie', 'obs-hba1c']);
    expect(await find(helene, 'Condition', 'category=problem-list-item')).toEqual(['cond-diabete', 'cond-noel-asthme']);
    expect(await find(helene, 'DocumentReference', `category=${SYSTEMS.docClass}|10`)).toEqual(['doc-consult', 'doc-cr-v1', 'doc-cr-v2']);
    expect(await find(helene, 'Observation', 'status=preliminary,amended')).toEqual(['obs-taille', 'obs-tension']);
    expect(await find(helene, 'DocumentReference', 'status=superseded')).toEqual(['doc-cr-v1']);
    expect(await find(helene, 'Composition', 'status=preliminary')).toEqual(['comp-cr']);
    expect(await find(helene, 'Patient', 'gender=female')).toEqual(['eloise', 'helene']);
    expect(await find(helene, 'Patient', 'gender=male')).toEqual(['noel']);
  });

  it(':not returns the resources without that code, including those with no value', async () => {
    expect(await find(helene, 'Observation', `code:not=${SYSTEMS.loinc}|29463-7`)).toEqual(without(HELENE_OBS, 'obs-poids', 'obs-noel-poids'));
    expect(await find(helene, 'Observation', 'category:not=vital-signs')).toEqual(['obs-glycemie', 'obs-hba1c', 'obs-tabac']);
    expect(await find(helene, 'Observation', 'status:not=final')).toEqual(['obs-taille', 'obs-tension']);
    expect(await find(helene, 'Patient', 'gender:not=female')).toEqual(['noel']);
    expect(await find(helene, 'DocumentReference', 'isArchived:not=true')).toEqual(['doc-consult', 'doc-cr-v2', 'doc-imagerie']);
  });

  it(':missing=true and :missing=false', async () => {
    expect(await find(helene, 'Observation', 'category:missing=true')).toEqual(['obs-tabac']);
    expect(await find(helene, 'Observation', 'category:missing=false')).toEqual(without(HELENE_OBS, 'obs-tabac'));
    expect(await find(helene, 'Observation', 'date:missing=true')).toEqual(['obs-tabac']);
    expect(await find(helene, 'DocumentReference', 'isArchived:missing=true')).toEqual(['doc-cr-v2']);
    expect(await find(helene, 'DocumentReference', 'isArchived:missing=false')).toEqual(without(HELENE_DOCS, 'doc-cr-v2'));
    expect(await find(helene, 'DocumentReference', 'period-end:missing=true')).toEqual(['doc-imagerie']);
  });

  it('the DocumentReference tokens: type, security-label, setting, facility, format, isArchived', async () => {
    expect(await find(helene, 'DocumentReference', `type=${SYSTEMS.loinc}|18842-5`)).toEqual(['doc-cr-v1', 'doc-cr-v2']);
    expect(await find(helene, 'DocumentReference', 'type=11488-4')).toEqual(['doc-consult']); // not René's
    expect(await find(helene, 'Composition', 'type=60591-5')).toEqual(['comp-vsm']);
    expect(await find(helene, 'DocumentReference', 'security-label=R')).toEqual(['doc-imagerie']);
    expect(await find(helene, 'DocumentReference', `security-label=${SYSTEMS.confidentiality}|N`)).toEqual(without(HELENE_DOCS, 'doc-imagerie'));
    expect(await find(helene, 'DocumentReference', 'setting=RADIO')).toEqual(['doc-imagerie']);
    expect(await find(helene, 'DocumentReference', `setting=${SYSTEMS.setting}|CARDIO`)).toEqual(['doc-cr-v1', 'doc-cr-v2']);
    expect(await find(helene, 'DocumentReference', `facility=${SYSTEMS.facility}|SA01`)).toEqual(['doc-cr-v1', 'doc-cr-v2']);
    expect(await find(helene, 'DocumentReference', 'facility=SA29')).toEqual(['doc-bio-noel']);
    expect(await find(helene, 'DocumentReference', 'format=urn:ihe:rad:PDF')).toEqual(['doc-imagerie']);
    expect(await find(helene, 'DocumentReference', `format=${SYSTEMS.format}|urn:ihe:iti:xds-sd:pdf:2008`)).toEqual(without(HELENE_DOCS, 'doc-imagerie'));
    expect(await find(helene, 'DocumentReference', 'isArchived=true')).toEqual(['doc-bio-noel', 'doc-cr-v1']);
    expect(await find(helene, 'DocumentReference', 'isArchived=false')).toEqual(['doc-consult', 'doc-imagerie']);
    // the extension the parameter is defined on, not any boolean
    const doc = await (await t.request('GET', '/fhir/DocumentReference/doc-cr-v1', { token: helene })).json();
    expect(doc.extension[0].url).toBe(IS_ARCHIVED_URL);
  });
});

describe('date parameters', () => {
  // effective values (UTC): poids 2024-03-15T08:30Z, maison 2024-03-10T06:15Z, glycémie the day 2024-03-20,
  // tension the period 2024-02-25..2024-03-05, HbA1c 2023-11-02T14:00Z, taille 2024-03-27T22:30Z,
  // Noël 2024-03-15T16:00Z, Éloïse the day 2024-01-10, tabac none.

  it('eq at year, month and day precision (the search range must contain the value)', async () => {
    expect(await find(helene, 'Observation', 'date=2024')).toEqual(without(HELENE_OBS, 'obs-hba1c', 'obs-tabac'));
    expect(await find(helene, 'Observation', 'date=2024-03')).toEqual(['obs-glycemie', 'obs-noel-poids', 'obs-poids', 'obs-poids-maison', 'obs-taille']);
    expect(await find(helene, 'Observation', 'date=2024-03-15')).toEqual(['obs-noel-poids', 'obs-poids']);
    expect(await find(helene, 'Observation', 'date=eq2024-03-20')).toEqual(['obs-glycemie']);
    expect(await find(helene, 'Observation', 'date=2024-03-03')).toEqual([]); // inside the period, which it does not contain
  });

  it('dateTime with seconds and a timezone', async () => {
    expect(await find(helene, 'Observation', 'date=2024-03-15T09:30:00+01:00')).toEqual(['obs-poids']);
    expect(await find(helene, 'Observation', 'date=2024-03-15T08:30:00Z')).toEqual(['obs-poids']);
    // 2024-03-28T00:30:00+02:00 is 2024-03-27T22:30Z
    expect(await find(helene, 'Observation', 'date=lt2024-03-27T23:00:00Z')).toContain('obs-taille');
    expect(await find(helene, 'Observation', 'date=gt2024-03-27T23:00:00Z')).toEqual([]);
    expect(await find(helene, 'Observation', 'date=ge2024-03-27T22:30:00Z')).toEqual(['obs-taille']);
  });

  it('ne, lt, gt, le, ge, sa and eb', async () => {
    // (whether ne matches a resource with no date at all is checked on its own below)
    expect((await find(helene, 'Observation', 'date=ne2024-03-15')).filter((id) => id !== 'obs-tabac')).toEqual(
      without(HELENE_OBS, 'obs-poids', 'obs-noel-poids', 'obs-tabac'),
    );
    expect(await find(helene, 'Observation', 'date=lt2024-03-01')).toEqual(['obs-eloise-taille', 'obs-hba1c', 'obs-tension']);
    // gt a day: after the whole day, so nothing on 2024-03-15 itself
    expect(await find(helene, 'Observation', 'date=gt2024-03-15')).toEqual(['obs-glycemie', 'obs-taille']);
    expect(await find(helene, 'Observation', 'date=ge2024-03-15')).toEqual(['obs-glycemie', 'obs-noel-poids', 'obs-poids', 'obs-taille']);
    expect(await find(helene, 'Observation', 'date=le2024-03-10')).toEqual(['obs-eloise-taille', 'obs-hba1c', 'obs-poids-maison', 'obs-tension']);
    expect(await find(helene, 'Observation', 'date=sa2024-03-01')).toEqual(['obs-glycemie', 'obs-noel-poids', 'obs-poids', 'obs-poids-maison', 'obs-taille']);
    expect(await find(helene, 'Observation', 'date=eb2024-03-01')).toEqual(['obs-eloise-taille', 'obs-hba1c']);
    expect(await find(helene, 'Observation', 'date=lt2024')).toEqual(['obs-hba1c']);
    expect(await find(helene, 'Observation', 'date=gt2023-12')).toEqual(without(HELENE_OBS, 'obs-hba1c', 'obs-tabac'));
  });

  it('no prefix, ne included, matches a resource that has no value (only :missing does)', async () => {
    for (const prefix of ['eq', 'ne', 'lt', 'gt', 'le', 'ge', 'sa', 'eb']) {
      expect(await find(helene, 'Observation', `date=${prefix}2024-03-15`), prefix).not.toContain('obs-tabac');
    }
  });

  it('a value of day precision is the whole day', async () => {
    expect(await find(helene, 'Observation', 'date=2024-03-20T12:00:00Z')).toEqual([]);
    expect(await find(helene, 'Observation', 'date=gt2024-03-20T20:00:00Z')).toEqual(['obs-glycemie', 'obs-taille']);
    expect(await find(helene, 'Observation', 'date=le2024-03-20T06:00:00Z')).toContain('obs-glycemie');
    expect(await find(helene, 'Observation', 'date=sa2024-03-20T12:00:00Z')).toEqual(['obs-taille']);
  });

  it('a Period value is a range', async () => {
    const tension = async (q: string) => (await find(helene, 'Observation', `patient=helene&${q}`)).includes('obs-tension');
    expect(await tension('date=ge2024-03-05')).toBe(true);
    expect(await tension('date=gt2024-03-05')).toBe(false);
    expect(await tension('date=le2024-02-25')).toBe(true);
    expect(await tension('date=lt2024-02-25')).toBe(false);
    expect(await tension('date=sa2024-02-24')).toBe(true);
    expect(await tension('date=eb2024-03-06')).toBe(true);
    expect(await tension('date=eb2024-03-05')).toBe(false);
    expect(await tension('date=2024')).toBe(true);
    expect(await tension('date=2024-02')).toBe(false);
  });

  it('several values of one parameter are AND-ed', async () => {
    expect(await find(helene, 'Observation', 'date=ge2024-03-01&date=lt2024-03-16')).toEqual(['obs-noel-poids', 'obs-poids', 'obs-poids-maison', 'obs-tension']);
  });

  it('DocumentReference date, period, period-start, period-end and creation', async () => {
    expect(await find(helene, 'DocumentReference', 'date=2024-03-15')).toEqual(['doc-consult']);
    expect(await find(helene, 'DocumentReference', 'date=2023-12')).toEqual(['doc-cr-v1', 'doc-cr-v2']);
    expect(await find(helene, 'DocumentReference', 'date=lt2024-01-20T11:00:00Z')).toEqual(['doc-cr-v1', 'doc-cr-v2']);
    expect(await find(helene, 'DocumentReference', 'period=2023-12')).toEqual(['doc-cr-v1', 'doc-cr-v2']);
    expect(await find(helene, 'DocumentReference', 'period=lt2024-01-01')).toEqual(['doc-cr-v1', 'doc-cr-v2']);
    expect(await find(helene, 'DocumentReference', 'period=ge2024-06-01')).toEqual(['doc-imagerie']); // no end: still open
    expect(await find(helene, 'DocumentReference', 'period-start=2024-03-15')).toEqual(['doc-consult']);
    expect(await find(helene, 'DocumentReference', 'period-start=ge2024-01-20')).toEqual(['doc-bio-noel', 'doc-consult', 'doc-imagerie']);
    expect(await find(helene, 'DocumentReference', 'period-end=2023-12-08')).toEqual(['doc-cr-v1', 'doc-cr-v2']);
    expect(await find(helene, 'DocumentReference', 'period-end=gt2024-01-01')).toEqual(['doc-bio-noel', 'doc-consult']);
    expect(await find(helene, 'DocumentReference', 'creation=2023-12')).toEqual(['doc-cr-v1', 'doc-cr-v2']);
    expect(await find(helene, 'DocumentReference', 'creation=ge2024-03-15T09:00:00+01:00')).toEqual(['doc-consult']);
    expect(await find(helene, 'DocumentReference', 'creation=2024-01-20')).toEqual(['doc-imagerie']);
    expect(await find(helene, 'Composition', 'date=2024-02')).toEqual(['comp-vsm']);
  });

  it('birthdate', async () => {
    expect(await find(helene, 'Patient', 'birthdate=1984-03-12')).toEqual(['helene']);
    expect(await find(helene, 'Patient', 'birthdate=1984')).toEqual(['helene']);
    expect(await find(helene, 'Patient', 'birthdate=2015-06')).toEqual(['eloise']);
    expect(await find(helene, 'Patient', 'birthdate=lt2016')).toEqual(['eloise', 'helene']);
    expect(await find(helene, 'Patient', 'birthdate=ge2015-06-02')).toEqual(['eloise', 'noel']);
    expect(await find(helene, 'Patient', 'birthdate=gt2015-06-02')).toEqual(['noel']);
  });
});

describe('reference parameters and chains', () => {
  it('author and relatesto as Type/id and as a bare id', async () => {
    expect(await find(helene, 'DocumentReference', 'author=Practitioner/dr-gerard')).toEqual(['doc-consult', 'doc-cr-v1', 'doc-cr-v2']);
    expect(await find(helene, 'DocumentReference', 'author=dr-gerard')).toEqual(['doc-consult', 'doc-cr-v1', 'doc-cr-v2']);
    expect(await find(helene, 'DocumentReference', 'author=PractitionerRole/pr-noel-radio')).toEqual(['doc-imagerie']);
    expect(await find(helene, 'DocumentReference', 'author=Organization/org-imagerie,Organization/org-labo')).toEqual(['doc-bio-noel', 'doc-imagerie']);
    expect(await find(helene, 'DocumentReference', 'author=Practitioner/dr-noel')).toEqual([]);
    expect(await find(helene, 'Composition', 'author=Practitioner/dr-noel')).toEqual(['comp-cr']);
    expect(await find(helene, 'DocumentReference', 'relatesto=DocumentReference/doc-cr-v1')).toEqual(['doc-cr-v2']);
    expect(await find(helene, 'DocumentReference', 'relatesto=doc-cr-v1')).toEqual(['doc-cr-v2']);
  });

  it('chains one level: patient.identifier, subject:Patient.name, author:Practitioner.family', async () => {
    expect(await find(helene, 'DocumentReference', `patient.identifier=${SYSTEMS.ins}|${INS.helene}`)).toEqual(without(HELENE_DOCS, 'doc-bio-noel'));
    expect(await find(helene, 'DocumentReference', `subject:Patient.identifier=${INS.noel}`)).toEqual(['doc-bio-noel']);
    expect(await find(helene, 'Observation', 'subject:Patient.name=Hélène')).toEqual(without(HELENE_OBS, 'obs-noel-poids', 'obs-eloise-taille'));
    expect(await find(helene, 'Observation', 'subject.name=noel')).toEqual(['obs-noel-poids']);
    expect(await find(helene, 'Observation', 'subject:Patient.gender=female&code=8302-2')).toEqual(['obs-eloise-taille', 'obs-taille']);
    expect(await find(helene, 'DocumentReference', 'author:Practitioner.family=gérard')).toEqual(['doc-consult', 'doc-cr-v1', 'doc-cr-v2']);
    expect(await find(helene, 'DocumentReference', `author:Practitioner.identifier=${SYSTEMS.rpps}|${RPPS.gerard}`)).toEqual(['doc-consult', 'doc-cr-v1', 'doc-cr-v2']);
  });
});

describe('_include and _revinclude', () => {
  it('_include=DocumentReference:author adds each author once, with search.mode include, one level only', async () => {
    const b = await both(helene, 'DocumentReference', '_include=DocumentReference:author');
    expect(matchIds(b).sort()).toEqual(HELENE_DOCS);
    // dr-noel is reached only through PractitionerRole.practitioner: a second level, not followed
    expect(included(b)).toEqual(['Organization/org-imagerie', 'Organization/org-labo', 'Practitioner/dr-gerard', 'PractitionerRole/pr-noel-radio']);
    for (const e of entries(b).filter((x) => x.search.mode === 'include')) {
      expect(e.fullUrl).toBe(`${t.fhirBase}/${e.resource.resourceType}/${e.resource.id}`);
    }
    const plain = await both(helene, 'DocumentReference', '');
    expect(included(plain)).toEqual([]);
  });

  it('_include with a target type, and on a patient reference', async () => {
    const b = await both(helene, 'DocumentReference', '_id=doc-imagerie&_include=DocumentReference:author:Organization');
    expect(matchIds(b)).toEqual(['doc-imagerie']);
    expect(included(b)).toEqual(['Organization/org-imagerie']);
    const o = await both(helene, 'Observation', '_id=obs-poids,obs-noel-poids&_include=Observation:patient');
    expect(matchIds(o).sort()).toEqual(['obs-noel-poids', 'obs-poids']);
    expect(included(o)).toEqual(['Patient/helene', 'Patient/noel']);
  });

  it('_revinclude=Observation:subject adds the observations of the patients found', async () => {
    const one = await both(helene, 'Patient', '_id=noel&_revinclude=Observation:subject');
    expect(matchIds(one)).toEqual(['noel']);
    expect(included(one)).toEqual(['Observation/obs-noel-poids']);
    const all = await both(helene, 'Patient', '_revinclude=Observation:subject');
    expect(matchIds(all).sort()).toEqual(['eloise', 'helene', 'noel']);
    expect(included(all)).toEqual(HELENE_OBS.map((id) => `Observation/${id}`).sort());
  });

  it('_revinclude=DocumentReference:author from the directory', async () => {
    const b = await both(helene, 'Practitioner', '_id=dr-gerard&_revinclude=DocumentReference:author');
    expect(matchIds(b)).toEqual(['dr-gerard']);
    expect(included(b)).toEqual(['DocumentReference/doc-consult', 'DocumentReference/doc-cr-v1', 'DocumentReference/doc-cr-v2']);
  });
});

describe('_sort', () => {
  it('_sort=-date and _sort=date', async () => {
    const desc = ['obs-taille', 'obs-glycemie', 'obs-noel-poids', 'obs-poids', 'obs-poids-maison', 'obs-tension', 'obs-eloise-taille', 'obs-hba1c'];
    expect(await findOrdered(helene, 'Observation', 'date=ge2000&_sort=-date')).toEqual(desc);
    expect(await findOrdered(helene, 'Observation', 'date=ge2000&_sort=date')).toEqual([...desc].reverse());
    expect(await findOrdered(helene, 'DocumentReference', '_sort=-date')).toEqual(['doc-consult', 'doc-bio-noel', 'doc-imagerie', 'doc-cr-v2', 'doc-cr-v1']);
  });

  it('_sort=status,-date', async () => {
    expect(await findOrdered(helene, 'Observation', 'date=ge2000&_sort=status,-date')).toEqual([
      'obs-taille', // amended
      'obs-glycemie', 'obs-noel-poids', 'obs-poids', 'obs-poids-maison', 'obs-eloise-taille', 'obs-hba1c', // final
      'obs-tension', // preliminary
    ]);
  });

  it('_sort=family,given and family,-given', async () => {
    expect(await findOrdered(helene, 'Patient', '_sort=family,given')).toEqual(['eloise', 'helene', 'noel']);
    expect(await findOrdered(helene, 'Patient', '_sort=family,-given')).toEqual(['eloise', 'noel', 'helene']);
  });
});

describe('_count, _summary=count and _total', () => {
  it('_count limits the page and gives a next link', async () => {
    const b = await both(helene, 'Observation', '_count=4', { ordered: true });
    expect(matchIds(b)).toHaveLength(4);
    expect(b.link.find((l: any) => l.relation === 'next')?.url).toBeTruthy();
  });

  it('_summary=count gives the total and no entries', async () => {
    const b = await both(helene, 'Observation', '_summary=count');
    expect(b.total).toBe(HELENE_OBS.length);
    expect(entries(b).filter((e) => e.search?.mode === 'match')).toHaveLength(0);
    const weights = await both(helene, 'Observation', 'code=29463-7&_summary=count');
    expect(weights.total).toBe(3);
    expect(matchIds(weights)).toEqual([]);
  });

  it('_total=accurate gives Bundle.total across pages', async () => {
    const b = await both(helene, 'Observation', '_total=accurate&_count=2', { ordered: true });
    expect(b.total).toBe(HELENE_OBS.length);
    expect(matchIds(b)).toHaveLength(2);
    const docs = await both(helene, 'DocumentReference', '_total=accurate&_count=1&_include=DocumentReference:author', { ordered: true });
    expect(docs.total).toBe(HELENE_DOCS.length); // matches only, not the included
  });
});

describe('unknown and unsupported parameters', () => {
  it('are ignored and reported in an OperationOutcome entry (warning)', async () => {
    for (const res of [await get(helene, 'Observation', 'code=29463-7&couleur=bleu'), await post(helene, 'Observation', 'code=29463-7&couleur=bleu')]) {
      const b = await searchset(res, 'couleur');
      expect(matchIds(b).sort()).toEqual(['obs-noel-poids', 'obs-poids', 'obs-poids-maison']);
      const outcome = entries(b).filter((e) => e.search?.mode === 'outcome');
      expect(outcome).toHaveLength(1);
      expect(outcome[0].resource.resourceType).toBe('OperationOutcome');
      expect(outcome[0].resource.issue.some((i: any) => i.severity === 'warning' && /couleur/.test(i.diagnostics))).toBe(true);
    }
    // a parameter of another type is unknown here
    const b = await searchset(await get(helene, 'Patient', 'code=29463-7'), 'Patient?code');
    expect(matchIds(b).sort()).toEqual(['eloise', 'helene', 'noel']);
    expect(warnings(b).join(' ')).toMatch(/warning: .*code/);
  });

  it('are refused with 400 under Prefer: handling=strict', async () => {
    const strict = { prefer: 'handling=strict' };
    await expectBadRequest(await get(helene, 'Observation', 'code=29463-7&couleur=bleu', strict), /couleur/, 'GET strict');
    await expectBadRequest(await post(helene, 'Observation', 'couleur=bleu', strict), /couleur/, 'POST strict');
    await expectBadRequest(await get(helene, 'Patient', 'code=29463-7', strict), /code/, 'Patient?code strict');
    // while known parameters pass
    expect((await get(helene, 'Observation', 'code=29463-7&date=ge2024&_sort=-date&_count=2', strict)).status).toBe(200);
  });
});

describe('CapabilityStatement', () => {
  const CONTROL = new Set(['_count', '_sort', '_include', '_revinclude', '_summary', '_total', '_elements', '_contained', '_containedType', '_format', '_pretty']);
  const sample: Record<string, string | undefined> = {
    token: 'x',
    string: 'a',
    date: 'ge2020-01-01',
    reference: 'x',
    number: '1',
    quantity: '1',
    uri: 'http://example.org/x',
  };

  it('lists the supported search parameters of each type', async () => {
    const cs = await (await t.request('GET', '/fhir/metadata')).json();
    const rest = cs.rest[0];
    const common = new Map<string, string>((rest.searchParam ?? []).map((p: any) => [p.name, p.type]));
    const params = (type: string) => {
      const r = rest.resource.find((x: any) => x.type === type);
      return new Map<string, string>([...common, ...(r.searchParam ?? []).map((p: any) => [p.name, p.type] as [string, string])]);
    };
    const doc = params('DocumentReference');
    for (const [name, type] of Object.entries({
      _id: 'token', _lastUpdated: 'date', identifier: 'token', patient: 'reference', subject: 'reference', date: 'date', type: 'token',
      category: 'token', status: 'token', author: 'reference', 'security-label': 'token', relatesto: 'reference', setting: 'token',
      period: 'date', facility: 'token', format: 'token', isArchived: 'token', 'period-start': 'date', 'period-end': 'date', creation: 'date',
    })) {
      expect(doc.get(name), `DocumentReference ${name}`).toBe(type);
    }
    const pat = params('Patient');
    for (const [name, type] of Object.entries({ name: 'string', family: 'string', given: 'string', birthdate: 'date', gender: 'token', identifier: 'token' })) {
      expect(pat.get(name), `Patient ${name}`).toBe(type);
    }
    expect(pat.has('code')).toBe(false);
    expect(pat.has('isArchived')).toBe(false);
    const obs = params('Observation');
    for (const [name, type] of Object.entries({ code: 'token', date: 'date', category: 'token', status: 'token', patient: 'reference', subject: 'reference' })) {
      expect(obs.get(name), `Observation ${name}`).toBe(type);
    }
    expect(obs.has('isArchived')).toBe(false);
    expect(params('Practitioner').get('family')).toBe('string');
  });

  it('everything it lists is accepted in strict mode', async () => {
    const cs = await (await t.request('GET', '/fhir/metadata')).json();
    const rest = cs.rest[0];
    const failures: string[] = [];
    let tried = 0;
    for (const r of rest.resource) {
      for (const p of [...(rest.searchParam ?? []), ...(r.searchParam ?? [])]) {
        if (CONTROL.has(p.name)) continue;
        const value = sample[p.type];
        if (value === undefined) continue; // composite, special
        // a reference on the element that files a resource in a record names a patient: Hélène's own
        const query = `${p.name}=${p.type === 'reference' && ['patient', 'subject'].includes(p.name) ? 'helene' : value}`;
        const res = await get(helene, r.type, query, { prefer: 'handling=strict' });
        tried++;
        if (res.status !== 200) failures.push(`${r.type}?${query} → ${res.status} ${(await res.text()).slice(0, 200)}`);
        else await res.body?.cancel();
      }
    }
    expect(failures).toEqual([]);
    expect(tried).toBeGreaterThan(100);
  });
});

describe('bad input', () => {
  const cases: [string, string, RegExp][] = [
    ['Observation', 'date=2024-13-45', /date/],
    ['Observation', 'date=xx2024', /date/],
    ['DocumentReference', 'period-start=2024-02-30', /period-start/],
    ['Observation', 'code=', /code/],
    ['Patient', 'gender:unknownmodifier=x', /unknownmodifier/],
    ['Observation', '_count=-1', /_count/],
    ['Observation', '_sort=couleur', /couleur/],
    ['Observation', 'code.name=x', /code/],
  ];

  async function observationVersions(): Promise<number> {
    const res = await t.request('GET', '/fhir/Observation/_history?_count=200', { token: helene });
    return (await res.json()).entry.length;
  }

  it('each gets a 400 OperationOutcome naming the problem, with GET and POST, and nothing is written', async () => {
    const before = await observationVersions();
    for (const [type, query, names] of cases) {
      await expectBadRequest(await get(helene, type, query), names, `GET ${type}?${query}`);
      await expectBadRequest(await post(helene, type, query), names, `POST ${type}/_search ${query}`);
    }
    expect(await observationVersions()).toBe(before);
  });
});

describe('privacy', () => {
  it('another patient’s records never appear in a search', async () => {
    expect(await find(helene, 'DocumentReference', 'type=11488-4')).toEqual(['doc-consult']);
    expect(await find(rene, 'DocumentReference', 'type=11488-4')).toEqual(['doc-rene']);
    expect(await find(helene, 'Condition', 'code=44054006')).toEqual(['cond-diabete']);
    expect(await find(helene, 'Patient', 'family=lefèvre')).toEqual(['helene', 'noel']);
    expect(await find(rene, 'Patient', 'family=lefèvre')).toEqual(['rene']);
    for (const query of ['patient=rene', 'subject=Patient/rene', `_id=obs-rene-poids`]) {
      const res = await get(helene, 'Observation', query);
      // refusing outright is as good as an empty result; returning René's data is not
      if (res.status === 200) expect(matchIds(await res.json())).toEqual([]);
      else expect(res.status).toBe(403);
    }
  });

  it('nor through _include or _revinclude', async () => {
    const probe = await both(gaelle, 'DocumentReference', '_id=doc-sonde&_include=DocumentReference:relatesto');
    expect(matchIds(probe)).toEqual(['doc-sonde']);
    expect(included(probe)).toEqual([]);
    expect(JSON.stringify(probe)).not.toContain('Consultation');

    const fromDirectory = await both(gaelle, 'Practitioner', '_id=dr-gerard&_revinclude=DocumentReference:author');
    expect(matchIds(fromDirectory)).toEqual(['dr-gerard']);
    expect(included(fromDirectory)).toEqual(['DocumentReference/doc-sonde']);

    const hers = await both(helene, 'Practitioner', '_revinclude=DocumentReference:author');
    expect(included(hers)).not.toContain('DocumentReference/doc-rene');
    expect(included(hers)).not.toContain('DocumentReference/doc-sonde');

    const other = await get(helene, 'Patient', '_id=rene&_revinclude=Observation:subject');
    if (other.status === 200) expect(entries(await other.json()).filter((e) => e.search?.mode !== 'outcome')).toEqual([]);
    else expect(other.status).toBe(403);
  });

  it('nor can be inferred through a chain', async () => {
    expect(await find(rene, 'Observation', 'subject.name=René')).toEqual(['obs-rene-glycemie', 'obs-rene-poids']); // the control
    expect(await find(helene, 'Observation', 'subject.name=René')).toEqual([]);
    expect(await find(helene, 'Observation', `subject:Patient.identifier=${INS.rene}`)).toEqual([]);
    expect(await find(gaelle, 'Observation', 'subject:Patient.family=Lefèvre')).toEqual([]);
    // Gaëlle's own document points at René's: she may find it by the reference itself…
    expect(await find(gaelle, 'DocumentReference', 'relatesto=DocumentReference/doc-rene')).toEqual(['doc-sonde']);
    // …but not learn anything about the document behind it
    expect(await find(gaelle, 'DocumentReference', `relatesto.type=${SYSTEMS.loinc}|11488-4`)).toEqual([]);
    expect(await find(gaelle, 'DocumentReference', 'relatesto.status=current')).toEqual([]);
  });

  it('a professional or an operator searching patient data is refused (403); the directory stays searchable', async () => {
    for (const token of [pro, operator]) {
      for (const [type, query] of [
        ['Observation', 'patient=helene'],
        ['Observation', ''],
        ['DocumentReference', 'author=Practitioner/dr-gerard'],
        ['Patient', 'name=Hélène'],
      ] as const) {
        const res = await get(token, type, query);
        expect(res.status, `${type}?${query}`).toBe(403);
        expect((await res.json()).resourceType).toBe('OperationOutcome');
        expect((await post(token, type, query)).status, `POST ${type}/_search ${query}`).toBe(403);
      }
    }
    expect(await find(pro, 'Practitioner', 'family=noel')).toEqual(['dr-noel']);
    expect(await find(operator, 'Organization', '_id=org-imagerie,org-labo')).toEqual(['org-imagerie', 'org-labo']);
    const rev = await get(pro, 'Practitioner', '_id=dr-gerard&_revinclude=DocumentReference:author');
    if (rev.status === 200) expect(included(await rev.json())).toEqual([]);
    else expect(rev.status).toBe(403);
  });
});
