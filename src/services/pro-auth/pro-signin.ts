import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import * as oidc from 'openid-client';
import type Provider from 'oidc-provider';
import { AppError, badRequest } from '../../errors.js';
import { mapPscClaims, practiceOf, professionalDisplayName, situationsFor, type Situation } from '../../domain/professionals/psc-claims.js';
import { bumpPrincipalGeneration } from '../../repo/index.js';
import type { AccountsDeps } from '../accounts/context.js';
import { createSession } from '../auth/sessions.js';
import { materializePractitioner } from '../directory/fhir.js';
import type { ClientRegistry } from '../oidc/provider.js';
import { activePractitioner, activeRoles } from './directory.js';
import { ProSignInError, type ProErrorCode, type PscClient } from './psc.js';

/**
 * The professionals' sign-in at the embedded OpenID Provider: the interaction hands over to Pro Santé Connect
 * (or the demo's test IdP), PSC's answer is checked and matched with the national directory, and the
 * professional picks the practice situation of this session. Then the grant, the session (with its practice)
 * and the provider's answer to the web app or practice software, as for patients (services/accounts/signin.ts).
 *
 *   GET  /interaction/:uid/pro/start       → 302 to PSC (a pro_login row holds state, nonce, PKCE verifier)
 *   GET  /auth/psc/callback?code&state     → 302 to /interaction/:uid?pro=<state> (or ?pro_error=<code>)
 *   GET  /interaction/:uid/pro/situations  → the situations to choose from
 *   POST /interaction/:uid/pro/situation   → { redirectTo }: back to the provider, then to the client
 *
 * A refused sign-in creates nothing (no user, session, grant or token), and its detail is logged.
 */
export interface Log {
  warn(obj: object, msg: string): void;
}

/** How long a sign-in at PSC may take, from the redirect to the choice of situation. */
const PRO_LOGIN_TTL_MS = 10 * 60_000;

const interactionGone = () => new AppError(400, 'invalid', 'This sign-in page has expired: start again').withCode('session.expired');
const proExpired = () => new AppError(400, 'invalid', 'This professional sign-in has expired or is unknown: start again').withCode('pro.expired');

interface ProLoginRow {
  state: string;
  interaction_id: string;
  nonce: string;
  code_verifier: string;
  created_at: Date;
  user_id: string | null;
  situations: Situation[] | null;
}

/** What the page shows of a situation. */
export interface SituationView {
  roleId: string;
  professionLabel?: string;
  skillLabel?: string;
  organizationName?: string;
  city?: string;
}

export type CallbackOutcome = { redirect: string } | { unknownState: true };

export class ProSignIn {
  constructor(
    private readonly deps: AccountsDeps,
    private readonly provider: Provider,
    private readonly clients: ClientRegistry,
    /** undefined: professional sign-in is off (no PSC_ISSUER outside demo mode). */
    private readonly psc: PscClient | undefined,
  ) {}

  /** The interaction bound to this browser (its cookie), which must be the one the URL names. */
  private async interaction(req: IncomingMessage, res: ServerResponse, uid: string) {
    let i;
    try {
      i = await this.provider.interactionDetails(req, res);
    } catch {
      return undefined;
    }
    return i.uid === uid ? i : undefined;
  }

  private now(): Date {
    return this.deps.clock.now();
  }

  private errorPage(uid: string, code: ProErrorCode): string {
    return `/interaction/${encodeURIComponent(uid)}?pro_error=${encodeURIComponent(code)}`;
  }

  /** GET /interaction/:uid/pro/start: where to send the browser (PSC's authorization endpoint, or back with an error). */
  async start(req: IncomingMessage, res: ServerResponse, uid: string, log: Log): Promise<string> {
    const i = await this.interaction(req, res, uid);
    if (!i) return this.errorPage(uid, 'pro.expired');
    if (!this.psc) return this.errorPage(uid, 'pro.disabled');
    const now = this.now();
    // sign-ins abandoned at the IdP are forgotten here (the table stays tiny)
    await this.deps.db.query('DELETE FROM pro_login WHERE created_at < $1', [new Date(now.getTime() - PRO_LOGIN_TTL_MS)]);
    const checks = { state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier: oidc.randomPKCECodeVerifier() };
    let url: URL;
    try {
      url = await this.psc.authorizationUrl(checks);
    } catch (err) {
      const e = err instanceof ProSignInError ? err : new ProSignInError('pro.idp-error', String(err));
      log.warn({ code: e.code, detail: e.detail }, 'professional sign-in: the IdP cannot be reached');
      return this.errorPage(uid, e.code);
    }
    await this.deps.db.query(
      'INSERT INTO pro_login (state, interaction_id, nonce, code_verifier, created_at) VALUES ($1, $2, $3, $4, $5)',
      [checks.state, i.uid, checks.nonce, checks.codeVerifier, now],
    );
    return url.href;
  }

