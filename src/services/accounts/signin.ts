import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { AppError, badRequest } from '../../errors.js';
import { bumpPrincipalGeneration } from '../../repo/index.js';
import { createSession, endSessions } from '../auth/sessions.js';
import { WEB_CLIENT_ID } from '../oidc/provider.js';
import type { AccountsDeps } from './context.js';
import { accountLocked, assertNotLocked, clearFailures, recordFailure } from './attempts.js';
import { refreshFamilyLinks } from './family-links.js';
import { checkPassword } from '../../domain/accounts/index.js';
import { consumeOtp, issueOtp, maskEmail } from './otp.js';
import { hashPassword, verifyPassword } from './secrets.js';

/**
 * Sign-in through the embedded OpenID Provider's interaction: identifier and password, then the one-time
 * code e-mailed to the verified address (the second factor, domain.md §1.5). Wrong passwords and codes are
 * counted per identifier and per client address, and lock them for a while.
 */
const invalidCredentials = () => new AppError(401, 'login', 'Wrong identifier or password').withCode('auth.invalid-credentials');
const authLocked = accountLocked;
const interactionGone = () => new AppError(400, 'invalid', 'This sign-in page has expired: start again').withCode('session.expired');

const suspended = () =>
  new AppError(403, 'forbidden', 'This profile is suspended: the operator has written to you about it').withCode('auth.suspended');

interface UserRow {
  id: string;
  role: string;
  state: string | null;
  password_hash: string | null;
  email: string | null;
  email_verified_at: Date | null;
  disabled_at: Date | null;
  nir: string | null;
}

async function findUser(deps: AccountsDeps, login: string): Promise<UserRow | undefined> {
  const { rows } = await deps.db.query<UserRow>(
    `SELECT u.id, u.role, u.password_hash, u.email, u.email_verified_at, u.disabled_at, i.nir, i.state
       FROM app_user u LEFT JOIN insured i ON i.id = u.insured_id WHERE lower(u.login) = lower($1)`,
    [login],
  );
  return rows[0];
}

export class SignIn {
  constructor(
    private readonly deps: AccountsDeps,
    private readonly provider: Provider,
  ) {}

  /** The interaction bound to this browser (its cookie), which must be the one the URL names. */
  private async interaction(req: IncomingMessage, res: ServerResponse) {
    let i;
    try {
      i = await this.provider.interactionDetails(req, res);
    } catch {
      throw interactionGone();
    }
    const uid = /^\/interaction\/([^/?]+)/.exec(req.url ?? '')?.[1];
    if (uid !== i.uid) throw interactionGone();
    return i;
  }

  /**
   * What the sign-in page shows: `space` 'pro' asks for the professionals' sign-in (Pro Santé Connect, see
   * services/pro-auth/), when the authorization request said `space=pro` or comes from practice software
   * (any client but the web app, named in `software`); 'patient' is the identifier, password and one-time code.
   */
  async details(req: IncomingMessage, res: ServerResponse): Promise<{ prompt: string; space: 'pro' | 'patient'; software?: string }> {
    const i = await this.interaction(req, res);
    const clientId = String(i.params.client_id);
    if (clientId !== WEB_CLIENT_ID) {
      // practice software: the page names it, since the professional authorises it by signing in
      const client = await this.provider.Client.find(clientId);
      return { prompt: i.prompt.name, space: 'pro', software: client?.clientName ?? clientId };
    }
    return { prompt: i.prompt.name, space: i.params.space === 'pro' ? 'pro' : 'patient' };
  }

