/**
 * Whether a health professional may access a patient's record (CSP L1110-12, L1111-17, R1111-46;
 * domain.md §2.8): the patient's profile must exist and be open, the professional must not be blocked, and
 * they must be the médecin traitant, a member of the care team, or have the patient's consent (recorded by
 * a professional, or given by the patient adding them to their list). Pure: the facts come from the caller.
 */

/** The state of the patient's profile, as the professional's request sees it. */
export type ProfileFact =
  /** no insured person nor record for this identity */
  | 'absent'
  /** the person objected to the creation of their profile */
  | 'opposed'
  /** the profile is not created yet: the person is within their six weeks to object */
  | 'pending'
  | 'open'
  /** suspended, closed or deleted */
  | 'closed';

/** What Carnet knows of one professional and one patient (care_relation). */
export interface RelationFacts {
  blockedAt?: Date | undefined;
  medecinTraitant?: boolean;
  sageFemme?: boolean;
  pharmacien?: boolean;
  /** The patient added the professional to their list. */
  inList?: boolean;
  addedAt?: Date | undefined;
  careTeamSince?: Date | undefined;
  consentAt?: Date | undefined;
}

export interface CareFacts {
  profile: ProfileFact;
  relation?: RelationFacts | undefined;
}

/** Why an authorised professional may access the record. */
export type CareBasis = 'medecin-traitant' | 'care-team' | 'consent' | 'patient';

export type AccessStatus =
  | { status: 'no-profile'; reason: 'absent' | 'opposed' | 'pending' }
  | { status: 'closed' }
  | { status: 'blocked'; since: Date }
  | { status: 'authorised'; basis: CareBasis; since?: Date }
  | { status: 'consent-needed' };

/** The access decision for one professional on one patient record. */
export function careAccess(facts: CareFacts): AccessStatus {
  if (facts.profile === 'absent' || facts.profile === 'opposed' || facts.profile === 'pending') {
    return { status: 'no-profile', reason: facts.profile };
  }
  if (facts.profile === 'closed') return { status: 'closed' };
  const r = facts.relation;
  if (r?.blockedAt) return { status: 'blocked', since: r.blockedAt };
  if (r?.medecinTraitant) return { status: 'authorised', basis: 'medecin-traitant' };
  // a sage-femme référente or pharmacien correspondant is part of the care team the patient chose
  if (r?.careTeamSince) return { status: 'authorised', basis: 'care-team', since: r.careTeamSince };
  if (r?.sageFemme || r?.pharmacien) return { status: 'authorised', basis: 'care-team' };
  if (r?.consentAt) return { status: 'authorised', basis: 'consent', since: r.consentAt };
  if (r?.inList) return { status: 'authorised', basis: 'patient', ...(r.addedAt ? { since: r.addedAt } : {}) };
  return { status: 'consent-needed' };
}

/** A professional may declare consent or care-team membership only where a profile is open and they are not blocked. */
export function mayDeclareAccess(status: AccessStatus): boolean {
  return status.status === 'authorised' || status.status === 'consent-needed';
}

/**
 * What an authorised professional may read in a record: documents, vaccinations, health history, the
 * people around the patient, and the consents (domain.md §2.8, "scope of PS access in MES"). The rest of
 * the profile (measures, agenda, messages with the app...) is the patient's own. The document-level rules
 * (habilitation matrix, hidden documents) come with the DMP.
 */
export const PRO_READABLE_TYPES: ReadonlySet<string> = new Set([
  'Patient',
  'DocumentReference',
  'Binary',
  'Immunization',
  'Condition',
  'Procedure',
  'AllergyIntolerance',
  'RelatedPerson',
  'Consent',
]);

/**
 * What an authorised professional may add to a record (documents and vaccinations they produce, consents).
 * They create; they do not update or delete what a record holds (the DMP issue adds the replacement of the
 * documents they authored).
 */
export const PRO_WRITABLE_TYPES: ReadonlySet<string> = new Set(['DocumentReference', 'Binary', 'Immunization', 'Consent']);

/** The roles a patient gives a professional, and the profession (TRE_G15) each needs. */
export const CARE_ROLES = {
  'medecin-traitant': { profession: '10', column: 'medecin_traitant' },
  'sage-femme-referente': { profession: '50', column: 'sage_femme' },
  'pharmacien-correspondant': { profession: '21', column: 'pharmacien' },
} as const;

export type CareRole = keyof typeof CARE_ROLES;

export function isCareRole(value: string): value is CareRole {
  return Object.hasOwn(CARE_ROLES, value);
}

/** Whether a professional practising these professions may hold the role. */
export function roleFitsProfessions(role: CareRole, professionCodes: readonly string[]): boolean {
  return professionCodes.includes(CARE_ROLES[role].profession);
}
