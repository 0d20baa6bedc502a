import { ADMINISTRATION_TYPES, type EntrySource, type VaccinationInput, type VaccineRef } from '../../../contract/profile.js';
import { ADMINISTRATION_LABELS } from '../labels.js';
import { ATC_SYSTEM, CIP13_SYSTEM, CIS_SYSTEM } from '../systems.js';
import { Checker, compact, conceptText, EXT, extValue, noteText, ref, sectionMeta, sourceOf, type Json } from './common.js';

type Administration = (typeof ADMINISTRATION_TYPES)[number];

/** The view of an Immunization, before its id, date of writing and source are added. */
export interface VaccinationFacts extends VaccinationInput {
  label: string;
  diseases: string[];
  authoredByPatient: boolean;
}

/** Vaccinations: the input; the vaccine is looked up in the reference list by the service. */
export function parseVaccination(body: Json, now: Date): VaccinationInput {
  const c = new Checker(body, now);
  const input: VaccinationInput = compact({
    vaccineRefId: c.text('vaccineRefId', 64),
    date: c.civilDate('date', true)!,
    administration: c.oneOf('administration', ADMINISTRATION_TYPES)!,
    lotNumber: c.optText('lotNumber', 50),
    performer: c.optText('performer', 200),
    comment: c.optText('comment', 2000),
  });
  c.done();
  return input;
}

/** Who recorded a vaccination entered by a professional (Immunization.recorder). */
export interface Recorder {
  practitionerId: string;
  display: string;
}

/**
 * An Immunization of the reference list's vaccine: CIS, CIP13 and ATC codings and the label; the diseases it
 * covers as protocolApplied.targetDisease; the professional who entered it as its recorder (R4 has no
 * Immunization.recorder: R5's informationSource, as the cross-version extension), then primarySource.
 */
export function vaccinationToFhir(input: VaccinationInput, vaccine: VaccineRef, patientId: string, extension: Json[], recorder?: Recorder): Json {
  const coding = [
    ...(vaccine.cis ? [{ system: CIS_SYSTEM, code: vaccine.cis }] : []),
    ...vaccine.cip13.map((code) => ({ system: CIP13_SYSTEM, code })),
    { system: ATC_SYSTEM, code: vaccine.atcCode, ...(vaccine.atcLabel ? { display: vaccine.atcLabel } : {}) },
  ];
  return compact({
    resourceType: 'Immunization',
    meta: sectionMeta('vaccinations'),
    extension: [
      ...extension,
      { url: EXT.vaccineRef, valueString: vaccine.id },
      { url: EXT.administration, valueCode: input.administration },
      ...(recorder ? [{ url: EXT.recorder, valueReference: { reference: `Practitioner/${recorder.practitionerId}`, display: recorder.display } }] : []),
    ],
    status: 'completed',
    vaccineCode: { coding, text: vaccine.label },
    patient: ref('Patient', patientId),
    occurrenceDateTime: input.date,
    primarySource: recorder !== undefined,
    lotNumber: input.lotNumber,
    performer: input.performer ? [{ actor: { display: input.performer } }] : undefined,
    note: input.comment ? [{ text: input.comment }] : undefined,
    protocolApplied: vaccine.diseases.length
      ? [{ targetDisease: vaccine.diseases.map((text) => ({ text })), doseNumberString: ADMINISTRATION_LABELS[input.administration] }]
      : undefined,
  });
}

/** Any Immunization of the record as a vaccination (those written through /fhir by others too). */
export function vaccinationFromFhir(r: Json): VaccinationFacts {
  const administration = extValue<string>(r, EXT.administration, 'valueCode');
  const performer = ((r.performer ?? []) as Json[]).map((p) => (p.actor as Json | undefined)?.display).find((d): d is string => typeof d === 'string' && d !== '');
  const diseases = ((r.protocolApplied ?? []) as Json[]).flatMap((p) => ((p.targetDisease ?? []) as Json[]).map((d) => conceptText(d))).filter((d): d is string => !!d);
  const occurrence = typeof r.occurrenceDateTime === 'string' ? r.occurrenceDateTime.slice(0, 10) : '';
  return compact({
    vaccineRefId: extValue<string>(r, EXT.vaccineRef, 'valueString') ?? '',
    date: occurrence,
    administration: (ADMINISTRATION_TYPES as readonly (string | undefined)[]).includes(administration) ? (administration as Administration) : 'IMMUNIZ',
    lotNumber: typeof r.lotNumber === 'string' ? r.lotNumber : undefined,
    performer,
    comment: noteText(r),
    label: conceptText(r.vaccineCode) ?? '',
    diseases: [...new Set(diseases)],
    authoredByPatient: sourceOf(r).kind !== 'professional',
  });
}

export function isProfessionalSource(s: EntrySource): boolean {
  return s.kind === 'professional';
}
