/**
 * MSSanté-style addresses (domain.md §3.3). A patient's mailbox is `<matricule INS>@patient.<domain>`; a
 * professional's is whatever the directory (or the operator) published, of one of four kinds.
 */

/** PER personal, ORG organisational, APP application, CAB practice; PAT a patient's mailbox. */
export type MailboxKind = 'PER' | 'ORG' | 'APP' | 'CAB';
export const PRO_MAILBOX_KINDS: readonly MailboxKind[] = ['PER', 'ORG', 'APP', 'CAB'];

const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const ADDRESS = new RegExp(`^${ATOM}(?:\\.${ATOM})*@${LABEL}(?:\\.${LABEL})+$`);

/** A plausible e-mail address (the dot-atom form of RFC 5321), a local part of at most 64 characters, 254 in all. */
export function isAddress(value: string): boolean {
  const at = value.lastIndexOf('@');
  return value.length <= 254 && at > 0 && at <= 64 && ADDRESS.test(value);
}

/** Addresses compare without case (domains are case-insensitive; the patients' local parts are digits). */
export function normalizeAddress(value: string): string {
  return value.trim().toLowerCase();
}

/** The patients' domain for an operator domain: `patient.<domain>`. */
export function patientDomain(domain: string): string {
  return `patient.${domain.toLowerCase()}`;
}

export function patientAddress(matricule: string, domain: string): string {
  return `${matricule}@${patientDomain(domain)}`;
}

/**
 * The matricule INS a patient address names, or undefined when the address is not in the patients' domain.
 * The 15 characters are a NIR with its key (a Corsican department is 2A or 2B); the caller checks the key.
 */
export function matriculeOf(address: string, domain: string): string | undefined {
  const a = normalizeAddress(address);
  const at = a.lastIndexOf('@');
  if (at < 0 || a.slice(at + 1) !== patientDomain(domain)) return undefined;
  const local = a.slice(0, at).toUpperCase();
  return /^[12378][0-9]{4}(2A|2B|[0-9]{2})[0-9]{8}$/.test(local) ? local : undefined;
}

/** The domain of an address; '' when it has none. */
export function domainOf(address: string): string {
  const a = normalizeAddress(address);
  const at = a.lastIndexOf('@');
  return at < 0 ? '' : a.slice(at + 1);
}
