/**
 * Builders for realistic FHIR R4 resources used by the search tests: French patients with INS (NIR with a
 * valid key), practitioners with RPPS numbers, organisations with FINESS numbers (Luhn keys), LOINC-coded
 * observations, CI-SIS-like DocumentReferences with the PDSm extensions.
 *
 * Only plain data: no HTTP, no knowledge of the search engine.
 */

import { makeFiness, makeRpps } from '../../src/domain/directory/luhn.js';

type Json = Record<string, unknown>;

export const SYSTEMS = {
  ins: 'urn:oid:1.2.250.1.213.1.4.10',
  rpps: 'urn:oid:1.2.250.1.71.4.2.1',
  finess: 'urn:oid:1.2.250.1.71.4.2.2',
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  obsCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  confidentiality: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality',
  /** CI-SIS class codes (DocumentReference.category). */
  docClass: 'urn:oid:1.2.250.1.213.1.1.4.1',
  /** CI-SIS healthcare facility types (DocumentReference.context.facilityType). */
  facility: 'urn:oid:1.2.250.1.213.1.1.4.9',
  /** CI-SIS practice settings (DocumentReference.context.practiceSetting). */
  setting: 'urn:oid:1.2.250.1.213.1.1.4.10',
  /** IHE format codes (DocumentReference.content.format). */
  format: 'http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode',
} as const;

/** The PDSm (Mon espace santé) "is archived" extension on DocumentReference. */
export const IS_ARCHIVED_URL = 'https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/pdsm-ext-is-archived';

/** A NIR with its key: 13 characters + 97 − (n mod 97) on two digits. */
export function nir(thirteen: string): string {
  if (!/^\d{13}$/.test(thirteen)) throw new Error(`not 13 digits: ${thirteen}`);
  const key = 97n - (BigInt(thirteen) % 97n);
  return `${thirteen}${String(key).padStart(2, '0')}`;
}

const coding = (system: string | undefined, code: string, display?: string) => ({
  ...(system ? { system } : {}),
  code,
  ...(display ? { display } : {}),
});

export function patient(p: {
  id: string;
  family: string;
  given: string[];
  gender: 'male' | 'female' | 'other' | 'unknown';
  birthDate: string;
  nir13: string;
  maidenName?: string;
}): Json {
  return {
    resourceType: 'Patient',
    id: p.id,
    identifier: [{ use: 'official', system: SYSTEMS.ins, value: nir(p.nir13) }],
    name: [
      { use: 'official', family: p.family, given: p.given },
      ...(p.maidenName ? [{ use: 'maiden', family: p.maidenName, given: p.given }] : []),
    ],
    gender: p.gender,
    birthDate: p.birthDate,
    address: [{ city: 'Lyon', postalCode: '69003', country: 'FR' }],
  };
}

export function practitioner(p: { id: string; family: string; given: string[]; rpps10: string; prefix?: string }): Json {
  return {
    resourceType: 'Practitioner',
    id: p.id,
    identifier: [{ system: SYSTEMS.rpps, value: makeRpps(p.rpps10) }],
    name: [{ family: p.family, given: p.given, prefix: [p.prefix ?? 'Dr'] }],
    active: true,
  };
}

export function organization(o: { id: string; name: string; finess8: string }): Json {
  return {
    resourceType: 'Organization',
    id: o.id,
    identifier: [{ system: SYSTEMS.finess, value: makeFiness(o.finess8) }],
    name: o.name,
    active: true,
  };
}

export function practitionerRole(r: { id: string; practitioner: string; organization: string; specialty: string }): Json {
  return {
    resourceType: 'PractitionerRole',
    id: r.id,
    active: true,
    practitioner: { reference: `Practitioner/${r.practitioner}` },
    organization: { reference: `Organization/${r.organization}` },
    specialty: [{ coding: [coding('urn:oid:1.2.250.1.213.2.28', r.specialty)] }],
  };
}