  /**
   * GET /auth/psc/callback: PSC's answer. On success the pro_login row gets the user and their situations and
   * the browser goes to the situation page; on refusal the row goes and the browser goes to the error.
   */
  async callback(query: URLSearchParams, log: Log): Promise<CallbackOutcome> {
    const state = query.get('state') ?? '';
    const { rows } = state
      ? await this.deps.db.query<ProLoginRow>('SELECT * FROM pro_login WHERE state = $1 AND user_id IS NULL', [state])
      : { rows: [] as ProLoginRow[] };
    const row = rows[0];
    if (!row || !this.psc) return { unknownState: true };
    const uid = row.interaction_id;
    try {
      if (this.now().getTime() - new Date(row.created_at).getTime() > PRO_LOGIN_TTL_MS) throw new ProSignInError('pro.expired', 'the sign-in took too long');
      const claims = await this.psc.complete(query, { state: row.state, nonce: row.nonce, codeVerifier: row.code_verifier });
      const mapped = mapPscClaims(claims);
      if (!mapped.ok) throw new ProSignInError('pro.idp-error', `unusable claims: ${mapped.reason}`);
      const identity = mapped.identity;
      const practitioner = await activePractitioner(this.deps.db, identity.idNat);
      if (!practitioner) throw new ProSignInError('pro.unknown', `IdNat_PS ${identity.idNat} is not an active professional of the directory`);
      const roles = (await activeRoles(this.deps.db, [identity.idNat])).get(identity.idNat) ?? [];
      if (!roles.length) throw new ProSignInError('pro.unknown', `IdNat_PS ${identity.idNat} has no active practice situation in the directory`);
      const userId = await this.userFor(practitioner.id, professionalDisplayName({ ...practitioner, practiceCivilityCode: practitioner.practiceCivilityCode ?? identity.practiceCivilityCode }));
      const situations = situationsFor(roles, identity);
      const updated = await this.deps.db.query('UPDATE pro_login SET user_id = $2, situations = $3 WHERE state = $1 AND user_id IS NULL', [
        row.state,
        userId,
        JSON.stringify(situations),
      ]);
      if (updated.rowCount === 0) throw new ProSignInError('pro.expired', 'the sign-in was completed twice');
      return { redirect: `/interaction/${encodeURIComponent(uid)}?pro=${encodeURIComponent(row.state)}` };
    } catch (err) {
      const e = err instanceof ProSignInError ? err : new ProSignInError('pro.idp-error', err instanceof Error ? err.message : String(err), { cause: err });
      if (!(err instanceof ProSignInError)) log.warn({ err }, 'professional sign-in: unexpected error');
      log.warn({ code: e.code, detail: e.detail, interaction: uid }, 'professional sign-in refused');
      // the attempt is spent (not one a concurrent callback completed)
      await this.deps.db.query('DELETE FROM pro_login WHERE state = $1 AND user_id IS NULL', [row.state]);
      return { redirect: this.errorPage(uid, e.code) };
    }
  }

  /**
   * The professional's Carnet account: the professional user with this IdNat_PS (e.g. a demo login), or a new
   * one (`ps-<idnat>`). A disabled account is refused.
   */
  private async userFor(idNat: string, displayName: string): Promise<string> {
    const find = async () =>
      (
        await this.deps.db.query<{ id: string; disabled_at: Date | null }>(
          `SELECT id, disabled_at FROM app_user WHERE role = 'professional' AND practitioner_id = $1 ORDER BY created_at, id LIMIT 1`,
          [idNat],
        )
      ).rows[0];
    let user = await find();
    if (!user) {
      // two first sign-ins at once: the login is unique, the second insert does nothing and finds the first
      await this.deps.db.query(
        `INSERT INTO app_user (id, login, role, display_name, practitioner_id, created_at)
         VALUES ($1, $2, 'professional', $3, $4, $5) ON CONFLICT DO NOTHING`,
        [randomUUID(), `ps-${idNat.toLowerCase()}`, displayName, idNat, this.now()],
      );
      bumpPrincipalGeneration();
      user = await find();
    }
    if (!user) throw new ProSignInError('pro.disabled', `no account could be made for ${idNat} (login ps-${idNat} taken)`);
    if (user.disabled_at) throw new ProSignInError('pro.disabled', `the account of ${idNat} is disabled`);
    return user.id;
  }

