import { checkPassword } from '../../domain/accounts/index.js';
import type { Principal } from '../../domain/access/index.js';
import { textAsUuid } from '../../db/sql.js';
import { AppError, badRequest, forbidden, notFound } from '../../errors.js';
import { bumpPrincipalGeneration, type RequestContext } from '../../repo/index.js';
import { endSessions } from '../auth/sessions.js';
import { DAY_MS } from '../clock.js';
import { checkEmail } from './activation.js';
import type { AccountsDeps } from './context.js';
import { findInsured } from './codes.js';
import { endCarersOnClosure, fileClosureAttestations } from './delegations.js';
import { transition } from './lifecycle.js';
import { notify } from './notifications.js';
import { consumeOtp, issueOtp, maskEmail } from './otp.js';
import { hashPassword, verifyPassword } from './secrets.js';
import { accountLocked, assertNotLocked, recordFailure } from './attempts.js';

/** The signed-in person's own account: contacts, password, closure. */

interface AccountRow {
  id: string;
  login: string;
  email: string | null;
  password_hash: string | null;
  insured_id: string | null;
  patient_id: string | null;
}

export async function accountOf(deps: AccountsDeps, userId: string): Promise<AccountRow> {
  const { rows } = await deps.db.query<AccountRow>(
    'SELECT id, login, email, password_hash, insured_id, patient_id FROM app_user WHERE id = $1 AND disabled_at IS NULL',
    [userId],
  );
  if (!rows[0]) throw notFound('No such account');
  return rows[0];
}

export interface ProfileView {
  patientId: string;
  relation: string;
  givenName: string | null;
  familyName: string | null;
  birthDate: string | null;
  state: string | null;
}

/** The signed-in person's e-mail and the profiles they hold (their own, children's, helped persons'), in one query. */
export async function profilesOf(deps: AccountsDeps, p: Principal): Promise<{ email: string | null; profiles: ProfileView[] }> {
  const { rows } = await deps.db.query<{ patient_id: string | null; given: string | null; family: string | null; birth_date: string | null; state: string | null; email: string | null }>(
    `SELECT l.patient_id, i.first_given_name AS given, COALESCE(i.used_name, i.birth_name) AS family,
            to_char(i.birth_date, 'YYYY-MM-DD') AS birth_date, i.state, u.email
       FROM app_user u
       LEFT JOIN unnest($2::text[]) AS l(patient_id) ON true
       LEFT JOIN insured i ON i.id = ${textAsUuid('l.patient_id')}
      WHERE u.id = $1`,
    [p.userId, p.represents.map((r) => r.patientId)],
  );
  const byPatient = new Map(rows.map((r) => [r.patient_id, r]));
  return {
    email: rows[0]?.email ?? null,
    profiles: p.represents.map((r) => {
      const i = byPatient.get(r.patientId);
      return { patientId: r.patientId, relation: r.relation, givenName: i?.given ?? null, familyName: i?.family ?? null, birthDate: i?.birth_date ?? null, state: i?.state ?? null };
    }),
  };
}

/** Carers act for the person in daily use, but never on the account itself (domain.md §1.7). */
export function assertOwnAccount(ctx: RequestContext): void {
  const acting = ctx.principal.represents;
  if (acting.length === 1 && acting[0]!.relation === 'carer') {
    throw forbidden('A carer cannot do this for the person they help').withCode('carer.forbidden');
  }
}

/**
 * The current password, checked for an account change: wrong tries are counted against the account and lock
 * it like at sign-in (a stolen session cannot try passwords at will).
 */
async function checkCurrentPassword(deps: AccountsDeps, account: AccountRow, password: unknown, field: string): Promise<void> {
  const now = deps.clock.now();
  const subjects = [`login:${account.login.toLowerCase()}`];
  await assertNotLocked(deps.db, subjects, now).catch(() => {
    throw accountLocked();
  });
  if (!(await verifyPassword(String(password ?? ''), account.password_hash))) {
    await recordFailure(deps.db, subjects, now, { lockAfter: deps.config.lockAfterFailures, lockMinutes: deps.config.lockMinutes });
    throw new AppError(400, 'invalid', field === 'current' ? 'The current password is wrong' : 'The password is wrong', [field]).withCode('password.wrong');
  }
}

