import type { ClosableSection } from './profile.js';
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
  /** The patient named this professional administrator of their record: they see hidden documents. */
  administrator?: boolean;
}

/** An emergency access in progress (break the glass, or the SAMU regulation), until its end. */
export interface EmergencyFact {
  since: Date;
  /** Whether the patient allowed hidden documents to be seen in an emergency. */
  hiddenAllowed: boolean;
}

export interface CareFacts {
  profile: ProfileFact;
  /** The sections of the medical profile the patient closed to professionals (profile.ts). */
  closedSections?: readonly ClosableSection[] | undefined;
  relation?: RelationFacts | undefined;
  emergency?: EmergencyFact | undefined;
}

/** Why an authorised professional may access the record. */
export type CareBasis = 'medecin-traitant' | 'care-team' | 'consent' | 'patient' | 'emergency';

export type AccessStatus =
  | { status: 'no-profile'; reason: 'absent' | 'opposed' | 'pending' }
  | { status: 'closed' }
  | { status: 'blocked'; since: Date }
  | { status: 'authorised'; basis: CareBasis; since?: Date; administrator?: boolean; emergency?: EmergencyFact; closed?: readonly ClosableSection[] }
  | { status: 'consent-needed' };

/** The access decision for one professional on one patient record. */
export function careAccess(facts: CareFacts): AccessStatus {
  if (facts.profile === 'absent' || facts.profile === 'opposed' || facts.profile === 'pending') {
    return { status: 'no-profile', reason: facts.profile };
  }
  if (facts.profile === 'closed') return { status: 'closed' };
  const r = facts.relation;
  // a professional the patient blocked is refused, in an emergency too: the patient objected to them
  if (r?.blockedAt) return { status: 'blocked', since: r.blockedAt };
  const extra = {
    ...(r?.administrator ? { administrator: true } : {}),
    ...(facts.emergency ? { emergency: facts.emergency } : {}),
    ...(facts.closedSections?.length ? { closed: facts.closedSections } : {}),
  };
  const basis = normalBasis(r);
  if (basis) return { status: 'authorised', ...basis, ...extra };
  if (facts.emergency) return { status: 'authorised', basis: 'emergency', since: facts.emergency.since, ...extra };
  return { status: 'consent-needed' };
}

function normalBasis(r: RelationFacts | undefined): { basis: CareBasis; since?: Date } | undefined {
  if (r?.medecinTraitant) return { basis: 'medecin-traitant' };
  // a sage-femme référente or pharmacien correspondant is part of the care team the patient chose
  if (r?.careTeamSince) return { basis: 'care-team', since: r.careTeamSince };
  if (r?.sageFemme || r?.pharmacien) return { basis: 'care-team' };
  if (r?.consentAt) return { basis: 'consent', since: r.consentAt };
  if (r?.inList) return { basis: 'patient', ...(r.addedAt ? { since: r.addedAt } : {}) };
  return undefined;
}

/** A professional may declare consent or care-team membership only where a profile is open and they are not blocked. */
export function mayDeclareAccess(status: AccessStatus): boolean {
  return status.status === 'authorised' || status.status === 'consent-needed';
}

/**
 * What an authorised professional may read in a record: documents, vaccinations, health history (the care
 * episodes, Procedure), the people around the patient, and the consents, among them the patient's wishes
 * (domain.md §2.8, "scope of PS access in MES"; profile.ts). The rest of the profile (diseases, allergies,
 * treatments, measures, agenda, messages with the app...) is the patient's own. Which documents (and lists
 * of documents) they see within a record is decided by documents.ts (habilitation matrix, hidden documents).
 * Documents' bytes are read through their DocumentReference (Binary/<document id>).
 */
export const PRO_READABLE_TYPES: ReadonlySet<string> = new Set([
  'Patient',
  'DocumentReference',
  'Immunization',
  'Procedure',
  'RelatedPerson',
  'Consent',
  'List',
]);

/**
 * What an authorised professional may add to a record (documents with their submission sets and folders,
 * vaccinations, consents). They create; the only things they change or delete are the documents they
 * deposited (DMP metadata update and deletion by the producer, see policy.ts).
 */
export const PRO_WRITABLE_TYPES: ReadonlySet<string> = new Set(['DocumentReference', 'List', 'Immunization', 'Consent']);

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