export function observation(o: {
  id: string;
  patient: string;
  code: { system?: string; code: string; display: string };
  category?: 'vital-signs' | 'laboratory' | 'social-history';
  status?: string;
  /** A dateTime (any precision) or a Period. */
  effective?: string | { start?: string; end?: string };
  performer?: string[];
  value?: { value: number; unit: string; code: string };
  identifier?: { system: string; value: string };
}): Json {
  return {
    resourceType: 'Observation',
    id: o.id,
    ...(o.identifier ? { identifier: [o.identifier] } : {}),
    status: o.status ?? 'final',
    ...(o.category ? { category: [{ coding: [coding(SYSTEMS.obsCategory, o.category)] }] } : {}),
    code: { coding: [coding(o.code.system, o.code.code, o.code.display)], text: o.code.display },
    subject: { reference: `Patient/${o.patient}` },
    ...(typeof o.effective === 'string' ? { effectiveDateTime: o.effective } : {}),
    ...(o.effective && typeof o.effective === 'object' ? { effectivePeriod: o.effective } : {}),
    ...(o.performer ? { performer: o.performer.map((reference) => ({ reference })) } : {}),
    ...(o.value ? { valueQuantity: { ...o.value, system: 'http://unitsofmeasure.org' } } : {}),
  };
}

export function condition(c: { id: string; patient: string; snomed: [string, string]; category: 'problem-list-item' | 'encounter-diagnosis'; onset?: string }): Json {
  return {
    resourceType: 'Condition',
    id: c.id,
    clinicalStatus: { coding: [coding(SYSTEMS.conditionClinical, 'active')] },
    category: [{ coding: [coding(SYSTEMS.conditionCategory, c.category)] }],
    code: { coding: [coding(SYSTEMS.snomed, c.snomed[0], c.snomed[1])], text: c.snomed[1] },
    subject: { reference: `Patient/${c.patient}` },
    ...(c.onset ? { onsetDateTime: c.onset } : {}),
  };
}

export function composition(c: {
  id: string;
  patient: string;
  loinc: [string, string];
  status: 'preliminary' | 'final' | 'amended' | 'entered-in-error';
  date: string;
  author: string;
  title: string;
}): Json {
  return {
    resourceType: 'Composition',
    id: c.id,
    status: c.status,
    type: { coding: [coding(SYSTEMS.loinc, c.loinc[0], c.loinc[1])] },
    subject: { reference: `Patient/${c.patient}` },
    date: c.date,
    author: [{ reference: c.author }],
    title: c.title,
  };
}

export function documentReference(d: {
  id: string;
  patient: string;
  loinc: [string, string];
  classCode: [string, string];
  status: 'current' | 'superseded' | 'entered-in-error';
  date: string;
  authors: string[];
  confidentiality: 'N' | 'R' | 'V';
  facility: [string, string];
  setting: [string, string];
  format: string;
  period?: { start?: string; end?: string };
  creation: string;
  /** true or false: the PDSm extension with that value; undefined: no extension at all. */
  isArchived?: boolean;
  replaces?: string;
  title: string;
  masterIdentifier?: string;
}): Json {
  return {
    resourceType: 'DocumentReference',
    id: d.id,
    ...(d.isArchived !== undefined ? { extension: [{ url: IS_ARCHIVED_URL, valueBoolean: d.isArchived }] } : {}),
    ...(d.masterIdentifier ? { masterIdentifier: { system: 'urn:ietf:rfc:3986', value: d.masterIdentifier } } : {}),
    status: d.status,
    type: { coding: [coding(SYSTEMS.loinc, d.loinc[0], d.loinc[1])] },
    category: [{ coding: [coding(SYSTEMS.docClass, d.classCode[0], d.classCode[1])] }],
    subject: { reference: `Patient/${d.patient}` },
    date: d.date,
    author: d.authors.map((reference) => ({ reference })),
    ...(d.replaces ? { relatesTo: [{ code: 'replaces', target: { reference: d.replaces } }] } : {}),
    description: d.title,
    securityLabel: [{ coding: [coding(SYSTEMS.confidentiality, d.confidentiality)] }],
    content: [
      {
        attachment: { contentType: 'application/pdf', language: 'fr-FR', data: 'JVBERi0xLjQK', title: d.title, creation: d.creation },
        format: coding(SYSTEMS.format, d.format),
      },
    ],
    context: {
      ...(d.period ? { period: d.period } : {}),
      facilityType: { coding: [coding(SYSTEMS.facility, d.facility[0], d.facility[1])] },
      practiceSetting: { coding: [coding(SYSTEMS.setting, d.setting[0], d.setting[1])] },
    },
  };
}

/**
 * One small resource of each remaining supported type, in a patient's record (`patient`) or outside any
 * record (`shared`, written by an operator), so that every type can be searched.
 */
