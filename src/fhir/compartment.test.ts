import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { appError } from '../../test/support/errors.js';
import { COMPARTMENT_TYPES, patientCompartment } from './compartment.js';

const BASE = 'https://carnet.example/fhir';
type Json = Record<string, unknown>;

const ref = (reference: string) => ({ reference });
const obs = (subject: unknown): Json => ({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject });


const arbId = fc.stringMatching(/^[A-Za-z0-9\-.]{1,64}$/);

describe('COMPARTMENT_TYPES', () => {
  it('holds Patient, Bundle and every type that records its patient', () => {
    expect([...COMPARTMENT_TYPES].sort()).toEqual(
      [
        'AllergyIntolerance', 'Appointment', 'AuditEvent', 'Binary', 'Bundle', 'Communication', 'Composition', 'Condition',
        'Consent', 'Device', 'DocumentReference', 'Encounter', 'FamilyMemberHistory', 'Goal', 'Immunization', 'List', 'MedicationStatement',
        'Observation', 'Patient', 'Procedure', 'QuestionnaireResponse', 'RelatedPerson',
      ].sort(),
    );
  });

  it('holds none of the pure directory types', () => {
    for (const t of ['Practitioner', 'PractitionerRole', 'Organization', 'Questionnaire']) expect(COMPARTMENT_TYPES.has(t)).toBe(false);
  });
});

describe('patientCompartment: Patient', () => {
  it('puts a Patient in its own compartment', () => {
    expect(patientCompartment({ resourceType: 'Patient', id: 'anna' })).toBe('anna');
  });

  it('gives null for a Patient without an id', () => {
    expect(patientCompartment({ resourceType: 'Patient' })).toBeNull();
    expect(patientCompartment({ resourceType: 'Patient', id: 42 })).toBeNull();
  });

  it('ignores what a Patient links to', () => {
    const p = { resourceType: 'Patient', id: 'anna', link: [{ other: ref('Patient/paul'), type: 'seealso' }] };
    expect(patientCompartment(p)).toBe('anna');
  });
});

