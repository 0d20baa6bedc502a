import { BLOOD_GROUPS, type BloodGroupCode } from '../../../contract/profile.js';
import { BLOOD_GROUP_LABELS as LABELS } from '../labels.js';
import { LOINC } from '../systems.js';
import { Checker, codeIn, CS, ref, sectionMeta, type Json } from './common.js';

export const BLOOD_GROUP_LOINC = '882-1';
/** The search token of the blood group among Observation (the repository's singleton check). */
export const BLOOD_GROUP_TOKEN = `code=${LOINC}|${BLOOD_GROUP_LOINC}`;

export function bloodGroupLabel(code: BloodGroupCode): string {
  return LABELS[code];
}

export function parseBloodGroup(body: Json, now: Date): BloodGroupCode {
  const c = new Checker(body, now);
  const group = c.oneOf('group', BLOOD_GROUPS);
  c.done();
  return group!;
}

/** Groupe sanguin: an Observation LOINC 882-1 (ABO and Rh group), the group as a coded value. One per record. */
export function bloodGroupToFhir(group: BloodGroupCode, patientId: string, extension: Json[], now: Date): Json {
  return {
    resourceType: 'Observation',
    meta: sectionMeta('blood-group'),
    extension,
    status: 'final',
    code: { coding: [{ system: LOINC, code: BLOOD_GROUP_LOINC, display: 'ABO and Rh group [Type] in Blood' }], text: 'Groupe sanguin' },
    subject: ref('Patient', patientId),
    effectiveDateTime: now.toISOString(),
    valueCodeableConcept: { coding: [{ system: CS.bloodGroup, code: group, display: LABELS[group] }], text: LABELS[group] },
  };
}

export function isBloodGroup(r: Json): boolean {
  return r.resourceType === 'Observation' && codeIn(r.code, LOINC) === BLOOD_GROUP_LOINC;
}

export function bloodGroupFromFhir(r: Json): BloodGroupCode | undefined {
  const code = codeIn(r.valueCodeableConcept, CS.bloodGroup);
  if ((BLOOD_GROUPS as readonly (string | undefined)[]).includes(code)) return code as BloodGroupCode;
  // another writer's text ("A+", "O−")
  const text = (r.valueCodeableConcept as Json | undefined)?.text;
  return (Object.keys(LABELS) as BloodGroupCode[]).find((k) => typeof text === 'string' && LABELS[k].replace('−', '-') === text.replace('−', '-'));
}
