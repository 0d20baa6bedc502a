import { randomBytes } from 'node:crypto';
import type { Queryable } from '../../db/index.js';
import { normalizeAddress } from '../../domain/messaging/index.js';
import { AppError, refusal } from '../../errors.js';
import { hashPassword, verifyPassword } from '../accounts/secrets.js';
import { isUuid, uuidv7 } from '../ids.js';
import { proMailbox, type ProMailbox } from './mailboxes.js';

/**
 * Passwords for SMTP submission (mss_credential): a professional creates one per mail client or practice
 * software, for one of their mailboxes, sees it once, and revokes it when the software goes. Stored as scrypt
 * hashes, like the account passwords.
 */

/** Credentials a mailbox may hold at once (each authentication tries them all: scrypt is slow on purpose). */
export const MAX_CREDENTIALS_PER_MAILBOX = 10;

export interface CredentialView {
  id: string;
  address: string;
  practitionerId: string;
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface CredentialRow {
  id: string;
  address: string;
  practitioner_id: string;
  label: string;
  secret_hash: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const view = (r: CredentialRow): CredentialView => ({
  id: r.id,
  address: r.address,
  practitionerId: r.practitioner_id,
  label: r.label,
  createdAt: new Date(r.created_at).toISOString(),
  lastUsedAt: r.last_used_at ? new Date(r.last_used_at).toISOString() : null,
  revokedAt: r.revoked_at ? new Date(r.revoked_at).toISOString() : null,
});


const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';

/**
 * 32 letters and digits (56 symbols, without 0/O/o/1/l/I: about 186 random bits): no '-' or '_', which mail
 * clients and command-line tools (swaks) could take for an option or mistype.
 */
export function newSecret(): string {
  let out = '';
  while (out.length < 32) {
    for (const byte of randomBytes(64)) {
      // rejection sampling: 224 = 4 × 56, so every symbol is equally likely
      if (byte < 224 && out.length < 32) out += ALPHABET[byte % 56];
    }
  }
  return out;
}

/** Whether this professional may send as this mailbox: theirs, or their structure's (ORG, APP). */
async function mayUse(q: Queryable, mailbox: ProMailbox, practitionerId: string): Promise<boolean> {
  if (mailbox.practitionerId) return mailbox.practitionerId === practitionerId;
  if (!mailbox.organizationId) return false;
  const { rows } = await q.query('SELECT 1 FROM directory_role WHERE active AND practitioner_id = $1 AND organization_id = $2 LIMIT 1', [practitionerId, mailbox.organizationId]);
  return rows.length > 0;
}

/**
 * Creates a credential for one of the professional's mailboxes and returns its password, in clear, this once.
 * 404 `messages.unknown-mailbox` for an address that is no active professional mailbox, 403
 * `messages.not-your-mailbox` for somebody else's, 409 `messages.too-many-credentials` past the limit.
 */
export async function createCredential(
  q: Queryable,
  o: { address: string; practitionerId: string; label: string; now?: Date },
): Promise<{ credential: CredentialView; password: string }> {
  const address = normalizeAddress(o.address);
  const label = o.label.trim().slice(0, 100);
  if (!label) throw refusal(400, 'messages.credential-label', 'A credential needs a label (the software or device that uses it)');
  const mailbox = await proMailbox(q, address);
  if (!mailbox) throw refusal(404, 'messages.unknown-mailbox', 'No active professional mailbox has this address');
  if (!(await mayUse(q, mailbox, o.practitionerId))) throw refusal(403, 'messages.not-your-mailbox', 'This mailbox is not one of yours');
  const { rows } = await q.query<{ n: string }>('SELECT count(*) AS n FROM mss_credential WHERE address = $1 AND revoked_at IS NULL', [address]);
  if (Number(rows[0]?.n ?? 0) >= MAX_CREDENTIALS_PER_MAILBOX) {
    throw refusal(409, 'messages.too-many-credentials', `A mailbox holds at most ${MAX_CREDENTIALS_PER_MAILBOX} active credentials: revoke one first`);
  }
  const password = newSecret();
  const row: CredentialRow = {
    id: uuidv7(),
    address,
    practitioner_id: o.practitionerId,
    label,
    secret_hash: await hashPassword(password),
    created_at: o.now ?? new Date(),
    last_used_at: null,
    revoked_at: null,
  };
  await q.query(
    'INSERT INTO mss_credential (id, address, practitioner_id, label, secret_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [row.id, row.address, row.practitioner_id, row.label, row.secret_hash, row.created_at],
  );
  return { credential: view(row), password };
}

/** The credentials a professional created (revoked ones included, newest first), optionally for one mailbox. */
export async function listCredentials(q: Queryable, o: { practitionerId: string; address?: string }): Promise<CredentialView[]> {
  const { rows } = await q.query<CredentialRow>(
    `SELECT * FROM mss_credential WHERE practitioner_id = $1 ${o.address ? 'AND address = $2' : ''} ORDER BY created_at DESC, id`,
    o.address ? [o.practitionerId, normalizeAddress(o.address)] : [o.practitionerId],
  );
  return rows.map(view);
}

/** Revokes one of the professional's credentials (404 when it is not theirs); revoking twice changes nothing. */
export async function revokeCredential(q: Queryable, o: { id: string; practitionerId: string; now?: Date }): Promise<CredentialView> {
  if (!isUuid(o.id)) throw refusal(404, 'messages.unknown-credential', 'No such credential');
  const { rows } = await q.query<CredentialRow>(
    `UPDATE mss_credential SET revoked_at = COALESCE(revoked_at, $3) WHERE id = $1 AND practitioner_id = $2 RETURNING *`,
    [o.id, o.practitionerId, o.now ?? new Date()],
  );
  if (!rows[0]) throw refusal(404, 'messages.unknown-credential', 'No such credential');
  return view(rows[0]);
}

/**
 * Checks a mailbox address and password (SMTP AUTH): the credential and its still active mailbox, or
 * undefined. Marks the credential used. Takes about as long whether the address is known or not.
 */
export async function verifyCredential(
  q: Queryable,
  address: string,
  password: string,
  now: Date = new Date(),
): Promise<{ credential: CredentialView; mailbox: ProMailbox } | undefined> {
  const a = normalizeAddress(address);
  if (password.length === 0 || password.length > 200 || a.length > 254) return undefined;
  const { rows } = await q.query<CredentialRow>(
    'SELECT * FROM mss_credential WHERE address = $1 AND revoked_at IS NULL ORDER BY created_at DESC LIMIT $2',
    [a, MAX_CREDENTIALS_PER_MAILBOX],
  );
  if (rows.length === 0) {
    await verifyPassword(password, undefined);
    return undefined;
  }
  let found: CredentialRow | undefined;
  for (const r of rows) {
    if (await verifyPassword(password, r.secret_hash)) {
      found = r;
      break;
    }
  }
  if (!found) return undefined;
  const mailbox = await proMailbox(q, a);
  // the mailbox must still be one the professional may use (a structure's, while they practise there)
  if (!mailbox || !(await mayUse(q, mailbox, found.practitioner_id))) return undefined;
  await q.query('UPDATE mss_credential SET last_used_at = $2 WHERE id = $1', [found.id, now]);
  return { credential: view({ ...found, last_used_at: now }), mailbox };
}
