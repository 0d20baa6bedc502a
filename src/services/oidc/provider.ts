import Provider, { type ClientMetadata, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { JWK } from 'jose';
import type { OAuthClientSetting } from '../../config.js';
import type { Db } from '../../db/index.js';
import { scopeCoveredBy, smartScopesFor } from '../../domain/access/scopes.js';
import { SUPPORTED_TYPES } from '../../fhir/resource-types.js';
import { dbAdapterFactory } from './adapter.js';

/**
 * The embedded OpenID Provider (oidc-provider), at `${BASE_URL}/auth`. It serves the web app (public
 * client `carnet-web`, authorization code + PKCE) and practice software (registered clients, see
 * ClientRegistry: SMART `user/…` scopes, granted when the professional signs in). Its access tokens are JWTs
 * (RFC 9068) signed with Carnet's key, audience `carnet`, carrying the session id (`sid`, the grant id) that
 * `/api` and `/fhir` check against app_session for idle expiry and sign-out. Sign-in itself happens in
 * Carnet's interaction pages (password, then a one-time code): see services/accounts/signin.ts.
 */
export const WEB_CLIENT_ID = 'carnet-web';
export const TOKEN_AUDIENCE = 'carnet';

/**
 * The demo's practice software (logiciel de professionnel de santé): a public native client with PKCE and a
 * loopback redirect. For native clients oidc-provider accepts the registered loopback URI on any port
 * (RFC 8252 §7.3): `http://127.0.0.1:54321/callback` matches `http://127.0.0.1/callback`; the host and path
 * must be the same (`localhost` is another host).
 */
export const DEMO_PRACTICE_SOFTWARE: OAuthClientSetting = {
  clientId: 'demo-lps',
  clientName: 'Logiciel de cabinet (démonstration)',
  redirectUris: ['http://127.0.0.1/callback'],
  tokenEndpointAuthMethod: 'none',
  scope: 'openid user/*.cruds',
};

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** Native: every redirect is a loopback http URI or a private-use scheme (RFC 8252); web otherwise. */
function applicationType(uris: readonly string[]): 'native' | 'web' {
  const native = (u: string) => {
    const url = new URL(u);
    return url.protocol === 'http:' ? LOOPBACK_HOSTS.has(url.hostname) : url.protocol !== 'https:';
  };
  return uris.every(native) ? 'native' : 'web';
}

const SMART_SCOPES = smartScopesFor(SUPPORTED_TYPES);

/**
 * The clients of the embedded provider: Carnet's web app, and the practice software registered from
 * OAUTH_CLIENTS (plus `demo-lps` in demo mode). A practice-software client may be granted the SMART scopes its
 * registration covers (domain/access/scopes.ts); they are resource-server scopes, so they land in the JWT
 * access token's `scope` claim. The web app gets `openid` only and is never narrowed by scopes.
 */
export class ClientRegistry {
  private readonly practice = new Map<string, { setting: OAuthClientSetting; resourceScopes: string[] }>();

  constructor(practiceSoftware: readonly OAuthClientSetting[]) {
    for (const setting of practiceSoftware) {
      const registered = setting.scope.split(' ');
      this.practice.set(setting.clientId, { setting, resourceScopes: SMART_SCOPES.filter((s) => scopeCoveredBy(s, registered)) });
    }
  }

  /** The scopes of the resource server (Carnet's API) this client may hold, space-separated. */
  resourceServerScope(clientId: string): string {
    const c = this.practice.get(clientId);
    return c ? ['openid', ...c.resourceScopes].join(' ') : 'openid';
  }

  /** Of the scopes an authorization request asked for, those this client is granted (OIDC and API ones). */
  grantable(clientId: string, requested: string): { oidc: string[]; resource: string[] } {
    const allowed = new Set(this.resourceServerScope(clientId).split(' '));
    const asked = new Set(requested.split(' ').filter(Boolean));
    return { oidc: ['openid'], resource: ['openid', ...[...asked].filter((s) => s !== 'openid' && allowed.has(s))] };
  }

  /** The provider's metadata of the practice-software clients. */
  metadata(): ClientMetadata[] {
    return [...this.practice.values()].map(({ setting: c }) => ({
      client_id: c.clientId,
      client_name: c.clientName,
      token_endpoint_auth_method: c.tokenEndpointAuthMethod,
      ...(c.clientSecret ? { client_secret: c.clientSecret } : {}),
      application_type: applicationType(c.redirectUris),
      redirect_uris: c.redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      id_token_signed_response_alg: 'ES256',
    }));
  }
}

export interface ProviderOptions {
  baseUrl: string;
  /** The registered clients besides the web app (practice software). */
  clients: ClientRegistry;
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
      ...o.clients.metadata(),
    ],
    // `space=pro` on an authorization request asks for the professionals' sign-in (Pro Santé Connect)
    extraParams: ['space'],
    // browsers may call the token endpoint cross-origin for public clients only, from their redirect URIs' origins
    clientBasedCORS: (_ctx, origin, client) =>
      origin !== 'null' && client.clientAuthMethod === 'none' && (client.redirectUris ?? []).some((uri) => URL.canParse(uri) && new URL(uri).origin === origin),
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
        getResourceServerInfo: (_ctx, _indicator, client) => ({
          scope: o.clients.resourceServerScope(client.clientId),
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
