import type { Delegation, PersonLike } from './types';

/** A person's name however the API spells it. */
export function personName(person: PersonLike | string | null | undefined): string {
  if (!person) return '';
  if (typeof person === 'string') return person;
  return person.displayName ?? person.name ?? [person.givenName, person.familyName].filter(Boolean).join(' ');
}

/** The first of the candidates that has a name. */
function firstNamed(...candidates: Array<PersonLike | undefined>): string {
  for (const c of candidates) {
    const name = personName(c);
    if (name) return name;
  }
  return '';
}

/** The other person of a delegation, seen from the signed-in person's side. */
export const carerName = (d: Delegation): string => firstNamed(d.carer, d.invitee, d.person, d);
export const helpedName = (d: Delegation): string => firstNamed(d.helped, d.patient, d.inviter, d.person, d);
export const inviterName = (d: Delegation): string => firstNamed(d.inviter, d.person, d);
export const inviteeName = (d: Delegation): string => firstNamed(d.invitee, d.carer, d.person, d);