describe('patientCompartment: owner element of each type', () => {
  const cases: [string, Json][] = [
    ['AllergyIntolerance.patient', { resourceType: 'AllergyIntolerance', patient: ref('Patient/anna') }],
    ['Appointment.participant.actor', { resourceType: 'Appointment', participant: [{ actor: ref('Practitioner/dr') }, { actor: ref('Patient/anna') }] }],
    ['AuditEvent.entity.what', { resourceType: 'AuditEvent', entity: [{ what: ref('Patient/anna') }] }],
    ['AuditEvent.agent.who', { resourceType: 'AuditEvent', agent: [{ who: ref('Patient/anna') }] }],
    ['Binary.securityContext', { resourceType: 'Binary', securityContext: ref('Patient/anna') }],
    ['Communication.subject', { resourceType: 'Communication', subject: ref('Patient/anna') }],
    ['Composition.subject', { resourceType: 'Composition', subject: ref('Patient/anna') }],
    ['Condition.subject', { resourceType: 'Condition', subject: ref('Patient/anna') }],
    ['Consent.patient', { resourceType: 'Consent', patient: ref('Patient/anna') }],
    ['Device.patient', { resourceType: 'Device', patient: ref('Patient/anna') }],
    ['DocumentReference.subject', { resourceType: 'DocumentReference', subject: ref('Patient/anna') }],
    ['FamilyMemberHistory.patient', { resourceType: 'FamilyMemberHistory', patient: ref('Patient/anna') }],
    ['Immunization.patient', { resourceType: 'Immunization', patient: ref('Patient/anna') }],
    ['List.subject', { resourceType: 'List', subject: ref('Patient/anna') }],
    ['MedicationStatement.subject', { resourceType: 'MedicationStatement', subject: ref('Patient/anna') }],
    ['Observation.subject', obs(ref('Patient/anna'))],
    ['Procedure.subject', { resourceType: 'Procedure', subject: ref('Patient/anna') }],
    ['QuestionnaireResponse.subject', { resourceType: 'QuestionnaireResponse', subject: ref('Patient/anna') }],
    ['QuestionnaireResponse.source', { resourceType: 'QuestionnaireResponse', source: ref('Patient/anna') }],
    ['RelatedPerson.patient', { resourceType: 'RelatedPerson', patient: ref('Patient/anna') }],
  ];

  it.each(cases)('reads the patient from %s', (_, resource) => {
    expect(patientCompartment(resource)).toBe('anna');
  });

  it('does not read the patient from an element other than the owner one', () => {
    // Observation.performer may be a Patient, but the subject owns the record.
    expect(patientCompartment({ ...obs(undefined), performer: [ref('Patient/anna')] })).toBeNull();
    expect(patientCompartment({ resourceType: 'Condition', asserter: ref('Patient/anna') })).toBeNull();
    expect(patientCompartment({ resourceType: 'AllergyIntolerance', recorder: ref('Patient/anna') })).toBeNull();
  });

  it('prefers AuditEvent.entity.what to AuditEvent.agent.who', () => {
    const audit = { resourceType: 'AuditEvent', entity: [{ what: ref('Patient/anna') }], agent: [{ who: ref('Patient/paul') }] };
    expect(patientCompartment(audit)).toBe('anna');
  });

  it('falls back to AuditEvent.agent.who when the entities name no patient', () => {
    const audit = { resourceType: 'AuditEvent', entity: [{ what: ref('Observation/1') }], agent: [{ who: ref('Patient/paul') }] };
    expect(patientCompartment(audit)).toBe('paul');
  });

  it('prefers QuestionnaireResponse.subject to QuestionnaireResponse.source', () => {
    const qr = { resourceType: 'QuestionnaireResponse', subject: ref('Patient/leo'), source: ref('Patient/the-parent') };
    expect(patientCompartment(qr)).toBe('leo');
  });

  it('falls back to QuestionnaireResponse.source when the subject is not a Patient', () => {
    const qr = { resourceType: 'QuestionnaireResponse', subject: ref('Group/1'), source: ref('Patient/anna') };
    expect(patientCompartment(qr)).toBe('anna');
  });

  it('gives null when the owner element is missing', () => {
    expect(patientCompartment(obs(undefined))).toBeNull();
    expect(patientCompartment({ resourceType: 'AllergyIntolerance' })).toBeNull();
    expect(patientCompartment({ resourceType: 'Appointment', participant: [{ actor: ref('Practitioner/dr') }] })).toBeNull();
    expect(patientCompartment({ resourceType: 'Appointment', participant: [{ status: 'accepted' }] })).toBeNull();
  });

  it('gives null when the owner element has no literal reference', () => {
    expect(patientCompartment(obs({ display: 'Anna' }))).toBeNull();
    expect(patientCompartment(obs({ identifier: { system: 'urn:oid:1.2.250.1.213.1.4.8', value: '1' } }))).toBeNull();
    expect(patientCompartment(obs({ reference: 42 }))).toBeNull();
    expect(patientCompartment(obs(null))).toBeNull();
    expect(patientCompartment(obs('Patient/anna'))).toBeNull();
  });

  it('gives null for a subject that is not a Patient', () => {
    expect(patientCompartment(obs(ref('Group/1')))).toBeNull();
    expect(patientCompartment(obs(ref('Device/1')))).toBeNull();
    expect(patientCompartment(obs(ref('Location/1')))).toBeNull();
  });

  it('gives null for a Device without a patient, which stays a directory resource', () => {
    expect(patientCompartment({ resourceType: 'Device', id: 'pump' })).toBeNull();
  });

  it.each(['Practitioner', 'PractitionerRole', 'Organization', 'Questionnaire', 'Medication', 'Unknown'])(
    'gives null for a %s, even one that names a patient',
    (resourceType) => {
      expect(patientCompartment({ resourceType, subject: ref('Patient/anna'), patient: ref('Patient/anna') })).toBeNull();
    },
  );

  it('gives null for a resource without a resourceType', () => {
    expect(patientCompartment({ subject: ref('Patient/anna') })).toBeNull();
  });
});

