import type Provider from 'oidc-provider';
import type { Config } from '../../config.js';
import type { Db } from '../../db/index.js';
import type { AccountsDeps } from '../accounts/context.js';
import type { ClientRegistry } from '../oidc/provider.js';
import { serverSecret } from '../secrets.js';
import { ProSignIn } from './pro-signin.js';
import { PscClient } from './psc.js';
import { TestIdp } from './test-idp.js';

export { ProSignIn } from './pro-signin.js';
export { TestIdp, TEST_IDP_PATH, UNKNOWN_PROFESSIONAL } from './test-idp.js';
export { PscClient, ProSignInError, PRO_ERROR_CODES, type ProErrorCode } from './psc.js';

/**
 * Where PSC sends the browser back (registered at PSC as the client's redirect URI). Under the embedded
 * provider's `/auth`, as a static route that Fastify prefers to the provider's `/auth/*` catch-all.
 */
export const PSC_CALLBACK_PATH = '/auth/psc/callback';
export const pscRedirectUri = (baseUrl: string): string => `${baseUrl}${PSC_CALLBACK_PATH}`;

/**
 * The professional sign-in as configured: Pro Santé Connect at PSC_ISSUER; else, in demo mode, the built-in
 * test IdP at `${BASE_URL}/test-idp` (client PSC_CLIENT_ID or `carnet`, secret PSC_CLIENT_SECRET or one derived
 * from the server secrets); else off (the sign-in page says so: pro.disabled). The test IdP is never built
 * outside demo mode.
 */
export async function createProSignIn(
  db: Db,
  accounts: AccountsDeps,
  provider: Provider,
  clients: ClientRegistry,
  config: Config,
): Promise<{ proSignIn: ProSignIn; testIdp: TestIdp | undefined }> {
  const redirectUri = pscRedirectUri(config.baseUrl);
  const common = { scopes: config.pscScopes, acr: config.pscAcr, redirectUri, allowHttp: config.demo };
  if (config.pscIssuer) {
    const psc = new PscClient({ ...common, issuer: config.pscIssuer, clientId: config.pscClientId!, clientSecret: config.pscClientSecret! });
    return { proSignIn: new ProSignIn(accounts, provider, clients, psc), testIdp: undefined };
  }
  if (!config.demo) return { proSignIn: new ProSignIn(accounts, provider, clients, undefined), testIdp: undefined };
  const clientId = config.pscClientId ?? 'carnet';
  const clientSecret = config.pscClientSecret ?? (await serverSecret(db, 'test-idp-client-secret'));
  const testIdp = await TestIdp.create(db, {
    baseUrl: config.baseUrl,
    clientId,
    clientSecret,
    redirectUri,
    cookieKeys: [await serverSecret(db, 'test-idp-cookie-key')],
    trustProxy: config.trustProxy !== false,
  });
  const psc = new PscClient({ ...common, issuer: TestIdp.issuer(config.baseUrl), clientId, clientSecret });
  return { proSignIn: new ProSignIn(accounts, provider, clients, psc), testIdp };
}
