import { jwtVerify, SignJWT, errors } from 'jose';
import { unauthorized } from '../../errors.js';
import type { SigningKey } from './keys.js';

const ISSUER = 'urn:carnet';
const AUDIENCE = 'carnet';

export interface TokenClaims {
  /** app_user.id */
  sub: string;
  login: string;
  /** The web session (OpenID Connect grant) a token of the embedded provider belongs to. */
  sid?: string;
  /** The OAuth client a token of the embedded provider was issued to (RFC 9068 `client_id`). */
  clientId?: string;
  /** The scopes granted to that client (RFC 9068 `scope`, space-separated). */
  scope?: string;
}

export async function signToken(key: SigningKey, claims: TokenClaims, ttlSeconds: number): Promise<string> {
  return new SignJWT({ login: claims.login })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(key.privateKey);
}

/**
 * Tokens already verified, until they expire: an ES256 verification costs more CPU than a whole read does
 * elsewhere, and a client sends the same token with every request. Bounded; the oldest go first.
 */
const verified = new WeakMap<SigningKey, Map<string, { claims: TokenClaims; exp: number }>>();
const CACHE_SIZE = 10_000;

/** Verifies a bearer token and returns its subject; 401 with a reason otherwise. */
export async function verifyToken(key: SigningKey, token: string, issuers: string[] = [ISSUER]): Promise<TokenClaims> {
  let cache = verified.get(key);
  if (!cache) verified.set(key, (cache = new Map()));
  const hit = cache.get(token);
  if (hit && hit.exp * 1000 > Date.now()) return hit.claims;
  if (hit) cache.delete(token);
  try {
    const { payload } = await jwtVerify(token, key.publicKey, { issuer: issuers, audience: AUDIENCE, algorithms: ['ES256'] });
    if (typeof payload.sub !== 'string') throw unauthorized('The token has no subject');
    const claims: TokenClaims = {
      sub: payload.sub,
      login: typeof payload.login === 'string' ? payload.login : '',
      ...(typeof payload.sid === 'string' ? { sid: payload.sid } : {}),
      ...(typeof payload.client_id === 'string' ? { clientId: payload.client_id } : {}),
      ...(typeof payload.scope === 'string' ? { scope: payload.scope } : {}),
    };
    if (typeof payload.exp === 'number') {
      if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
      cache.set(token, { claims, exp: payload.exp });
    }
    return claims;
  } catch (err) {
    if (err instanceof errors.JWTExpired) throw unauthorized('The token has expired');
    if (err instanceof errors.JOSEError) throw unauthorized('The token is not valid');
    throw err;
  }
}

/** Reads "Authorization: Bearer <token>". */
export function bearerToken(header: string | undefined): string {
  if (!header) throw unauthorized('Authorization: Bearer <token> is required');
  const m = /^Bearer\s+([A-Za-z0-9\-_.]+)\s*$/i.exec(header);
  if (!m) throw unauthorized('The Authorization header must be "Bearer <token>"');
  return m[1]!;
}
