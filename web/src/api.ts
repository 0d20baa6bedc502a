/**
 * The fetch wrapper for /api: adds the access token and, for the patient space, the acting profile; turns
 * problem+json answers into ApiError; sends a signed-in page back to sign-in on 401.
 */
import i18n from './i18n';
import { getAccessToken, getActingFor } from './session';

export class ApiError extends Error {
  readonly status: number;
  readonly code?: string;
  readonly title?: string;
  /** The fields at fault (problem+json `fields`), when the API names them. */
  readonly fields: readonly string[];

  constructor(status: number, title?: string, code?: string, fields: readonly string[] = []) {
    super(title ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.title = title;
    this.code = code;
    this.fields = fields;
  }
}

let onUnauthorized: () => void = () => undefined;
let onActingRefused: () => void = () => undefined;

/** What to do when a request that carried a token is refused with 401 (set once by the app). */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

/** What to do when the acting profile is no longer reachable (e.g. a revoked carer's access). */
export function setActingRefusedHandler(handler: () => void): void {
  onActingRefused = handler;
}

export interface RequestOptions {
  method?: string;
  /** A JSON value, or a string or a file (Blob) sent as is with `contentType`. */
  body?: unknown;
  contentType?: string;
  /** Send X-Acting-For (default: see usesActingProfile). */
  acting?: boolean;
  signal?: AbortSignal;
}

/** Endpoints used before sign-in: no token (a stale one must not turn a wrong password into a sign-out). */
const PUBLIC_PATHS = ['/api/optout/', '/api/activation/', '/api/codes/', '/api/password/', '/interaction/'];
const isPublic = (path: string): boolean => PUBLIC_PATHS.some((prefix) => path.startsWith(prefix));

/**
 * Requests about a profile carry X-Acting-For. Not /api/me (it lists every profile), not the operator's API,
 * and not the account's own settings (e-mail, password, closure of one's own profile), which are the signed-in
 * person's whoever they act for.
 */
const ACCOUNT_PATHS = ['/api/account/email', '/api/account/password', '/api/account/close'];
function usesActingProfile(path: string): boolean {
  return (
    path.startsWith('/api/') &&
    !path.startsWith('/api/admin') &&
    path !== '/api/me' &&
    !ACCOUNT_PATHS.some((prefix) => path.startsWith(prefix))
  );
}

async function send(path: string, options: RequestOptions, accept: string): Promise<Response> {
  const headers: Record<string, string> = { Accept: accept };
  const token = isPublic(path) ? null : getAccessToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  const acting = getActingFor();
  if (token && acting && (options.acting ?? usesActingProfile(path))) headers['X-Acting-For'] = acting;

  let body: BodyInit | undefined;
  if (options.body !== undefined) {
    if ((typeof options.body === 'string' || options.body instanceof Blob) && options.contentType) {
      body = options.body;
      headers['Content-Type'] = options.contentType;
    } else {
      body = JSON.stringify(options.body);
      headers['Content-Type'] = 'application/json';
    }
  }

  const response = await fetch(path, {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
    credentials: 'same-origin',
    signal: options.signal,
  });
  if (!response.ok) throw await toError(response, Boolean(token));
  return response;
}

async function toError(response: Response, signedIn: boolean): Promise<ApiError> {
  let title: string | undefined;
  let code: string | undefined;
  let fields: string[] = [];
  if ((response.headers.get('Content-Type') ?? '').includes('json')) {
    try {
      const problem = (await response.json()) as { title?: unknown; code?: unknown; fields?: unknown };
      if (typeof problem.title === 'string') title = problem.title;
      if (typeof problem.code === 'string') code = problem.code;
      if (Array.isArray(problem.fields)) fields = problem.fields.filter((f): f is string => typeof f === 'string');
    } catch {
      // not JSON after all: keep the status
    }
  }
  if (response.status === 401 && signedIn) onUnauthorized();
  if (code === 'acting-for.forbidden') onActingRefused();
  return new ApiError(response.status, title, code, fields);
}

/** Calls the API and returns the parsed JSON body (undefined for 204 and empty bodies). */
export async function api<T = unknown>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options, 'application/json');
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  if (!text) return undefined as T;
  return ((response.headers.get('Content-Type') ?? '').includes('json') ? JSON.parse(text) : text) as T;
}

