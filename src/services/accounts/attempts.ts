import type { Queryable } from '../../db/index.js';
import { AppError } from '../../errors.js';

/**
 * Brute force on codes and passwords: failures are counted per subject (a NIR, a login, an interaction)
 * over a window; after `lockAfter` failures the subject is locked for `lockMinutes`, whatever is tried.
 * The lock answers 429 with the same message for a subject that exists and one that does not.
 *
 * A client address (subjects `ip-…`) is shared by many people (a carrier's NAT, a France Services counter,
 * a family at home): it locks after ADDRESS_FACTOR times as many failures, so that one person's typos do
 * not lock out everyone behind it, while a sweep over many NIRs or logins from one address still does.
 */
export interface AttemptPolicy {
  lockAfter: number;
  lockMinutes: number;
  /** Failures after which a client address locks; lockAfter × ADDRESS_FACTOR by default. */
  addressLockAfter?: number;
}

const WINDOW_MS = 60 * 60_000;
export const ADDRESS_FACTOR = 10;

/** The lock of an account (sign-in, one-time codes, current-password checks). */
export const accountLocked = () =>
  new AppError(429, 'throttled', 'Too many failed attempts: this account is locked for a while').withCode('auth.locked');

export const locked = () =>
  new AppError(429, 'throttled', 'Too many failed attempts: try again later').withCode('attempts.locked');

export async function assertNotLocked(q: Queryable, subjects: string[], now: Date): Promise<void> {
  const { rows } = await q.query<{ n: string }>(
    'SELECT count(*) AS n FROM attempt_counter WHERE subject = ANY($1) AND locked_until > $2',
    [subjects, now],
  );
  if (Number(rows[0]!.n) > 0) throw locked();
}

/**
 * Counts a failure for each subject (a client address with its own, higher threshold); returns true when
 * one of them is now locked.
 */
export async function recordFailure(q: Queryable, subjects: string[], now: Date, policy: AttemptPolicy): Promise<boolean> {
  const { rows } = await q.query<{ locked_until: Date | null }>(
    `INSERT INTO attempt_counter AS a (subject, failures, window_start, locked_until)
     SELECT s, 1, $2, CASE WHEN 1 >= (CASE WHEN left(s, 3) = 'ip-' THEN $6::int ELSE $4::int END) THEN $5::timestamptz END
       FROM unnest($1::text[]) AS s
     ON CONFLICT (subject) DO UPDATE SET
       failures = CASE WHEN a.window_start < $3 THEN 1 ELSE a.failures + 1 END,
       window_start = CASE WHEN a.window_start < $3 THEN $2 ELSE a.window_start END,
       locked_until = CASE WHEN (CASE WHEN a.window_start < $3 THEN 1 ELSE a.failures + 1 END)
                                >= (CASE WHEN left(a.subject, 3) = 'ip-' THEN $6::int ELSE $4::int END)
                           THEN $5::timestamptz ELSE a.locked_until END
     RETURNING locked_until`,
    [
      subjects,
      now,
      new Date(now.getTime() - WINDOW_MS),
      policy.lockAfter,
      new Date(now.getTime() + policy.lockMinutes * 60_000),
      policy.addressLockAfter ?? policy.lockAfter * ADDRESS_FACTOR,
    ],
  );
  return rows.some((r) => r.locked_until !== null && new Date(r.locked_until) > now);
}

export async function clearFailures(q: Queryable, subjects: string[]): Promise<void> {
  await q.query('DELETE FROM attempt_counter WHERE subject = ANY($1)', [subjects]);
}
