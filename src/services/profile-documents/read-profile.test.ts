import { describe, expect, it } from 'vitest';
import type { SectionInputs, VaccineRef } from '../../contract/profile.js';
import { checkMeasureInput } from '../../domain/measures/validate.js';
import { bloodGroupToFhir } from '../../domain/profile/sections/blood-group.js';
import { SECTIONS, sourceExtension, type Json, type ListSection } from '../../domain/profile/sections/index.js';
import { organDonationToFhir } from '../../domain/profile/sections/organ-donation.js';
import { vaccinationToFhir } from '../../domain/profile/sections/vaccinations.js';
import { notFound } from '../../errors.js';
import { extractIndex } from '../../fhir/search/extract.js';
import type { Filter, ParsedSearch } from '../../fhir/search/parse.js';
import type { FhirOperations, StoredVersion } from '../../repo/index.js';
import { measureObservation } from '../measures/fhir.js';
import { declarationResource } from '../profile/unconcerned.js';
import { consentResource } from './directives.js';
import { readSummarySections } from './read-profile.js';
import { SUMMARY_SECTIONS } from './types.js';

/**
 * The summary's reading of the profile, over an in-memory record whose resources are written by the sections'
 * own mappings (SECTIONS[s].toFhir, the singles', the measures', the directives'), so that the summary and the
 * application API cannot read them differently: French wording and typography, the links between entries,
 * "non concerné" declarations.
 */
const P = 'p1';
const FHIR_BASE = 'http://x/fhir';
const NOW = new Date('2024-03-20T10:00:00Z');
const nb = (s: string) => s.replace(/~/g, '\u00A0');
const byPatient = [sourceExtension({ kind: 'patient', name: 'Louis Bernard' })];

const entry = <S extends Exclude<ListSection, 'vaccinations'>>(section: S, id: string, input: SectionInputs[S]): Json => ({
  ...(SECTIONS[section].toFhir as (i: SectionInputs[S], p: string, e: Json[]) => Json)(input, P, byPatient),
  id,
});

const boostrix: VaccineRef = { id: 'boostrixtetra', label: 'BOOSTRIXTETRA', cip13: [], atcCode: 'J07CA02', atcLabel: 'diphtérie-tétanos-coqueluche-poliomyélite', diseases: ['Diphtérie', 'Tétanos'] };
const priorix: VaccineRef = { id: 'priorix', label: 'PRIORIX', cip13: [], atcCode: 'J07BD52', atcLabel: 'rougeole-oreillons-rubéole', diseases: [] };

function measure(id: string, body: Json, extra: Json = {}): Json {
  return { ...measureObservation(checkMeasureInput(body, NOW), { patientId: P, relation: 'self', name: 'Louis Bernard' }), id, ...extra };
}

const record: Json[] = [
  { resourceType: 'Patient', id: P, birthDate: '1957-11-05', name: [{ family: 'Bernard', given: ['Louis'] }] },
  { ...vaccinationToFhir({ vaccineRefId: 'boostrixtetra', date: '2024-03-14', administration: 'BOOSTER', lotNumber: 'AB12' }, boostrix, P, byPatient), id: 'i1' },
  { ...vaccinationToFhir({ vaccineRefId: 'priorix', date: '1990-05-01', administration: 'IMMUNIZ' }, priorix, P, [], { practitionerId: '9', display: 'Dr Durand' }), id: 'i3' },
  entry('diseases', 'c1', { name: 'Diabète de type 2', start: { year: 2018, month: 3 }, comment: 'suivi: trimestriel' }),
  entry('diseases', 'c3', { name: 'Sinusite', start: { year: 2022, month: 11, day: 12 }, end: { year: 2022, month: 12, day: 3 } }),
  entry('allergies', 'a1', { name: 'Ibuprofène' }),
  entry('treatments', 'm1', { name: 'Metformine 500 mg', dosage: '1 comprimé matin et soir', start: { year: 2019 }, diseaseIds: ['c1'] }),
  entry('treatments', 'm2', { name: 'Ibuprofène 400 mg', start: { year: 2020, month: 5, day: 3 }, end: { year: 2020, month: 5, day: 10 }, allergyIds: ['a1'] }),
  entry('hospitalisations', 'e1', { name: 'Pose de stent', start: { year: 2021, month: 6, day: 3 }, duration: { value: 3, unit: 'DAY' }, documentIds: ['d1', 'gone'] }),
  entry('family-history', 'f1', { name: 'Cancer du sein', relationship: 'MOTHER' }),
  entry('disabilities', 'h1', { name: 'Surdité', types: ['SENSORY'], rate: 'LESS_THAN_50', technicalHelp: 'appareil auditif', humanHelp: 'NO' }),
  entry('habits', 'o5', { topic: 'TOBACCO', answer: 'non-fumeur', date: '2024-02-01' }),
  entry('contacts', 'r1', { kind: 'TRUSTED_CONTACT', relation: 'SPOUSE', firstName: 'Monique', lastName: 'Bernard', phone: '06 11 22 33 44' }),
  // the RelatedPerson that links a child to their parent's account is no contact of the profile
  { resourceType: 'RelatedPerson', id: 'r2', patient: { reference: `Patient/${P}` }, relationship: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: 'PRN' }] }], name: [{ family: 'Parent' }] },
  { ...organDonationToFhir({ position: 'DONOR', informedRelatives: true }, P, byPatient, NOW), id: 'k1' },
  { ...consentResource(P, 'd2', '2024-03-01T10:00:00Z', 'Louis Bernard'), id: 'k2' },
  { ...bloodGroupToFhir('OPOS', P, byPatient, NOW), id: 'o4' },
  measure('w1', { code: 'WEIGHT', value: 80, unit: 'kg', date: '2023-01-10' }),
  measure('w2', { code: 'WEIGHT', value: 72.5, unit: 'kg', date: '2024-03-14T08:00:00Z' }),
  measure('bp', { code: 'BLOOD_PRESSURE', systolic: 130, diastolic: 85, unit: 'mm[Hg]', date: '2024-03-10' }),
  // a connected app's measure, with an alias LOINC code of the catalogue (8332-9, body temperature)
  measure('t1', { code: 'BODY_TEMPERATURE', value: 37.2, unit: 'Cel', date: '2024-03-12' }, { meta: { source: 'Withings' }, code: { coding: [{ system: 'http://loinc.org', code: '8332-9' }] } }),
  { resourceType: 'DocumentReference', id: 'd1', status: 'current', subject: { reference: `Patient/${P}` }, content: [{ attachment: { contentType: 'application/pdf', title: 'Compte rendu d’hospitalisation' } }] },
  // another record: only a "non concerné" declaration of its allergies
  { resourceType: 'Patient', id: 'p2', birthDate: '1990-01-01' },
  { ...declarationResource('p2', 'allergies', new Date('2024-02-01T09:00:00Z')), id: 'l1' },
];

