import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as web from '../../../contract/profile.js';
import { AppError } from '../../../errors.js';
import { patientCompartment } from '../../../fhir/compartment.js';
import { extractIndex } from '../../../fhir/search/extract.js';
import { assertValid } from '../../../fhir/validate.js';
import { profileProblems, singletonOf } from '../rules.js';
import { bloodGroupFromFhir, bloodGroupToFhir, BLOOD_GROUP_TOKEN } from './blood-group.js';
import { contactToFhir, TRUSTED_CONTACT_TOKEN } from './contacts.js';
import { LIST_SECTIONS, partialDateProblem, sectionTagToken, sourceExtension, sourceOf, UNCONCERNED_SECTIONS, formatPartialDate, parsePartialDate, type Json, type ListSection } from './common.js';
import { organDonationFromFhir, organDonationToFhir, ORGAN_DONATION_TOKEN } from './organ-donation.js';
import { SECTIONS } from './index.js';
import { vaccinationFromFhir, vaccinationToFhir } from './vaccinations.js';

const NOW = new Date('2026-06-15T10:00:00Z');
const PATIENT = 'p-1';
const ext = [sourceExtension({ kind: 'patient', name: 'Camille Martin' })];

const VACCINE: web.VaccineRef = { id: 'infanrixhexa', label: 'INFANRIX HEXA', cis: '65838536', cip13: ['3400935672414'], atcCode: 'J07CA09', atcLabel: 'diphtérie-Hib-poliomyélite-tétanos-coqueluche-hépatite B', diseases: ['Diphtérie', 'Tétanos'] };

/** One valid input per section. */
const SAMPLES: { [S in ListSection]: web.SectionInputs[S] } = {
  diseases: { name: 'Asthme', comment: 'depuis l’enfance', start: { year: 1995, month: 4 }, end: { year: 2020 }, documentIds: ['doc-1'] },
  treatments: { name: 'Ventoline', cip13: '3400935672414', cis: '65838536', dosage: '2 bouffées', start: { year: 2024, month: 1, day: 31 }, comment: 'si besoin', diseaseIds: ['c-1'], allergyIds: ['a-1'] },
  allergies: { name: 'Pollen', comment: 'printemps' },
  hospitalisations: { name: 'Appendicite', start: { year: 2010, month: 7, day: 3 }, duration: { value: 3, unit: 'DAY' }, comment: 'Hôpital Tenon', documentIds: ['doc-2'] },
  'family-history': { name: 'Diabète de type 2', relationship: 'GRANDFATHER', comment: 'paternel' },
  disabilities: { name: 'Surdité partielle', types: ['SENSORY'], rate: 'BETWEEN_50_AND_79', technicalHelp: 'Appareil auditif', humanHelp: 'NO', comment: 'oreille gauche' },
  vaccinations: { vaccineRefId: 'infanrixhexa', date: '2026-01-10', administration: 'BOOSTER', lotNumber: 'A12B', performer: 'Dr Durand', comment: 'bien toléré' },
  habits: { topic: 'SLEEP', answer: 'sept heures par nuit', date: '2026-06-01' },
  contacts: { kind: 'TRUSTED_CONTACT', relation: 'SPOUSE', firstName: 'Paul', lastName: 'Martin', phone: '06 12 34 56 78', email: 'paul@exemple.fr', address: '1 rue de Paris, 75011 Paris' },
};

function toFhir<S extends ListSection>(section: S, input: web.SectionInputs[S]): Json {
  if (section === 'vaccinations') return vaccinationToFhir(input as web.VaccinationInput, VACCINE, PATIENT, ext);
  return SECTIONS[section].toFhir!(input, PATIENT, ext);
}

function valid(resource: Json): void {
  assertValid({ ...resource, id: 'x1' });
  expect(profileProblems(resource, NOW)).toEqual([]);
}