  /** Step 1: identifier and password; the one-time code goes to the verified e-mail. */
  async password(req: IncomingMessage, res: ServerResponse, body: { login?: unknown; password?: unknown }, source: string): Promise<{ otpSentTo: string }> {
    const i = await this.interaction(req, res);
    // practice software is for professionals, who sign in with Pro Santé Connect only
    if (String(i.params.client_id) !== WEB_CLIENT_ID) {
      throw new AppError(403, 'forbidden', 'This application is for health professionals: sign in with Pro Santé Connect').withCode('auth.pro-only');
    }
    const login = typeof body.login === 'string' ? body.login.trim() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    if (!login || !password) throw badRequest('The identifier and the password are required').withCode('auth.missing');
    const now = this.deps.clock.now();
    const subjects = [`login:${login.toLowerCase()}`, `ip-login:${source}`];
    try {
      await assertNotLocked(this.deps.db, subjects, now);
    } catch {
      throw authLocked();
    }
    const user = await findUser(this.deps, login);
    const passwordOk = await verifyPassword(password, user?.password_hash);
    if (!user || !passwordOk || user.disabled_at || !user.email || !user.email_verified_at || user.role === 'professional') {
      const nowLocked = await recordFailure(this.deps.db, subjects, now, { lockAfter: this.deps.config.lockAfterFailures, lockMinutes: this.deps.config.lockMinutes });
      throw nowLocked ? authLocked() : invalidCredentials();
    }
    // the password was right: the holder of a suspended profile may be told so
    if (user.state === 'suspended') throw suspended();
    await this.deps.db.transaction((tx) =>
      issueOtp(tx, this.deps.mailer, this.deps.pepper, { subject: `interaction:${i.uid}`, purpose: 'sign-in', to: user.email!, userId: user.id, now }),
    );
    return { otpSentTo: maskEmail(user.email) };
  }

  /** Step 2: the one-time code. The session (grant) is created and the browser goes back to the app. */
  async otp(req: IncomingMessage, res: ServerResponse, body: { otp?: unknown }, source: string): Promise<{ redirectTo: string }> {
    const i = await this.interaction(req, res);
    const now = this.deps.clock.now();
    // the account this code would sign in: wrong codes count against it as well as against the address
    const { rows: pending } = await this.deps.db.query<{ user_id: string | null }>(
      `SELECT user_id FROM one_time_code WHERE subject = $1 AND purpose = 'sign-in' ORDER BY created_at DESC LIMIT 1`,
      [`interaction:${i.uid}`],
    );
    const subjects = [`ip-login:${source}`, ...(pending[0]?.user_id ? [`user-otp:${pending[0].user_id}`] : [])];
    await assertNotLocked(this.deps.db, subjects, now).catch(() => {
      throw authLocked();
    });
    const proved = await consumeOtp(this.deps.db, this.deps.pepper, { subject: `interaction:${i.uid}`, purpose: 'sign-in', code: String(body.otp ?? ''), now }).catch(
      async (err) => {
        // a wrong second factor means the password was right: the address locks sooner than for passwords
        const { lockAfterFailures, lockMinutes } = this.deps.config;
        await recordFailure(this.deps.db, subjects, now, { lockAfter: lockAfterFailures, lockMinutes, addressLockAfter: lockAfterFailures * 2 });
        throw err;
      },
    );
    const userId = proved.userId!;
    const user = (await this.deps.db.query<{ nir: string | null; login: string }>(
      'SELECT i.nir, u.login FROM app_user u LEFT JOIN insured i ON i.id = u.insured_id WHERE u.id = $1',
      [userId],
    )).rows[0];
    if (user) await clearFailures(this.deps.db, [`login:${user.login.toLowerCase()}`]);
    if (user?.nir) {
      await refreshFamilyLinks(this.deps.db, userId, user.nir);
      bumpPrincipalGeneration();
    }
    // every sign-in starts a new provider session: one left in this browser (another person's, or an ended
    // one) would otherwise make the provider ask for a logout first
    if (i.session?.uid) {
      await this.deps.db.query(`DELETE FROM oidc_model WHERE model = 'Session' AND uid = $1`, [i.session.uid]);
      delete i.session;
      await i.save(Math.max(i.exp - Math.floor(Date.now() / 1000), 60));
    }
    const grant = new this.provider.Grant({ accountId: userId, clientId: String(i.params.client_id) });
    grant.addOIDCScope('openid');
    grant.addResourceScope(this.deps.config.baseUrl, 'openid');
    const grantId = await grant.save();
    await createSession(this.deps.db, grantId, userId, now);
    const redirectTo = await this.provider.interactionResult(req, res, { login: { accountId: userId }, consent: { grantId } }, { mergeWithLastSubmission: false });
    return { redirectTo };
  }
}

