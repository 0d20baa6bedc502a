import { AppError, badRequest, notFound } from '../../errors.js';
import { historyBundle, searchsetBundle } from '../../fhir/bundle.js';
import { capabilityStatement } from '../../fhir/capability.js';
import { COMPARTMENT_TYPES } from '../../fhir/compartment.js';
import { etag, httpDate, parseIfMatch } from '../../fhir/http-dates.js';
import { informational, operationOutcome } from '../../fhir/outcome.js';
import { ID_PATTERN, isSupportedType } from '../../fhir/resource-types.js';
import { decodeCursor, encodeCursor, parseCount, parseSearch, parseSince } from '../../fhir/search-params.js';
import type { HistoryPage, Repository, RequestContext, StoredVersion } from '../../repo/index.js';

/** A FHIR interaction, independent of HTTP: the same router serves HTTP requests, tests and jobs. */
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
}

export interface FhirResponse {
  status: number;
  headers: Record<string, string>;
  /** A JSON object, or JSON text already serialised (stored resources are passed through). */
  body?: Record<string, unknown> | string;
}

export interface RouterOptions {
  fhirBase: string;
  version: string;
  defaultCount: number;
  maxCount: number;
  startedAt: string;
}

type Handler = (req: FhirRequest, ctx: RequestContext, params: string[]) => Promise<FhirResponse>;

interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

const SEGMENT = '([^/]+)';

export class FhirRouter {
  private readonly routes: Route[];

  constructor(
    private readonly repo: Repository,
    private readonly o: RouterOptions,
  ) {
    const r = (method: string, path: string, handler: Handler): Route => ({
      method,
      pattern: new RegExp(`^${path.replaceAll(':seg', SEGMENT)}/?$`),
      handler,
    });
    this.routes = [
      r('GET', '/:seg/_history', (q, c, [t]) => this.typeHistory(q, c, t!)),
      r('GET', '/:seg/_search', () => Promise.reject(new AppError(405, 'not-supported', 'Use POST for _search'))),
      r('POST', '/:seg/_search', (q, c, [t]) => this.search(q, c, t!, true)),
      r('GET', '/:seg/:seg/_history', (q, c, [t, id]) => this.history(q, c, t!, id!)),
      r('GET', '/:seg/:seg/_history/:seg', (q, c, [t, id, v]) => this.vread(c, t!, id!, v!)),
      r('GET', '/:seg/:seg', (_q, c, [t, id]) => this.read(c, t!, id!)),
      r('PUT', '/:seg/:seg', (q, c, [t, id]) => this.update(q, c, t!, id!)),
      r('DELETE', '/:seg/:seg', (_q, c, [t, id]) => this.delete(c, t!, id!)),
      r('GET', '/:seg', (q, c, [t]) => this.search(q, c, t!, false)),
      r('POST', '/:seg', (q, c, [t]) => this.create(q, c, t!)),
    ];
  }

  /** The CapabilityStatement; public, with no context. */
  metadata(): FhirResponse {
    return json(200, capabilityStatement({ fhirBase: this.o.fhirBase, version: this.o.version, date: this.o.startedAt }));
  }

  async handle(req: FhirRequest, ctx: RequestContext): Promise<FhirResponse> {
    const path = req.path === '' ? '/' : req.path;
    let methodMismatch = false;
    for (const route of this.routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      if (route.method !== req.method) {
        methodMismatch = true;
        continue;
      }
      const params = m.slice(1).map((p) => decodeURIComponent(p));
      this.checkType(params[0]!);
      if (params[1] !== undefined) checkId(params[1]);
      return route.handler(req, ctx, params);
    }
    if (path === '/' && req.method === 'POST') {
      throw new AppError(501, 'not-supported', 'Batch and transaction Bundles are not supported yet');
    }
    if (methodMismatch) throw new AppError(405, 'not-supported', `${req.method} is not allowed on ${path}`);
    throw notFound(`No FHIR interaction at ${path}`);
  }

  private checkType(type: string): void {
    if (!isSupportedType(type)) {
      throw new AppError(404, 'not-supported', `The resource type '${type}' is not supported`);
    }
  }

