import { describe, expect, it } from 'vitest';
import { PROFILE_CATEGORY_SYSTEM } from '../../domain/access/profile.js';
import type { FhirOperations } from '../../repo/index.js';
import { readSummarySections } from './read-profile.js';
import { SUMMARY_SECTIONS } from './types.js';

/**
 * The summary's reading of the profile's FHIR resources, over an in-memory record: each section finds its
 * entries (types shared by sections told apart by the profile category), French wording and typography,
 * "non concerné" declarations, and what must not be taken for an entry (withdrawn, the parent's link).
 */
type Json = Record<string, unknown>;
const P = 'p1';
const cat = (code: string) => [{ coding: [{ system: PROFILE_CATEGORY_SYSTEM, code }] }];
const subject = { reference: `Patient/${P}` };
const nb = (s: string) => s.replace(/~/g, '\u00A0');

const record: Json[] = [
  { resourceType: 'Patient', id: P, birthDate: '1957-11-05', name: [{ family: 'Bernard', given: ['Louis'] }] },
  { resourceType: 'Immunization', id: 'i1', status: 'completed', patient: subject, vaccineCode: { text: 'BOOSTRIXTETRA' }, occurrenceDateTime: '2024-03-14', lotNumber: 'AB12', extension: [{ url: 'x/administration', valueCode: 'BOOSTER' }] },
  { resourceType: 'Immunization', id: 'i2', status: 'entered-in-error', patient: subject, vaccineCode: { text: 'Erreur' }, occurrenceDateTime: '2024-01-01' },
  { resourceType: 'Immunization', id: 'i3', status: 'completed', patient: subject, vaccineCode: { coding: [{ display: 'PRIORIX' }] }, occurrenceDateTime: '1990-05-01', extension: [{ url: 'http://hl7.org/fhir/5.0/StructureDefinition/extension-Immunization.informationSource', valueReference: { reference: 'Practitioner/9', display: 'Dr Durand' } }] },
  { resourceType: 'Condition', id: 'c1', subject, category: cat('diseases'), code: { text: 'Diabète de type 2' }, onsetDateTime: '2018-03', note: [{ text: 'suivi: trimestriel' }] },
  { resourceType: 'Condition', id: 'c2', subject, category: cat('disabilities'), code: { text: 'Surdité' }, extension: [{ url: 'x/disability-rate', valueCode: 'LESS_THAN_50' }, { url: 'x/technical-help', valueString: 'appareil auditif' }, { url: 'x/human-help', valueCode: 'NO' }], meta: { tag: [{ code: 'SENSORY' }] } },
  { resourceType: 'MedicationStatement', id: 'm2', status: 'stopped', subject, medicationCodeableConcept: { coding: [{ display: 'Ibuprofène 400 mg' }] }, effectiveDateTime: '2020-05-03' },
  { resourceType: 'Condition', id: 'c3', subject, code: { text: 'Sinusite' }, onsetDateTime: '2022-11-12', abatementDateTime: '2022-12-03' },
  { resourceType: 'MedicationStatement', id: 'm1', status: 'active', subject, medicationCodeableConcept: { text: 'Metformine 500 mg' }, dosage: [{ text: '1 comprimé matin et soir' }], effectivePeriod: { start: '2019' } },
  { resourceType: 'Observation', id: 'o1', status: 'final', subject, code: { coding: [{ system: 'http://loinc.org', code: '29463-7' }] }, valueQuantity: { value: 80, unit: 'kg', code: 'kg' }, effectiveDateTime: '2023-01-10' },
  { resourceType: 'Observation', id: 'o2', status: 'final', subject, code: { coding: [{ system: 'http://loinc.org', code: '29463-7' }] }, valueQuantity: { value: 72.5, unit: 'kg', code: 'kg' }, effectiveDateTime: '2024-03-14T08:00:00Z' },
  { resourceType: 'Observation', id: 'o3', status: 'final', subject, code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] }, effectiveDateTime: '2024-03-10', component: [{ code: { coding: [{ code: '8480-6' }] }, valueQuantity: { value: 130, code: 'mm[Hg]' } }, { code: { coding: [{ code: '8462-4' }] }, valueQuantity: { value: 85, code: 'mm[Hg]' } }] },
  { resourceType: 'Observation', id: 'o4', status: 'final', subject, category: cat('blood-group'), code: { coding: [{ system: 'http://loinc.org', code: '882-1' }] }, valueCodeableConcept: { coding: [{ code: 'OPOS' }] } },
  { resourceType: 'Observation', id: 'o5', status: 'final', subject, category: [...cat('habits'), { coding: [{ code: 'social-history' }] }], code: { coding: [{ code: 'TOBACCO' }] }, valueString: 'non-fumeur', effectiveDateTime: '2024-02-01' },
  { resourceType: 'Procedure', id: 'e1', status: 'completed', subject, category: cat('hospitalisations'), code: { text: 'Pose de stent' }, performedPeriod: { start: '2021-06-03' }, extension: [{ url: 'x/duration', valueDuration: { value: 3, code: 'd' } }] },
  { resourceType: 'Procedure', id: 'e2', status: 'completed', subject, code: { text: 'Consultation (mon histoire de santé)' }, performedDateTime: '2022-01-01' },
  { resourceType: 'FamilyMemberHistory', id: 'f1', status: 'completed', patient: subject, relationship: { coding: [{ code: 'MTH' }] }, condition: [{ code: { text: 'Cancer du sein' } }] },
  { resourceType: 'RelatedPerson', id: 'r1', patient: subject, relationship: [{ coding: [{ code: 'TRUSTED_CONTACT' }] }, { coding: [{ code: 'SPOUSE' }] }], name: [{ family: 'Bernard', given: ['Monique'] }], telecom: [{ system: 'phone', value: '06 11 22 33 44' }] },
  { resourceType: 'RelatedPerson', id: 'r2', patient: subject, relationship: [{ coding: [{ code: 'PRN' }] }], name: [{ family: 'Parent' }] },
  { resourceType: 'Consent', id: 'k1', status: 'active', patient: subject, category: cat('organ-donation'), provision: { type: 'permit' }, extension: [{ url: 'x/informed-relatives', valueBoolean: true }] },
  { resourceType: 'Consent', id: 'k2', status: 'active', patient: subject, category: cat('advance-directive'), dateTime: '2024-03-01T10:00:00Z', sourceReference: { reference: 'DocumentReference/d1' } },
  { resourceType: 'Consent', id: 'k3', status: 'active', patient: subject, category: [{ coding: [{ code: 'care-team' }] }] },
  { resourceType: 'List', id: 'l1', status: 'current', mode: 'snapshot', subject, code: { coding: [{ system: PROFILE_CATEGORY_SYSTEM, code: 'allergies' }] }, emptyReason: { coding: [{ code: 'nilknown' }] }, date: '2024-02-01T09:00:00Z' },
];