/** Forgotten password: a code to the verified e-mail (always 202), then a new password with that code. */
export async function forgotPassword(deps: AccountsDeps, body: { login?: unknown }): Promise<void> {
  const login = typeof body.login === 'string' ? body.login.trim() : '';
  if (!login) throw badRequest('The identifier is required', ['login']).withCode('auth.missing');
  const user = await findUser(deps, login);
  if (!user || user.disabled_at || !user.email || !user.email_verified_at) return;
  await deps.db.transaction((tx) =>
    issueOtp(tx, deps.mailer, deps.pepper, { subject: `user:${user.id}`, purpose: 'reset-password', to: user.email!, userId: user.id, now: deps.clock.now() }),
  );
}

export async function resetPassword(deps: AccountsDeps, body: { login?: unknown; otp?: unknown; password?: unknown }, source: string): Promise<void> {
  const login = typeof body.login === 'string' ? body.login.trim() : '';
  const now = deps.clock.now();
  const subjects = [`login:${login.toLowerCase()}`, `ip-login:${source}`];
  await assertNotLocked(deps.db, subjects, now).catch(() => {
    throw authLocked();
  });
  const user = await findUser(deps, login);
  const wrong = () => new AppError(400, 'invalid', 'The one-time code is wrong or has expired').withCode('otp.invalid');
  const weak = (problems: string[]) => badRequest(`The password is too weak (${problems.join(', ')})`, ['password']).withCode(problems[0]!);
  const password = typeof body.password === 'string' ? body.password : '';
  if (!user) {
    // the same answer as for a known identifier: a weak password first, then the code
    const problems = checkPassword(password, { login });
    if (problems.length) throw weak(problems);
    await recordFailure(deps.db, subjects, now, { lockAfter: deps.config.lockAfterFailures, lockMinutes: deps.config.lockMinutes });
    throw wrong();
  }
  const { rows } = await deps.db.query<{ given_names: string; birth_name: string; birth_date: string }>(
    `SELECT given_names, birth_name, to_char(birth_date, 'YYYY-MM-DD') AS birth_date FROM insured WHERE nir = $1`,
    [user.nir],
  );
  const problems = checkPassword(password, {
    login,
    ...(user.email ? { email: user.email } : {}),
    ...(user.nir ? { nir: user.nir } : {}),
    ...(rows[0] ? { givenNames: rows[0].given_names.split(' '), familyName: rows[0].birth_name, birthDate: rows[0].birth_date } : {}),
  });
  if (problems.length) throw weak(problems);
  await consumeOtp(deps.db, deps.pepper, { subject: `user:${user.id}`, purpose: 'reset-password', code: String(body.otp ?? ''), now }).catch(async (err) => {
    await recordFailure(deps.db, subjects, now, { lockAfter: deps.config.lockAfterFailures, lockMinutes: deps.config.lockMinutes });
    throw err;
  });
  const hash = await hashPassword(password);
  await deps.db.transaction(async (tx) => {
    await tx.query('UPDATE app_user SET password_hash = $2 WHERE id = $1', [user.id, hash]);
    // whoever held a session of this account is signed out, and the holder is told
    await endSessions(tx, { userId: user.id }, now);
    if (user.email) await deps.mailer.enqueue(tx, { to: user.email, template: 'password-reset', params: {} });
  });
  await clearFailures(deps.db, subjects);
}
