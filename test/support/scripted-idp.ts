import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

/**
 * A small OpenID Provider for tests, written with node:http and jose, whose answers each test scripts: a real
 * protocol peer for Carnet's relying party (discovery, JWKS, authorize redirecting back with a code, token
 * endpoint with client_secret_basic and PKCE checks, userinfo as JSON or application/jwt). The ID token and
 * userinfo can be made wrong in the ways a faulty or hostile IdP would: nonce, issuer, audience, acr, signature.
 */
export interface Script {
  /** Claims of the ID token, over the correct ones (`undefined` removes a claim, e.g. `acr: undefined`). */
  idToken?: Record<string, unknown>;
  /** How the ID token is signed: the IdP's key (default), another key, HS256 with the client secret. */
  signWith?: 'idp-key' | 'other-key' | 'client-secret';
  /** The userinfo claims (default: from `identity`); `sub` is the ID token's unless given. */
  userinfo?: Record<string, unknown>;
  /** Userinfo as JSON (default) or as a signed JWT (application/jwt). */
  userinfoAs?: 'json' | 'jwt';
  /** Answer the authorization request with this error instead of a code. */
  authorizeError?: string;
  /** Answer the token request with this status and OAuth error. */
  tokenError?: { status: number; error: string };
}

export interface AuthorizeRequest {
  params: Record<string, string>;
}

export interface ScriptedIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** What the next sign-ins do (tests set it before each one). */
  script: Script;
  /** The professional the IdP signs in (SubjectNameID, SubjectRefPro…), as userinfo claims without sub. */
  identity: Record<string, unknown>;
  /** The authorization requests received, newest last. */
  authorizations: AuthorizeRequest[];
  /** Token requests received (their form parameters and whether the client authenticated). */
  tokenRequests: { params: Record<string, string>; clientAuthenticated: boolean; pkceOk: boolean }[];
  close(): Promise<void>;
}

interface CodeEntry {
  nonce: string | undefined;
  challenge: string | undefined;
  redirectUri: string;
  sub: string;
}

export async function startScriptedIdp(o: { clientId?: string; clientSecret?: string } = {}): Promise<ScriptedIdp> {
  const clientId = o.clientId ?? 'carnet-rp';
  const clientSecret = o.clientSecret ?? randomBytes(32).toString('base64url');
  const key = await generateKeyPair('ES256', { extractable: true });
  const otherKey = await generateKeyPair('ES256', { extractable: true });
  const kid = 'scripted-1';
  const publicJwk: JWK = { ...(await exportJWK(key.publicKey)), kid, alg: 'ES256', use: 'sig' };
  const codes = new Map<string, CodeEntry>();
  const accessTokens = new Map<string, string>();

  const idp: ScriptedIdp = {
    issuer: '',
    clientId,
    clientSecret,
    script: {},
    identity: {},
    authorizations: [],
    tokenRequests: [],
    close: async () => undefined,
  };

  const sign = async (claims: Record<string, unknown>, how: Script['signWith'], typ?: string) => {
    const jwt = new SignJWT(claims);
    if (how === 'client-secret') return jwt.setProtectedHeader({ alg: 'HS256', ...(typ ? { typ } : {}) }).sign(new TextEncoder().encode(clientSecret));
    const k: CryptoKey = how === 'other-key' ? otherKey.privateKey : key.privateKey;
    return jwt.setProtectedHeader({ alg: 'ES256', kid, ...(typ ? { typ } : {}) }).sign(k);
  };

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };

  const readBody = (req: http.IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      let data = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (data += c));
      req.on('end', () => resolve(data));
      req.on('error', reject);
    });

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', idp.issuer);
      switch (url.pathname) {
        case '/.well-known/openid-configuration':
          return json(res, 200, {
            issuer: idp.issuer,
            authorization_endpoint: `${idp.issuer}/authorize`,
            token_endpoint: `${idp.issuer}/token`,
            userinfo_endpoint: `${idp.issuer}/userinfo`,
            jwks_uri: `${idp.issuer}/jwks`,
            response_types_supported: ['code'],
            subject_types_supported: ['public'],
            id_token_signing_alg_values_supported: ['ES256', 'HS256'],
            userinfo_signing_alg_values_supported: ['ES256'],
            token_endpoint_auth_methods_supported: ['client_secret_basic'],
            code_challenge_methods_supported: ['S256'],
            scopes_supported: ['openid', 'scope_all'],
            acr_values_supported: ['eidas1'],
          });
        case '/jwks':
          return json(res, 200, { keys: [publicJwk] });
        case '/authorize': {
          const params = Object.fromEntries(url.searchParams);
          idp.authorizations.push({ params });
          const back = new URL(params.redirect_uri ?? '');
          if (params.state) back.searchParams.set('state', params.state);
          if (idp.script.authorizeError) {
            back.searchParams.set('error', idp.script.authorizeError);
          } else {
            const code = randomBytes(16).toString('base64url');
            codes.set(code, { nonce: params.nonce, challenge: params.code_challenge, redirectUri: params.redirect_uri ?? '', sub: `psc-sub-${String(idp.identity.SubjectNameID ?? 'x')}` });
            back.searchParams.set('code', code);
          }
          res.writeHead(302, { location: back.href });
          return res.end();
        }
        case '/token': {
          const params = Object.fromEntries(new URLSearchParams(await readBody(req)));
          const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
          const [id, secret] = basic ? Buffer.from(basic, 'base64').toString().split(':').map(decodeURIComponent) : [];
          const clientAuthenticated = id === clientId && secret === clientSecret;
          const entry = codes.get(params.code ?? '');
          codes.delete(params.code ?? '');
          const pkceOk = !!entry && createHash('sha256').update(params.code_verifier ?? '').digest('base64url') === entry.challenge;
          idp.tokenRequests.push({ params, clientAuthenticated, pkceOk });
          const script = idp.script;
          if (!clientAuthenticated) return json(res, 401, { error: 'invalid_client' });
          if (!entry || !pkceOk || entry.redirectUri !== params.redirect_uri) return json(res, 400, { error: 'invalid_grant' });
          if (script.tokenError) return json(res, script.tokenError.status, { error: script.tokenError.error });
          const now = Math.floor(Date.now() / 1000);
          const claims: Record<string, unknown> = { iss: idp.issuer, sub: entry.sub, aud: clientId, iat: now, exp: now + 300, auth_time: now, nonce: entry.nonce, acr: 'eidas1', ...(script.idToken ?? {}) };
          for (const [k, v] of Object.entries(claims)) if (v === undefined) delete claims[k];
          const accessToken = randomBytes(16).toString('base64url');
          accessTokens.set(accessToken, String(claims.sub));
          return json(res, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: 300, id_token: await sign(claims, script.signWith) });
        }
        case '/userinfo': {
          const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
          const sub = accessTokens.get(token);
          if (!sub) {
            res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' });
            return res.end();
          }
          const script = idp.script;
          const body = { ...(script.userinfo ?? idp.identity), sub: script.userinfo?.sub ?? sub };
          if (script.userinfoAs === 'jwt') {
            res.writeHead(200, { 'content-type': 'application/jwt' });
            return res.end(await sign({ ...body, iss: idp.issuer, aud: clientId }, 'idp-key'));
          }
          return json(res, 200, body);
        }
        default:
          res.writeHead(404);
          return res.end();
      }
    })().catch((err: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  idp.issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  idp.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return idp;
}
