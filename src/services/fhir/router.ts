import { AppError, badRequest, notFound } from '../../errors.js';
import { historyBundle, searchsetBundle } from '../../fhir/bundle.js';
import { capabilityStatement } from '../../fhir/capability.js';
import { etag, httpDate, parseIfMatch } from '../../fhir/http-dates.js';
import { informational, operationOutcome } from '../../fhir/outcome.js';
import { ID_PATTERN, isSupportedType } from '../../fhir/resource-types.js';
import { decodeCursor, encodeCursor, encodeSearchCursor, parseCount, parseSince } from '../../fhir/search/paging.js';
import { parseSearch, type ParsedSearch } from '../../fhir/search/parse.js';
import type { FhirOperations, HistoryPage, Repository, RequestContext, StoredVersion } from '../../repo/index.js';
import { processBundle } from './bundle-processor.js';
import { careOperations, type OperationHandler } from './care-operations.js';
import { isProvideBundle } from '../../domain/documents/provide-bundle.js';
import type { StreamBody } from '../dmp/documents.js';
import type { WriteResult } from '../../repo/repository.js';

/** A FHIR interaction, independent of HTTP: the same router serves HTTP requests, Bundle entries, tests and jobs. */
export interface FhirRequest {
  method: string;
  /** The path under the FHIR base, e.g. "/Patient/123/_history/2". */
  path: string;
  query: URLSearchParams;
  /** The parsed JSON body, for POST and PUT. */
  body?: unknown;
  ifMatch?: string;
  ifNoneExist?: string;
  prefer?: string;
  /** The Accept header: Binary reads answer the document's own type unless FHIR JSON is asked for. */
  accept?: string;
  /** The id a transaction assigned to a create in advance, so that other entries can reference it. */
  assignedId?: string;
}

export interface FhirResponse {
  status: number;
  headers: Record<string, string>;
  /** A JSON object, or JSON text already serialised (stored resources are passed through). */
  body?: Record<string, unknown> | string;
  /** Bytes streamed instead of a JSON body (a document, Binary/<id>). */
  stream?: StreamBody;
}

/**
 * The shared medical record's handling of documents (services/dmp): deposit (ITI-65), bytes (ITI-68),
 * metadata update and deletion. Documents, their lists and their bytes are written through these only.
 */
export interface DocumentHooks {
  provide(bundle: Record<string, unknown>, ctx: RequestContext): Promise<FhirResponse>;
  retrieve(ops: FhirOperations, id: string, asResource: boolean): Promise<{ stream: StreamBody } | { resource: Record<string, unknown> }>;
  update(ops: FhirOperations, resource: Record<string, unknown>, ifMatch?: number): Promise<WriteResult>;
  remove(ops: FhirOperations, id: string): Promise<void>;
}

/** Types that only the DMP's paths write (Carnet itself aside). */
const DOCUMENT_WRITE_TYPES: ReadonlySet<string> = new Set(['DocumentReference', 'List', 'Binary']);

/** Refuses a plain REST write of a document type, except by Carnet itself and where the DMP handles it. */
function refuseDocumentWrite(ops: FhirOperations, type: string, what: string): void {
  if (ops.ctx.principal.role === 'system') return;
  if (type === 'Communication') {
    // a message is an envelope with a delivery: it travels by SMTP or the messaging API, never as a bare resource
    throw new AppError(
      405,
      'not-supported',
      `${what} of Communication is not offered: secure messages are sent over SMTP (the MSSanté gateway) or through the messaging API (/api/messages, /api/pro/messages)`,
    ).withCode('messages.use-smtp');
  }
  if (!DOCUMENT_WRITE_TYPES.has(type)) return;
  throw new AppError(
    405,
    'not-supported',
    `${what} of ${type} is not offered: documents are deposited with an ITI-65 transaction Bundle (POST to the FHIR base), changed with PUT DocumentReference/<id> (metadata) and deleted with DELETE DocumentReference/<id>`,
  ).withCode('mhd.use-iti65');
}

