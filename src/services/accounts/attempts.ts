import type { Queryable } from '../../db/index.js';
import { AppError } from '../../errors.js';

/**
 * Brute force on codes and passwords: failures are counted per subject (a NIR, a login, an interaction)
 * over a window; after `lockAfter` failures the subject is locked for `lockMinutes`, whatever is tried.
 * The lock answers 429 with the same message for a subject that exists and one that does not.
 */
export interface AttemptPolicy {
  lockAfter: number;
  lockMinutes: number;
}

const WINDOW_MS = 60 * 60_000;

export const locked = () =>
  new AppError(429, 'throttled', 'Too many failed attempts: try again later').withCode('attempts.locked');

export async function assertNotLocked(q: Queryable, subjects: string[], now: Date): Promise<void> {
  const { rows } = await q.query<{ n: string }>(
    'SELECT count(*) AS n FROM attempt_counter WHERE subject = ANY($1) AND locked_until > $2',
    [subjects, now],
  );
  if (Number(rows[0]!.n) > 0) throw locked();
}

/** Counts a failure for each subject; returns true when one of them is now locked. */
export async function recordFailure(q: Queryable, subjects: string[], now: Date, policy: AttemptPolicy): Promise<boolean> {
  const { rows } = await q.query<{ locked_until: Date | null }>(
    `INSERT INTO attempt_counter AS a (subject, failures, window_start, locked_until)
     SELECT unnest($1::text[]), 1, $2, NULL
     ON CONFLICT (subject) DO UPDATE SET
       failures = CASE WHEN a.window_start < $3 THEN 1 ELSE a.failures + 1 END,
       window_start = CASE WHEN a.window_start < $3 THEN $2 ELSE a.window_start END,
       locked_until = CASE WHEN (CASE WHEN a.window_start < $3 THEN 1 ELSE a.failures + 1 END) >= $4 THEN $5::timestamptz ELSE a.locked_until END
     RETURNING locked_until`,
    [subjects, now, new Date(now.getTime() - WINDOW_MS), policy.lockAfter, new Date(now.getTime() + policy.lockMinutes * 60_000)],
  );
  return rows.some((r) => r.locked_until !== null && new Date(r.locked_until) > now);
}

export async function clearFailures(q: Queryable, subjects: string[]): Promise<void> {
  await q.query('DELETE FROM attempt_counter WHERE subject = ANY($1)', [subjects]);
}
