import { SignJWT } from 'jose';
import type { TestCarnet } from './carnet.js';

/**
 * A token of another OAuth client than the web app (a connected app, a practice software) for the user of
 * `userToken`, with these SMART scopes: what such a client holds after the user granted it access.
 */
export async function clientToken(tc: TestCarnet, userToken: string, clientId: string, scope: string): Promise<string> {
  const payload = JSON.parse(Buffer.from(userToken.split('.')[1]!, 'base64url').toString()) as { login: string; sub: string };
  return new SignJWT({ login: payload.login, client_id: clientId, scope })
    .setProtectedHeader({ alg: 'ES256', kid: tc.carnet.key.kid, typ: 'JWT' })
    .setSubject(payload.sub)
    .setIssuer('urn:carnet')
    .setAudience('carnet')
    .setIssuedAt()
    .setExpirationTime('3600s')
    .sign(tc.carnet.key.privateKey);
}