export interface RouterOptions {
  fhirBase: string;
  version: string;
  defaultCount: number;
  maxCount: number;
  maxBundleEntries: number;
  startedAt: string;
}

type Handler = (req: FhirRequest, ops: FhirOperations, params: string[]) => Promise<FhirResponse>;

interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

export interface MatchedRoute {
  handler: Handler;
  params: string[];
}

const SEGMENT = '([^/]+)';

export class FhirRouter {
  private readonly routes: Route[];
  /** Operations ($access-status...) that are their own unit of work: they take the request context. */
  private readonly operations: { method: string; pattern: RegExp; handler: OperationHandler }[];

  constructor(
    /** The repository every interaction goes through (bulk import uses it directly). */
    readonly repo: Repository,
    private readonly o: RouterOptions,
    private readonly documents?: DocumentHooks,
  ) {
    const r = (method: string, path: string, handler: Handler): Route => ({
      method,
      pattern: new RegExp(`^${path.replaceAll(':seg', SEGMENT)}/?$`),
      handler,
    });
    this.operations = careOperations(repo, o.fhirBase);
    this.routes = [
      r('GET', '/:seg/_history', (q, ops, [t]) => this.typeHistory(q, ops, t!)),
      r('GET', '/:seg/_search', () => Promise.reject(new AppError(405, 'not-supported', 'Use POST for _search'))),
      r('POST', '/:seg/_search', (q, ops, [t]) => this.search(q, ops, t!, true)),
      r('GET', '/:seg/:seg/_history', (q, ops, [t, id]) => this.history(q, ops, t!, id!)),
      r('GET', '/:seg/:seg/_history/:seg', (_q, ops, [t, id, v]) => this.vread(ops, t!, id!, v!)),
      r('GET', '/:seg/:seg', (q, ops, [t, id]) => this.read(q, ops, t!, id!)),
      r('PUT', '/:seg/:seg', (q, ops, [t, id]) => this.update(q, ops, t!, id!)),
      r('DELETE', '/:seg/:seg', (_q, ops, [t, id]) => this.delete(ops, t!, id!)),
      r('GET', '/:seg', (q, ops, [t]) => this.search(q, ops, t!, false)),
      r('POST', '/:seg', (q, ops, [t]) => this.create(q, ops, t!)),
      r('PUT', '/:seg', (q, ops, [t]) => this.conditionalUpdate(q, ops, t!)),
      r('DELETE', '/:seg', (q, ops, [t]) => this.conditionalDelete(q, ops, t!)),
    ];
  }

  /** The CapabilityStatement; public, with no context. It never changes while Carnet runs. */
  metadata(): FhirResponse {
    this.capability ??= JSON.stringify(capabilityStatement({ fhirBase: this.o.fhirBase, version: this.o.version, date: this.o.startedAt }));
    return { status: 200, headers: {}, body: this.capability };
  }

  private capability: string | undefined;

  /** Handles one request as one unit of work (a Bundle at the base as described in processBundle). */
  async handle(req: FhirRequest, ctx: RequestContext): Promise<FhirResponse> {
    const path = req.path === '' ? '/' : req.path;
    if (path === '/' && req.method === 'POST') {
      const bundle = req.body as Record<string, unknown> | undefined;
      if (this.documents && bundle && typeof bundle === 'object' && bundle.resourceType === 'Bundle' && bundle.type === 'transaction' && isProvideBundle(bundle)) {
        return this.documents.provide(bundle, ctx);
      }
      return processBundle(req.body, ctx, {
        repo: this.repo,
        route: (r) => this.route(r),
        fhirBase: this.o.fhirBase,
        maxEntries: this.o.maxBundleEntries,
        criteria: (type, query, what) => this.criteria(type, query, what),
      });
    }
    // clients may send the operation's '$' percent-encoded
    const opPath = path.replace(/%24/gi, '$');
    for (const op of this.operations) {
      const m = req.method === op.method ? op.pattern.exec(opPath) : null;
      if (m) return op.handler(req, ctx, m.slice(1));
    }
    const { handler, params } = this.route({ ...req, path });
    // reads and searches write nothing but their audit records: they run without a transaction
    const readOnly = req.method === 'GET' || (req.method === 'POST' && /\/_search\/?$/.test(path));
    return this.repo.run(ctx, (ops) => handler(req, ops, params), { readOnly });
  }

