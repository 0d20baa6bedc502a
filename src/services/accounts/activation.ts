import { randomUUID } from 'node:crypto';
import { checkLogin, checkPassword, suggestLogins } from '../../domain/accounts/index.js';
import { AppError, badRequest, notFound } from '../../errors.js';
import { ageOn } from '../../domain/ins/index.js';
import { isEmailAddress } from '../../domain/population/index.js';
import { bumpPrincipalGeneration } from '../../repo/index.js';
import { isUuid } from '../ids.js';
import type { AccountsDeps, InsuredRow } from './context.js';
import { INSURED_COLUMNS } from './context.js';
import { checkNirAndCode, findInsured, useCode } from './codes.js';
import { refreshFamilyLinks } from './family-links.js';
import { transition } from './lifecycle.js';
import { notify } from './notifications.js';
import { openProfiles } from './opening.js';
import { consumeOtp, issueOtp, maskEmail } from './otp.js';
import { hashPassword } from './secrets.js';

/**
 * Activation (domain.md §1.5): NIR + carte Vitale serial number + code provisoire; then an identifier, a
 * password and an e-mail; then the one-time code sent to that e-mail. Only the last step changes anything
 * that matters: it uses the code, opens the profile if it was not yet, creates the account and links the
 * children. Activating a closed profile reopens it (its archive is restored, a deletion request is dropped).
 */
const ACTIVATION_TTL_MS = 30 * 60_000;

const activationRefused = () =>
  new AppError(400, 'invalid', 'These details do not allow an activation: check the NIR, the carte Vitale number and the code, which may have expired or been used').withCode(
    'activation.invalid',
  );
const activationExpired = () => notFound('This activation has expired: start again').withCode('activation.expired');

const ACTIVATABLE = new Set(['notified', 'open', 'closed']);

function digits(s: unknown): string {
  return typeof s === 'string' ? s.replace(/\D/g, '') : '';
}

/** The serial number printed on the card: 8–13 digits, or the last 11 digits on cards with a photo. */
export function vitaleMatches(stored: string | null, input: unknown): boolean {
  const a = digits(stored);
  const b = digits(input);
  if (!a || b.length < 8) return false;
  return a === b || (b.length === 11 && a.endsWith(b));
}

/**
 * A minor covered by a parent's insurance does not hold their own profile: their representative does, until
 * they turn 18 (domain.md §1.7). They can neither activate nor get a code of their own before then.
 */
export function isCoveredMinor(i: Pick<InsuredRow, 'covered_by_nir' | 'birth_date'>, now: Date): boolean {
  return i.covered_by_nir !== null && ageOn(i.birth_date, now) < 18;
}

export interface ActivationStart {
  activationId: string;
  givenName: string;
  familyName: string;
  expiresAt: string;
}

export async function startActivation(
  deps: AccountsDeps,
  input: { nir: unknown; vitaleSerial: unknown; code: unknown; source?: string },
): Promise<ActivationStart> {
  const now = deps.clock.now();
  const { insured, codeHash } = await checkNirAndCode(
    deps,
    { nir: input.nir, code: input.code, source: input.source },
    (i) => ACTIVATABLE.has(i.state) && vitaleMatches(i.vitale_serial, input.vitaleSerial) && !isCoveredMinor(i, now),
    activationRefused,
  );
  const id = randomUUID();
  const expiresAt = new Date(now.getTime() + ACTIVATION_TTL_MS);
  await deps.db.query(
    'INSERT INTO pending_activation (id, insured_id, code_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
    [id, insured.id, codeHash, now, expiresAt],
  );
  return { activationId: id, givenName: insured.first_given_name, familyName: insured.used_name ?? insured.birth_name, expiresAt: expiresAt.toISOString() };
}

interface Pending {
  id: string;
  insured_id: string;
  code_hash: string;
  login: string | null;
  password_hash: string | null;
  email: string | null;
}

async function pending(deps: AccountsDeps, id: string): Promise<{ p: Pending; insured: InsuredRow }> {
  if (!isUuid(id)) throw activationExpired();
  const { rows } = await deps.db.query<Pending>(
    'SELECT id, insured_id, code_hash, login, password_hash, email FROM pending_activation WHERE id = $1 AND expires_at > $2',
    [id, deps.clock.now()],
  );
  const p = rows[0];
  const insured = p && (await findInsured(deps.db, p.insured_id));
  if (!p || !insured) throw activationExpired();
  return { p, insured };
}

async function loginTaken(deps: AccountsDeps, login: string, exceptInsured?: string): Promise<boolean> {
  const { rows } = await deps.db.query(
    'SELECT 1 FROM app_user WHERE lower(login) = lower($1) AND insured_id IS DISTINCT FROM $2',
    [login, exceptInsured ?? null],
  );
  return rows.length > 0;
}

export async function loginAvailability(deps: AccountsDeps, activationId: string, login: string): Promise<{ available: boolean; suggestions: string[] }> {
  const { insured } = await pending(deps, activationId);
  const problems = checkLogin(login);
  const available = problems.length === 0 && !(await loginTaken(deps, login, insured.id));
  if (available) return { available, suggestions: [] };
  const { rows } = await deps.db.query<{ login: string }>(
    'SELECT lower(login) AS login FROM app_user WHERE lower(login) LIKE $1',
    [`${insured.first_given_name.slice(0, 3).toLowerCase()}%`],
  );
  const taken = new Set(rows.map((r) => r.login));
  return { available, suggestions: suggestLogins(insured.first_given_name, insured.used_name ?? insured.birth_name, (l) => taken.has(l.toLowerCase())) };
}

