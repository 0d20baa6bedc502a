import { FAMILY_RELATIONSHIPS, type FamilyHistoryInput, type FamilyRelationship } from '../../../contract/profile.js';
import { TERMINOLOGY } from '../systems.js';
import { Checker, compact, conceptText, noteText, ref, sectionMeta, type Json } from './common.js';

export const ROLE_CODE = TERMINOLOGY.roleCode;

/** The relationships as v3 RoleCode (FamilyMember): OTHER is any family member. */
export const RELATIONSHIP_CODES: Record<FamilyRelationship, { code: string; display: string }> = {
  MOTHER: { code: 'MTH', display: 'mother' },
  FATHER: { code: 'FTH', display: 'father' },
  GRANDMOTHER: { code: 'GRMTH', display: 'grandmother' },
  GRANDFATHER: { code: 'GRFTH', display: 'grandfather' },
  SISTER: { code: 'SIS', display: 'sister' },
  BROTHER: { code: 'BRO', display: 'brother' },
  GREAT_GRANDMOTHER: { code: 'GGRMTH', display: 'great grandmother' },
  GREAT_GRANDFATHER: { code: 'GGRFTH', display: 'great grandfather' },
  AUNT: { code: 'AUNT', display: 'aunt' },
  UNCLE: { code: 'UNCLE', display: 'uncle' },
  OTHER: { code: 'FAMMEMB', display: 'family member' },
};

/** Antécédents familiaux: a FamilyMemberHistory, the relationship in v3 RoleCode, the disease as its condition. */
export function parseFamilyHistory(body: Json, now: Date): FamilyHistoryInput {
  const c = new Checker(body, now);
  const input: FamilyHistoryInput = compact({
    name: c.text('name', 200),
    relationship: c.oneOf('relationship', FAMILY_RELATIONSHIPS)!,
    comment: c.optText('comment', 2000),
  });
  c.done();
  return input;
}

export function familyHistoryToFhir(input: FamilyHistoryInput, patientId: string, extension: Json[]): Json {
  const rel = RELATIONSHIP_CODES[input.relationship];
  return compact({
    resourceType: 'FamilyMemberHistory',
    meta: sectionMeta('family-history'),
    extension,
    status: 'completed',
    patient: ref('Patient', patientId),
    relationship: { coding: [{ system: ROLE_CODE, code: rel.code, display: rel.display }] },
    condition: [{ code: { text: input.name } }],
    note: input.comment ? [{ text: input.comment }] : undefined,
  });
}

export function familyHistoryFromFhir(r: Json): FamilyHistoryInput {
  const code = ((r.relationship as Json | undefined)?.coding as Json[] | undefined)?.find((x) => x.system === ROLE_CODE)?.code;
  const relationship = (Object.keys(RELATIONSHIP_CODES) as FamilyRelationship[]).find((k) => RELATIONSHIP_CODES[k].code === code) ?? 'OTHER';
  return compact({
    name: conceptText((r.condition as Json[] | undefined)?.[0]?.code) ?? '',
    relationship,
    comment: noteText(r),
  });
}