export function oneOfEachType(patientId: string): { inRecord: Json[]; shared: Json[] } {
  const subject = { reference: `Patient/${patientId}` };
  return {
    inRecord: [
      {
        resourceType: 'AllergyIntolerance',
        id: 'x-allergy',
        clinicalStatus: { coding: [coding('http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', 'active')] },
        patient: subject,
        code: { coding: [coding(SYSTEMS.snomed, '91936005', 'Allergie à la pénicilline')] },
        recordedDate: '2022-05-04',
      },
      {
        resourceType: 'Appointment',
        id: 'x-appointment',
        status: 'booked',
        description: 'Consultation de suivi',
        start: '2024-06-03T09:00:00+02:00',
        end: '2024-06-03T09:20:00+02:00',
        participant: [
          { actor: subject, status: 'accepted' },
          { actor: { reference: 'Practitioner/dr-gerard' }, status: 'accepted' },
        ],
      },
      { resourceType: 'Binary', id: 'x-binary', contentType: 'application/pdf', securityContext: subject, data: 'JVBERi0xLjQK' },
      {
        resourceType: 'Bundle',
        id: 'x-bundle',
        type: 'collection',
        entry: [
          {
            fullUrl: 'urn:uuid:9f1c1d5e-3f2b-4c1e-9a57-2d4b7c1e0a11',
            resource: { resourceType: 'Observation', status: 'final', code: { text: 'Fréquence cardiaque' }, subject },
          },
        ],
      },
      {
        resourceType: 'Communication',
        id: 'x-communication',
        status: 'completed',
        subject,
        sent: '2024-03-16T08:00:00+01:00',
        payload: [{ contentString: 'Vos résultats sont disponibles.' }],
      },
      {
        resourceType: 'Consent',
        id: 'x-consent',
        status: 'active',
        scope: { coding: [coding('http://terminology.hl7.org/CodeSystem/consentscope', 'patient-privacy')] },
        category: [{ coding: [coding(SYSTEMS.loinc, '59284-0', 'Consent Document')] }],
        patient: subject,
        dateTime: '2023-09-01T10:00:00+02:00',
        policyRule: { coding: [coding('http://terminology.hl7.org/CodeSystem/v3-ActCode', 'OPTIN')] },
      },
      {
        resourceType: 'Device',
        id: 'x-device',
        deviceName: [{ name: 'Lecteur de glycémie', type: 'user-friendly-name' }],
        patient: subject,
      },
      {
        resourceType: 'FamilyMemberHistory',
        id: 'x-fmh',
        status: 'completed',
        patient: subject,
        relationship: { coding: [coding('http://terminology.hl7.org/CodeSystem/v3-RoleCode', 'FTH', 'père')] },
      },
      {
        resourceType: 'Immunization',
        id: 'x-immunization',
        status: 'completed',
        vaccineCode: { coding: [coding('urn:oid:1.2.250.1.213.2.3.1', '3400936603533')], text: 'Vaccin grippe' },
        patient: subject,
        occurrenceDateTime: '2023-10-20',
      },
      { resourceType: 'List', id: 'x-list', status: 'current', mode: 'working', title: 'Traitements', subject },
      {
        resourceType: 'MedicationStatement',
        id: 'x-medstatement',
        status: 'active',
        medicationCodeableConcept: { text: 'Metformine 500 mg' },
        subject,
      },
      {
        resourceType: 'Procedure',
        id: 'x-procedure',
        status: 'completed',
        code: { coding: [coding(SYSTEMS.snomed, '80146002', 'Appendicectomie')] },
        subject,
        performedDateTime: '2001-07-12',
      },
      {
        resourceType: 'QuestionnaireResponse',
        id: 'x-qr',
        status: 'completed',
        subject,
        authored: '2024-02-02T18:00:00+01:00',
      },
      {
        resourceType: 'RelatedPerson',
        id: 'x-related',
        patient: subject,
        name: [{ family: 'Lefèvre', given: ['René'] }],
        relationship: [{ coding: [coding('http://terminology.hl7.org/CodeSystem/v3-RoleCode', 'FTH')] }],
      },
    ],
    shared: [
      {
        resourceType: 'Questionnaire',
        id: 'x-questionnaire',
        status: 'active',
        title: 'Questionnaire de santé de l’enfant',
        item: [{ linkId: '1', text: 'Votre enfant a-t-il de la fièvre ?', type: 'boolean' }],
      },
    ],
  };
}