describe('patientCompartment: reference forms', () => {
  it('reads a relative reference', () => {
    expect(patientCompartment(obs(ref('Patient/anna')))).toBe('anna');
  });

  it('reads a versioned reference, keeping the id only', () => {
    expect(patientCompartment(obs(ref('Patient/anna/_history/2')))).toBe('anna');
  });

  it('counts an absolute URL on this server’s FHIR base', () => {
    expect(patientCompartment(obs(ref(`${BASE}/Patient/anna`)), BASE)).toBe('anna');
    expect(patientCompartment(obs(ref(`${BASE}/Patient/anna/_history/3`)), BASE)).toBe('anna');
  });

  it('refuses (422) a patient on another server: it is health data that no record here could hold', () => {
    for (const url of ['https://other.example/fhir/Patient/anna', 'https://carnet.example/fhir2/Patient/anna', 'http://carnet.example/fhir/Patient/anna']) {
      expect(appError(() => patientCompartment(obs(ref(url)), BASE)).status).toBe(422);
    }
    expect(patientCompartment(obs(ref('https://other.example/fhir/Group/g')), BASE)).toBeNull();
  });

  it('refuses (422) a patient named by identifier only', () => {
    const byIdentifier = obs({ type: 'Patient', identifier: { system: 'urn:oid:1.2.250.1.213.1.4.8', value: '1' } });
    expect(appError(() => patientCompartment(byIdentifier, BASE)).status).toBe(422);
  });

  it('cannot place an absolute URL when the base is not known', () => {
    expect(appError(() => patientCompartment(obs(ref(`${BASE}/Patient/anna`)))).status).toBe(422);
  });

  it('ignores a contained reference', () => {
    const o = { ...obs(ref('#p')), contained: [{ resourceType: 'Patient', id: 'p' }] };
    expect(patientCompartment(o)).toBeNull();
  });

  it('ignores urn: references', () => {
    expect(patientCompartment(obs(ref('urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427')))).toBeNull();
    expect(patientCompartment(obs(ref('urn:oid:1.2.3')))).toBeNull();
  });

  it('ignores malformed references', () => {
    for (const r of ['Patient/', 'Patient', 'Patient/a_b', 'patient/anna', 'Patient/anna/', 'Patient?identifier=x|1', ' Patient/anna', '']) {
      expect(patientCompartment(obs(ref(r)))).toBeNull();
    }
  });

  it('reads any valid id from a relative or an on-base absolute reference (property)', () => {
    fc.assert(
      fc.property(arbId, fc.boolean(), fc.option(fc.integer({ min: 1, max: 999 }), { nil: undefined }), (id, absolute, version) => {
        const reference = `${absolute ? `${BASE}/` : ''}Patient/${id}${version ? `/_history/${version}` : ''}`;
        expect(patientCompartment(obs(ref(reference)), BASE)).toBe(id);
      }),
    );
  });
});

