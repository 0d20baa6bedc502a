/**
 * Access of other people to a profile: carers (proches aidants) and legal representatives of a minor.
 * Rules: /work/shared/reference/domain.md §1.7.
 */
import { calendarDateOf, compareCalendarDates } from '../ins/calendar.js';
import { majorityDate } from '../ins/age.js';
import { foldName } from './fold.js';

/** A person can give access to their profile to at most 3 carers (OUTGOING_CAREGIVING_DELEGATIONS_LIMIT_REACHED). */
export const MAX_CARERS = 3;
/** A carer can help at most 5 people (INCOMING_CAREGIVING_DELEGATIONS_LIMIT_REACHED). */
export const MAX_HELPED = 5;

/** Stable codes (i18n keys) of why a carer invitation is refused, in the order `checkCarerInvitation` reports them. */
export const DELEGATION_PROBLEMS = [
  'delegation.self',
  'delegation.invitee-not-active',
  'delegation.exists',
  'delegation.invitation-exists',
  'delegation.outgoing-limit',
  'delegation.incoming-limit',
] as const;

export type DelegationProblem = (typeof DELEGATION_PROBLEMS)[number];

/** What the check needs to know about the helped person, the would-be carer and what links them already. */
export interface CarerInvitationContext {
  /** Carers of the helped person: accepted delegations plus pending invitations. */
  readonly carersOfHelped: number;
  /** People the invitee already helps: accepted delegations plus pending invitations. */
  readonly helpedByCarer: number;
  /** The invitee is already a carer of the helped person (SAME_DELEGATION_ALREADY_EXISTS). */
  readonly sameExisting: boolean;
  /** An invitation from the helped person to the invitee is pending (SAME_INVITATION_ALREADY_EXISTS). */
  readonly pendingSame: boolean;
  /** The helped person invites themself. */
  readonly selfInvite: boolean;
  /** The invitee has activated their own profile (a carer must have an active MES). */
  readonly carerActive: boolean;
}

/** Every reason to refuse a carer invitation (empty = it may be sent), in `DELEGATION_PROBLEMS` order. */
export function checkCarerInvitation(c: CarerInvitationContext): DelegationProblem[] {
  const problems: DelegationProblem[] = [];
  if (c.selfInvite) problems.push('delegation.self');
  if (!c.carerActive) problems.push('delegation.invitee-not-active');
  if (c.sameExisting) problems.push('delegation.exists');
  if (c.pendingSame) problems.push('delegation.invitation-exists');
  if (c.carersOfHelped >= MAX_CARERS) problems.push('delegation.outgoing-limit');
  if (c.helpedByCarer >= MAX_HELPED) problems.push('delegation.incoming-limit');
  return problems;
}

/**
 * The first day (YYYY-MM-DD) on which legal representatives no longer have access through the child's
 * minority: the 18th birthday. The exact transfer of control at 18 is not published [?]; Carnet ends the
 * representatives' access that day, and the young adult's consents are asked again.
 */
export function representativeAccessUntil(childBirthDate: string): string {
  return majorityDate(childBirthDate);
}

/** Whether a legal representative still has access to a child's profile on the (UTC) date of `on`. */
export function hasRepresentativeAccess(childBirthDate: string, on: Date): boolean {
  return compareCalendarDates(calendarDateOf(on), representativeAccessUntil(childBirthDate)) < 0;
}

/** What Carnet knows of a person found by their INS. */
export interface KnownPerson {
  /** Nom de naissance. */
  readonly birthName: string;
  /** Nom d'usage (e.g. a married name), if any. */
  readonly usedName?: string;
  /** Premier prénom de naissance. */
  readonly firstGivenName: string;
  /** YYYY-MM-DD. */
  readonly birthDate: string;
}

/** What the inviting person typed about the carer or second representative. */
export interface PersonQuery {
  readonly familyName: string;
  readonly givenName: string;
  /** YYYY-MM-DD. */
  readonly birthDate: string;
}

/**
 * Whether the typed family name, first given name and birth date designate the person found by INS
 * (`delegationMatchPotentialDelegate`, `sendInvitationSecondRL`): names compared without case, accents, and
 * with spaces, hyphens and apostrophes alike; the family name may be the birth name or the used name;
 * the birth date must be equal. Empty names never match.
 */
export function matchesPerson(candidate: KnownPerson, given: PersonQuery): boolean {
  const familyName = foldName(given.familyName);
  const givenName = foldName(given.givenName);
  if (familyName === '' || givenName === '') return false;
  const familyNames = [candidate.birthName, candidate.usedName ?? ''].map(foldName).filter((name) => name !== '');
  return (
    familyNames.includes(familyName) &&
    foldName(candidate.firstGivenName) === givenName &&
    given.birthDate.trim() === candidate.birthDate
  );
}
