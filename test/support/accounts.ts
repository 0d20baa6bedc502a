import { createHash, randomBytes } from 'node:crypto';
import { HEADER, formatRow, type InsuredRow } from '../../src/domain/population/index.js';
import { INS_OID, makeNir } from '../../src/domain/ins/index.js';
import { startCarnet, type TestCarnet } from './carnet.js';

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

export interface AccountsCarnet extends TestCarnet {
  operatorToken: string;
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

export async function startAccounts(opts: { env?: Record<string, string> } = {}): Promise<AccountsCarnet> {
  const tc = await startCarnet({ env: { RATE_LIMIT_PER_MINUTE: '10000', ...opts.env } });
  const operatorToken = await tc.user({ role: 'operator' });
  const ac: AccountsCarnet = Object.assign(tc, {
    operatorToken,
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
      return oidcSignIn(tc, login, password, () => ac.otpFor(email));
    },
  });
  return ac;
}

/** A cookie jar good enough for one origin. */
class Jar {
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

export async function oidcSignIn(tc: TestCarnet, login: string, password: string, otp: () => Promise<string>): Promise<string> {
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
    return res;
  };
  const post = async (url: string, body: unknown) => {
    const res = await fetch(`${tc.baseUrl}${url}`, { method: 'POST', redirect: 'manual', headers: { cookie: jar.header(), 'content-type': 'application/json' }, body: JSON.stringify(body) });
    jar.take(res);
    return res;
  };
  const first = await get(authorize.toString());
  const interaction = first.headers.get('location');
  if (!interaction?.startsWith('/interaction/')) throw new Error(`authorize: ${first.status} ${interaction} ${await first.text()}`);
  const pw = await post(`${interaction}/password`, { login, password });
  if (pw.status !== 200) throw new Error(`password: ${pw.status} ${await pw.text()}`);
  const done = await post(`${interaction}/otp`, { otp: await otp() });
  if (done.status !== 200) throw new Error(`otp: ${done.status} ${await done.text()}`);
  let location = ((await done.json()) as { redirectTo: string }).redirectTo;
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
  const body = (await token.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`token: ${token.status} ${JSON.stringify(body)}`);
  return body.access_token;
}