/** A new e-mail address (it is the second factor): the password first, then a code sent to the new address. */
export async function requestEmailChange(deps: AccountsDeps, userId: string, body: { email?: unknown; password?: unknown }): Promise<{ otpSentTo: string }> {
  const email = checkEmail(body.email);
  await checkCurrentPassword(deps, await accountOf(deps, userId), body.password, 'password');
  await deps.db.transaction((tx) =>
    issueOtp(tx, deps.mailer, deps.pepper, { subject: `user:${userId}`, purpose: 'verify-email', to: email, userId, now: deps.clock.now() }),
  );
  return { otpSentTo: maskEmail(email) };
}

export async function confirmEmailChange(deps: AccountsDeps, userId: string, body: { otp?: unknown }): Promise<void> {
  const now = deps.clock.now();
  const { target } = await consumeOtp(deps.db, deps.pepper, { subject: `user:${userId}`, purpose: 'verify-email', code: String(body.otp ?? ''), now });
  const account = await accountOf(deps, userId);
  await deps.db.transaction(async (tx) => {
    await tx.query('UPDATE app_user SET email = $2, email_verified_at = $3 WHERE id = $1', [userId, target, now]);
    if (account.patient_id) await notify(tx, deps.mailer, [{ patientId: account.patient_id, category: 'account', type: 'email-verified' }], now);
    // the old address is told, so that a change the person did not make does not go unnoticed
    if (account.email && account.email !== target) {
      await deps.mailer.enqueue(tx, { to: account.email, template: 'email-changed', params: { newEmail: maskEmail(target) } });
    }
  });
}

export async function changePassword(deps: AccountsDeps, userId: string, body: { current?: unknown; password?: unknown }, currentSid?: string): Promise<void> {
  const account = await accountOf(deps, userId);
  await checkCurrentPassword(deps, account, body.current, 'current');
  const password = typeof body.password === 'string' ? body.password : '';
  const insured = account.insured_id ? await findInsured(deps.db, account.insured_id) : undefined;
  const problems = checkPassword(password, {
    login: account.login,
    ...(account.email ? { email: account.email } : {}),
    ...(insured ? { nir: insured.nir, givenNames: insured.given_names.split(' '), familyName: insured.birth_name, birthDate: insured.birth_date } : {}),
  });
  if (problems.length) throw badRequest(`The password is too weak (${problems.join(', ')})`, ['password']).withCode(problems[0]!);
  const hash = await hashPassword(password);
  await deps.db.transaction(async (tx) => {
    await tx.query('UPDATE app_user SET password_hash = $2 WHERE id = $1', [userId, hash]);
    if (account.patient_id) await notify(tx, deps.mailer, [{ patientId: account.patient_id, category: 'account', type: 'password-changed' }], deps.clock.now());
    // every other session of the account ends
    await endSessions(tx, { userId, ...(currentSid ? { except: currentSid } : {}) }, deps.clock.now());
  });
}

/**
 * Closes the holder's profile, with their password: the record is archived (nobody reaches it any more),
 * the account is disabled and its sessions end. With `deleteData`, the data are deleted after
 * DELETION_DELAY_DAYS (3 months at most by law); otherwise after the 10-year archive. Reopening is an
 * activation with a new code.
 */
export async function closeProfile(deps: AccountsDeps, userId: string, body: { password?: unknown; deleteData?: unknown }): Promise<void> {
  const account = await accountOf(deps, userId);
  await checkCurrentPassword(deps, account, body.password, 'password');
  if (!account.insured_id) throw new AppError(409, 'business-rule', 'This account has no profile to close').withCode('close.no-profile');
  const insured = await findInsured(deps.db, account.insured_id);
  if (!insured) throw notFound('No such profile');
  const deleteData = body.deleteData === true;
  const now = deps.clock.now();
  const dueAt = new Date(now.getTime() + (deleteData ? deps.config.deletionDelayDays * DAY_MS : 3653 * DAY_MS));
  const endedCarers = await deps.db.transaction(async (tx) => {
    await notify(tx, deps.mailer, [{ patientId: insured.id, category: 'account', type: 'profile-closed', params: { deleteData, dueAt: dueAt.toISOString() } }], now);
    await transition(tx, insured, 'closed', {
      actor: `user:${userId}`,
      at: now,
      dueAt,
      reason: deleteData ? 'closed by the holder, deletion requested' : 'closed by the holder',
      set: { delete_requested: deleteData },
    });
    await tx.query('UPDATE app_user SET disabled_at = $2 WHERE id = $1', [userId, now]);
    await endSessions(tx, { userId }, now);
    return endCarersOnClosure(tx, deps, insured.id, userId, now);
  });
  bumpPrincipalGeneration();
  await fileClosureAttestations(deps, endedCarers, now);
}
