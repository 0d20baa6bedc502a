import { createHash, randomBytes } from 'node:crypto';
import type { TestCarnet } from './carnet.js';

/**
 * A professional's sign-in over real HTTP, as a browser does it: Carnet's authorization endpoint, the
 * interaction, the hand-over to the IdP (the demo's test IdP or a scripted one), the IdP's page, the callback,
 * the choice of situation, and back to the client with a code exchanged for tokens (PKCE).
 */

interface StoredCookie {
  host: string;
  name: string;
  path: string;
  value: string;
}

/** Cookies by host and path, as a browser keeps them (enough for these flows: no domain cookies, no expiry). */
export class CookieJar {
  private cookies: StoredCookie[] = [];

  take(url: URL, res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      const pathAttr = attrs.find((a) => a.toLowerCase().startsWith('path='));
      const path = pathAttr ? pathAttr.slice(5) : url.pathname.replace(/\/[^/]*$/, '') || '/';
      const expired = attrs.some((a) => /^expires=/i.test(a) && Date.parse(a.slice(8)) < Date.now()) || attrs.some((a) => /^max-age=0$/i.test(a));
      this.cookies = this.cookies.filter((c) => !(c.host === url.host && c.name === name && c.path === path));
      if (!expired) this.cookies.push({ host: url.host, name, path, value });
    }
  }

  header(url: URL): string {
    const matches = (c: StoredCookie) => c.host === url.host && (url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`));
    // longer paths first, as browsers send them
    return this.cookies
      .filter(matches)
      .sort((a, b) => b.path.length - a.path.length)
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }
}

export class TestBrowser {
  readonly jar = new CookieJar();
  /** Every URL requested, in order. */
  readonly trail: string[] = [];

  constructor(private readonly base: string) {}

  url(u: string | URL): URL {
    return new URL(String(u), this.base);
  }

  async get(u: string | URL, headers: Record<string, string> = {}): Promise<Response> {
    const url = this.url(u);
    this.trail.push(`GET ${url.href}`);
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: this.jar.header(url), ...headers } });
    this.jar.take(url, res);
    return res;
  }

  async post(u: string | URL, body: string, contentType: string): Promise<Response> {
    const url = this.url(u);
    this.trail.push(`POST ${url.href}`);
    const res = await fetch(url, { method: 'POST', redirect: 'manual', headers: { cookie: this.jar.header(url), 'content-type': contentType }, body });
    this.jar.take(url, res);
    return res;
  }

  postJson(u: string | URL, body: unknown): Promise<Response> {
    return this.post(u, JSON.stringify(body), 'application/json');
  }

  /**
   * Follows redirects from `start` (a Response or a URL to GET) until `stop` says the next URL is where to
   * stop (not requested), or a page answers (not a redirect).
   */
  async follow(start: Response | string | URL, stop: (url: URL) => boolean = () => false, max = 20): Promise<{ url: URL; res?: Response }> {
    let res = start instanceof Response ? start : await this.get(start);
    let current = start instanceof Response ? this.url(res.url || this.base) : this.url(start);
    for (let i = 0; i < max; i++) {
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) return { url: current, res };
      const next = new URL(location, current);
      if (stop(next)) return { url: next };
      current = next;
      res = await this.get(next);
    }
    throw new Error(`too many redirects: ${this.trail.slice(-5).join(' → ')}`);
  }
}

export interface AuthorizationOptions {
  clientId?: string;
  redirectUri?: string;
  scope?: string;
  /** Adds space=pro to the request (the web app's /pro space does). */
  space?: 'pro';
}

export interface ProFlow {
  tc: TestCarnet;
  browser: TestBrowser;
  /** /interaction/<uid> */
  interactionPath: string;
  uid: string;
  clientId: string;
  redirectUri: string;
  verifier: string;
}

/** The client's authorization request at Carnet, up to the interaction. */
export async function authorize(tc: TestCarnet, o: AuthorizationOptions = {}): Promise<ProFlow> {
  const browser = new TestBrowser(tc.baseUrl);
  const clientId = o.clientId ?? 'carnet-web';
  const redirectUri = o.redirectUri ?? `${tc.baseUrl}/callback`;
  const verifier = randomBytes(32).toString('base64url');
  const params = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    scope: o.scope ?? 'openid',
    redirect_uri: redirectUri,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    state: randomBytes(8).toString('hex'),
    nonce: randomBytes(8).toString('hex'),
    ...(clientId === 'carnet-web' ? { prompt: 'login' } : {}),
    ...(o.space ? { space: o.space } : {}),
  });
  const res = await browser.get(`/auth/auth?${params}`);
  const interactionPath = res.headers.get('location') ?? '';
  if (!interactionPath.startsWith('/interaction/')) throw new Error(`authorize: ${res.status} ${interactionPath} ${await res.text()}`);
  await browser.get(interactionPath); // the SPA page, as a browser would load it
  return { tc, browser, interactionPath, uid: interactionPath.split('/')[2]!, clientId, redirectUri, verifier };
}

/** GET /interaction/<uid>/pro/start and the redirects after it, up to the IdP's sign-in page (or back to Carnet). */
export async function startPro(flow: ProFlow): Promise<{ url: URL; res?: Response }> {
  const carnet = new URL(flow.tc.baseUrl);
  return flow.browser.follow(`${flow.interactionPath}/pro/start`, (u) => u.host === carnet.host && u.pathname === flow.interactionPath);
}

/** Where Carnet lands the browser after the IdP: the interaction page with `pro` or `pro_error`. */
export function landing(url: URL): { pro?: string; proError?: string } {
  const pro = url.searchParams.get('pro');
  const proError = url.searchParams.get('pro_error');
  return { ...(pro ? { pro } : {}), ...(proError ? { proError } : {}) };
}

/** On the test IdP's page: the cards offered (IdNat and label). */
export function cardsOf(html: string): { idNat: string; label: string }[] {
  const out: { idNat: string; label: string }[] = [];
  for (const m of html.matchAll(/<input type="radio" name="idnat" id="(card-\d+)" value="([^"]+)"[^>]*>\s*<label for="\1">([^<]*)/g)) out.push({ idNat: m[2]!, label: m[3]! });
  return out;
}

/**
 * The whole hand-over through the demo's test IdP: start, the IdP's page, the chosen card, the callback.
 * Returns the page HTML of the IdP and where Carnet landed the browser.
 */
export async function signInAtTestIdp(flow: ProFlow, idNat: string, action: 'login' | 'cancel' = 'login', started?: Response): Promise<{ idpPage: string; landed: URL }> {
  const carnet = new URL(flow.tc.baseUrl);
  const atIdp = started
    ? await flow.browser.follow(started, (u) => u.host === carnet.host && u.pathname === flow.interactionPath)
    : await startPro(flow);
  if (!atIdp.res || atIdp.res.status !== 200 || !atIdp.url.pathname.startsWith('/test-idp/interaction/')) {
    throw new Error(`expected the test IdP page, got ${atIdp.url.href} ${atIdp.res?.status}`);
  }
  const idpPage = await atIdp.res.text();
  const form = new URLSearchParams({ idnat: idNat, action });
  const submitted = await flow.browser.post(atIdp.url.pathname, form.toString(), 'application/x-www-form-urlencoded');
  if (submitted.status !== 303) throw new Error(`test IdP submit: ${submitted.status} ${await submitted.text()}`);
  const back = await flow.browser.follow(submitted, (u) => u.pathname === flow.interactionPath);
  return { idpPage, landed: back.url };
}

/** The situations offered after a successful hand-over. */
export async function situations(flow: ProFlow, state: string): Promise<Response> {
  return flow.browser.get(`${flow.interactionPath}/pro/situations?state=${encodeURIComponent(state)}`);
}

export async function chooseSituation(flow: ProFlow, state: string, roleId: string): Promise<Response> {
  return flow.browser.postJson(`${flow.interactionPath}/pro/situation`, { state, roleId });
}

/** From `{redirectTo}` back through the provider to the client's redirect URI: the authorization code. */
export async function codeAfter(flow: ProFlow, redirectTo: string): Promise<string> {
  const redirect = new URL(flow.redirectUri);
  const sameTarget = (u: URL) => u.origin === redirect.origin && u.pathname === redirect.pathname;
  // native clients: any loopback port matches the registered redirect URI
  const loopback = (u: URL) => redirect.hostname === '127.0.0.1' && u.hostname === '127.0.0.1' && u.pathname === redirect.pathname && u.protocol === 'http:';
  const end = await flow.browser.follow(redirectTo, (u) => sameTarget(u) || loopback(u));
  const code = end.url.searchParams.get('code');
  if (!code) throw new Error(`no code at ${end.url.href}: ${end.res ? `${end.res.status} ${await end.res.text()}` : ''}`);
  return code;
}

/** POST /auth/token (public client, PKCE); returns the parsed answer and its status. */
export async function exchange(flow: ProFlow, code: string, verifier = flow.verifier): Promise<{ status: number; body: any }> {
  const res = await fetch(`${flow.tc.baseUrl}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: flow.redirectUri, client_id: flow.clientId, code_verifier: verifier }),
  });
  return { status: res.status, body: await res.json() };
}

/** A JWT's payload, unverified (for assertions). */
export function jwtPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}
