import { randomBytes } from 'node:crypto';
import { formatCode, makeCode } from '../../domain/accounts/index.js';
import { SYSTEM } from '../../domain/access/index.js';
import { bumpPrincipalGeneration, makeContext } from '../../repo/index.js';
import type { AccountsDeps } from '../accounts/context.js';
import { recordEvents } from '../accounts/lifecycle.js';
import { notify } from '../accounts/notifications.js';
import { issueCodes } from '../accounts/notices.js';
import { openDueProfiles } from '../accounts/opening.js';
import { endCarersOnClosure, fileClosureAttestations } from '../accounts/delegations.js';
import { DAY_MS } from '../clock.js';

/**
 * The deadline sweeps. Deadlines are data (insured.due_at, delegation.expires_at, birth dates), so a sweep
 * finds everything due whatever happened meanwhile: the jobs survive restarts, several nodes may run them
 * (every change is guarded by the state it expects), and moving the clock makes them due.
 */
export interface SweepReport {
  opened: number;
  closed: number;
  deleted: number;
  invitationsExpired: number;
  adults: number;
}

const ARCHIVE_DAYS = 3653; // 10 years

export async function runDeadlines(deps: AccountsDeps): Promise<SweepReport> {
  const opened = await openDueProfiles(deps);
  const closed = await closeSuspended(deps);
  const deleted = await deleteDue(deps);
  const invitationsExpired = await expireInvitations(deps);
  const adults = await inviteNewAdults(deps);
  return { opened, closed, deleted, invitationsExpired, adults };
}

/** A suspension without objection for 6 weeks closes the profile (R1111-36); the archive runs 10 years. */
async function closeSuspended(deps: AccountsDeps): Promise<number> {
  const ended: Awaited<ReturnType<typeof endCarersOnClosure>> = [];
  const closed = await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const { rows } = await tx.query<{ id: string }>(
      `UPDATE insured SET state = 'closed', state_since = $1, due_at = $2, updated_at = $1
        WHERE state = 'suspended' AND due_at <= $1 RETURNING id`,
      [now, new Date(now.getTime() + ARCHIVE_DAYS * DAY_MS)],
    );
    await recordEvents(tx, rows.map((r) => ({ insuredId: r.id, from: 'suspended', to: 'closed', actor: 'carnet', reason: 'six weeks of suspension without objection' })), now);
    if (rows.length) {
      await tx.query('UPDATE app_user SET disabled_at = $2 WHERE insured_id = ANY($1) AND disabled_at IS NULL', [rows.map((r) => r.id), now]);
      await tx.query('UPDATE app_session SET ended_at = $2 WHERE ended_at IS NULL AND user_id IN (SELECT id FROM app_user WHERE insured_id = ANY($1))', [rows.map((r) => r.id), now]);
      for (const r of rows) ended.push(...(await endCarersOnClosure(tx, deps, r.id, null, now)));
      bumpPrincipalGeneration();
    }
    return rows.length;
  });
  await fileClosureAttestations(deps, ended, deps.clock.now());
  return closed;
}

/** Closed profiles whose deletion date has come: the record is deleted, the administrative row stays. */
async function deleteDue(deps: AccountsDeps): Promise<number> {
  const now = deps.clock.now();
  const { rows } = await deps.db.query<{ id: string }>(`SELECT id FROM insured WHERE state = 'closed' AND due_at <= $1 LIMIT 500`, [now]);
  const ctx = makeContext(SYSTEM, { now: () => deps.clock.now() });
  for (const r of rows) {
    // the state is moved (and the row locked) first, in the purge's transaction: a profile reopened meanwhile
    // is left alone
    await deps.db.transaction(async (tx) => {
      const { rowCount } = await tx.query(
        `UPDATE insured SET state = 'deleted', state_since = $2, due_at = NULL, updated_at = $2 WHERE id = $1 AND state = 'closed' AND due_at <= $2`,
        [r.id, now],
      );
      if (!rowCount) return;
      await deps.repo.purgeRecord(ctx, r.id, tx);
      await tx.query('DELETE FROM notification WHERE patient_id = $1', [r.id]);
      await tx.query('DELETE FROM app_user_patient WHERE patient_id = $1', [r.id]);
      await recordEvents(tx, [{ insuredId: r.id, from: 'closed', to: 'deleted', actor: 'carnet', reason: 'data deleted' }], now);
    });
  }
  if (rows.length) bumpPrincipalGeneration();
  return rows.length;
}

async function expireInvitations(deps: AccountsDeps): Promise<number> {
  const { rowCount } = await deps.db.query(
    `UPDATE delegation SET status = 'expired', decided_at = $1 WHERE status = 'pending' AND expires_at <= $1`,
    [deps.clock.now()],
  );
  return rowCount ?? 0;
}

/**
 * Children who turned 18: their representatives' links ended by themselves (valid_until); they stop being
 * ayants droit and are invited to activate their own profile with a new code, by e-mail when one is known.
 */
async function inviteNewAdults(deps: AccountsDeps): Promise<number> {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const adultBorn = new Date(now.getTime());
    adultBorn.setUTCFullYear(adultBorn.getUTCFullYear() - 18);
    const { rows } = await tx.query<{ id: string; first_given_name: string; email: string | null }>(
      `UPDATE insured SET covered_by_nir = NULL, updated_at = $1
        WHERE covered_by_nir IS NOT NULL AND birth_date <= $2::date AND state IN ('open', 'notified')
        RETURNING id, first_given_name, email`,
      [now, adultBorn.toISOString().slice(0, 10)],
    );
    if (rows.length === 0) return 0;
    const withEmail = rows.filter((r) => r.email);
    const codes = await issueCodes(tx, deps, withEmail.map((r) => r.id), now);
    await deps.mailer.enqueue(
      tx,
      withEmail.map((r) => ({ to: r.email!, template: 'majority' as const, params: { givenName: r.first_given_name, code: formatCode(codes.get(r.id) ?? makeCode(randomBytes(12))) } })),
    );
    await notify(tx, deps.mailer, rows.map((r) => ({ patientId: r.id, category: 'account' as const, type: 'majority-reached' })), now);
    bumpPrincipalGeneration();
    return rows.length;
  });
}

/**
 * Housekeeping: what only mattered for a while goes (used or expired one-time codes and activations, old
 * attempt counters, sessions ended a month ago, e-mails sent or given up three months ago).
 */
export async function sweepAccounts(deps: AccountsDeps): Promise<void> {
  const now = deps.clock.now();
  const dayAgo = new Date(now.getTime() - DAY_MS);
  await deps.db.query('DELETE FROM one_time_code WHERE expires_at < $1', [dayAgo]);
  await deps.db.query('DELETE FROM pending_activation WHERE expires_at < $1', [dayAgo]);
  await deps.db.query('DELETE FROM attempt_counter WHERE window_start < $1 AND (locked_until IS NULL OR locked_until < $2)', [dayAgo, now]);
  await deps.db.query('DELETE FROM app_session WHERE last_seen_at < $1', [new Date(now.getTime() - 30 * DAY_MS)]);
  await deps.mailer.purge(90);
}