  /** Finds the handler of a request, checking the type and id in its path; 404 or 405 otherwise. */
  route(req: Pick<FhirRequest, 'method' | 'path'>): MatchedRoute {
    let methodMismatch = false;
    for (const route of this.routes) {
      const m = route.pattern.exec(req.path);
      if (!m) continue;
      if (route.method !== req.method) {
        methodMismatch = true;
        continue;
      }
      const params = m.slice(1).map((p) => {
        try {
          return decodeURIComponent(p);
        } catch {
          throw badRequest(`'${p}' in the path is not valid percent-encoding`);
        }
      });
      if (!isSupportedType(params[0]!)) {
        throw new AppError(404, 'not-supported', `The resource type '${params[0]}' is not supported`);
      }
      if (params[1] !== undefined) checkId(params[1]);
      return { handler: route.handler, params };
    }
    if (methodMismatch || req.path === '/') throw new AppError(405, 'not-supported', `${req.method} is not allowed on ${req.path}`);
    throw notFound(`No FHIR interaction at ${req.path}`);
  }

  private async create(req: FhirRequest, ops: FhirOperations, type: string): Promise<FhirResponse> {
    refuseDocumentWrite(ops, type, 'A create');
    const resource = bodyOf(req, type);
    const ifNoneExist = req.ifNoneExist !== undefined ? this.criteria(type, req.ifNoneExist.replace(/^.*\?/, ''), 'If-None-Exist') : undefined;
    const { version, created } = await ops.create(resource, {
      ...(ifNoneExist ? { ifNoneExist } : {}),
      ...(req.assignedId ? { id: req.assignedId } : {}),
    });
    return this.written(req, version, created ? 201 : 200);
  }

  private async update(req: FhirRequest, ops: FhirOperations, type: string, id: string): Promise<FhirResponse> {
    const resource = bodyOf(req, type);
    if (resource.id === undefined) throw badRequest(`The ${type} in the body has no id; it must be '${id}'`, [`${type}.id`]);
    if (resource.id !== id) throw badRequest(`The id in the body ('${String(resource.id)}') differs from the id in the URL ('${id}')`, [`${type}.id`]);
    const ifMatch = parseIfMatch(req.ifMatch);
    if (Number.isNaN(ifMatch)) throw badRequest(`If-Match must be a version such as W/"3", not '${req.ifMatch}'`, ['If-Match']);
    if (type === 'DocumentReference' && this.documents && ops.ctx.principal.role !== 'system') {
      const { version, created } = await this.documents.update(ops, resource, ifMatch);
      return this.written(req, version, created ? 201 : 200);
    }
    refuseDocumentWrite(ops, type, 'An update');
    const { version, created } = await ops.update(resource, ifMatch !== undefined ? { ifMatch } : {});
    return this.written(req, version, created ? 201 : 200);
  }