  /** The pro_login of this interaction with a signed-in professional, or 400 pro.expired. */
  private async signedIn(uid: string, state: unknown): Promise<ProLoginRow & { user_id: string; situations: Situation[] }> {
    if (typeof state !== 'string' || state === '') throw badRequest('state is required', ['state']).withCode('pro.expired');
    const { rows } = await this.deps.db.query<ProLoginRow>(
      'SELECT * FROM pro_login WHERE state = $1 AND interaction_id = $2 AND user_id IS NOT NULL',
      [state, uid],
    );
    const row = rows[0];
    if (!row || this.now().getTime() - new Date(row.created_at).getTime() > PRO_LOGIN_TTL_MS) throw proExpired();
    return row as ProLoginRow & { user_id: string; situations: Situation[] };
  }

  /** GET /interaction/:uid/pro/situations?state= */
  async situations(req: IncomingMessage, res: ServerResponse, uid: string, state: unknown): Promise<{ situations: SituationView[] }> {
    const i = await this.interaction(req, res, uid);
    if (!i) throw interactionGone();
    const row = await this.signedIn(i.uid, state);
    return {
      situations: row.situations.map((s) => {
        const v: SituationView = { roleId: s.roleId };
        if (s.professionLabel) v.professionLabel = s.professionLabel;
        if (s.skillLabel) v.skillLabel = s.skillLabel;
        if (s.organizationName) v.organizationName = s.organizationName;
        if (s.city) v.city = s.city;
        return v;
      }),
    };
  }

  /**
   * POST /interaction/:uid/pro/situation { state, roleId }: the session starts with this practice situation.
   * The grant holds the scopes the client asked for and may have (ClientRegistry); no consent screen.
   */
  async choose(req: IncomingMessage, res: ServerResponse, uid: string, body: { state?: unknown; roleId?: unknown }): Promise<{ redirectTo: string }> {
    const i = await this.interaction(req, res, uid);
    if (!i) throw interactionGone();
    const row = await this.signedIn(i.uid, body.state);
    const situation = row.situations.find((s) => s.roleId === body.roleId);
    if (!situation) throw badRequest('This practice situation is not one of yours', ['roleId']).withCode('pro.situation-unknown');
    const { rows: users } = await this.deps.db.query<{ practitioner_id: string }>(
      `SELECT practitioner_id FROM app_user WHERE id = $1 AND role = 'professional' AND disabled_at IS NULL`,
      [row.user_id],
    );
    if (!users[0]) throw new AppError(403, 'forbidden', 'This account is disabled').withCode('pro.disabled');
    // the sign-in is used once: whoever claims the row first goes on
    const claimed = await this.deps.db.query('DELETE FROM pro_login WHERE state = $1 AND interaction_id = $2', [row.state, i.uid]);
    if (claimed.rowCount === 0) throw proExpired();
    // every sign-in starts a new provider session (see signin.ts)
    if (i.session?.uid) {
      await this.deps.db.query(`DELETE FROM oidc_model WHERE model = 'Session' AND uid = $1`, [i.session.uid]);
      delete i.session;
      await i.save(Math.max(i.exp - Math.floor(Date.now() / 1000), 60));
    }
    const clientId = String(i.params.client_id);
    const scopes = this.clients.grantable(clientId, String(i.params.scope ?? 'openid'));
    const grant = new this.provider.Grant({ accountId: row.user_id, clientId });
    grant.addOIDCScope(scopes.oidc.join(' '));
    grant.addResourceScope(this.deps.config.baseUrl, scopes.resource.join(' '));
    const grantId = await grant.save();
    // the professional's Practitioner, PractitionerRole and Organization resources, from the directory, so that
    // what they write in records refers to resources /fhir serves
    await materializePractitioner(this.deps.repo, this.deps.db, users[0].practitioner_id);
    const practice = practiceOf(situation, users[0].practitioner_id);
    await this.deps.db.transaction(async (tx) => {
      await createSession(tx, grantId, row.user_id, this.now());
      await tx.query('UPDATE app_session SET practice = $2 WHERE id = $1', [grantId, JSON.stringify(practice)]);
    });
    const redirectTo = await this.provider.interactionResult(
      req,
      res,
      { login: { accountId: row.user_id, acr: this.deps.config.pscAcr }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
    return { redirectTo };
  }
}
