import * as oidc from 'openid-client';
import { createRemoteJWKSet, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { acrSatisfies } from '../../domain/professionals/psc-claims.js';

/**
 * Carnet as a relying party of Pro Santé Connect (domain.md §1.4), with openid-client: discovery, the
 * authorization request (scope `openid scope_all`, acr_values, nonce, state, PKCE S256), the code grant
 * (state, nonce, issuer, audience and expiry checked by openid-client), the ID token's signature (checked
 * here: openid-client leaves it to TLS, and PSC may sign with the client secret, HS256, or with its JWKS),
 * the ID token's `acr` (at least the level asked for), then userinfo (JSON or `application/jwt`).
 *
 * The error codes are those the sign-in page explains (docs/professionals.md).
 */
export type ProErrorCode = 'pro.idp-error' | 'pro.token-invalid' | 'pro.acr' | 'pro.unknown' | 'pro.disabled' | 'pro.expired';

export const PRO_ERROR_CODES: readonly ProErrorCode[] = ['pro.idp-error', 'pro.token-invalid', 'pro.acr', 'pro.unknown', 'pro.disabled', 'pro.expired'];

/** A refused professional sign-in: `code` for the page, `detail` for the log. */
export class ProSignInError extends Error {
  constructor(
    readonly code: ProErrorCode,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${detail}`, options);
    this.name = 'ProSignInError';
  }
}

export interface PscOptions {
  /** The issuer, or the address of its discovery document when it contains `/.well-known/`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
  acr: string;
  redirectUri: string;
  /** http issuers (demo mode, tests) */
  allowHttp: boolean;
  /** How long discovered metadata is kept before asking again. */
  metadataTtlMs?: number;
}

/** Errors of the IdP itself or of reaching it, as opposed to answers that fail validation. */
const TRANSPORT_CODES = new Set(['OAUTH_RESPONSE_IS_NOT_CONFORM', 'OAUTH_RESPONSE_IS_NOT_JSON', 'OAUTH_HTTP_REQUEST_FORBIDDEN', 'OAUTH_REQUEST_PROTOCOL_FORBIDDEN']);

function classify(err: unknown, step: string): ProSignInError {
  if (err instanceof ProSignInError) return err;
  const detail = `${step}: ${err instanceof Error ? `${err.name}: ${err.message}${err.cause instanceof Error ? ` (${err.cause.message})` : ''}` : String(err)}`;
  if (err instanceof oidc.AuthorizationResponseError || err instanceof oidc.ResponseBodyError || err instanceof oidc.WWWAuthenticateChallengeError) {
    return new ProSignInError('pro.idp-error', detail, { cause: err });
  }
  if (err instanceof oidc.ClientError) {
    return new ProSignInError(TRANSPORT_CODES.has(err.code ?? '') ? 'pro.idp-error' : 'pro.token-invalid', detail, { cause: err });
  }
  if (err instanceof joseErrors.JOSEError) return new ProSignInError('pro.token-invalid', detail, { cause: err });
  // fetch failures (TypeError), timeouts: the IdP could not be reached
  return new ProSignInError('pro.idp-error', detail, { cause: err });
}

const HMAC_ALGS = new Set(['HS256', 'HS384', 'HS512']);

export class PscClient {
  private configuration: Promise<oidc.Configuration> | undefined;
  private configuredAt = 0;
  private jwks: { uri: string; get: JWTVerifyGetKey } | undefined;

  constructor(private readonly o: PscOptions) {}

  get redirectUri(): string {
    return this.o.redirectUri;
  }

  /** The discovered configuration, kept for a while; a failed discovery is tried again next time. */
  private config(): Promise<oidc.Configuration> {
    const ttl = this.o.metadataTtlMs ?? 3_600_000;
    if (!this.configuration || Date.now() - this.configuredAt > ttl) {
      this.configuredAt = Date.now();
      const pending = oidc.discovery(
        new URL(this.o.issuer),
        this.o.clientId,
        { client_secret: this.o.clientSecret },
        oidc.ClientSecretBasic(this.o.clientSecret),
        { ...(this.o.allowHttp && this.o.issuer.startsWith('http:') ? { execute: [oidc.allowInsecureRequests] } : {}), timeout: 10 },
      );
      this.configuration = pending;
      pending.catch(() => {
        if (this.configuration === pending) this.configuration = undefined;
      });
    }
    return this.configuration;
  }

  /** The authorization request to send the browser to. */
  async authorizationUrl(checks: { state: string; nonce: string; codeVerifier: string }): Promise<URL> {
    try {
      const config = await this.config();
      return oidc.buildAuthorizationUrl(config, {
        redirect_uri: this.o.redirectUri,
        scope: this.o.scopes,
        acr_values: this.o.acr,
        nonce: checks.nonce,
        state: checks.state,
        code_challenge: await oidc.calculatePKCECodeChallenge(checks.codeVerifier),
        code_challenge_method: 'S256',
      });
    } catch (err) {
      throw classify(err, 'discovery');
    }
  }

  /**
   * Completes the sign-in from the callback's query: code grant, ID token signature and level, userinfo.
   * Returns the ID token's claims with userinfo's over them. Throws ProSignInError.
   */
  async complete(query: URLSearchParams, checks: { state: string; nonce: string; codeVerifier: string }): Promise<Record<string, unknown>> {
    let config: oidc.Configuration;
    try {
      config = await this.config();
    } catch (err) {
      throw classify(err, 'discovery');
    }
    const currentUrl = new URL(this.o.redirectUri);
    for (const [k, v] of query) currentUrl.searchParams.append(k, v);
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedNonce: checks.nonce,
        expectedState: checks.state,
        idTokenExpected: true,
      });
    } catch (err) {
      throw classify(err, 'code grant');
    }
    const idToken = tokens.id_token;
    const idClaims = tokens.claims();
    if (!idToken || !idClaims) throw new ProSignInError('pro.token-invalid', 'no ID token');
    try {
      await this.verifySignature(config, idToken);
    } catch (err) {
      throw classify(err, 'ID token signature');
    }
    if (!acrSatisfies(idClaims.acr, this.o.acr)) {
      throw new ProSignInError('pro.acr', `the ID token's acr is ${JSON.stringify(idClaims.acr ?? null)}, ${this.o.acr} at least is required`);
    }
    let userinfo: Record<string, unknown>;
    try {
      userinfo = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
    } catch (err) {
      throw classify(err, 'userinfo');
    }
    return { ...idClaims, ...userinfo, sub: idClaims.sub };
  }

  /** The ID token's signature: HS* with the client secret, otherwise a key of the IdP's JWKS. */
  private async verifySignature(config: oidc.Configuration, idToken: string): Promise<void> {
    const meta = config.serverMetadata();
    const { alg } = decodeProtectedHeader(idToken);
    if (typeof alg !== 'string' || alg === 'none') throw new ProSignInError('pro.token-invalid', `ID token alg ${String(alg)}`);
    const listed = meta.id_token_signing_alg_values_supported;
    if (listed && !listed.includes(alg)) throw new ProSignInError('pro.token-invalid', `ID token alg ${alg} is not one the IdP announces`);
    const verifyOptions = { algorithms: [alg], issuer: meta.issuer, audience: this.o.clientId, clockTolerance: 30 };
    if (HMAC_ALGS.has(alg)) {
      await jwtVerify(idToken, new TextEncoder().encode(this.o.clientSecret), verifyOptions);
      return;
    }
    if (!meta.jwks_uri) throw new ProSignInError('pro.token-invalid', 'the IdP announces no jwks_uri');
    if (this.jwks?.uri !== meta.jwks_uri) this.jwks = { uri: meta.jwks_uri, get: createRemoteJWKSet(new URL(meta.jwks_uri), { timeoutDuration: 10_000 }) };
    await jwtVerify(idToken, this.jwks.get, verifyOptions);
  }
}
