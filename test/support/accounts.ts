import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { HEADER, formatRow, type InsuredRow } from '../../src/domain/population/index.js';
import { INS_OID, makeNir } from '../../src/domain/ins/index.js';
import { signToken } from '../../src/services/auth/tokens.js';
import { startCarnet, type TestCarnet, type TestResponse } from './carnet.js';

/**
 * Fixtures for the accounts API tests: people for a population file, the file itself, reading codes in the
 * outbox (the demo mail catcher), and the OpenID Connect sign-in a browser would do, over real HTTP.
 */
let counter = 0;

/** A number written with letters (names hold no digits). */
function letters(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor(x / 26)) s += String.fromCharCode(65 + (x % 26));
  return s || 'A';
}

export interface PersonOptions {
  family?: string;
  given?: string;
  sex?: 'M' | 'F';
  birthDate?: string;
  email?: string | null;
  coveredBy?: InsuredRow;
  vitale?: string;
}

/** A valid insured person with a NIR that matches their traits and is unique in the test run. */
export function person(o: PersonOptions = {}): InsuredRow {
  counter++;
  const sex = o.sex ?? (counter % 2 ? 'F' : 'M');
  const birthDate = o.birthDate ?? `19${String(60 + (counter % 35)).padStart(2, '0')}-0${1 + (counter % 9)}-1${counter % 10}`;
  const given = o.given ?? (sex === 'F' ? 'Élodie' : 'Jérôme');
  const family = o.family ?? `MARTIN-${letters(counter * 7919 + process.pid)}`;
  const order = String((process.pid * 7 + counter) % 1000).padStart(3, '0');
  const commune = String(100 + ((process.pid + counter * 13) % 900));
  const nir = makeNir({ sex: sex === 'M' ? '1' : '2', birthYear: birthDate.slice(2, 4), birthMonth: birthDate.slice(5, 7), department: '75', commune, order });
  const email = o.email === null ? undefined : (o.email ?? `${given.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()}.${counter}.${process.pid}@exemple.fr`);
  return {
    nir,
    insOid: INS_OID.NIR,
    traits: { birthName: family, firstGivenName: given, givenNames: [given, 'Marie'], birthDate, sex, birthPlaceCode: `75${commune}` },
    ...(o.coveredBy ? { coveredByNir: o.coveredBy.nir } : { vitaleSerial: o.vitale ?? String(10_000_000 + counter * 7919).padEnd(10, '4') }),
    ...(email ? { email } : {}),
    address: { line: '12 rue de la Paix', postalCode: '75002', city: 'Paris' },
  };
}

export function csvOf(rows: InsuredRow[]): string {
  return [HEADER, ...rows.map(formatRow)].join('\n') + '\n';
}

export const JSON_HEADERS: Record<string, string> = { 'content-type': 'application/json' };

/** An activated person, signed in through the OpenID Provider. */
export interface Member {
  person: InsuredRow;
  login: string;
  password: string;
  /** The access token of a web session (it ends when Carnet's clock moves past SESSION_IDLE_MINUTES). */
  token: string;
  /** Their own profile's Patient id (= the insured person's id). */
  patientId: string;
}

export interface ApiOptions {
  token?: string;
  /** A JSON body, sent as application/json. */
  json?: unknown;
  /** A raw body (with its content type in `headers`). */
  body?: string;
  /** X-Acting-For: the profile the request acts for. */
  actingFor?: string;
  headers?: Record<string, string>;
}

export interface AccountsCarnet extends TestCarnet {
  operatorToken: string;
  /** Every answer of 500 or more this Carnet gave to the test's requests (`METHOD url → status`). */
  serverErrors: string[];
  /** A request to /api (or /fhir) with a JSON body and the X-Acting-For header when given. */
  api(method: string, url: string, o?: ApiOptions): Promise<TestResponse>;
  /** What the operator sees of the person with this NIR (GET /api/admin/insured). */
  insured(nir: string): Promise<any>;
  /** Activation from the newest code mailed to the person, then sign-in: an active, signed-in member. */
  enroll(p: InsuredRow, login?: string): Promise<Member>;
  /** A new sign-in of a member (e.g. after the clock moved and their session went idle); updates `m.token`. */
  signInAgain(m: Member): Promise<string>;
  /** An OpenID Connect sign-in started as the web app does, stopped at the interaction (password step). */
  interaction(): Promise<Interaction>;
  /**
   * A Carnet-signed token for the member's account, as `carnet token` makes for scripts: it belongs to no
   * web session, so it keeps working when Carnet's clock moves (sessions go idle after SESSION_IDLE_MINUTES).
   */
  scriptToken(m: Member): Promise<string>;
  importCsv(csv: string, file?: string): Promise<any>;
  /** The newest mail to this address in the outbox, rendered. */
  lastMail(to: string, template?: string): Promise<{ subject: string; text: string; template: string }>;
  /** The code provisoire of the newest notice or new-code mail to this address. */
  codeFor(to: string): Promise<string>;
  otpFor(to: string): Promise<string>;
  advanceDays(days: number): Promise<void>;
  /** Activation through the API, up to an active account; returns the login and password. */
  activate(p: InsuredRow, login?: string): Promise<{ login: string; password: string }>;
  /** Sign-in as the web app does it (authorization code + PKCE, password, one-time code); returns the access token. */
  signIn(login: string, password: string, email: string): Promise<string>;
}

