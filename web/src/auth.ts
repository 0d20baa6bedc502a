/**
 * Sign-in with the embedded OpenID Provider: authorization code with PKCE for the public client `carnet-web`.
 */
import { apiGet } from './api';
import { sha256 } from './sha256';
import {
  clearSession,
  clearSessionExpired,
  getAccessToken,
  markSessionExpired,
  sessionExpiredAt,
  setAccessToken,
} from './session';
import type { Me, Role } from './types';

export const CLIENT_ID = 'carnet-web';
const PENDING = 'carnet.oidcRequest';

interface PendingRequest {
  verifier: string;
  state: string;
  nonce: string;
}

export class SignInError extends Error {
  /** An i18n key under `callback.errors`. */
  readonly reason: 'state' | 'provider' | 'token' | 'nonce';

  constructor(reason: SignInError['reason'], detail?: string) {
    super(detail ?? reason);
    this.name = 'SignInError';
    this.reason = reason;
  }
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

export const redirectUri = (): string => `${window.location.origin}/callback`;

/** Which sign-in: patients (identifier, password, one-time code) or professionals (Pro Santé Connect). */
export type SignInSpace = 'patient' | 'pro';

export interface SignInOptions {
  /**
   * 'pro': the professionals' sign-in (`space=pro` on the request: the provider's page then offers Pro Santé
   * Connect only). The callback sends every account to its own space (homeFor), so professionals land in /pro.
   */
  space?: SignInSpace;
}

/** Builds the authorization request and sends the browser to the provider. */
export async function startSignIn(options: SignInOptions = {}): Promise<void> {
  const request: PendingRequest = { verifier: randomString(32), state: randomString(16), nonce: randomString(16) };
  sessionStorage.setItem(PENDING, JSON.stringify(request));
  const challenge = base64url(await sha256(new TextEncoder().encode(request.verifier)));
  const params = new URLSearchParams({
    client_id: CLIENT_ID,
    response_type: 'code',
    scope: 'openid',
    redirect_uri: redirectUri(),
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: request.state,
    nonce: request.nonce,
    prompt: 'login',
  });
  if (options.space === 'pro') params.set('space', 'pro');
  window.location.assign(`/auth/auth?${params.toString()}`);
}

function takePendingRequest(): PendingRequest | null {
  const raw = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as PendingRequest;
  } catch {
    return null;
  }
}

function idTokenNonce(idToken: string): string | undefined {
  try {
    const payload = idToken.split('.')[1] ?? '';
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    return (JSON.parse(json) as { nonce?: string }).nonce;
  } catch {
    return undefined;
  }
}

const exchanges = new Map<string, Promise<Me>>();

/** Handles /callback: checks state, exchanges the code, stores the token and loads the account. */
export function completeSignIn(query: URLSearchParams): Promise<Me> {
  const code = query.get('code') ?? '';
  // The page may render twice (React strict mode): exchange a code once.
  let exchange = exchanges.get(code);
  if (!exchange) {
    exchange = exchangeCode(query);
    exchanges.set(code, exchange);
  }
  return exchange;
}

async function exchangeCode(query: URLSearchParams): Promise<Me> {
  const pending = takePendingRequest();
  if (query.get('error')) throw new SignInError('provider', query.get('error') ?? undefined);
  const code = query.get('code');
  if (!pending || !code || query.get('state') !== pending.state) throw new SignInError('state');

  const response = await fetch('/auth/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri(),
      client_id: CLIENT_ID,
      code_verifier: pending.verifier,
    }),
    credentials: 'same-origin',
  });
  if (!response.ok) throw new SignInError('token', String(response.status));
  const tokens = (await response.json()) as { access_token?: string; id_token?: string };
  if (!tokens.access_token) throw new SignInError('token');
  if (tokens.id_token && idTokenNonce(tokens.id_token) !== pending.nonce) throw new SignInError('nonce');

  clearSession();
  setAccessToken(tokens.access_token);
  clearSessionExpired();
  return apiGet<Me>('/api/me');
}

/** The home of each role. */
export function homeFor(role: Role): string {
  if (role === 'operator') return '/admin';
  if (role === 'professional' || role === 'practitioner') return '/pro';
  return '/patient';
}

export const isSignedIn = (): boolean => getAccessToken() !== null;

/** Ends the session on the server (best effort) and forgets it in the browser. */
export async function signOut(): Promise<void> {
  const token = getAccessToken();
  clearSession();
  if (!token) return;
  try {
    // Not through api(): a 401 here (token already dead) must not send the browser back to sign-in.
    await fetch('/api/session/end', {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
      credentials: 'same-origin',
    });
  } catch {
    // offline: the token is forgotten anyway and the server ends idle sessions by itself
  }
}

let redirecting = false;

/** A signed-in request got 401: forget the token and go back to sign-in (once; never in a loop). */
export function handleUnauthorized(): void {
  if (redirecting) return;
  redirecting = true;
  const recentlyExpired = Date.now() - sessionExpiredAt() < 30_000;
  clearSession();
  markSessionExpired();
  if (recentlyExpired) window.location.assign('/');
  else void startSignIn({ space: window.location.pathname.startsWith('/pro') ? 'pro' : 'patient' });
}