describe('the sections of the profile as FHIR', () => {
  it('LIST_SECTIONS and UNCONCERNED_SECTIONS are the contract’s', () => {
    expect(LIST_SECTIONS).toEqual(web.LIST_SECTIONS);
    expect(UNCONCERNED_SECTIONS).toEqual(web.UNCONCERNED_SECTIONS);
  });

  for (const section of LIST_SECTIONS) {
    it(`${section}: input → FHIR → view gives the input back, the resource is valid, tagged and in the record`, () => {
      const input = SECTIONS[section].parse(SAMPLES[section] as unknown as Json, NOW);
      expect(input).toEqual(SAMPLES[section]);
      const resource = toFhir(section, input);
      expect(resource.resourceType).toBe(SECTIONS[section].resourceType);
      valid(resource);
      const index = extractIndex({ ...resource, id: 'x1' });
      expect(index.tokens).toContain(`_tag=${sectionTagToken(section)}`);
      expect(patientCompartment({ ...resource, id: 'x1' })).toBe(PATIENT);
      const view = SECTIONS[section].fromFhir(resource) as Json;
      const { label, diseases, authoredByPatient, ...rest } = view;
      expect(rest).toEqual(SAMPLES[section]);
      if (section === 'vaccinations') expect({ label, diseases, authoredByPatient }).toEqual({ label: 'INFANRIX HEXA', diseases: ['Diphtérie', 'Tétanos'], authoredByPatient: true });
      expect(sourceOf(resource)).toEqual({ kind: 'patient', name: 'Camille Martin' });
    });
  }

  it('the links are references: treatment → Condition and AllergyIntolerance, disease and hospitalisation → DocumentReference', () => {
    const t = toFhir('treatments', SAMPLES.treatments);
    expect(t.reasonReference).toEqual([{ reference: 'Condition/c-1' }]);
    expect(JSON.stringify(t.extension)).toContain('"reference":"AllergyIntolerance/a-1"');
    expect((toFhir('diseases', SAMPLES.diseases).evidence as Json[])[0]!.detail).toEqual([{ reference: 'DocumentReference/doc-1' }]);
    expect(JSON.stringify(toFhir('hospitalisations', SAMPLES.hospitalisations).extension)).toContain('"reference":"DocumentReference/doc-2"');
  });

  it('a vaccination recorded by a professional names them as recorder and is not the patient’s', () => {
    const r = vaccinationToFhir(SAMPLES.vaccinations, VACCINE, PATIENT, [sourceExtension({ kind: 'professional', name: 'Dr Claire Durand' })], { practitionerId: '810001234567', display: 'Dr Claire Durand' });
    valid(r);
    expect((r.extension as Json[]).find((e) => e.url === 'http://hl7.org/fhir/5.0/StructureDefinition/extension-Immunization.informationSource')?.valueReference).toEqual({ reference: 'Practitioner/810001234567', display: 'Dr Claire Durand' });
    expect(r.primarySource).toBe(true);
    expect(vaccinationFromFhir(r).authoredByPatient).toBe(false);
    // the codings of the reference list
    expect((r.vaccineCode as Json).coding).toEqual([
      { system: 'urn:oid:1.2.250.1.213.2.3.1', code: '65838536' },
      { system: 'urn:oid:1.2.250.1.213.2.3.2', code: '3400935672414' },
      { system: 'http://www.whocc.no/atc', code: 'J07CA09', display: VACCINE.atcLabel },
    ]);
  });

  it('an Immunization from elsewhere (a Practitioner recorder, no Carnet extension) reads as a professional’s', () => {
    const r = { resourceType: 'Immunization', status: 'completed', vaccineCode: { text: 'Vaxigrip' }, patient: { reference: 'Patient/p' }, occurrenceDateTime: '2025-10-01T10:00:00Z', primarySource: true, extension: [{ url: 'http://hl7.org/fhir/5.0/StructureDefinition/extension-Immunization.informationSource', valueReference: { reference: 'Practitioner/8', display: 'Dr X' } }] };
    expect(vaccinationFromFhir(r)).toMatchObject({ label: 'Vaxigrip', date: '2025-10-01', administration: 'IMMUNIZ', authoredByPatient: false, vaccineRefId: '' });
    expect(sourceOf(r)).toEqual({ kind: 'professional', name: 'Dr X' });
    expect(sourceOf({ resourceType: 'Condition' })).toEqual({ kind: 'app' });
  });

  it('blood group and organ donation: valid, round trip, singletons', () => {
    for (const group of web.BLOOD_GROUPS) {
      const r = bloodGroupToFhir(group, PATIENT, ext, NOW);
      valid(r);
      expect(bloodGroupFromFhir(r)).toBe(group);
      expect(singletonOf(r)).toMatchObject({ token: BLOOD_GROUP_TOKEN, code: 'blood-group.exists' });
      expect(extractIndex({ ...r, id: 'x' }).tokens).toContain(BLOOD_GROUP_TOKEN);
    }
    for (const position of web.ORGAN_DONATION_POSITIONS) {
      const input = { position, informedRelatives: position === 'DONOR', ...(position === 'REFUSES' ? { comment: 'non' } : {}) };
      const r = organDonationToFhir(input, PATIENT, ext, NOW);
      valid(r);
      expect(organDonationFromFhir(r)).toEqual(input);
      expect(singletonOf(r)).toMatchObject({ token: ORGAN_DONATION_TOKEN, code: 'organ-donation.exists' });
      expect(extractIndex({ ...r, id: 'x' }).tokens).toContain(ORGAN_DONATION_TOKEN);
    }
    const trusted = contactToFhir(SAMPLES.contacts, PATIENT, ext);
    expect(singletonOf(trusted)).toMatchObject({ token: TRUSTED_CONTACT_TOKEN, code: 'contacts.trusted-exists' });
    expect(extractIndex({ ...trusted, id: 'x' }).tokens).toContain(TRUSTED_CONTACT_TOKEN);
    expect(singletonOf(contactToFhir({ ...SAMPLES.contacts, kind: 'EMERGENCY_CONTACT' }, PATIENT, ext))).toBeUndefined();
  });
});

