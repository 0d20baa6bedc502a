import { randomUUID } from 'node:crypto';
import { AppError, badRequest, type Issue } from '../../errors.js';
import { operationOutcome } from '../../fhir/outcome.js';
import { ID_PATTERN } from '../../fhir/resource-types.js';
import type { ParsedSearch } from '../../fhir/search/parse.js';
import type { FhirOperations, Repository, RequestContext } from '../../repo/index.js';
import type { FhirRequest, FhirResponse, MatchedRoute } from './router.js';

type Json = Record<string, unknown>;

export interface BundleDeps {
  repo: Repository;
  route: (req: Pick<FhirRequest, 'method' | 'path'>) => MatchedRoute;
  fhirBase: string;
  maxEntries: number;
  /** The router's parsing of conditional criteria (strict, never empty). */
  criteria: (type: string, query: string, what: string) => ParsedSearch;
}

/** One entry turned into a request, with where it came from. */
interface Entry {
  index: number;
  fullUrl?: string;
  req: FhirRequest;
  type: string;
}

/** The order a transaction processes its entries in (FHIR R4 §3.1.0.11.2). */
const ORDER: Record<string, number> = { DELETE: 0, POST: 1, PUT: 2, GET: 3 };

/**
 * POST [base] with a batch or transaction Bundle. A transaction is one unit of work: all its entries
 * succeed or none is kept, and urn:uuid (or other) fullUrls are resolved to the ids Carnet assigns, in every
 * entry's references. A batch runs each entry as its own unit and reports each outcome.
 */
export async function processBundle(body: unknown, ctx: RequestContext, deps: BundleDeps): Promise<FhirResponse> {
  const bundle = body as Json | undefined;
  if (!bundle || typeof bundle !== 'object' || Array.isArray(bundle) || bundle.resourceType !== 'Bundle') {
    throw badRequest('POST to the FHIR base takes a Bundle of type batch or transaction');
  }
  if (bundle.type !== 'batch' && bundle.type !== 'transaction') {
    throw badRequest(`A Bundle of type '${String(bundle.type)}' cannot be processed; use batch or transaction, or POST it to /Bundle to store it`, ['Bundle.type']);
  }
  const raw = bundle.entry === undefined ? [] : bundle.entry;
  if (!Array.isArray(raw)) throw badRequest('Bundle.entry must be an array', ['Bundle.entry']);
  if (raw.length > deps.maxEntries) {
    throw badRequest(`The Bundle has ${raw.length} entries; at most ${deps.maxEntries} are accepted (FHIR_MAX_BUNDLE_ENTRIES)`, ['Bundle.entry']);
  }
  if (bundle.type === 'batch') return batch(raw, ctx, deps);
  const entries = raw.map((e, i) => toEntry(e, i, true));
  return transaction(entries, ctx, deps);
}

function toEntry(raw: unknown, index: number, transaction: boolean): Entry {
  const at = `Bundle.entry[${index}]`;
  const e = raw as Json | null;
  if (!e || typeof e !== 'object') throw badRequest(`${at} is not an object`, [at]);
  const request = e.request as Json | undefined;
  if (!request || typeof request.method !== 'string' || typeof request.url !== 'string') {
    throw badRequest(`${at}.request needs a method and a url`, [`${at}.request`]);
  }
  const method = request.method;
  if (!Object.hasOwn(ORDER, method)) throw badRequest(`${at}.request.method ${method} is not supported in a ${transaction ? 'transaction' : 'batch'}`, [`${at}.request.method`]);
  let url: URL;
  try {
    url = new URL(request.url.replace(/^\/+/, ''), 'http://carnet.invalid/');
  } catch {
    throw badRequest(`${at}.request.url '${request.url}' is not a URL`, [`${at}.request.url`]);
  }
  if (url.origin !== 'http://carnet.invalid') throw badRequest(`${at}.request.url must be relative to the FHIR base`, [`${at}.request.url`]);
  const path = `/${url.pathname.replace(/^\/+/, '')}`;
  const type = path.split('/')[1] ?? '';
  const req: FhirRequest = {
    method,
    path,
    query: url.searchParams,
    ...(e.resource !== undefined ? { body: e.resource } : {}),
    ...(typeof request.ifMatch === 'string' ? { ifMatch: request.ifMatch } : {}),
    ...(typeof request.ifNoneExist === 'string' ? { ifNoneExist: request.ifNoneExist } : {}),
  };
  return { index, type, req, ...(typeof e.fullUrl === 'string' ? { fullUrl: e.fullUrl } : {}) };
}

/** An entry's failure as an AppError that says which entry it was. */
function atEntry(err: unknown, index: number): unknown {
  if (!(err instanceof AppError)) return err;
  const issues: Issue[] = err.issues.map((i) => ({ ...i, diagnostics: `Bundle.entry[${index}]: ${i.diagnostics}` }));
  return AppError.fromIssues(err.status, issues);
}

function responseEntry(res: FhirResponse): Json {
  const body = typeof res.body === 'string' ? (JSON.parse(res.body) as Json) : res.body;
  return {
    ...(body && body.resourceType !== 'OperationOutcome' ? { resource: body } : {}),
    response: {
      status: String(res.status),
      ...(res.headers.Location ? { location: res.headers.Location } : {}),
      ...(res.headers.ETag ? { etag: res.headers.ETag } : {}),
      ...(res.headers['Last-Modified'] ? { lastModified: new Date(res.headers['Last-Modified']).toISOString() } : {}),
      ...(body && body.resourceType === 'OperationOutcome' ? { outcome: body } : {}),
    },
  };
}

