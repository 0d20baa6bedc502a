import type { Queryable } from '../../db/index.js';
import { normalizeCode } from '../../domain/accounts/index.js';
import { parseNir } from '../../domain/ins/index.js';
import { AppError } from '../../errors.js';
import type { AccountsDeps, InsuredRow } from './context.js';
import { INSURED_COLUMNS } from './context.js';
import { assertNotLocked, recordFailure } from './attempts.js';
import { codeHash } from './secrets.js';

/**
 * Checking a NIR and a code provisoire, for an objection or an activation. Every failure (unknown NIR,
 * wrong code, used or expired code, wrong state) gives the same answer, counts an attempt against the NIR
 * and the client address, and locks them after LOCK_AFTER_FAILURES.
 */
export interface CodeCheck {
  insured: InsuredRow;
  codeHash: string;
}

export function nirOrThrow(input: unknown): string {
  const parsed = typeof input === 'string' ? parseNir(input) : undefined;
  if (!parsed?.ok) {
    throw new AppError(400, 'invalid', `The NIR is not valid${parsed && !parsed.ok ? `: ${parsed.error}` : ''}`, ['nir']).withCode('nir.invalid');
  }
  return parsed.nir.value;
}

export async function findInsuredByNir(q: Queryable, nir: string): Promise<InsuredRow | undefined> {
  const { rows } = await q.query<InsuredRow>(`SELECT ${INSURED_COLUMNS} FROM insured WHERE nir = $1`, [nir]);
  return rows[0];
}

export async function findInsured(q: Queryable, id: string): Promise<InsuredRow | undefined> {
  const { rows } = await q.query<InsuredRow>(`SELECT ${INSURED_COLUMNS} FROM insured WHERE id = $1`, [id]);
  return rows[0];
}

/**
 * Verifies the NIR and code and the extra condition `accept` (state, carte Vitale…); throws `failure` (the
 * same for every reason) otherwise. Attempts are counted on the pool, outside any transaction.
 */
export async function checkNirAndCode(
  deps: AccountsDeps,
  input: { nir: unknown; code: unknown; source: string | undefined },
  accept: (i: InsuredRow) => boolean,
  failure: () => AppError,
): Promise<CodeCheck> {
  const nir = nirOrThrow(input.nir);
  const now = deps.clock.now();
  const subjects = [`nir:${nir}`, ...(input.source ? [`ip-code:${input.source}`] : [])];
  await assertNotLocked(deps.db, subjects, now);
  const code = typeof input.code === 'string' ? normalizeCode(input.code) : undefined;
  const insured = await findInsuredByNir(deps.db, nir);
  let hash: string | undefined;
  if (insured && code) {
    hash = codeHash(deps.pepper, code);
    const { rows } = await deps.db.query<{ ok: boolean }>(
      `SELECT true AS ok FROM enrolment_code WHERE insured_id = $1 AND code_hash = $2 AND used_at IS NULL AND expires_at > $3`,
      [insured.id, hash, now],
    );
    if (rows.length === 0) hash = undefined;
  }
  if (!insured || !hash || !accept(insured)) {
    await recordFailure(deps.db, subjects, now, { lockAfter: deps.config.lockAfterFailures, lockMinutes: deps.config.lockMinutes });
    throw failure();
  }
  return { insured, codeHash: hash };
}

/** Uses the code up, in the caller's transaction; fails if another request used it first. */
export async function useCode(q: Queryable, insuredId: string, hash: string, now: Date, failure: () => AppError): Promise<void> {
  const { rowCount } = await q.query(
    'UPDATE enrolment_code SET used_at = $3 WHERE insured_id = $1 AND code_hash = $2 AND used_at IS NULL',
    [insuredId, hash, now],
  );
  if (rowCount === 0) throw failure();
}
