import { randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../db/index.js';
import { decide, readScope, type Action } from '../domain/access/index.js';
import { AppError, forbidden, notFound } from '../errors.js';
import { patientCompartment } from '../fhir/compartment.js';
import { APPEND_ONLY_TYPES } from '../fhir/resource-types.js';
import type { ParsedSearch } from '../fhir/search-params.js';
import { extractTokens } from '../fhir/tokens.js';
import { assertValid } from '../fhir/validate.js';
import { writeAudit, type AuditRecord, type Interaction } from './audit.js';
import type { RequestContext } from './context.js';
import * as store from './store.js';
import type { StoredVersion } from './store.js';

type Json = Record<string, unknown>;

export type { StoredVersion } from './store.js';

export interface WriteResult {
  version: StoredVersion;
  /** false when a conditional create found the resource already there, or an update changed an existing one. */
  created: boolean;
}

export interface HistoryPage {
  versions: StoredVersion[];
  /** Set when there are more entries after this page. */
  next?: { lastUpdated: string; id: string; versionId: number };
}

/**
 * Collects what one repository call touched, so that the audit is written whatever happens: in the same
 * transaction as the work on success, in a transaction of its own after a refusal or a failure.
 */
class Trail {
  private touched: Omit<AuditRecord, 'outcome'>[] = [];
  private refusal: string | undefined;

  touch(rec: Omit<AuditRecord, 'outcome'>): void {
    this.touched.push(rec);
  }

  refuse(rec: Omit<AuditRecord, 'outcome'>, reason: string): AppError {
    this.touched.push(rec);
    this.refusal = reason;
    return forbidden(`Access denied: ${reason}`);
  }

  reset(): void {
    this.touched = [];
    this.refusal = undefined;
  }

  /** Successful accesses to patient data (reads of shared data are not audited). */
  successes(): AuditRecord[] {
    return this.touched.filter((t) => t.patientId !== null).map((t) => ({ ...t, outcome: 'success' }));
  }

  /** After an error: every refusal, and every failed access to patient data. */
  failures(err: unknown): AuditRecord[] {
    const detail = err instanceof Error ? err.message : String(err);
    if (this.refusal !== undefined) {
      const last = this.touched[this.touched.length - 1]!;
      return [{ ...last, outcome: 'refused', detail: this.refusal }];
    }
    return this.touched.filter((t) => t.patientId !== null).map((t) => ({ ...t, outcome: 'failed', detail }));
  }
}

/** The FHIR operations, as one unit of work sees them: all run in one transaction and one audit trail. */
export interface FhirOperations {
  create(resource: Json, opts?: { ifNoneExist?: ParsedSearch; id?: string }): Promise<WriteResult>;
  update(resource: Json, opts?: { ifMatch?: number }): Promise<WriteResult>;
  delete(type: string, id: string): Promise<void>;
  read(type: string, id: string): Promise<StoredVersion>;
  vread(type: string, id: string, versionId: number): Promise<StoredVersion>;
  history(type: string, id: string, page: store.Page): Promise<HistoryPage>;
  typeHistory(type: string, page: store.Page): Promise<HistoryPage>;
  search(type: string, search: ParsedSearch): Promise<HistoryPage>;
  /** The one resource matching conditional criteria, or undefined; 412 when several match. */
  conditionalMatch(type: string, criteria: ParsedSearch, what: string): Promise<StoredVersion | undefined>;
}

/**
 * THE choke point for FHIR data. Every read, search and write takes a request context, asks the access
 * policy, writes the AuditEvent (success, refusal or failure) and runs its SQL in one transaction.
 * Routes, services and jobs all come through here: one operation at a time with the methods below, or
 * several as one all-or-nothing unit with `run` (a transaction Bundle).
 */
export class Repository {
  constructor(
    private readonly db: Db,
    private readonly fhirBase: string,
  ) {}

  /**
   * Runs fn as one unit of work: one database transaction (re-run from the start on a serialization failure),
   * the audit of every access written in it on success; on refusal or failure everything is rolled back and
   * the refusal or failure is audited in a transaction of its own.
   */
  async run<T>(ctx: RequestContext, fn: (ops: FhirOperations) => Promise<T>): Promise<T> {
    const trail = new Trail();
    try {
      return await this.db.transaction(async (tx) => {
        trail.reset();
        const result = await fn(new Work(tx, trail, ctx, this.fhirBase));
        await writeAudit(tx, ctx, trail.successes());
        return result;
      });
    } catch (err) {
      const failures = trail.failures(err);
      if (failures.length > 0) await this.db.transaction((tx) => writeAudit(tx, ctx, failures));
      throw err;
    }
  }

  create(ctx: RequestContext, resource: Json, opts: { ifNoneExist?: ParsedSearch; id?: string } = {}): Promise<WriteResult> {
    return this.run(ctx, (ops) => ops.create(resource, opts));
  }

  update(ctx: RequestContext, resource: Json, opts: { ifMatch?: number } = {}): Promise<WriteResult> {
    return this.run(ctx, (ops) => ops.update(resource, opts));
  }

  delete(ctx: RequestContext, type: string, id: string): Promise<void> {
    return this.run(ctx, (ops) => ops.delete(type, id));
  }

  read(ctx: RequestContext, type: string, id: string): Promise<StoredVersion> {
    return this.run(ctx, (ops) => ops.read(type, id));
  }

  vread(ctx: RequestContext, type: string, id: string, versionId: number): Promise<StoredVersion> {
    return this.run(ctx, (ops) => ops.vread(type, id, versionId));
  }

  history(ctx: RequestContext, type: string, id: string, page: store.Page): Promise<HistoryPage> {
    return this.run(ctx, (ops) => ops.history(type, id, page));
  }

  typeHistory(ctx: RequestContext, type: string, page: store.Page): Promise<HistoryPage> {
    return this.run(ctx, (ops) => ops.typeHistory(type, page));
  }

  search(ctx: RequestContext, type: string, search: ParsedSearch): Promise<HistoryPage> {
    return this.run(ctx, (ops) => ops.search(type, search));
  }
}

/** One unit of work: the operations on one transaction, one trail and one context. */
class Work implements FhirOperations {
  constructor(
    private readonly tx: Queryable,
    private readonly trail: Trail,
    private readonly ctx: RequestContext,
    private readonly fhirBase: string,
  ) {}

  /** Asks the policy; records the access on the trail, or throws 403 after recording the refusal. */
  private authorize(action: Action, rec: Omit<AuditRecord, 'outcome' | 'relation'>): void {
    const decision = decide(this.ctx.principal, { action, resourceType: rec.resourceType, patientId: rec.patientId });
    if (!decision.allow) throw this.trail.refuse(rec, decision.reason);
    this.trail.touch({ ...rec, ...(decision.relation ? { relation: decision.relation } : {}) });
  }

  /**
   * Validates and prepares a copy of a resource for writing: id, compartment and search columns. The
   * caller's object is left as it was, so that a unit of work re-run after a conflict starts from the same input.
   */
  private prepare(input: Json, id: string): { resource: Json; patientId: string | null; tokens: string[] } {
    const resource = { ...input, id };
    assertValid(resource);
    return { resource, patientId: patientCompartment(resource, this.fhirBase), tokens: extractTokens(resource) };
  }

  private async put(prepared: { resource: Json; patientId: string | null; tokens: string[] }, versionId: number): Promise<StoredVersion> {
    const resource = prepared.resource;
    const lastUpdated = this.ctx.now().toISOString();
    const meta = { ...((resource.meta as Json | undefined) ?? {}), versionId: String(versionId), lastUpdated };
    const version = {
      patientId: prepared.patientId,
      resourceType: resource.resourceType as string,
      id: resource.id as string,
      versionId,
      lastUpdated,
      content: JSON.stringify({ ...resource, meta }),
      tokens: prepared.tokens,
    };
    await store.writeVersion(this.tx, version);
    return { ...version, deleted: false };
  }

  async create(resource: Json, opts: { ifNoneExist?: ParsedSearch; id?: string } = {}): Promise<WriteResult> {
    const type = resource.resourceType as string;
    const id = opts.id ?? randomUUID();
    const prepared = this.prepare(resource, id);
    if (opts.ifNoneExist) {
      const match = await this.conditionalMatch(type, opts.ifNoneExist, 'If-None-Exist');
      if (match) return { version: match, created: false };
    }
    this.authorize('create', { interaction: 'create', resourceType: type, id, versionId: 1, patientId: prepared.patientId });
    return { version: await this.put(prepared, 1), created: true };
  }

  /**
   * The one resource matching conditional criteria, or undefined; 412 when several match. Concurrent
   * conditional writes with the same criteria are serialised until the transaction ends, so none duplicates.
   */
  async conditionalMatch(type: string, criteria: ParsedSearch, what: string): Promise<StoredVersion | undefined> {
    await store.lockKey(this.tx, `conditional:${type}?${criteria.lockKey}`);
    const matches = await this.matching(type, { ...criteria, count: 2 });
    if (matches.length > 1) {
      throw new AppError(412, 'multiple-matches', `${what} matches several ${type} resources; it must match at most one`);
    }
    const match = matches[0];
    if (match) {
      this.trail.touch({ interaction: 'search-type', resourceType: type, id: match.id, versionId: match.versionId, patientId: match.patientId });
    }
    return match;
  }

  async update(resource: Json, opts: { ifMatch?: number } = {}): Promise<WriteResult> {
    const type = resource.resourceType as string;
    const id = resource.id as string;
    if (APPEND_ONLY_TYPES.has(type)) throw new AppError(405, 'not-supported', `${type} is append-only: it cannot be updated`);
    const prepared = this.prepare(resource, id);
    await store.lockKey(this.tx, `${type}/${id}`);
    const current = await store.findCurrent(this.tx, type, id);
    if (!current) {
      if (opts.ifMatch !== undefined) {
        throw new AppError(412, 'conflict', `If-Match names version ${opts.ifMatch} but ${type}/${id} does not exist`);
      }
      this.authorize('create', { interaction: 'create', resourceType: type, id, versionId: 1, patientId: prepared.patientId });
      return { version: await this.put(prepared, 1), created: true };
    }
    const versionId = current.versionId + 1;
    this.authorize('update', { interaction: 'update', resourceType: type, id, versionId, patientId: current.patientId });
    if (opts.ifMatch !== undefined && opts.ifMatch !== current.versionId) {
      throw new AppError(412, 'conflict', `If-Match names version ${opts.ifMatch} but ${type}/${id} is at version ${current.versionId}`);
    }
    if (current.patientId !== prepared.patientId) {
      throw new AppError(422, 'business-rule', `An update cannot move ${type}/${id} to another patient's record (or out of one)`);
    }
    return { version: await this.put(prepared, versionId), created: false };
  }

  /** Soft delete: a new version marked deleted; the history keeps every earlier version. */
  async delete(type: string, id: string): Promise<void> {
    if (APPEND_ONLY_TYPES.has(type)) throw new AppError(405, 'not-supported', `${type} is append-only: it cannot be deleted`);
    await store.lockKey(this.tx, `${type}/${id}`);
    const current = await store.findCurrent(this.tx, type, id);
    if (!current) throw notFound(`${type}/${id} is not known`);
    const versionId = current.versionId + (current.deleted ? 0 : 1);
    this.authorize('delete', { interaction: 'delete', resourceType: type, id, versionId, patientId: current.patientId });
    if (current.deleted) return;
    await store.writeVersion(this.tx, {
      patientId: current.patientId,
      resourceType: type,
      id,
      versionId,
      lastUpdated: this.ctx.now().toISOString(),
      content: null,
      tokens: [],
    });
  }

  async read(type: string, id: string): Promise<StoredVersion> {
    const current = await store.findCurrent(this.tx, type, id);
    if (!current) throw notFound(`${type}/${id} is not known`);
    this.authorize('read', { interaction: 'read', resourceType: type, id, versionId: current.versionId, patientId: current.patientId });
    if (current.deleted) throw new AppError(410, 'deleted', `${type}/${id} was deleted`);
    return current;
  }

  async vread(type: string, id: string, versionId: number): Promise<StoredVersion> {
    const version = await store.findVersion(this.tx, type, id, versionId);
    if (!version) throw notFound(`${type}/${id} has no version ${versionId}`);
    this.authorize('read', { interaction: 'vread', resourceType: type, id, versionId, patientId: version.patientId });
    if (version.deleted) throw new AppError(410, 'deleted', `Version ${versionId} of ${type}/${id} is its deletion`);
    return version;
  }

  async history(type: string, id: string, page: store.Page): Promise<HistoryPage> {
    const current = await store.findCurrent(this.tx, type, id);
    if (!current) throw notFound(`${type}/${id} is not known`);
    this.authorize('read', { interaction: 'history-instance', resourceType: type, id, patientId: current.patientId });
    return paged(await store.instanceHistory(this.tx, type, id, page), page.count);
  }

  async typeHistory(type: string, page: store.Page): Promise<HistoryPage> {
    const scope = this.scopeOrRefuse(type, 'history-type');
    const result = paged(await store.typeHistory(this.tx, type, scope, page), page.count);
    touchCompartments(this.trail, 'history-type', type, result.versions);
    return result;
  }

  async search(type: string, search: ParsedSearch): Promise<HistoryPage> {
    this.scopeOrRefuse(type, 'search-type', search.canonical);
    const result = paged(await this.matching(type, search), search.count);
    touchCompartments(this.trail, 'search-type', type, result.versions, search.canonical);
    return result;
  }

  private scopeOrRefuse(type: string, interaction: Interaction, query?: string): store.Scope {
    const scope = readScope(this.ctx.principal, type);
    if (scope.patientIds !== 'all' && scope.patientIds.length === 0 && !scope.shared) {
      const reason = decide(this.ctx.principal, { action: 'search', resourceType: type, patientId: null });
      throw this.trail.refuse(
        { interaction, resourceType: type, patientId: null, ...(query !== undefined ? { query } : {}) },
        reason.allow ? 'nothing readable' : reason.reason,
      );
    }
    return scope;
  }

  private matching(type: string, search: ParsedSearch): Promise<StoredVersion[]> {
    return store.findCurrentMatching(this.tx, {
      type,
      scope: readScope(this.ctx.principal, type),
      ...(search.ids ? { ids: search.ids } : {}),
      ...(search.tokens ? { tokens: search.tokens } : {}),
      ...(search.patients ? { patients: search.patients } : {}),
      page: { count: search.count, ...(search.cursor ? { after: search.cursor } : {}), ...(search.since ? { since: search.since } : {}) },
    });
  }
}

function paged(rows: StoredVersion[], count: number): HistoryPage {
  if (rows.length <= count) return { versions: rows };
  const versions = rows.slice(0, count);
  const last = versions[versions.length - 1]!;
  return { versions, next: { lastUpdated: last.lastUpdated, id: last.id, versionId: last.versionId } };
}

/** One audit record per patient record a type-level read returned something from. */
function touchCompartments(trail: Trail, interaction: Interaction, type: string, versions: StoredVersion[], query?: string): void {
  const patients = new Set(versions.map((v) => v.patientId).filter((p): p is string => p !== null));
  for (const patientId of patients) {
    trail.touch({ interaction, resourceType: type, patientId, ...(query !== undefined ? { query } : {}) });
  }
}