export const PASSWORD = 'Velo-Rouge-42!';

export async function startAccounts(opts: { env?: Record<string, string>; seed?: boolean } = {}): Promise<AccountsCarnet> {
  const tc = await startCarnet({ seed: opts.seed ?? false, env: { RATE_LIMIT_PER_MINUTE: '10000', ...opts.env } });
  const serverErrors: string[] = [];
  const record = (method: string, url: string, status: number) => {
    if (status >= 500) serverErrors.push(`${method} ${url} → ${status}`);
  };
  const rawRequest = tc.request.bind(tc);
  tc.request = async (method, url, o) => {
    const res = await rawRequest(method, url, o);
    record(method, url, res.status);
    return res;
  };
  const operatorToken = await tc.user({ role: 'operator' });
  const ac: AccountsCarnet = Object.assign(tc, {
    operatorToken,
    serverErrors,
    api(method: string, url: string, o: ApiOptions = {}) {
      const headers: Record<string, string> = { ...(o.actingFor ? { 'x-acting-for': o.actingFor } : {}), ...(o.headers ?? {}) };
      if (o.json !== undefined) headers['content-type'] ??= 'application/json';
      return tc.request(method, url, {
        ...(o.token ? { token: o.token } : {}),
        ...(o.json !== undefined ? { body: JSON.stringify(o.json) } : o.body !== undefined ? { body: o.body } : {}),
        headers,
      });
    },
    async insured(nir: string) {
      const res = await tc.request('GET', `/api/admin/insured?nir=${nir}`, { token: operatorToken });
      if (res.status !== 200) throw new Error(`insured: ${res.status} ${await res.text()}`);
      return res.json();
    },
    async enroll(p: InsuredRow, login?: string): Promise<Member> {
      const account = await ac.activate(p, login);
      const token = await ac.signIn(account.login, account.password, p.email!);
      const { id } = await ac.insured(p.nir);
      return { person: p, ...account, token, patientId: id };
    },
    async signInAgain(m: Member) {
      m.token = await ac.signIn(m.login, m.password, m.person.email!);
      return m.token;
    },
    interaction() {
      return startInteraction(tc, record);
    },
    async scriptToken(m: Member) {
      const { rows } = await tc.db.query<{ id: string }>('SELECT id FROM app_user WHERE login = $1', [m.login]);
      if (!rows[0]) throw new Error(`no account ${m.login}`);
      return signToken(tc.carnet.key, { sub: rows[0].id, login: m.login }, 3600);
    },
    async importCsv(csv: string, file = 'population.csv') {
      const res = await tc.request('POST', `/api/admin/population/imports?file=${file}`, {
        token: operatorToken,
        body: csv,
        headers: { 'content-type': 'text/csv' },
      });
      if (res.status !== 201) throw new Error(`import: ${res.status} ${await res.text()}`);
      return res.json();
    },
    async lastMail(to: string, template?: string) {
      const items = await tc.carnet.mailer.list(50, to);
      const m = items.find((x) => !template || x.template === template);
      if (!m) throw new Error(`no mail ${template ?? ''} to ${to}`);
      return m;
    },
    async codeFor(to: string) {
      const items = await tc.carnet.mailer.list(50, to);
      const m = items.find((x) => x.template === 'optout-notice' || x.template === 'new-code' || x.template === 'majority');
      const code = m && /([2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4})/.exec(m.text)?.[1];
      if (!code) throw new Error(`no code mailed to ${to}`);
      return code;
    },
    async otpFor(to: string) {
      const m = await ac.lastMail(to, 'otp');
      return /(\d{6})/.exec(m.subject)![1]!;
    },
    async advanceDays(days: number) {
      tc.carnet.clock.advance(days * 86_400_000);
      await tc.carnet.jobs.runNow();
    },
    async activate(p: InsuredRow, login?: string) {
      const code = await ac.codeFor(p.email!);
      const start = await tc.request('POST', '/api/activation/start', { json: { nir: p.nir, vitaleSerial: p.vitaleSerial, code }, headers: { 'content-type': 'application/json' } });
      if (start.status !== 201) throw new Error(`activation start: ${start.status} ${await start.text()}`);
      const { activationId } = await start.json();
      const chosen = login ?? `user.${randomBytes(4).toString('hex')}`;
      const account = await tc.request('POST', `/api/activation/${activationId}/account`, {
        json: { login: chosen, password: PASSWORD, email: p.email, acceptTerms: true },
        headers: { 'content-type': 'application/json' },
      });
      if (account.status !== 200) throw new Error(`activation account: ${account.status} ${await account.text()}`);
      const verify = await tc.request('POST', `/api/activation/${activationId}/verify`, {
        json: { otp: await ac.otpFor(p.email!) },
        headers: { 'content-type': 'application/json' },
      });
      if (verify.status !== 200) throw new Error(`activation verify: ${verify.status} ${await verify.text()}`);
      return { login: chosen, password: PASSWORD };
    },
    async signIn(login: string, password: string, email: string) {
      return oidcSignIn(tc, login, password, () => ac.otpFor(email), record);
    },
  });
  return ac;
}