const ops = {
  async search(type: string) {
    return { versions: record.filter((r) => r.resourceType === type).map((r) => ({ resourceType: type, id: r.id, content: JSON.stringify(r), patientId: P, versionId: 1, lastUpdated: '2024-03-14T00:00:00Z', deleted: false })), included: [] };
  },
  async read(type: string, id: string) {
    const r = record.find((x) => x.resourceType === type && x.id === id)!;
    return { resourceType: type, id, content: JSON.stringify(r), patientId: P, versionId: 1, lastUpdated: '', deleted: false };
  },
} as unknown as FhirOperations;

describe('readSummarySections', () => {
  it('reads every section from its resources, in the order of the summary', async () => {
    const sections = await readSummarySections(ops, 'http://x/fhir', P, [...SUMMARY_SECTIONS].reverse());
    expect(sections.map((s) => s.section)).toEqual([...SUMMARY_SECTIONS]);
    const of = (s: string) => sections.find((x) => x.section === s)!;
    expect(of('VACCINES').items).toEqual([nb('BOOSTRIXTETRA — 14~mars~2024 — rappel — lot AB12'), nb('PRIORIX — 1er~mai~1990 — saisie par un professionnel (Dr Durand)')]);
    expect(of('DISEASES').items).toEqual([nb('Sinusite — du 12~novembre~2022 au 3~décembre~2022'), nb('Diabète de type 2 — depuis mars~2018 — suivi: trimestriel')]);
    expect(of('DISABILITIES').items[0]).toContain('Surdité — handicap sensoriel — taux d’incapacité inférieur à 50 % — aide technique : appareil auditif — sans aide humaine');
    expect(of('TREATMENTS').items).toEqual([nb('Ibuprofène 400 mg — commencé le 3~mai~2020 — arrêté'), 'Metformine 500 mg — 1 comprimé matin et soir — depuis 2019']);
    expect(of('MEASURES').items).toEqual([nb('Poids~: 72,5~kg (le 14~mars~2024)'), nb('Tension artérielle~: 130/85~mmHg (le 10~mars~2024)')]);
    expect(of('BLOOD_GROUP').items).toEqual(['O positif (O+)']);
    expect(of('LIFESTYLES').items).toEqual([nb('Tabac~: non-fumeur (1er~février~2024)')]);
    expect(of('HOSPITALIZATIONS').items).toEqual([nb('Pose de stent — le 3~juin~2021 — durée 3~jours')]);
    expect(of('FAMILY_HISTORY').items).toEqual(['Cancer du sein — mère']);
    expect(of('ENTOURAGE_CONTACT').items).toEqual([nb('Monique BERNARD — personne de confiance — conjoint ou conjointe — tél. 06~11~22~33~44')]);
    expect(of('WISHES').items).toEqual([nb('Don d’organes~: favorable au don d’organes et de tissus — proches informés de cette position'), nb('Directives anticipées~: rédigées le 1er~mars~2024, enregistrées dans les documents')]);
  });

  it('gives the date of a "non concerné" declaration for an empty section only', async () => {
    const [allergies, diseases] = await readSummarySections(ops, 'http://x/fhir', P, ['ALLERGIES', 'DISEASES']);
    expect(allergies).toMatchObject({ items: [], unconcernedSince: '2024-02-01T09:00:00Z' });
    expect(diseases!.unconcernedSince).toBeUndefined();
  });
});