async function batch(raw: unknown[], ctx: RequestContext, deps: BundleDeps): Promise<FhirResponse> {
  const out: Json[] = [];
  for (let i = 0; i < raw.length; i++) {
    try {
      const entry = toEntry(raw[i], i, false);
      const { handler, params } = deps.route(entry.req);
      out.push(responseEntry(await deps.repo.run(ctx, (ops) => handler(entry.req, ops, params))));
    } catch (err) {
      // whatever happens to one entry is that entry's outcome: the others are already done
      const error = err instanceof AppError ? err : new AppError(500, 'exception', `Bundle.entry[${i}] failed: ${(err as Error).message}`);
      out.push({ response: { status: String(error.status), outcome: operationOutcome(error.issues) } });
    }
  }
  return { status: 200, headers: {}, body: { resourceType: 'Bundle', type: 'batch-response', entry: out } };
}

async function transaction(entries: Entry[], ctx: RequestContext, deps: BundleDeps): Promise<FhirResponse> {
  const routes = entries.map((e) => {
    try {
      return deps.route(e.req);
    } catch (err) {
      throw atEntry(err, e.index);
    }
  });
  const fullUrls = new Set<string>();
  for (const e of entries) {
    if (e.fullUrl === undefined) continue;
    if (fullUrls.has(e.fullUrl)) throw badRequest(`Bundle.entry[${e.index}].fullUrl ${e.fullUrl} appears twice`, [`Bundle.entry[${e.index}].fullUrl`]);
    fullUrls.add(e.fullUrl);
  }
  const results = await deps.repo.run(ctx, async (ops) => {
    // this runs again from the start after a serialization failure: work on copies, never on `entries`
    const attempt = entries.map((e) => ({ ...e, req: { ...e.req } }));
    const ids = await resolveIds(attempt, ops, deps);
    for (const e of attempt) {
      if (e.req.body !== undefined) e.req.body = rewriteReferences(e.req.body, ids, e.index);
    }
    const out = new Array<FhirResponse>(attempt.length);
    const ordered = [...attempt].sort((a, b) => ORDER[a.req.method]! - ORDER[b.req.method]! || a.index - b.index);
    for (const e of ordered) {
      const { handler, params } = routes[e.index]!;
      try {
        out[e.index] = await handler(e.req, ops, params);
      } catch (err) {
        throw atEntry(err, e.index);
      }
    }
    return out;
  });
  return {
    status: 200,
    headers: {},
    body: { resourceType: 'Bundle', type: 'transaction-response', entry: results.map(responseEntry) },
  };
}

/**
 * The local reference each entry's fullUrl stands for: creates get an id now (or the id of what their
 * If-None-Exist matches), conditional updates the id of their match, updates their own id.
 */
async function resolveIds(entries: Entry[], ops: FhirOperations, deps: BundleDeps): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const criteria = (type: string, query: string, index: number, what: string): ParsedSearch => {
    try {
      return deps.criteria(type, query, what);
    } catch (err) {
      throw atEntry(err, index);
    }
  };
  for (const e of entries) {
    let id: string | undefined;
    const segments = e.req.path.split('/').filter(Boolean);
    if (e.req.method === 'POST' && segments.length === 1) {
      if (e.req.ifNoneExist !== undefined) {
        const match = await ops.conditionalMatch(e.type, criteria(e.type, e.req.ifNoneExist.replace(/^.*\?/, ''), e.index, 'If-None-Exist'), 'If-None-Exist');
        id = match?.id;
      }
      if (id === undefined) {
        id = randomUUID();
        e.req.assignedId = id;
      }
    } else if (e.req.method === 'PUT' && segments.length === 1 && e.req.query.size > 0) {
      const match = await ops.conditionalMatch(e.type, criteria(e.type, e.req.query.toString(), e.index, 'A conditional update'), 'The conditional update');
      id = match?.id;
      if (id === undefined) {
        id = randomUUID();
        e.req.assignedId = id;
      }
    } else if (e.req.method === 'PUT' && segments.length === 2 && ID_PATTERN.test(segments[1]!)) {
      id = segments[1];
    }
    if (e.fullUrl !== undefined && id !== undefined) ids.set(e.fullUrl, `${e.type}/${id}`);
  }
  return ids;
}

/** Replaces every reference to a fullUrl of the Bundle by the local reference; refuses unresolved urn:uuid. */
function rewriteReferences(value: unknown, ids: Map<string, string>, index: number): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteReferences(v, ids, index));
  if (value === null || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'reference' && typeof v === 'string') {
      const local = ids.get(v);
      if (local) {
        out[k] = local;
        continue;
      }
      if (/^urn:(uuid|oid):/.test(v)) {
        throw badRequest(`Bundle.entry[${index}]: the reference ${v} is to no entry of this Bundle`, [`Bundle.entry[${index}].resource`]);
      }
    }
    out[k] = rewriteReferences(v, ids, index);
  }
  return out;
}