/** A cookie jar good enough for one origin. */
export class Jar {
  private cookies = new Map<string, string>();
  take(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/**
 * A sign-in in progress, as the browser holds it: the interaction's path (`/interaction/<uid>`) and the
 * cookies binding it to this browser. `password` and `otp` call the interaction's endpoints; `finish`
 * follows the provider's redirects back to the web app and exchanges the code for the access token.
 */
export interface Interaction {
  path: string;
  jar: Jar;
  get(url: string): Promise<Response>;
  post(url: string, body: unknown): Promise<Response>;
  password(login: string, password: string): Promise<Response>;
  otp(otp: string): Promise<Response>;
  /** From the `{redirectTo}` of a successful one-time code step to the access token. */
  finish(redirectTo: string): Promise<string>;
}

export async function startInteraction(tc: TestCarnet, record: (method: string, url: string, status: number) => void = () => undefined): Promise<Interaction> {
  const jar = new Jar();
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const redirectUri = `${tc.baseUrl}/callback`;
  const authorize = new URL(`${tc.baseUrl}/auth/auth`);
  for (const [k, v] of Object.entries({ client_id: 'carnet-web', response_type: 'code', scope: 'openid', redirect_uri: redirectUri, code_challenge: challenge, code_challenge_method: 'S256', state: 'st4te', nonce: 'n0nce', prompt: 'login' })) {
    authorize.searchParams.set(k, v);
  }
  const get = async (url: string) => {
    const res = await fetch(url.startsWith('http') ? url : `${tc.baseUrl}${url}`, { redirect: 'manual', headers: { cookie: jar.header() } });
    jar.take(res);
    record('GET', url, res.status);
    return res;
  };
  const post = async (url: string, body: unknown) => {
    const res = await fetch(`${tc.baseUrl}${url}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: jar.header(), 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    jar.take(res);
    record('POST', url, res.status);
    return res;
  };
  const first = await get(authorize.toString());
  const path = first.headers.get('location');
  if (!path?.startsWith('/interaction/')) throw new Error(`authorize: ${first.status} ${path} ${await first.text()}`);
  return {
    path,
    jar,
    get,
    post,
    password: (login, password) => post(`${path}/password`, { login, password }),
    otp: (otp) => post(`${path}/otp`, { otp }),
    async finish(redirectTo: string) {
      let location = redirectTo;
      for (let i = 0; i < 5 && !location.startsWith(redirectUri); i++) {
        const res = await get(location);
        location = res.headers.get('location') ?? '';
        if (!location) throw new Error(`resume: ${res.status} ${await res.text()}`);
      }
      const code = new URL(location).searchParams.get('code');
      if (!code) throw new Error(`no code in ${location}`);
      const token = await fetch(`${tc.baseUrl}/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: 'carnet-web', code_verifier: verifier }),
      });
      record('POST', '/auth/token', token.status);
      const body = (await token.json()) as { access_token?: string };
      if (!body.access_token) throw new Error(`token: ${token.status} ${JSON.stringify(body)}`);
      return body.access_token;
    },
  };
}

export async function oidcSignIn(
  tc: TestCarnet,
  login: string,
  password: string,
  otp: () => Promise<string>,
  record?: (method: string, url: string, status: number) => void,
): Promise<string> {
  const i = await startInteraction(tc, record);
  const pw = await i.password(login, password);
  if (pw.status !== 200) throw new Error(`password: ${pw.status} ${await pw.text()}`);
  const done = await i.otp(await otp());
  if (done.status !== 200) throw new Error(`otp: ${done.status} ${await done.text()}`);
  return i.finish(((await done.json()) as { redirectTo: string }).redirectTo);
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  code?: string;
}

/** Checks that `res` is an application/problem+json error with this status (and stable code); returns it. */
export async function expectProblem(res: TestResponse | Response, status: number, code?: string): Promise<Problem> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(text) as Problem;
  expect(body.status).toBe(status);
  expect(typeof body.title).toBe('string');
  if (code !== undefined) expect(body.code, body.title).toBe(code);
  return body;
}

/** Checks that `res` is a FHIR error (an OperationOutcome, on /fhir) with this status; returns the outcome. */
export async function expectOutcome(res: TestResponse | Response, status: number): Promise<{ resourceType: string; issue: { code: string; diagnostics?: string }[] }> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
  const body = JSON.parse(text);
  expect(body.resourceType).toBe('OperationOutcome');
  return body;
}

/** The calendar date `years` years and `days` days before `at` (negative values go forward), YYYY-MM-DD. */
export function dateBefore(at: Date, years: number, days = 0): string {
  const d = new Date(at.getTime());
  d.setUTCFullYear(d.getUTCFullYear() - years);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}