  private async create(req: FhirRequest, ctx: RequestContext, type: string): Promise<FhirResponse> {
    const resource = bodyOf(req, type);
    let ifNoneExist;
    if (req.ifNoneExist !== undefined) {
      const criteria = new URLSearchParams(req.ifNoneExist.replace(/^.*\?/, ''));
      ifNoneExist = parseSearch(criteria, { ...this.limits(type), strict: true });
      if (ifNoneExist.canonical === '') throw badRequest('If-None-Exist has no search criteria', ['If-None-Exist']);
    }
    const { version, created } = await this.repo.create(ctx, resource, ifNoneExist ? { ifNoneExist } : {});
    return this.written(req, version, created ? 201 : 200);
  }

  private async update(req: FhirRequest, ctx: RequestContext, type: string, id: string): Promise<FhirResponse> {
    const resource = bodyOf(req, type);
    if (resource.id === undefined) throw badRequest(`The ${type} in the body has no id; it must be '${id}'`, [`${type}.id`]);
    if (resource.id !== id) throw badRequest(`The id in the body ('${String(resource.id)}') differs from the id in the URL ('${id}')`, [`${type}.id`]);
    const ifMatch = parseIfMatch(req.ifMatch);
    if (Number.isNaN(ifMatch)) throw badRequest(`If-Match must be a version such as W/"3", not '${req.ifMatch}'`, ['If-Match']);
    const { version, created } = await this.repo.update(ctx, resource, ifMatch !== undefined ? { ifMatch } : {});
    return this.written(req, version, created ? 201 : 200);
  }

  private async delete(ctx: RequestContext, type: string, id: string): Promise<FhirResponse> {
    await this.repo.delete(ctx, type, id);
    return { status: 204, headers: {} };
  }

  private async read(ctx: RequestContext, type: string, id: string): Promise<FhirResponse> {
    return this.resource(200, await this.repo.read(ctx, type, id));
  }

  private async vread(ctx: RequestContext, type: string, id: string, vid: string): Promise<FhirResponse> {
    if (!/^\d{1,18}$/.test(vid)) throw notFound(`${type}/${id} has no version '${vid}'`);
    return this.resource(200, await this.repo.vread(ctx, type, id, Number(vid)));
  }

  private async history(req: FhirRequest, ctx: RequestContext, type: string, id: string): Promise<FhirResponse> {
    const page = this.page(req.query);
    const result = await this.repo.history(ctx, type, id, page);
    return json(200, historyBundle(this.o.fhirBase, result.versions, this.links(`${type}/${id}/_history`, req.query, result)));
  }

  private async typeHistory(req: FhirRequest, ctx: RequestContext, type: string): Promise<FhirResponse> {
    const page = this.page(req.query);
    const result = await this.repo.typeHistory(ctx, type, page);
    return json(200, historyBundle(this.o.fhirBase, result.versions, this.links(`${type}/_history`, req.query, result)));
  }

  private async search(req: FhirRequest, ctx: RequestContext, type: string, post: boolean): Promise<FhirResponse> {
    const query = new URLSearchParams(req.query);
    if (post && req.body instanceof URLSearchParams) req.body.forEach((v, k) => query.append(k, v));
    const strict = /handling\s*=\s*strict/.test(req.prefer ?? '');
    const search = parseSearch(query, { ...this.limits(type), strict });
    const result = await this.repo.search(ctx, type, search);
    const outcome = search.ignored.length ? operationOutcome(search.ignored) : undefined;
    return json(200, searchsetBundle(this.o.fhirBase, result.versions, this.links(type, query, result), outcome));
  }

  private limits(type: string) {
    return {
      defaultCount: this.o.defaultCount,
      maxCount: this.o.maxCount,
      strict: false,
      compartmentType: COMPARTMENT_TYPES.has(type) && type !== 'Patient',
      fhirBase: this.o.fhirBase,
    };
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
  if (typeof body !== 'object' || Array.isArray(body)) throw badRequest('The body must be a JSON object (a FHIR resource)');
  const resource = body as Record<string, unknown>;
  if (resource.resourceType === undefined) throw badRequest('The body has no resourceType', ['resourceType']);
  if (resource.resourceType !== type) {
    throw badRequest(`The body is a ${String(resource.resourceType)} but the URL is for ${type}`, ['resourceType']);
  }
  return resource;
}