export function checkEmail(email: unknown): string {
  if (typeof email !== 'string' || !isEmailAddress(email.trim())) {
    throw badRequest('The e-mail address is not valid', ['email']).withCode('email.invalid');
  }
  return email.trim().toLowerCase();
}

/** Checks the identifier, the password rules (domain.md §1.5) and the e-mail, then sends the one-time code. */
export async function chooseCredentials(
  deps: AccountsDeps,
  activationId: string,
  input: { login: unknown; password: unknown; email: unknown; acceptTerms: unknown },
): Promise<{ otpSentTo: string }> {
  const { p, insured } = await pending(deps, activationId);
  if (input.acceptTerms !== true) throw badRequest('The terms of use must be accepted', ['acceptTerms']).withCode('terms.required');
  const login = typeof input.login === 'string' ? input.login.trim() : '';
  const loginProblems = checkLogin(login);
  if (loginProblems.length) throw badRequest(`The identifier is not valid (${loginProblems.join(', ')})`, ['login']).withCode(loginProblems[0]!);
  const email = checkEmail(input.email);
  const password = typeof input.password === 'string' ? input.password : '';
  const problems = checkPassword(password, {
    login,
    email,
    nir: insured.nir,
    givenNames: insured.given_names.split(' '),
    familyName: insured.birth_name,
    birthDate: insured.birth_date,
  });
  if (problems.length) throw badRequest(`The password is too weak (${problems.join(', ')})`, ['password']).withCode(problems[0]!);
  if (await loginTaken(deps, login, insured.id)) {
    throw new AppError(409, 'duplicate', 'This identifier is already taken', ['login']).withCode('login.taken');
  }
  const passwordHash = await hashPassword(password);
  await deps.db.transaction(async (tx) => {
    await tx.query('UPDATE pending_activation SET login = $2, password_hash = $3, email = $4 WHERE id = $1', [p.id, login, passwordHash, email]);
    await issueOtp(tx, deps.mailer, deps.pepper, { subject: `activation:${p.id}`, purpose: 'verify-email', to: email, now: deps.clock.now() });
  });
  return { otpSentTo: maskEmail(email) };
}

/** The last step: the e-mail is verified; the account is created and the profile is active. */
export async function completeActivation(deps: AccountsDeps, activationId: string, input: { otp: unknown }): Promise<{ login: string; userId: string }> {
  const { p, insured } = await pending(deps, activationId);
  if (!p.login || !p.password_hash || !p.email) throw badRequest('Choose an identifier and a password first').withCode('activation.incomplete');
  await consumeOtp(deps.db, deps.pepper, { subject: `activation:${p.id}`, purpose: 'verify-email', code: String(input.otp ?? ''), now: deps.clock.now() });
  // the profile and the children's profiles exist before the account is linked to them
  const { rows: toOpen } = await deps.db.query<InsuredRow>(
    `SELECT ${INSURED_COLUMNS} FROM insured WHERE (id = $1 OR covered_by_nir = $2) AND state = 'notified'`,
    [insured.id, insured.nir],
  );
  await openProfiles(deps, toOpen, 'opened at activation');
  const result = await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const current = (await tx.query<{ state: string }>('SELECT state FROM insured WHERE id = $1 FOR UPDATE', [insured.id])).rows[0]!;
    await useCode(tx, insured.id, p.code_hash, now, activationRefused);
    // the other codes of this person, sent earlier, stop working: only a new one may reopen the profile
    await tx.query('UPDATE enrolment_code SET used_at = $2 WHERE insured_id = $1 AND used_at IS NULL', [insured.id, now]);
    const reopening = current.state === 'closed';
    await transition(tx, { id: insured.id, state: current.state }, 'activated', {
      actor: 'self',
      at: now,
      dueAt: null,
      reason: reopening ? 'reopened by the holder' : 'activated by the holder',
      set: { delete_requested: false },
    });
    const existing = (await tx.query<{ id: string }>('SELECT id FROM app_user WHERE insured_id = $1', [insured.id])).rows[0];
    const userId = existing?.id ?? randomUUID();
    const displayName = `${insured.first_given_name} ${insured.used_name ?? insured.birth_name}`;
    await tx.query(
      `INSERT INTO app_user (id, login, role, display_name, patient_id, insured_id, password_hash, email, email_verified_at)
       VALUES ($1, $2, 'patient', $3, $4::text, $8::uuid, $5, $6, $7)
       ON CONFLICT (id) DO UPDATE SET login = EXCLUDED.login, display_name = EXCLUDED.display_name,
         password_hash = EXCLUDED.password_hash, email = EXCLUDED.email, email_verified_at = EXCLUDED.email_verified_at,
         disabled_at = NULL`,
      [userId, p.login, displayName, insured.id, p.password_hash, p.email, now, insured.id],
    );
    await tx.query(
      `INSERT INTO app_user_patient (user_id, patient_id, relation) VALUES ($1, $2, 'self') ON CONFLICT (user_id, patient_id) DO NOTHING`,
      [userId, insured.id],
    );
    await refreshFamilyLinks(tx, userId, insured.nir);
    await tx.query('DELETE FROM pending_activation WHERE insured_id = $1', [insured.id]);
    await notify(tx, deps.mailer, [{ patientId: insured.id, category: 'account', type: reopening ? 'profile-reopened' : 'profile-activated' }], now);
    return { login: p.login!, userId };
  });
  bumpPrincipalGeneration();
  return result;
}