export const apiGet = <T>(path: string, signal?: AbortSignal): Promise<T> => api<T>(path, { signal });

export const apiPost = <T = unknown>(path: string, body: unknown = {}): Promise<T> =>
  api<T>(path, { method: 'POST', body });

export const apiPut = <T = unknown>(path: string, body: unknown): Promise<T> => api<T>(path, { method: 'PUT', body });

export const apiDelete = <T = unknown>(path: string): Promise<T> => api<T>(path, { method: 'DELETE' });

export interface Download {
  blob: Blob;
  /** The name the server suggests (Content-Disposition), if any. */
  fileName?: string;
  status: number;
}

/** How apiDownload asks: the Accept header, and for a file the server makes from a request, a POST of JSON. */
export interface DownloadOptions {
  accept?: string;
  method?: 'GET' | 'POST';
  /** The JSON body of a POST. */
  json?: unknown;
}

/**
 * Fetches a file with the token (for downloads a plain link cannot authorise), or POSTs JSON and returns the
 * answer as a file (e.g. the profile summary PDF): the body is read as a Blob, so a PDF is not spoilt.
 */
export async function apiDownload(path: string, options: string | DownloadOptions = {}): Promise<Download> {
  const o: DownloadOptions = typeof options === 'string' ? { accept: options } : options;
  const accept = o.accept ?? '*/*';
  const response = await send(
    path,
    o.method === 'POST' ? { method: 'POST', body: o.json ?? {} } : {},
    o.method === 'POST' ? `${accept}, application/problem+json` : accept,
  );
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const match = /filename\*=UTF-8''([^;]+)|filename="?([^";]+)"?/i.exec(disposition);
  const raw = match?.[1] ?? match?.[2];
  let fileName: string | undefined;
  if (raw) {
    try {
      fileName = decodeURIComponent(raw);
    } catch {
      fileName = raw;
    }
  }
  return { blob: await response.blob(), fileName, status: response.status };
}

/** The French message of an API error's code, when there is one. */
export function codeMessage(error: unknown): string | undefined {
  if (!(error instanceof ApiError) || !error.code) return undefined;
  const key = `errors.${error.code}`;
  return typeof i18n.getResource('fr', 'translation', key) === 'string' ? i18n.t(key) : undefined;
}

/** The French message for an error: the API's code when translated, otherwise one per status. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    const byCode = codeMessage(error);
    if (byCode) return byCode;
    const byStatus = `httpErrors.${error.status}`;
    if (typeof i18n.getResource('fr', 'translation', byStatus) === 'string') return i18n.t(byStatus);
    return i18n.t(error.status >= 500 ? 'httpErrors.server' : 'httpErrors.client');
  }
  if (error instanceof TypeError) return i18n.t('httpErrors.network');
  return i18n.t('httpErrors.unknown');
}

export const isStatus = (error: unknown, status: number): boolean =>
  error instanceof ApiError && error.status === status;

/**
 * Adds French messages per API error `code` to those errorMessage() knows (`errors.<code>`), nested like the
 * `errors` block of fr.ts: a space keeps its own messages in its own i18n file.
 */
export function addErrorMessages(messages: Record<string, unknown>): void {
  i18n.addResourceBundle('fr', 'translation', { errors: messages }, true, false);
}

interface FhirBundle<T> {
  resourceType: 'Bundle';
  total?: number;
  entry?: Array<{ resource?: T; search?: { mode?: string } }>;
}

/**
 * A FHIR search (GET /fhir/<type>?…) with the token: the matching resources, without the included ones, and
 * the total when the server gives it.
 */
export async function fhirSearch<T>(
  type: string,
  params: Record<string, string>,
  signal?: AbortSignal,
): Promise<{ resources: T[]; total?: number }> {
  const bundle = await api<FhirBundle<T>>(`/fhir/${type}?${new URLSearchParams(params).toString()}`, { signal });
  const resources = (bundle?.entry ?? [])
    .filter((e) => e.resource && (e.search?.mode ?? 'match') === 'match')
    .map((e) => e.resource as T);
  return { resources, ...(typeof bundle?.total === 'number' ? { total: bundle.total } : {}) };
}