function matches(f: Filter, tokens: Set<string>): boolean {
  if (f.kind !== 'token') return true;
  const hit = f.anyOf.some((t) => tokens.has(t)) || f.systems.some((s) => [...tokens].some((t) => t.startsWith(`${f.param}=${s}|`)));
  return f.not ? !hit : hit;
}

const version = (r: Json): StoredVersion => ({ resourceType: r.resourceType as string, id: r.id as string, content: JSON.stringify(r), patientId: P, versionId: 1, lastUpdated: '2024-03-14T00:00:00Z', deleted: false });

/** The repository's search, over the record: the token criteria each search of the services uses. */
const ops = {
  async search(type: string, search: ParsedSearch) {
    const found = record.filter((r) => r.resourceType === type && search.filters.every((f) => matches(f, new Set(extractIndex(r, FHIR_BASE).tokens))));
    return { versions: found.map(version), included: [] };
  },
  async read(type: string, id: string) {
    const r = record.find((x) => x.resourceType === type && x.id === id);
    if (!r) throw notFound(`${type}/${id}`);
    return version(r);
  },
} as unknown as FhirOperations;

describe('readSummarySections', () => {
  it('reads every section as the application API does, in the order of the summary, in French', async () => {
    const sections = await readSummarySections(ops, FHIR_BASE, P, [...SUMMARY_SECTIONS].reverse());
    expect(sections.map((s) => s.section)).toEqual([...SUMMARY_SECTIONS]);
    const of = (s: string) => sections.find((x) => x.section === s)!.items;
    expect(of('VACCINES')).toEqual([nb('BOOSTRIXTETRA — 14~mars~2024 — rappel — contre~: Diphtérie, Tétanos — lot AB12'), nb('PRIORIX — 1er~mai~1990 — saisie par un professionnel (Dr Durand)')]);
    expect(of('DISEASES')).toEqual([nb('Sinusite — du 12~novembre~2022 au 3~décembre~2022'), nb('Diabète de type 2 — depuis mars~2018 — suivi: trimestriel')]);
    expect(of('TREATMENTS')).toEqual([
      nb('Ibuprofène 400 mg — du 3~mai~2020 au 10~mai~2020 — allergies liées~: Ibuprofène'),
      nb('Metformine 500 mg — 1 comprimé matin et soir — depuis 2019 — pour~: Diabète de type 2'),
    ]);
    expect(of('ALLERGIES')).toEqual([nb('Ibuprofène — traitements liés~: Ibuprofène 400 mg')]);
    expect(of('HOSPITALIZATIONS')).toEqual([nb('Pose de stent — le 3~juin~2021 — durée 3~jours — documents~: «Compte rendu d’hospitalisation»')]);
    expect(of('DISABILITIES')).toEqual([nb('Surdité — handicap sensoriel — taux d’incapacité inférieur à 50 % — aide technique~: appareil auditif — sans aide humaine')]);
    expect(of('MEASURES')).toEqual([
      nb('Poids~: 72,5~kg (le 14~mars~2024)'),
      nb('Température~: 37,2~°C (le 12~mars~2024, transmise par Withings)'),
      nb('Tension artérielle~: 130/85~mmHg (le 10~mars~2024)'),
    ]);
    expect(of('BLOOD_GROUP')).toEqual(['O positif (O+)']);
    expect(of('LIFESTYLES')).toEqual([nb('Tabac~: non-fumeur (1er~février~2024)')]);
    expect(of('FAMILY_HISTORY')).toEqual(['Cancer du sein — mère']);
    expect(of('ENTOURAGE_CONTACT')).toEqual([nb('Monique BERNARD — personne de confiance — conjoint ou conjointe — tél. 06~11~22~33~44')]);
    expect(of('WISHES')).toEqual([nb('Don d’organes~: favorable au don d’organes et de tissus — proches informés de cette position'), nb('Directives anticipées~: rédigées le 1er~mars~2024, enregistrées dans les documents')]);
  });

  it('gives the date of a "non concerné" declaration for an empty section only', async () => {
    const [allergies, diseases] = await readSummarySections(ops, FHIR_BASE, 'p2', ['ALLERGIES', 'DISEASES']);
    expect(allergies).toMatchObject({ items: [], unconcernedSince: '2024-02-01T09:00:00.000Z' });
    expect(diseases).toMatchObject({ items: [] });
    expect(diseases!.unconcernedSince).toBeUndefined();
  });
});
