import type { Relation } from '../access/principal.js';

/**
 * Who may write to whom in the patients' secure messaging (domain.md §3.4, issue 7). Pure rules: the
 * services gather the facts and ask.
 */

/** The state of the patient profile a message is addressed to (insured.state). */
export type ProfileState = 'imported' | 'notified' | 'opposed' | 'open' | 'active' | 'suspended' | 'closed' | 'deleted' | 'none';

export type RecipientVerdict =
  | { accept: true }
  /** The address names no profile that has a mailbox: 550 5.1.1. */
  | { accept: false; reason: 'unknown' }
  /** The profile was closed: it receives nothing, and the sender is told (550 5.2.1). */
  | { accept: false; reason: 'closed' };

/** Every active profile has a mailbox; a closed one receives nothing; other states have none (yet, or any more). */
export function recipientVerdict(state: ProfileState): RecipientVerdict {
  if (state === 'active') return { accept: true };
  if (state === 'closed' || state === 'suspended' || state === 'deleted') return { accept: false, reason: 'closed' };
  return { accept: false, reason: 'unknown' };
}

/** Who is writing to a patient's mailbox. */
export type SenderKind = 'professional' | 'patient-side' | 'unknown';

export type Verdict = { allow: true } | { allow: false; reason: string; code: string };

const refuse = (code: string, reason: string): Verdict => ({ allow: false, reason, code });

/** Only professionals and establishments start a conversation with a patient. */
export function mayStartWithPatient(sender: SenderKind): Verdict {
  return sender === 'professional'
    ? { allow: true }
    : refuse('messages.patient-cannot-start', 'Only health professionals and establishments start a conversation with a patient');
}

/** What the rules need to know of a conversation for a patient's reply. */
export interface ConversationFacts {
  /** When a professional ended it (X-MSS-MES: FIN), if they did. */
  closedAt?: string | null | undefined;
  /** Whether the conversation was moved to the trash (a reply still works: it brings it back). */
  trashed?: boolean;
}

/** A patient (or who acts for them) replies unless a professional ended the conversation. */
export function mayPatientReply(conversation: ConversationFacts): Verdict {
  return conversation.closedAt
    ? refuse('messages.conversation-ended', 'The professional ended this conversation: it takes no reply')
    : { allow: true };
}

/** A professional mailbox a patient would write to, with what is known of it. */
export interface ContactFacts {
  /** The mailbox is published (directory) or known to Carnet, and active. */
  hasMailbox: boolean;
  /** The mailbox is a pharmacy's (an officine: its structure, or a pharmacist practising there). */
  pharmacy: boolean;
  /** This professional wrote to the patient in a conversation they did not end. */
  openConversation: boolean;
}

/**
 * A patient starts a conversation only with a pharmacy that has a mailbox (one they used in the last 12
 * months is suggested, any other is found in the directory), or with a professional who already wrote to them
 * and did not end the exchange (MES: "uniquement les professionnels qui vous ont déjà écrit").
 */
export function mayPatientStart(contact: ContactFacts): Verdict {
  if (!contact.hasMailbox) return refuse('messages.no-mailbox', 'This recipient has no secure mailbox compatible with Carnet');
  if (contact.pharmacy || contact.openConversation) return { allow: true };
  return refuse(
    'messages.recipient-not-allowed',
    'A patient writes to a pharmacy, or to a professional who already wrote to them and did not end the exchange',
  );
}

/** How far back a pharmacy counts as "already used": the look-back of the suggestions (any pharmacy with a mailbox may be found in the directory). */
export const PHARMACY_LOOKBACK_DAYS = 365;


const RELATION_FR: Record<Exclude<Relation, 'self'>, string> = {
  parent: 'son parent',
  'legal-representative': 'son représentant légal',
  carer: 'son aidant',
};

/**
 * The note a message written on the patient's behalf carries (domain.md §1.7: "Ce message a été rédigé
 * par …"), or undefined when the patient wrote it. It travels in the message itself, in French, as MES does.
 */
export function onBehalfNote(relation: Relation, author: string, patient: string): string | undefined {
  if (relation === 'self') return undefined;
  return `Ce message a été rédigé par ${author}, ${RELATION_FR[relation]}, pour le compte de ${patient}.`;
}