  /** PUT /Type?criteria: updates the one match, creates when none matches, 412 when several do. */
  private async conditionalUpdate(req: FhirRequest, ops: FhirOperations, type: string): Promise<FhirResponse> {
    refuseDocumentWrite(ops, type, 'A conditional update');
    const resource = bodyOf(req, type);
    const criteria = this.criteria(type, req.query.toString(), 'A conditional update');
    const match = await ops.conditionalMatch(type, criteria, 'The conditional update');
    if (match && resource.id !== undefined && resource.id !== match.id) {
      throw badRequest(`The id in the body ('${String(resource.id)}') differs from the resource the criteria match ('${match.id}')`, [`${type}.id`]);
    }
    if (!match) {
      // no match: an id in the body makes it an update-as-create of that id (R4 3.1.0.4.3), else a create
      if (typeof resource.id === 'string') return this.update(req, ops, type, resource.id);
      const { ifNoneExist: _ignored, ...create } = req;
      return this.create(create, ops, type);
    }
    return this.update({ ...req, body: { ...resource, id: resource.id ?? match.id } }, ops, type, match.id);
  }

  /** DELETE /Type?criteria: deletes the one match; nothing to do when none matches; 412 when several do. */
  private async conditionalDelete(req: FhirRequest, ops: FhirOperations, type: string): Promise<FhirResponse> {
    refuseDocumentWrite(ops, type, 'A conditional delete');
    const criteria = this.criteria(type, req.query.toString(), 'A conditional delete');
    const match = await ops.conditionalMatch(type, criteria, 'The conditional delete');
    if (match) await ops.delete(type, match.id);
    return { status: 204, headers: {} };
  }

  /** Criteria of a conditional interaction: strict (an unknown parameter is an error), never empty. */
  criteria(type: string, query: string, what: string): ParsedSearch {
    const criteria = parseSearch(type, new URLSearchParams(query), { ...this.limits(), strict: true });
    if (criteria.canonical === '') throw badRequest(`${what} needs search criteria`);
    return criteria;
  }

  private async delete(ops: FhirOperations, type: string, id: string): Promise<FhirResponse> {
    if (type === 'DocumentReference' && this.documents && ops.ctx.principal.role !== 'system') {
      await this.documents.remove(ops, id);
      return { status: 204, headers: {} };
    }
    refuseDocumentWrite(ops, type, 'A delete');
    await ops.delete(type, id);
    return { status: 204, headers: {} };
  }

  private async read(req: FhirRequest, ops: FhirOperations, type: string, id: string): Promise<FhirResponse> {
    if (type === 'Binary' && this.documents) {
      const asResource = /application\/(fhir\+)?json/i.test(req.accept ?? '') || /json/i.test(req.query.get('_format') ?? '');
      const got = await this.documents.retrieve(ops, id, asResource);
      return 'stream' in got ? { status: 200, headers: {}, stream: got.stream } : json(200, got.resource);
    }
    return this.resource(200, await ops.read(type, id));
  }

  private async vread(ops: FhirOperations, type: string, id: string, vid: string): Promise<FhirResponse> {
    if (!/^\d{1,18}$/.test(vid)) throw notFound(`${type}/${id} has no version '${vid}'`);
    return this.resource(200, await ops.vread(type, id, Number(vid)));
  }

  private async history(req: FhirRequest, ops: FhirOperations, type: string, id: string): Promise<FhirResponse> {
    const result = await ops.history(type, id, this.page(req.query));
    return json(200, historyBundle(this.o.fhirBase, result.versions, this.links(`${type}/${id}/_history`, req.query, result)));
  }

  private async typeHistory(req: FhirRequest, ops: FhirOperations, type: string): Promise<FhirResponse> {
    const result = await ops.typeHistory(type, this.page(req.query));
    return json(200, historyBundle(this.o.fhirBase, result.versions, this.links(`${type}/_history`, req.query, result)));
  }

