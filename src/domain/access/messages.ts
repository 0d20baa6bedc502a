import type { Principal } from './principal.js';
import { and, any, not, type TokenPredicate } from './token-predicate.js';

/**
 * Who reads the messages (Communication) of a record (issue 7): the patient and those who act for them read
 * their mailbox; a professional reads the messages they, or the structure of their practice situation, sent
 * or received, whatever their access to the record's documents, and no other. The rule is stated on search
 * tokens so that the repository applies the same condition to reads, searches, counts and includes.
 */
export const MESSAGE_TYPES: ReadonlySet<string> = new Set(['Communication']);

export const MESSAGE_TOKENS = {
  sender: (reference: string) => `sender=${reference}`,
  recipient: (reference: string) => `recipient=${reference}`,
  /** A draft: a Communication in preparation. */
  draft: 'status=preparation',
} as const;

/** The references a professional takes part in messages as: themselves, and their practice's structure. */
export function participantReferences(principal: Principal): string[] {
  if (principal.role !== 'professional' || !principal.practitionerId) return [];
  return [`Practitioner/${principal.practitionerId}`, ...(principal.practice?.organizationId ? [`Organization/${principal.practice.organizationId}`] : [])];
}

/**
 * The condition a message must meet for this principal, once the record is open to them. A draft (status
 * preparation) is the patient side's until it is sent: a professional never reads one, even addressed to them.
 */
export function messagePredicate(principal: Principal): TokenPredicate {
  if (principal.role === 'system' || principal.role === 'patient') return true;
  const refs = participantReferences(principal);
  return and(not(any([MESSAGE_TOKENS.draft])), any(refs.flatMap((r) => [MESSAGE_TOKENS.sender(r), MESSAGE_TOKENS.recipient(r)])));
}