describe('patientCompartment: several patients', () => {
  it('refuses two different patients in the owner element with a 422 naming it', () => {
    const appt = { resourceType: 'Appointment', participant: [{ actor: ref('Patient/anna') }, { actor: ref('Patient/paul') }] };
    const err = appError(() => patientCompartment(appt));
    expect(err.status).toBe(422);
    expect(err.issues[0]).toMatchObject({ severity: 'error', code: 'business-rule', expression: ['Appointment.participant.actor'] });
  });

  it('refuses several patients among AuditEvent entities', () => {
    const audit = { resourceType: 'AuditEvent', entity: [{ what: ref('Patient/anna') }, { what: ref('Patient/paul') }] };
    expect(appError(() => patientCompartment(audit)).status).toBe(422);
  });

  it('refuses two patients written differently (relative and absolute on this server)', () => {
    const appt = { resourceType: 'Appointment', participant: [{ actor: ref('Patient/anna') }, { actor: ref(`${BASE}/Patient/paul`) }] };
    expect(appError(() => patientCompartment(appt, BASE)).status).toBe(422);
  });

  it('accepts the same patient named twice, in any form', () => {
    const appt = {
      resourceType: 'Appointment',
      participant: [{ actor: ref('Patient/anna') }, { actor: ref('Patient/anna/_history/2') }, { actor: ref(`${BASE}/Patient/anna`) }],
    };
    expect(patientCompartment(appt, BASE)).toBe('anna');
  });

  it('does not count a patient on another server as a second patient', () => {
    const appt = { resourceType: 'Appointment', participant: [{ actor: ref('Patient/anna') }, { actor: ref('https://other.example/fhir/Patient/paul') }] };
    expect(patientCompartment(appt, BASE)).toBe('anna');
  });

  it('keeps to the first owner element that names a patient', () => {
    const qr = { resourceType: 'QuestionnaireResponse', subject: ref('Patient/leo'), source: ref('Patient/the-parent') };
    expect(patientCompartment(qr)).toBe('leo');
  });

  it('refuses any two distinct patients in the owner element (property)', () => {
    fc.assert(
      fc.property(arbId, arbId, (a, b) => {
        fc.pre(a !== b);
        const appt = { resourceType: 'Appointment', participant: [{ actor: ref(`Patient/${a}`) }, { actor: ref(`Patient/${b}`) }] };
        expect(appError(() => patientCompartment(appt)).status).toBe(422);
      }),
    );
  });
});

describe('patientCompartment: Bundle', () => {
  const bundle = (...resources: unknown[]): Json => ({ resourceType: 'Bundle', type: 'collection', entry: resources.map((resource) => ({ resource })) });

  it('belongs to the one patient its entries are about', () => {
    expect(patientCompartment(bundle(obs(ref('Patient/anna')), { resourceType: 'Patient', id: 'anna' }, { resourceType: 'Condition', subject: ref('Patient/anna') }))).toBe('anna');
  });

  it('ignores entries outside any record', () => {
    expect(patientCompartment(bundle({ resourceType: 'Practitioner', id: 'dr' }, obs(ref('Patient/anna'))))).toBe('anna');
  });

  it('gives null for no entry, no patient, or entries without a resource', () => {
    expect(patientCompartment({ resourceType: 'Bundle', type: 'collection' })).toBeNull();
    expect(patientCompartment(bundle({ resourceType: 'Organization', id: 'o' }))).toBeNull();
    expect(patientCompartment({ resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'urn:uuid:1' }, null, { resource: { id: 'x' } }] })).toBeNull();
  });

  it('refuses entries of several patients with a 422 on Bundle.entry', () => {
    const err = appError(() => patientCompartment(bundle(obs(ref('Patient/anna')), obs(ref('Patient/paul')))));
    expect(err.status).toBe(422);
    expect(err.issues[0]).toMatchObject({ code: 'business-rule', expression: ['Bundle.entry'] });
  });

  it('refuses an entry that itself names several patients', () => {
    const appt = { resourceType: 'Appointment', participant: [{ actor: ref('Patient/anna') }, { actor: ref('Patient/paul') }] };
    expect(appError(() => patientCompartment(bundle(appt))).status).toBe(422);
  });

  it('looks into nested Bundles', () => {
    expect(patientCompartment(bundle(bundle(obs(ref('Patient/anna')))))).toBe('anna');
    expect(appError(() => patientCompartment(bundle(bundle(obs(ref('Patient/anna'))), obs(ref('Patient/paul'))))).status).toBe(422);
  });

  it('applies the server base to the entries', () => {
    expect(patientCompartment(bundle(obs(ref(`${BASE}/Patient/anna`))), BASE)).toBe('anna');
    expect(appError(() => patientCompartment(bundle(obs(ref(`${BASE}/Patient/anna`))))).status).toBe(422);
  });

  it('belongs to the patient whatever the number and order of its entries about them (property)', () => {
    fc.assert(
      fc.property(arbId, fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }), (id, kinds) => {
        const resources = kinds.map((k) => (k ? obs(ref(`Patient/${id}`)) : { resourceType: 'Organization', id: 'o' }));
        expect(patientCompartment(bundle(...resources))).toBe(kinds.some(Boolean) ? id : null);
      }),
    );
  });
});