  private async search(req: FhirRequest, ops: FhirOperations, type: string, post: boolean): Promise<FhirResponse> {
    if (type === 'Binary' && ops.ctx.principal.role !== 'system') {
      throw new AppError(405, 'not-supported', "Binary is not searched: a document's bytes are read at the URL its DocumentReference gives (Binary/<id>)");
    }
    const query = new URLSearchParams(req.query);
    if (post && req.body instanceof URLSearchParams) req.body.forEach((v, k) => query.append(k, v));
    const strict = /handling\s*=\s*strict/.test(req.prefer ?? '');
    const search = parseSearch(type, query, { ...this.limits(), strict });
    const result = await ops.search(type, search);
    const outcome = search.ignored.length ? operationOutcome(search.ignored) : undefined;
    const self = `${this.o.fhirBase}/${type}${query.size ? `?${query}` : ''}`;
    let next: string | undefined;
    if (result.next) {
      const q = new URLSearchParams(query);
      q.set('_cursor', encodeSearchCursor(result.next));
      next = `${this.o.fhirBase}/${type}?${q}`;
    }
    const parts = {
      matches: result.versions,
      included: result.included,
      ...(result.total !== undefined ? { total: result.total } : {}),
      ...(outcome ? { outcome } : {}),
    };
    return { status: 200, headers: {}, body: searchsetBundle(this.o.fhirBase, parts, { self, ...(next ? { next } : {}) }) };
  }

  private limits() {
    return { defaultCount: this.o.defaultCount, maxCount: this.o.maxCount, strict: false, fhirBase: this.o.fhirBase };
  }

  private page(query: URLSearchParams) {
    const since = parseSince(query.get('_since'));
    const cursor = query.get('_cursor');
    return {
      count: parseCount(query.get('_count'), this.o),
      ...(since ? { since } : {}),
      ...(cursor !== null ? { after: decodeCursor(cursor) } : {}),
    };
  }

  /** Links of a history page. */
  private links(path: string, query: URLSearchParams, result: HistoryPage): { self: string; next?: string } {
    const self = `${this.o.fhirBase}/${path}${query.size ? `?${query}` : ''}`;
    if (!result.next) return { self };
    const next = new URLSearchParams(query);
    next.set('_cursor', encodeCursor(result.next));
    return { self, next: `${this.o.fhirBase}/${path}?${next}` };
  }

  private resource(status: number, v: StoredVersion): FhirResponse {
    return {
      status,
      headers: {
        ETag: etag(v.versionId),
        'Last-Modified': httpDate(v.lastUpdated),
        'Content-Location': `${this.o.fhirBase}/${v.resourceType}/${v.id}/_history/${v.versionId}`,
      },
      body: v.content!,
    };
  }

  private written(req: FhirRequest, v: StoredVersion, status: number): FhirResponse {
    const res = this.resource(status, v);
    res.headers.Location = `${this.o.fhirBase}/${v.resourceType}/${v.id}/_history/${v.versionId}`;
    const prefer = /return\s*=\s*(minimal|representation|OperationOutcome)/i.exec(req.prefer ?? '')?.[1];
    if (prefer === 'minimal') delete res.body;
    if (prefer === 'OperationOutcome') {
      res.body = informational(status === 201 ? `Created ${v.resourceType}/${v.id}` : `Saved ${v.resourceType}/${v.id} version ${v.versionId}`);
    }
    return res;
  }
}

function json(status: number, body: Record<string, unknown>): FhirResponse {
  return { status, headers: {}, body };
}

function checkId(id: string): void {
  if (!ID_PATTERN.test(id)) throw badRequest(`The id '${id}' does not match [A-Za-z0-9\\-\\.]{1,64}`);
}

function bodyOf(req: FhirRequest, type: string): Record<string, unknown> {
  const body = req.body;
  if (body === undefined || body === null || body === '') throw badRequest(`A ${type} resource is expected in the body`);
  if (typeof body !== 'object' || Array.isArray(body) || body instanceof URLSearchParams) {
    throw badRequest('The body must be a JSON object (a FHIR resource)');
  }
  const resource = body as Record<string, unknown>;
  if (resource.resourceType === undefined) throw badRequest('The body has no resourceType', ['resourceType']);
  if (resource.resourceType !== type) {
    throw badRequest(`The body is a ${String(resource.resourceType)} but the URL is for ${type}`, ['resourceType']);
  }
  return resource;
}
