import { randomInt, randomUUID } from 'node:crypto';
import type { Queryable } from '../../db/index.js';
import { AppError } from '../../errors.js';
import type { Mailer } from '../mail/mailer.js';
import { codeHash } from './secrets.js';

/**
 * One-time codes sent by e-mail: 6 digits, valid OTP_TTL_MINUTES, at most MAX_TRIES wrong tries each, only
 * the newest of a subject and purpose counts. Used to verify a contact, as the second factor at sign-in and
 * to reset a password.
 */
export type OtpPurpose = 'verify-email' | 'sign-in' | 'reset-password';

export const OTP_TTL_MINUTES = 10;
const MAX_TRIES = 5;

export function newOtp(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

export async function issueOtp(
  q: Queryable,
  mailer: Mailer,
  pepper: string,
  o: { subject: string; purpose: OtpPurpose; to: string; userId?: string; now: Date },
): Promise<void> {
  const code = newOtp();
  await q.query(
    `INSERT INTO one_time_code (id, subject, user_id, purpose, code_hash, target, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [randomUUID(), o.subject, o.userId ?? null, o.purpose, codeHash(pepper, code), o.to, o.now, new Date(o.now.getTime() + OTP_TTL_MINUTES * 60_000)],
  );
  await mailer.enqueue(q, { to: o.to, template: 'otp', params: { code, purpose: o.purpose, minutes: OTP_TTL_MINUTES } });
}

export const wrongOtp = () => new AppError(400, 'invalid', 'The one-time code is wrong or has expired').withCode('otp.invalid');

/**
 * Checks the newest code of the subject and purpose and uses it up. Returns what it proves (the user id and
 * the address it went to). A wrong code counts a try (committed even when the caller's transaction is
 * rolled back: `q` should be the pool, not a transaction).
 */
export async function consumeOtp(
  q: Queryable,
  pepper: string,
  o: { subject: string; purpose: OtpPurpose; code: string; now: Date },
): Promise<{ userId: string | null; target: string }> {
  const code = o.code.replace(/\s+/g, '');
  const { rows } = await q.query<{ id: string; code_hash: string; user_id: string | null; target: string; attempts: number; expires_at: Date; used_at: Date | null }>(
    `SELECT id, code_hash, user_id, target, attempts, expires_at, used_at FROM one_time_code
      WHERE subject = $1 AND purpose = $2 ORDER BY created_at DESC LIMIT 1`,
    [o.subject, o.purpose],
  );
  const row = rows[0];
  if (!row || row.used_at || new Date(row.expires_at) <= o.now || row.attempts >= MAX_TRIES) throw wrongOtp();
  if (!/^\d{6}$/.test(code) || codeHash(pepper, code) !== row.code_hash) {
    await q.query('UPDATE one_time_code SET attempts = attempts + 1 WHERE id = $1', [row.id]);
    throw wrongOtp();
  }
  const { rowCount } = await q.query('UPDATE one_time_code SET used_at = $2 WHERE id = $1 AND used_at IS NULL', [row.id, o.now]);
  if (rowCount === 0) throw wrongOtp();
  return { userId: row.user_id, target: row.target };
}

/** "c•••••@exemple.fr": enough for the person to recognise their address, not enough to learn it. */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}${'•'.repeat(Math.max(local.length - 1, 3))}@${domain}`;
}
