import type { TreatmentInput } from '../../../contract/profile.js';
import { cip13Problem, isCis } from '../../reference/cip.js';
import { CIP13_SYSTEM, CIS_SYSTEM } from '../systems.js';
import { Checker, codeIn, compact, conceptText, EXT, extValues, formatPartialDate, idsOf, noteText, parsePartialDate, ref, sectionCoding, sectionMeta, type Json } from './common.js';

/**
 * Traitements: a MedicationStatement with the CIP13 and CIS codings; reasonReference → the diseases
 * (Condition), the allergies by the extension related-allergy (AllergyIntolerance).
 */
export function parseTreatment(body: Json, now: Date): TreatmentInput {
  const c = new Checker(body, now);
  const cip13 = c.optText('cip13', 13);
  if (cip13 !== undefined) {
    const problem = cip13Problem(cip13);
    if (problem) {
      c.fail('cip13', problem === 'check-digit' ? `cip13: ${cip13} has a wrong check digit` : `cip13: ${cip13} is not a CIP13 code (13 digits starting with 34009)`, 'treatments.cip-invalid', 422);
    }
  }
  const cis = c.optText('cis', 8);
  if (cis !== undefined && !isCis(cis)) c.fail('cis', 'cis is a CIS code of 8 digits');
  const input: TreatmentInput = compact({
    name: c.text('name', 200),
    cip13,
    cis,
    dosage: c.optText('dosage', 500),
    start: c.partialDate('start', false),
    end: c.partialDate('end', false),
    comment: c.optText('comment', 2000),
    diseaseIds: c.ids('diseaseIds'),
    allergyIds: c.ids('allergyIds'),
  });
  c.order('start', input.start, 'end', input.end);
  c.done();
  if (input.diseaseIds?.length === 0) delete input.diseaseIds;
  if (input.allergyIds?.length === 0) delete input.allergyIds;
  return input;
}

export function treatmentToFhir(input: TreatmentInput, patientId: string, extension: Json[]): Json {
  const coding = [...(input.cip13 ? [{ system: CIP13_SYSTEM, code: input.cip13 }] : []), ...(input.cis ? [{ system: CIS_SYSTEM, code: input.cis }] : [])];
  const period = compact({ start: input.start ? formatPartialDate(input.start) : undefined, end: input.end ? formatPartialDate(input.end) : undefined });
  return compact({
    resourceType: 'MedicationStatement',
    meta: sectionMeta('treatments'),
    extension: [...extension, ...(input.allergyIds ?? []).map((id) => ({ url: EXT.relatedAllergy, valueReference: ref('AllergyIntolerance', id) }))],
    status: input.end ? 'completed' : 'active',
    category: { coding: [sectionCoding('treatments')] },
    medicationCodeableConcept: compact({ coding: coding.length ? coding : undefined, text: input.name }),
    subject: ref('Patient', patientId),
    effectivePeriod: Object.keys(period).length ? period : undefined,
    reasonReference: input.diseaseIds?.length ? input.diseaseIds.map((id) => ref('Condition', id)) : undefined,
    note: input.comment ? [{ text: input.comment }] : undefined,
    dosage: input.dosage ? [{ text: input.dosage }] : undefined,
  });
}

export function treatmentFromFhir(r: Json): TreatmentInput {
  const period = (r.effectivePeriod ?? {}) as Json;
  const diseaseIds = idsOf(r.reasonReference, 'Condition');
  const allergyIds = idsOf(extValues(r, EXT.relatedAllergy, 'valueReference'), 'AllergyIntolerance');
  const dosage = ((r.dosage ?? []) as Json[]).map((d) => d.text).filter((t): t is string => typeof t === 'string' && t !== '').join('\n');
  return compact({
    name: conceptText(r.medicationCodeableConcept) ?? '',
    cip13: codeIn(r.medicationCodeableConcept, CIP13_SYSTEM),
    cis: codeIn(r.medicationCodeableConcept, CIS_SYSTEM),
    dosage: dosage || undefined,
    start: parsePartialDate(period.start ?? r.effectiveDateTime),
    end: parsePartialDate(period.end),
    comment: noteText(r),
    diseaseIds: diseaseIds.length ? diseaseIds : undefined,
    allergyIds: allergyIds.length ? allergyIds : undefined,
  });
}