describe('bad input names every field at fault', () => {
  const error = (fn: () => unknown): AppError => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      return e as AppError;
    }
    throw new Error('expected an error');
  };
  const fieldsOf = (e: AppError) => e.issues.flatMap((i) => i.expression ?? []);

  it('required fields, enums and lengths', () => {
    const e = error(() => SECTIONS.diseases.parse({ name: '', start: { year: 1800 }, comment: 'x'.repeat(2001) }, NOW));
    expect(e.status).toBe(400);
    expect(fieldsOf(e)).toEqual(['name', 'comment', 'start']);
    expect(e.code).toBe('profile.name-invalid');
    expect(fieldsOf(error(() => SECTIONS.disabilities.parse({ name: 'x', types: ['FLYING'], rate: 'HALF', humanHelp: 'YES' }, NOW)))).toEqual(['types', 'rate']);
    expect(fieldsOf(error(() => SECTIONS.contacts.parse({ kind: 'TRUSTED_CONTACT', relation: 'COUSIN', firstName: 'a', lastName: 'b', email: 'nope' }, NOW)))).toEqual(['email', 'relation']);
    expect(fieldsOf(error(() => SECTIONS.hospitalisations.parse({ name: 'x', start: { year: 2020 }, duration: { value: 0, unit: 'DAY' } }, NOW)))).toEqual(['duration']);
    expect(fieldsOf(error(() => SECTIONS.vaccinations.parse({ vaccineRefId: 'v', date: '2026-02-30', administration: 'ONCE' }, NOW)))).toEqual(['date', 'administration']);
  });

  it('a CIP13 with a wrong key: 422 treatments.cip-invalid naming cip13', () => {
    const e = error(() => SECTIONS.treatments.parse({ name: 'x', cip13: '3400935672416' }, NOW));
    expect(e.status).toBe(422);
    expect(e.code).toBe('treatments.cip-invalid');
    expect(fieldsOf(e)).toEqual(['cip13']);
  });

  it('an end before the start, a date in the future', () => {
    expect(fieldsOf(error(() => SECTIONS.diseases.parse({ name: 'x', start: { year: 2020, month: 5 }, end: { year: 2020, month: 4 } }, NOW)))).toEqual(['end']);
    const future = error(() => SECTIONS.diseases.parse({ name: 'x', start: { year: 2026, month: 7 } }, NOW));
    expect(future.code).toBe('profile.start-future');
    expect(error(() => SECTIONS.vaccinations.parse({ vaccineRefId: 'v', date: '2026-06-16', administration: 'BOOSTER' }, NOW)).code).toBe('profile.date-future');
  });
});

describe('partial dates', () => {
  const arbDate = fc
    .record({ year: fc.integer({ min: 1900, max: 2026 }), month: fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }), day: fc.option(fc.integer({ min: 1, max: 31 }), { nil: undefined }) })
    .map((d) => (d.month === undefined ? { year: d.year } : d.day === undefined ? { year: d.year, month: d.month } : d));

  it('a valid partial date is a FHIR dateTime and reads back the same', () => {
    fc.assert(
      fc.property(arbDate, (d) => {
        if (partialDateProblem(d, NOW)) return;
        const s = formatPartialDate(d);
        expect(s).toMatch(/^\d{4}(-\d{2}(-\d{2})?)?$/);
        expect(parsePartialDate(s)).toEqual(d);
        assertValid({ resourceType: 'Condition', id: 'x', subject: { reference: 'Patient/p' }, onsetDateTime: s });
      }),
    );
  });

  it('accepted exactly when the day exists in its month and the date is not after today (Paris)', () => {
    fc.assert(
      fc.property(arbDate, (d) => {
        const problem = partialDateProblem(d, NOW);
        const day = 'day' in d ? (d.day as number) : 1;
        const month = 'month' in d ? (d.month as number) : 1;
        const exists = new Date(Date.UTC(d.year, month - 1, day)).getUTCDate() === day;
        const notFuture = formatPartialDate(d) <= '2026-06-15'.slice(0, formatPartialDate(d).length);
        expect(problem === undefined).toBe(exists && notFuture);
      }),
    );
    expect(partialDateProblem({ year: 2024, month: 2, day: 29 }, NOW)).toBeUndefined();
    expect(partialDateProblem({ year: 2023, month: 2, day: 29 }, NOW)).toBeDefined();
    expect(partialDateProblem({ year: 2020, day: 3 }, NOW)).toBeDefined();
    expect(partialDateProblem({ year: 1899 }, NOW)).toBeDefined();
    expect(partialDateProblem({ year: 2020, month: 1.5 }, NOW)).toBeDefined();
    expect(partialDateProblem('2020', NOW)).toBeDefined();
  });

  it('every section parses its own views back (property: any valid disease survives the round trip)', () => {
    fc.assert(
      fc.property(
        fc.record({ name: fc.string({ minLength: 1, maxLength: 50 }).filter((s) => s.trim() === s && s !== ''), start: arbDate, comment: fc.option(fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim() === s && s !== ''), { nil: undefined }) }),
        (raw) => {
          if (partialDateProblem(raw.start, NOW)) return;
          const input = SECTIONS.diseases.parse(raw.comment === undefined ? { name: raw.name, start: raw.start } : raw, NOW);
          expect(SECTIONS.diseases.fromFhir(SECTIONS.diseases.toFhir!(input, PATIENT, ext))).toEqual(input);
        },
      ),
    );
  });
});
