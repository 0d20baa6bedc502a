import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { JWK } from 'jose';
import type { Db } from '../../db/index.js';
import { dbAdapterFactory } from './adapter.js';

/**
 * The embedded OpenID Provider (oidc-provider), at `${BASE_URL}/auth`. It serves the web app (public
 * client `carnet-web`, authorization code + PKCE) and, later, connected apps. Its access tokens are JWTs
 * (RFC 9068) signed with Carnet's key, audience `carnet`, carrying the session id (`sid`, the grant id) that
 * `/api` and `/fhir` check against app_session for idle expiry and sign-out. Sign-in itself happens in
 * Carnet's interaction pages (password, then a one-time code): see services/accounts/signin.ts.
 */
export const WEB_CLIENT_ID = 'carnet-web';
export const TOKEN_AUDIENCE = 'carnet';

export interface ProviderOptions {
  baseUrl: string;
  jwk: JWK;
  cookieKeys: string[];
  /** Access token lifetime; the session's idle limit is checked at each request, independently. */
  accessTokenTtlSeconds: number;
  trustProxy: boolean;
}

export function issuerOf(baseUrl: string): string {
  return `${baseUrl}/auth`;
}

export function createProvider(db: Db, o: ProviderOptions): Provider {
  const configuration: Configuration = {
    adapter: dbAdapterFactory(db),
    clients: [
      {
        client_id: WEB_CLIENT_ID,
        client_name: 'Carnet',
        token_endpoint_auth_method: 'none',
        application_type: 'web',
        redirect_uris: [`${o.baseUrl}/callback`],
        post_logout_redirect_uris: [`${o.baseUrl}/`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        id_token_signed_response_alg: 'ES256',
      },
    ],
    clientDefaults: { id_token_signed_response_alg: 'ES256', grant_types: ['authorization_code'], response_types: ['code'] },
    jwks: { keys: [{ ...o.jwk, use: 'sig' } as never] },
    cookies: { keys: o.cookieKeys, long: { sameSite: 'lax' }, short: { sameSite: 'lax' } },
    pkce: { required: () => true },
    scopes: ['openid', 'offline_access'],
    claims: { openid: ['sub'] },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => o.baseUrl,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'openid',
          audience: TOKEN_AUDIENCE,
          accessTokenTTL: o.accessTokenTtlSeconds,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'ES256' } },
        }),
      },
    },
    interactions: { url: (_ctx: KoaContextWithOIDC, interaction) => `/interaction/${interaction.uid}` },
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
    extraTokenClaims: (_ctx, token) => ('grantId' in token && token.grantId ? { sid: token.grantId } : undefined),
    ttl: {
      AccessToken: o.accessTokenTtlSeconds,
      AuthorizationCode: 60,
      Interaction: 15 * 60,
      Session: 12 * 3600,
      Grant: 12 * 3600,
      IdToken: 3600,
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      const text = (s: unknown) => String(s ?? '').replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
      ctx.body = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Erreur de connexion</title></head><body><main><h1>La connexion n'a pas abouti</h1><p>${text(out.error_description ?? out.error)}</p><p><a href="/">Revenir à l'accueil</a></p></main></body></html>`;
    },
  };
  const provider = new Provider(issuerOf(o.baseUrl), configuration);
  // behind a proxy, the provider reads the scheme and host from X-Forwarded-* only when told to
  provider.proxy = o.trustProxy;
  return provider;
}
