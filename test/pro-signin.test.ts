import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticator } from '../src/services/auth/authenticator.js';
import { issuerOf } from '../src/services/oidc/provider.js';
import { UNKNOWN_PROFESSIONAL } from '../src/services/pro-auth/index.js';
import { startCarnet, type TestCarnet } from './support/carnet.js';
import { demoDirectory, demoIdNat, insertDirectory, uniqueIdNat } from './support/directory-fixture.js';
import { startScriptedIdp, type Script, type ScriptedIdp } from './support/scripted-idp.js';
import {
  authorize,
  cardsOf,
  chooseSituation,
  codeAfter,
  exchange,
  jwtPayload,
  landing,
  signInAtTestIdp,
  situations,
  startPro,
  type ProFlow,
} from './support/pro-signin.js';

/**
 * Professional sign-in over real HTTP on a real database: a demo-mode Carnet whose professionals sign in
 * through the built-in test IdP with the real openid-client flow (discovery, code grant with PKCE, nonce and
 * state, userinfo), then pick their practice situation; practice software (demo-lps) gets SMART scopes.
 */
describe('professional sign-in through the test IdP (demo mode)', () => {
  let c: TestCarnet;
  let auth: Authenticator;

  beforeAll(async () => {
    c = await startCarnet({ env: { RATE_LIMIT_PER_MINUTE: '10000' } });
    await insertDirectory(c.db, demoDirectory());
    auth = new Authenticator(c.db, c.carnet.key, { issuers: ['urn:carnet', issuerOf(c.baseUrl)], idleMinutes: 15, clock: c.carnet.clock });
  });
  afterAll(() => c?.close());

  const count = async (sql: string, params: unknown[] = []) => Number((await c.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${sql}`, params)).rows[0]!.n);
  const principalOf = async (token: string) => (await auth.principalOf(`Bearer ${token}`, (h) => h!.slice(7))).principal;

  /** Chooses `roleId` (or the only situation) and returns the access token the client gets. */
  async function finish(flow: ProFlow, state: string, roleId?: string): Promise<{ token: string; scope: string }> {
    const list = await situations(flow, state);
    expect(list.status).toBe(200);
    const { situations: offered } = (await list.json()) as { situations: { roleId: string }[] };
    const chosen = await chooseSituation(flow, state, roleId ?? offered[0]!.roleId);
    expect(chosen.status, await chosen.clone().text()).toBe(200);
    const code = await codeAfter(flow, ((await chosen.json()) as { redirectTo: string }).redirectTo);
    const tokens = await exchange(flow, code);
    expect(tokens.status, JSON.stringify(tokens.body)).toBe(200);
    return { token: tokens.body.access_token as string, scope: tokens.body.scope as string };
  }

  it('the web app asks for the professional space: details say space pro', async () => {
    const flow = await authorize(c, { space: 'pro' });
    const details = await flow.browser.get(`${flow.interactionPath}/details`);
    expect(await details.json()).toEqual({ prompt: 'login', space: 'pro' });
    const patient = await authorize(c);
    expect(await (await patient.browser.get(`${patient.interactionPath}/details`)).json()).toEqual({ prompt: 'login', space: 'patient' });
  });

  it('a professional with one situation signs in; their token carries the practice, and they get a Carnet account', async () => {
    const idNat = demoIdNat('ph.leroy');
    expect(await count("app_user WHERE practitioner_id = $1", [idNat])).toBe(0);
    const flow = await authorize(c, { space: 'pro' });

    // the redirect to the IdP carries what PSC expects
    const start = await flow.browser.get(`${flow.interactionPath}/pro/start`);
    expect(start.status).toBe(302);
    const toIdp = new URL(start.headers.get('location')!);
    expect(toIdp.href.startsWith(`${c.baseUrl}/test-idp/auth?`)).toBe(true);
    expect(Object.fromEntries(toIdp.searchParams)).toMatchObject({
      client_id: 'carnet',
      response_type: 'code',
      scope: 'openid scope_all',
      acr_values: 'eidas1',
      redirect_uri: `${c.baseUrl}/auth/psc/callback`,
      code_challenge_method: 'S256',
    });
    for (const p of ['state', 'nonce', 'code_challenge']) expect(toIdp.searchParams.get(p)).toMatch(/^[\w-]{20,}$/);

    const { idpPage, landed } = await signInAtTestIdp(flow, idNat, 'login', start);
    // the IdP's page lists the demo professionals of the directory, then the unknown one
    const cards = cardsOf(idpPage);
    expect(cards.map((x) => x.idNat)).toEqual([...demoDirectory().map((p) => p.idNat), UNKNOWN_PROFESSIONAL.id]);
    expect(cards[0]!.label).toBe('Dr Claire DURAND');
    expect(idpPage).toContain('<html lang="fr">');
    expect(idpPage).toContain('<title>Simulateur Pro Santé Connect — carte CPS de test</title>');

    const { pro } = landing(landed);
    expect(pro).toBeDefined();
    const list = await (await situations(flow, pro!)).json();
    expect(list).toEqual({
      situations: [{ roleId: 'demo-role-ph.leroy-1', professionLabel: 'Pharmacien', organizationName: 'Pharmacie du Marché', city: 'Paris' }],
    });
    const { token, scope } = await finish(flow, pro!);
    expect(scope).toBe('openid');
    const claims = jwtPayload(token);
    expect(claims).toMatchObject({ client_id: 'carnet-web', aud: 'carnet', iss: issuerOf(c.baseUrl) });

    const me = await (await c.request('GET', '/api/me', { token })).json();
    expect(me).toMatchObject({ login: `ps-${idNat}`, role: 'professional', displayName: 'Antoine LEROY', practitioner: `Practitioner/${idNat}` });
    const principal = await principalOf(token);
    expect(principal.practice).toEqual({
      roleId: 'demo-role-ph.leroy-1',
      practitionerId: idNat,
      professionCode: '21',
      professionLabel: 'Pharmacien',
      organizationId: 'demo-pharmacie-marche',
      organizationName: 'Pharmacie du Marché',
    });
    expect(principal.scopes).toBeUndefined();
    // the same token works on /fhir (the directory is readable by every signed-in user)
    expect((await c.request('GET', '/fhir/Practitioner?_count=1', { token })).status).toBe(200);
    // the sign-in is used: its state cannot serve again
    expect(await count('pro_login WHERE state = $1', [pro])).toBe(0);
    expect((await situations(flow, pro!)).status).toBe(400);
  });

  it('one with two situations must choose; a situation not theirs is refused; an existing account is reused', async () => {
    const idNat = demoIdNat('dr.durand');
    await c.user({ login: 'dr.durand', role: 'professional', practitionerId: idNat });
    const users = await count('app_user');
    const flow = await authorize(c, { space: 'pro' });
    const { landed } = await signInAtTestIdp(flow, idNat);
    const { pro } = landing(landed);
    const { situations: offered } = (await (await situations(flow, pro!)).json()) as { situations: { roleId: string; organizationName: string }[] };
    expect(offered.map((s) => s.roleId)).toEqual(['demo-role-dr.durand-1', 'demo-role-dr.durand-2']);
    expect(offered.map((s) => s.organizationName)).toEqual(['Maison de santé pluriprofessionnelle de Belleville', 'Centre hospitalier Paris-Est, service d’imagerie']);

    const notTheirs = await chooseSituation(flow, pro!, 'demo-role-ph.leroy-1');
    expect(notTheirs.status).toBe(400);
    expect((await notTheirs.json()).code).toBe('pro.situation-unknown');

    const { token } = await finish(flow, pro!, 'demo-role-dr.durand-2');
    expect(await count('app_user')).toBe(users);
    const me = await (await c.request('GET', '/api/me', { token })).json();
    expect(me).toMatchObject({ login: 'dr.durand', role: 'professional' });
    expect((await principalOf(token)).practice).toMatchObject({ roleId: 'demo-role-dr.durand-2', organizationId: 'demo-ch-paris-est', skillCode: 'SM26' });
  });

  it('the situation step is bound to the browser of the interaction and to its own sign-in', async () => {
    const flow = await authorize(c, { space: 'pro' });
    const { landed } = await signInAtTestIdp(flow, demoIdNat('inf.moreau'));
    const { pro } = landing(landed);
    // another browser, without the interaction cookie
    const other = await fetch(`${c.baseUrl}${flow.interactionPath}/pro/situations?state=${pro}`);
    expect(other.status).toBe(400);
    expect((await other.json()).code).toBe('session.expired');
    // another interaction's state
    const second = await authorize(c, { space: 'pro' });
    const wrong = await situations(second, pro!);
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).code).toBe('pro.expired');
  });

  it('the unknown professional is refused (pro.unknown) and nothing is created', async () => {
    const before = { users: await count('app_user'), sessions: await count('app_session'), grants: await count("oidc_model WHERE model IN ('Grant', 'AccessToken', 'AuthorizationCode')") };
    const flow = await authorize(c, { space: 'pro' });
    const { landed } = await signInAtTestIdp(flow, UNKNOWN_PROFESSIONAL.id);
    expect(landing(landed)).toEqual({ proError: 'pro.unknown' });
    expect(landed.pathname).toBe(flow.interactionPath);
    expect(await count('app_user WHERE practitioner_id = $1', [UNKNOWN_PROFESSIONAL.id])).toBe(0);
    expect({ users: await count('app_user'), sessions: await count('app_session'), grants: await count("oidc_model WHERE model IN ('Grant', 'AccessToken', 'AuthorizationCode')") }).toEqual(before);
    expect(await count('pro_login WHERE interaction_id = $1', [flow.uid])).toBe(0);
  });

  it('a professional who cancels at the IdP comes back with pro.idp-error', async () => {
    const flow = await authorize(c, { space: 'pro' });
    const { landed } = await signInAtTestIdp(flow, demoIdNat('dr.petit'), 'cancel');
    expect(landing(landed)).toEqual({ proError: 'pro.idp-error' });
  });

  it('the test IdP answers like PSC: acr eidas1 and the PSC claims in the ID token and in userinfo', async () => {
    // act as its relying party directly: stop at Carnet's callback and exchange the code ourselves
    const secret = (await c.db.query<{ value: string }>("SELECT value FROM server_secret WHERE name = 'test-idp-client-secret'")).rows[0]!.value;
    const idNat = demoIdNat('dr.durand');
    const flow = await authorize(c, { space: 'pro' });
    const atIdp = await startPro(flow);
    const submitted = await flow.browser.post(atIdp.url.pathname, new URLSearchParams({ idnat: idNat, action: 'login' }).toString(), 'application/x-www-form-urlencoded');
    const atCallback = await flow.browser.follow(submitted, (u) => u.pathname === '/auth/psc/callback');
    const code = atCallback.url.searchParams.get('code')!;
    const state = atCallback.url.searchParams.get('state')!;
    const { rows } = await c.db.query<{ code_verifier: string; nonce: string }>('SELECT code_verifier, nonce FROM pro_login WHERE state = $1', [state]);
    const token = await fetch(`${c.baseUrl}/test-idp/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`carnet:${secret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: `${c.baseUrl}/auth/psc/callback`, code_verifier: rows[0]!.code_verifier }),
    });
    expect(token.status).toBe(200);
    const tokens = (await token.json()) as { id_token: string; access_token: string };
    const idToken = jwtPayload(tokens.id_token);
    expect(idToken).toMatchObject({ iss: `${c.baseUrl}/test-idp`, aud: 'carnet', sub: idNat, acr: 'eidas1', nonce: rows[0]!.nonce, SubjectNameID: idNat, given_name: 'Claire', family_name: 'DURAND' });
    const userinfo = (await (await fetch(`${c.baseUrl}/test-idp/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).json()) as Record<string, any>;
    expect(userinfo).toMatchObject({ sub: idNat, SubjectNameID: idNat, preferred_username: idNat, codeCivilite: 'MME' });
    expect(userinfo.SubjectRefPro).toEqual(idToken.SubjectRefPro);
    const [exercice] = userinfo.SubjectRefPro.exercices;
    expect(exercice).toMatchObject({ codeProfession: '10', codeSavoirFaire: 'SM26', codeCiviliteDexercice: 'DR', nomDexercice: 'DURAND', prenomDexercice: 'Claire' });
    expect(exercice.activities.map((a: Record<string, string>) => [a.identifiantTechniqueDeLaStructure, a.codeModeExercice, a.raisonSocialeSite])).toEqual([
      ['demo-msp-belleville', 'L', 'Maison de santé pluriprofessionnelle de Belleville'],
      ['demo-ch-paris-est', 'S', 'Centre hospitalier Paris-Est, service d’imagerie'],
    ]);
  });

  it('the callback refuses an unknown state with a readable page', async () => {
    const res = await fetch(`${c.baseUrl}/auth/psc/callback?code=abc&state=nope`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('<main');
    expect(html).toContain('Recommencer la connexion');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('practice software (demo-lps, public, PKCE, any loopback port) gets a token with user/*.read for the same professional', async () => {
    const idNat = demoIdNat('bio.roux');
    const flow = await authorize(c, { clientId: 'demo-lps', redirectUri: 'http://127.0.0.1:54321/callback', scope: 'openid user/*.read user/Patient.write patient/*.read' });
    // practice software always signs in professionals
    expect(await (await flow.browser.get(`${flow.interactionPath}/details`)).json()).toEqual({ prompt: 'login', space: 'pro', software: 'Logiciel de cabinet (démonstration)' });
    const { landed } = await signInAtTestIdp(flow, idNat);
    const { pro } = landing(landed);
    const { token, scope } = await finish(flow, pro!);
    // the understood scopes are granted; patient/ scopes are not
    expect(scope.split(' ').sort()).toEqual(['openid', 'user/*.read', 'user/Patient.write']);
    const claims = jwtPayload(token);
    expect(claims).toMatchObject({ client_id: 'demo-lps', scope });
    const principal = await principalOf(token);
    expect(principal).toMatchObject({ role: 'professional', practitionerId: idNat, practice: { roleId: 'demo-role-bio.roux-1' } });
    expect([...principal.scopes!].sort()).toEqual(['openid', 'user/*.read', 'user/Patient.write']);
    // the practice software's token is for /fhir, within its scopes; /api is the web app's
    const scoped = await c.request('GET', '/api/me', { token });
    expect(scoped.status).toBe(403);
    expect((await scoped.json()).code).toBe('token.scoped');
    const consent = await c.request('POST', '/fhir/Patient/00000000-0000-4000-8000-000000000000/$declare-access', {
      token,
      json: { resourceType: 'Parameters', parameter: [{ name: 'basis', valueCode: 'consent' }] },
    });
    expect(consent.status).toBe(403);
    const webSession = await authorize(c, { space: 'pro' });
    const webSessionToken = (await finish(webSession, landing((await signInAtTestIdp(webSession, idNat)).landed).pro!)).token;
    const me = await (await c.request('GET', '/api/me', { token: webSessionToken })).json();
    // a new account, named with the DR practice civility of the directory
    expect(me).toMatchObject({ login: `ps-${idNat}`, displayName: 'Dr Isabelle ROUX', role: 'professional', practitioner: `Practitioner/${idNat}` });

    // the same professional through the web app: same account
    const web = await authorize(c, { space: 'pro' });
    const webState = landing((await signInAtTestIdp(web, idNat)).landed).pro!;
    const { token: webToken } = await finish(web, webState);
    expect(jwtPayload(webToken).sub).toBe(claims.sub);
  });

  it('a token request with a wrong PKCE verifier fails', async () => {
    const flow = await authorize(c, { clientId: 'demo-lps', redirectUri: 'http://127.0.0.1:40001/callback', scope: 'openid user/*.read' });
    const { pro } = landing((await signInAtTestIdp(flow, demoIdNat('ph.leroy'))).landed);
    const chosen = await chooseSituation(flow, pro!, 'demo-role-ph.leroy-1');
    const code = await codeAfter(flow, ((await chosen.json()) as { redirectTo: string }).redirectTo);
    const wrong = await exchange(flow, code, 'x'.repeat(43));
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe('invalid_grant');
    // the code stays bound to the right verifier (oidc-provider checks PKCE before spending it), and is used once
    expect((await exchange(flow, code)).status).toBe(200);
    expect((await exchange(flow, code)).status).toBe(400);
  });

  it('a patient cannot sign in to practice software with a password (auth.pro-only)', async () => {
    const flow = await authorize(c, { clientId: 'demo-lps', redirectUri: 'http://127.0.0.1:40002/callback', scope: 'openid user/*.read' });
    const res = await flow.browser.postJson(`${flow.interactionPath}/password`, { login: 'camille.martin', password: 'Carnet-Demo-2026!' });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe('auth.pro-only');
  });

  it('a redirect URI other than the registered loopback one is refused', async () => {
    const res = await fetch(
      `${c.baseUrl}/auth/auth?${new URLSearchParams({ client_id: 'demo-lps', response_type: 'code', scope: 'openid', redirect_uri: 'http://localhost:5000/callback', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' })}`,
      { redirect: 'manual' },
    );
    expect(res.status).toBe(400);
  });
});

describe('professional sign-in outside demo mode without PSC_ISSUER', () => {
  let c: TestCarnet;
  const secret = 's'.repeat(40);
  beforeAll(async () => {
    const lps = { client_id: 'cabinet-pro', client_name: 'Cabinet Pro 3000', redirect_uris: ['https://lps.example/callback'], token_endpoint_auth_method: 'client_secret_basic', client_secret: secret, scope: 'openid user/*.rs' };
    c = await startCarnet({ env: { DEMO: 'false', RATE_LIMIT_PER_MINUTE: '10000', OAUTH_CLIENTS: JSON.stringify([lps]) } });
  });
  afterAll(() => c?.close());

  it('mounts no test IdP', async () => {
    for (const path of ['/test-idp/.well-known/openid-configuration', '/test-idp/auth', '/test-idp/interaction/abc']) {
      expect((await fetch(`${c.baseUrl}${path}`, { redirect: 'manual' })).status, path).toBe(404);
    }
  });

  it('says professional sign-in is off (pro.disabled), and knows no demo-lps client', async () => {
    const flow = await authorize(c, { space: 'pro' });
    const res = await flow.browser.get(`${flow.interactionPath}/pro/start`);
    expect(res.status).toBe(302);
    expect(landing(new URL(res.headers.get('location')!, c.baseUrl))).toEqual({ proError: 'pro.disabled' });
    const lps = await fetch(`${c.baseUrl}/auth/auth?client_id=demo-lps&response_type=code&scope=openid&redirect_uri=http://127.0.0.1/callback`, { redirect: 'manual' });
    expect(lps.status).toBe(400);
  });

  it('registers the practice software of OAUTH_CLIENTS: its sign-in is a professional one, named', async () => {
    const flow = await authorize(c, { clientId: 'cabinet-pro', redirectUri: 'https://lps.example/callback', scope: 'openid user/*.rs' });
    expect(await (await flow.browser.get(`${flow.interactionPath}/details`)).json()).toEqual({ prompt: 'login', space: 'pro', software: 'Cabinet Pro 3000' });
    // a confidential client authenticates at the token endpoint
    const anonymous = await fetch(`${c.baseUrl}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'x', redirect_uri: 'https://lps.example/callback', client_id: 'cabinet-pro', code_verifier: 'x'.repeat(43) }),
    });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: string }).error).toBe('invalid_client');
  });
});

/**
 * Against a scripted IdP (test/support/scripted-idp.ts): Carnet configured with PSC_ISSUER pointing at it,
 * as it would be at Pro Santé Connect. Each wrong answer is refused with its code and creates nothing.
 */
describe('professional sign-in against a scripted IdP', () => {
  let idp: ScriptedIdp;
  let c: TestCarnet;
  const idNat = uniqueIdNat();
  const inactive = uniqueIdNat();
  const withoutSituation = uniqueIdNat();

  /** PSC's userinfo for a professional, in its shape. */
  const pscIdentity = (id: string) => ({
    SubjectNameID: id,
    preferred_username: id,
    given_name: 'Hélène',
    family_name: 'FOURNIER',
    codeCivilite: 'MME',
    SubjectRefPro: {
      exercices: [
        {
          codeProfession: '50',
          codeCategorieProfessionnelle: 'C',
          codeCiviliteDexercice: '',
          nomDexercice: 'FOURNIER',
          prenomDexercice: 'Hélène',
          codeSavoirFaire: '',
          codeTypeSavoirFaire: '',
          activities: [{ codeModeExercice: 'L', codeSecteurDactivite: 'SA07', identifiantTechniqueDeLaStructure: 'R-SF-2', raisonSocialeSite: 'CABINET DE SAGE-FEMME' }],
        },
      ],
    },
  });

  beforeAll(async () => {
    idp = await startScriptedIdp();
    c = await startCarnet({ env: { PSC_ISSUER: idp.issuer, PSC_CLIENT_ID: idp.clientId, PSC_CLIENT_SECRET: idp.clientSecret, RATE_LIMIT_PER_MINUTE: '10000' } });
    await insertDirectory(c.db, [
      {
        idNat,
        family: 'FOURNIER',
        given: 'Hélène',
        civilityCode: 'MME',
        roles: [
          { id: `${idNat}-maternite`, professionCode: '50', professionLabel: 'Sage-femme', modeCode: 'S', organization: { id: 'R-SF-1', name: 'Maternité des Lilas', city: 'Les Lilas' } },
          { id: `${idNat}-cabinet`, professionCode: '50', professionLabel: 'Sage-femme', organization: { id: 'R-SF-2', name: 'Cabinet de sage-femme', city: 'Montreuil' } },
        ],
      },
      { idNat: inactive, family: 'ANCIEN', given: 'Paul', active: false, roles: [{ professionCode: '10' }] },
      { idNat: withoutSituation, family: 'SANS', given: 'Situation', roles: [{ professionCode: '10', active: false }] },
    ]);
  });
  afterAll(async () => {
    await c?.close();
    await idp?.close();
  });

  const count = async (sql: string, params: unknown[] = []) => Number((await c.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${sql}`, params)).rows[0]!.n);
  const created = async () => ({
    users: await count('app_user'),
    sessions: await count('app_session'),
    provider: await count("oidc_model WHERE model IN ('Grant', 'AccessToken', 'AuthorizationCode', 'Session')"),
    pending: await count('pro_login'),
  });

  /** One sign-in with this script; where Carnet lands the browser. */
  async function attempt(script: Script, identity = pscIdentity(idNat)): Promise<{ flow: ProFlow; landed: { pro?: string; proError?: string } }> {
    idp.script = script;
    idp.identity = identity;
    const flow = await authorize(c, { space: 'pro' });
    const back = await startPro(flow);
    expect(back.url.pathname, back.url.href).toBe(flow.interactionPath);
    return { flow, landed: landing(back.url) };
  }

  it('signs in with a correct answer: the requests are what PSC expects, and the situations PSC names come first', async () => {
    const { flow, landed } = await attempt({});
    expect(landed.pro).toBeDefined();
    const request = idp.authorizations.at(-1)!.params;
    expect(request).toMatchObject({ client_id: idp.clientId, response_type: 'code', scope: 'openid scope_all', acr_values: 'eidas1', code_challenge_method: 'S256', redirect_uri: `${c.baseUrl}/auth/psc/callback` });
    expect(request.nonce).toBeTruthy();
    expect(idp.tokenRequests.at(-1)).toMatchObject({ clientAuthenticated: true, pkceOk: true });

    const { situations: offered } = (await (await situations(flow, landed.pro!)).json()) as { situations: { roleId: string }[] };
    // the cabinet is the activity PSC named; the maternity comes second
    expect(offered.map((s) => s.roleId)).toEqual([`${idNat}-cabinet`, `${idNat}-maternite`]);
    const chosen = await chooseSituation(flow, landed.pro!, `${idNat}-maternite`);
    const code = await codeAfter(flow, ((await chosen.json()) as { redirectTo: string }).redirectTo);
    const token = (await exchange(flow, code)).body.access_token as string;
    const me = await (await c.request('GET', '/api/me', { token })).json();
    expect(me).toMatchObject({ login: `ps-${idNat}`, role: 'professional', displayName: 'Hélène FOURNIER', practitioner: `Practitioner/${idNat}` });
  });

  it('accepts an ID token signed with the client secret (HS256) and userinfo as a signed JWT', async () => {
    const { landed } = await attempt({ signWith: 'client-secret', userinfoAs: 'jwt' });
    expect(landed.pro).toBeDefined();
  });

  it.each<[string, Script, string]>([
    ['a wrong nonce', { idToken: { nonce: 'not-the-one' } }, 'pro.token-invalid'],
    ['no nonce', { idToken: { nonce: undefined } }, 'pro.token-invalid'],
    ['a wrong issuer', { idToken: { iss: 'https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet' } }, 'pro.token-invalid'],
    ['a wrong audience', { idToken: { aud: 'another-client' } }, 'pro.token-invalid'],
    ['an expired ID token', { idToken: { exp: Math.floor(Date.now() / 1000) - 3600, iat: Math.floor(Date.now() / 1000) - 7200 } }, 'pro.token-invalid'],
    ['a signature by another key', { signWith: 'other-key' }, 'pro.token-invalid'],
    ['userinfo about someone else', { userinfo: { sub: 'someone-else', SubjectNameID: '899999999999' } }, 'pro.token-invalid'],
    ['no acr', { idToken: { acr: undefined } }, 'pro.acr'],
    ['acr eidas0', { idToken: { acr: 'eidas0' } }, 'pro.acr'],
    ['an error at the authorization endpoint', { authorizeError: 'access_denied' }, 'pro.idp-error'],
    ['an error at the token endpoint', { tokenError: { status: 400, error: 'invalid_grant' } }, 'pro.idp-error'],
    ['claims without SubjectNameID', { userinfo: { given_name: 'X' } }, 'pro.idp-error'],
  ])('refuses %s and creates no user, session or token', async (_what, script, code) => {
    const before = await created();
    const { landed } = await attempt(script);
    expect(landed).toEqual({ proError: code });
    expect(await created()).toEqual(before);
  });

  it.each([
    ['an inactive professional', () => inactive],
    ['a professional without an active situation', () => withoutSituation],
    ['a professional the directory does not list', () => uniqueIdNat()],
  ])('refuses %s (pro.unknown) and creates no user', async (_what, id) => {
    const before = await created();
    const idN = id();
    const { landed } = await attempt({}, pscIdentity(idN));
    expect(landed).toEqual({ proError: 'pro.unknown' });
    expect(await created()).toEqual(before);
    expect(await count('app_user WHERE practitioner_id = $1', [idN])).toBe(0);
  });

  it('refuses a callback replayed with the same state', async () => {
    idp.script = {};
    idp.identity = pscIdentity(idNat);
    const flow = await authorize(c, { space: 'pro' });
    const start = await flow.browser.get(`${flow.interactionPath}/pro/start`);
    const atIdp = await flow.browser.get(start.headers.get('location')!);
    const callbackUrl = atIdp.headers.get('location')!;
    const first = await flow.browser.get(callbackUrl);
    expect(landing(new URL(first.headers.get('location')!, c.baseUrl)).pro).toBeDefined();
    const again = await flow.browser.get(callbackUrl);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('Cette connexion ne peut pas aboutir');
  });

  it('a sign-in that takes more than 10 minutes at the IdP has expired (pro.expired), and creates nothing', async () => {
    idp.script = {};
    idp.identity = pscIdentity(idNat);
    const before = await created();
    const flow = await authorize(c, { space: 'pro' });
    const start = await flow.browser.get(`${flow.interactionPath}/pro/start`);
    c.carnet.clock.advance(11 * 60_000);
    const back = await flow.browser.follow(start, (u) => u.pathname === flow.interactionPath);
    expect(landing(back.url)).toEqual({ proError: 'pro.expired' });
    expect(await created()).toEqual(before);
  });

  it('an IdP that cannot be reached: pro.idp-error at the start, nothing stored', async () => {
    const down = await startCarnet({ env: { PSC_ISSUER: 'http://127.0.0.1:9', PSC_CLIENT_ID: 'x', PSC_CLIENT_SECRET: 'y', RATE_LIMIT_PER_MINUTE: '10000' } });
    try {
      const flow = await authorize(down, { space: 'pro' });
      const res = await flow.browser.get(`${flow.interactionPath}/pro/start`);
      expect(landing(new URL(res.headers.get('location')!, down.baseUrl))).toEqual({ proError: 'pro.idp-error' });
      expect(Number((await down.db.query<{ n: string }>('SELECT count(*) AS n FROM pro_login')).rows[0]!.n)).toBe(0);
    } finally {
      await down.close();
    }
  });
});
