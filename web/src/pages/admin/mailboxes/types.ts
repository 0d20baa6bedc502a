/** The shapes of /api/admin/mailboxes (src/services/messaging/operator-mailboxes.ts). */

export const MAILBOX_KINDS = ['PER', 'ORG', 'APP', 'CAB'] as const;
export type MailboxKind = (typeof MAILBOX_KINDS)[number];

/** A professional mailbox the operator created. */
export interface OperatorMailbox {
  address: string;
  kind: MailboxKind;
  displayName: string;
  practitionerId: string | null;
  organizationId: string | null;
  pharmacy: boolean;
  active: boolean;
  createdAt: string;
}

/** GET /api/admin/mailboxes?q=&page=&pageSize= */
export interface OperatorMailboxPage {
  items: OperatorMailbox[];
  total: number;
  page: number;
  pageSize: number;
}

/** POST /api/admin/mailboxes: a PER or CAB mailbox belongs to a professional, an ORG or APP one to a structure. */
export interface NewMailbox {
  address: string;
  kind: MailboxKind;
  displayName: string;
  practitionerId?: string;
  organizationId?: string;
  pharmacy: boolean;
}

/** Whether this kind of mailbox belongs to a professional (PER, CAB) rather than to a structure (ORG, APP). */
export const ownedByProfessional = (kind: MailboxKind): boolean => kind === 'PER' || kind === 'CAB';

export const isMailboxKind = (value: string): value is MailboxKind => (MAILBOX_KINDS as readonly string[]).includes(value);

/** The server's check of an address (src/domain/messaging/addresses.ts), so that the form says it first. */
const ADDRESS = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9-]{1,63}(\.[A-Za-z0-9-]{1,63})+$/;
export const isMailboxAddress = (value: string): boolean => value.length <= 254 && ADDRESS.test(value) && !value.includes('..');
