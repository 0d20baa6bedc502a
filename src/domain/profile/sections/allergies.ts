import type { AllergyInput } from '../../../contract/profile.js';
import { TERMINOLOGY } from '../systems.js';
import { Checker, compact, conceptText, noteText, ref, sectionMeta, type Json } from './common.js';

/** Allergies: an AllergyIntolerance (its category is a code of FHIR's: the section is told by the tag). */
export function parseAllergy(body: Json, now: Date): AllergyInput {
  const c = new Checker(body, now);
  const input: AllergyInput = compact({ name: c.text('name', 200), comment: c.optText('comment', 2000) });
  c.done();
  return input;
}

export function allergyToFhir(input: AllergyInput, patientId: string, extension: Json[]): Json {
  return compact({
    resourceType: 'AllergyIntolerance',
    meta: sectionMeta('allergies'),
    extension,
    clinicalStatus: { coding: [{ system: TERMINOLOGY.allergyClinical, code: 'active' }] },
    code: { text: input.name },
    patient: ref('Patient', patientId),
    note: input.comment ? [{ text: input.comment }] : undefined,
  });
}

export function allergyFromFhir(r: Json): AllergyInput {
  return compact({ name: conceptText(r.code) ?? '', comment: noteText(r) });
}
