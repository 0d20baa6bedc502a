import { randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../db/index.js';
import { decide, hasRowRule, matches, readScope, rowRule, TOKENS, type AccessStatus, type Action } from '../domain/access/index.js';
import { DEFAULT_MATRIX, type Matrix } from '../domain/documents/matrix.js';
import { loadCareAccess } from './care.js';
import { AppError, forbidden, notFound } from '../errors.js';
import { patientCompartment } from '../fhir/compartment.js';
import { APPEND_ONLY_TYPES } from '../fhir/resource-types.js';
import { emptyIndex, extractIndex, referencesOf, type SearchIndex } from '../fhir/search/extract.js';
import type { IncludeSpec, ParsedSearch } from '../fhir/search/parse.js';
import { assertValid } from '../fhir/validate.js';
import { stampWriter } from '../fhir/written-by.js';
import { assertNoDirectiveForMinor, assertProfileRules, isAdvanceDirective, singletonOf } from '../domain/profile/rules.js';
import { auditVersions, writeAudit, type AuditRecord, type Interaction } from './audit.js';
import type { RequestContext } from './context.js';
import type { HistoryCursor } from '../fhir/search/paging.js';
import * as store from './store.js';
import { WriteBuffer } from './write-buffer.js';
import { AuditBatcher } from './audit-batcher.js';
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
  next?: HistoryCursor;
}

export interface SearchResult {
  /** The matches of this page (none for _summary=count). */
  versions: StoredVersion[];
  /** Sort values and id of the last match, when there are more after this page. */
  next?: string[];
  /** Every match, when asked (_total, _summary=count) or when this page is the whole result. */
  total?: number;
  /** What _include and _revinclude brought, within what the caller may read. */
  included: StoredVersion[];
}

export interface ImportResult {
  written: number;
  /** By position in the input. */
  failed: { index: number; error: AppError }[];
}

/** At most this many resources are brought by each _revinclude of a page. */
const REVINCLUDE_LIMIT = 1000;

/**
 * Collects what one repository call touched, so that the audit is written whatever happens: in the same
 * transaction as the work on success, in a transaction of its own after a refusal or a failure.
 */
class Trail {
  private touched: (Omit<AuditRecord, 'outcome'> & { refused?: string })[] = [];
  private refusal: string | undefined;

  touch(rec: Omit<AuditRecord, 'outcome'>): void {
    this.touched.push(rec);
  }

  /** Records a refusal; the error answered is 403, or the one given (404 where even existence is not to be told). */
  refuse(rec: Omit<AuditRecord, 'outcome'>, reason: string, error: AppError = forbidden(`Access denied: ${reason}`)): AppError {
    this.touched.push({ ...rec, refused: reason });
    this.refusal = reason;
    return error;
  }

  reset(): void {
    this.touched = [];
    this.refusal = undefined;
  }

  /**
   * What a unit that succeeded leaves in the trail: its accesses to patient data, and the refusals a service
   * caught on its way (a refused read stays a refusal, never a success).
   */
  successes(): AuditRecord[] {
    return this.touched
      .filter((t) => t.patientId !== null || t.refused !== undefined)
      .map(({ refused, ...t }) => (refused !== undefined ? { ...t, outcome: 'refused' as const, detail: refused } : { ...t, outcome: 'success' as const }));
  }

  /** After an error: every refusal, and every failed access to patient data. */
  failures(err: unknown): AuditRecord[] {
    const detail = err instanceof Error ? err.message : String(err);
    if (this.refusal !== undefined) {
      const last = this.touched[this.touched.length - 1]!;
      const { refused, ...rec } = last;
      return [{ ...rec, outcome: 'refused', detail: refused ?? this.refusal }];
    }
    return this.touched.filter((t) => t.patientId !== null).map(({ refused: _r, ...t }) => ({ ...t, outcome: 'failed', detail }));
  }
}

/** The FHIR operations, as one unit of work sees them: all run in one transaction and one audit trail. */
export interface FhirOperations {
  /** Who asks, and when: services acting within the unit decide with it what the repository does not know. */
  readonly ctx: RequestContext;
  create(resource: Json, opts?: { ifNoneExist?: ParsedSearch; id?: string }): Promise<WriteResult>;
  update(resource: Json, opts?: { ifMatch?: number }): Promise<WriteResult>;
  delete(type: string, id: string): Promise<void>;
  read(type: string, id: string): Promise<StoredVersion>;
  vread(type: string, id: string, versionId: number): Promise<StoredVersion>;
  history(type: string, id: string, page: store.Page): Promise<HistoryPage>;
  typeHistory(type: string, page: store.Page): Promise<HistoryPage>;
  search(type: string, search: ParsedSearch): Promise<SearchResult>;
  /**
   * Bulk write (carnet import): each resource is created, or updated when its id exists. Invalid or refused
   * resources are reported and left out; the others are written with one statement per table.
   */
  importResources(batch: PreparedImport): Promise<ImportResult>;
  /** The one resource matching conditional criteria, or undefined; 412 when several match. */
  conditionalMatch(type: string, criteria: ParsedSearch, what: string): Promise<StoredVersion | undefined>;
  /**
   * Application tables read and written in this unit's transaction, with its FHIR writes (a care relation
   * with the Consent that records it). Services only; the access policy has been asked by the FHIR calls.
   */
  withTables<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /** Audits an access that is not a FHIR interaction (an access-status check), in this unit's transaction. */
  audit(records: AuditRecord[]): Promise<void>;
}

/**
 * THE choke point for FHIR data. Every read, search and write takes a request context, asks the access
 * policy, writes the AuditEvent (success, refusal or failure) and runs its SQL in one transaction.
 * Routes, services and jobs all come through here: one operation at a time with the methods below, or
 * several as one all-or-nothing unit with `run` (a transaction Bundle).
 */
/** The application tables keyed on a patient record, emptied with it (purgeRecord). */
const PATIENT_TABLES = [
  'dmp_settings',
  'emergency_access',
  'document_hold',
  'document_placement',
  'document_folder',
  'access_notice',
  'mss_message',
  'mss_conversation',
  'pharmacy_dispensation',
  'profile_settings',
  'agenda_feed',
  'agenda_reminder',
  'prevention_mark',
  'prevention_reminder',
] as const;

export class Repository {
  /** The audit records of reads, written together when reads arrive together. */
  private readonly readAudit: AuditBatcher;

  constructor(
    private readonly db: Db,
    private readonly fhirBase: string,
    /** Commit the audit records of read-only units without waiting for the WAL flush (READ_AUDIT_COMMIT=async). */
    private readonly relaxedReadAudit = true,
    /** The habilitation matrix in force (defaults and the operator's rows), reloaded at most every minute. */
    private readonly loadMatrix: () => Promise<Matrix> = async () => DEFAULT_MATRIX,
  ) {
    this.readAudit = new AuditBatcher({ query: (text, params) => db.autocommit((q) => q.query(text, params), { relaxed: relaxedReadAudit }) });
  }

  private matrixCache: { value: Matrix; at: number } | undefined;

  /** The matrix for professionals' units of work (others never need it). */
  private async matrix(ctx: RequestContext): Promise<Matrix> {
    if (ctx.principal.role !== 'professional') return DEFAULT_MATRIX;
    const now = Date.now();
    if (!this.matrixCache || now - this.matrixCache.at > 60_000) this.matrixCache = { value: await this.loadMatrix(), at: now };
    return this.matrixCache.value;
  }

  /** Forgets the cached matrix (after the operator changed it on this node; other nodes follow within a minute). */
  invalidateMatrix(): void {
    this.matrixCache = undefined;
  }

  /**
   * Runs fn as one unit of work: one database transaction (re-run from the start on a serialization failure),
   * the audit of every access written in it on success; on refusal or failure everything is rolled back and
   * the refusal or failure is audited in a transaction of its own. With `readOnly` (reads and searches), no
   * transaction: each statement runs on its own and the audit records are written last, by group commit; a
   * write attempted in such a unit is a programming error.
   */
  async run<T>(ctx: RequestContext, fn: (ops: FhirOperations) => Promise<T>, opts: { readOnly?: boolean } = {}): Promise<T> {
    const trail = new Trail();
    const matrix = await this.matrix(ctx);
    try {
      if (opts.readOnly) {
        // reads need no transaction: each statement on its own, the audit records last
        return await this.db.autocommit(async (q) => {
          const result = await fn(new Work(new WriteBuffer(q, true), trail, ctx, this.fhirBase, matrix));
          await this.readAudit.write(auditVersions(ctx, trail.successes()));
          return result;
        });
      }
      return await this.db.transaction(async (tx) => {
        trail.reset();
        const buffer = new WriteBuffer(tx);
        const work = new Work(buffer, trail, ctx, this.fhirBase, matrix);
        const result = await fn(work);
        // a unit that only read: its audit records need not wait for the disk (see docs/benchmarks.md)
        if (!work.wrote && this.relaxedReadAudit) tx.relaxCommit();
        // the unit's writes and its audit records in one statement per table: a lone create is one round trip
        await tx.finish(store.upsertStatements([...buffer.drain(), ...auditVersions(ctx, trail.successes())]));
        return result;
      });
    } catch (err) {
      const failures = trail.failures(err);
      if (failures.length > 0) await this.db.transaction((tx) => writeAudit(tx, ctx, failures));
      throw err;
    }
  }

  /**
   * Deletes a whole patient record, every version of every resource, its audit trail and its professionals
   * (care relations) included: the deletion
   * of a closed profile's data (R1111-36). Carnet itself only, never from a request.
   */
  async purgeRecord(ctx: RequestContext, patientId: string, inTransaction?: Queryable): Promise<number> {
    if (ctx.principal.role !== 'system') throw new AppError(403, 'forbidden', 'Only Carnet itself deletes a whole record');
    const purge = async (tx: Queryable) => {
      // the professionals of the record and their history go with it
      await tx.query('DELETE FROM care_relation_event WHERE patient_id = $1', [patientId]);
      await tx.query('DELETE FROM care_relation WHERE patient_id = $1', [patientId]);
      // the record's application tables: the DMP's settings and holds, the mailbox, the chats about the patient
      for (const table of PATIENT_TABLES) await tx.query(`DELETE FROM ${table} WHERE patient_id = $1`, [patientId]);
      await tx.query('DELETE FROM chat_message WHERE room_id IN (SELECT id FROM chat_room WHERE patient_id = $1)', [patientId]);
      await tx.query('DELETE FROM chat_member WHERE room_id IN (SELECT id FROM chat_room WHERE patient_id = $1)', [patientId]);
      await tx.query('DELETE FROM chat_room WHERE patient_id = $1', [patientId]);
      // the patient's messages waiting in the outbox to be relayed
      await tx.query(`DELETE FROM mail_outbox WHERE template = 'mss-relay' AND params->>'patientId' = $1`, [patientId]);
      await tx.query('DELETE FROM resource_history WHERE patient_id = $1', [patientId]);
      const { rowCount } = await tx.query('DELETE FROM resource WHERE patient_id = $1', [patientId]);
      return rowCount ?? 0;
    };
    return inTransaction ? purge(inTransaction) : this.db.transaction(purge);
  }

  read(ctx: RequestContext, type: string, id: string): Promise<StoredVersion> {
    return this.run(ctx, (ops) => ops.read(type, id), { readOnly: true });
  }

  /**
   * The CPU half of a bulk write: validation, compartment and search index of each resource, with no
   * database work, so that an importer can prepare the next chunk while the database writes this one.
   * Write the result with `ops.importResources` in a unit of work.
   */
  prepareImport(resources: Json[]): PreparedImport {
    const out: PreparedImport = { prepared: [], failed: [] };
    resources.forEach((r, index) => {
      try {
        out.prepared.push({ index, p: prepare(r, typeof r.id === 'string' ? r.id : randomUUID(), this.fhirBase) });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        out.failed.push({ index, error: err });
      }
    });
    return out;
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

  vread(ctx: RequestContext, type: string, id: string, versionId: number): Promise<StoredVersion> {
    return this.run(ctx, (ops) => ops.vread(type, id, versionId), { readOnly: true });
  }

  history(ctx: RequestContext, type: string, id: string, page: store.Page): Promise<HistoryPage> {
    return this.run(ctx, (ops) => ops.history(type, id, page), { readOnly: true });
  }

  typeHistory(ctx: RequestContext, type: string, page: store.Page): Promise<HistoryPage> {
    return this.run(ctx, (ops) => ops.typeHistory(type, page), { readOnly: true });
  }

  search(ctx: RequestContext, type: string, search: ParsedSearch): Promise<SearchResult> {
    return this.run(ctx, (ops) => ops.search(type, search), { readOnly: true });
  }
}

/** One unit of work: the operations on one transaction, one trail and one context. */
class Work implements FhirOperations {
  /** Whether this unit wrote any resource (beyond its audit records). */
  wrote = false;

  constructor(
    private readonly tx: WriteBuffer,
    private readonly trail: Trail,
    readonly ctx: RequestContext,
    private readonly fhirBase: string,
    private readonly matrix: Matrix,
  ) {}

  /** A professional's access status on the records this unit touched, loaded once per record. */
  private readonly care = new Map<string, AccessStatus>();

  /** Loads the professional's access status on these records (nothing to do for other principals). */
  private async loadCare(patientIds: readonly (string | null)[]): Promise<void> {
    const practitionerId = this.ctx.principal.role === 'professional' ? this.ctx.principal.practitionerId : undefined;
    if (!practitionerId) return;
    const missing = patientIds.filter((id): id is string => id !== null && !this.care.has(id));
    if (missing.length === 0) return;
    for (const [id, status] of await loadCareAccess(this.tx, practitionerId, missing, this.ctx.now())) this.care.set(id, status);
  }

  /** Asks the policy; records the access on the trail, or throws 403 after recording the refusal. */
  private async authorize(action: Action, rec: Omit<AuditRecord, 'outcome' | 'relation' | 'basis'>, extra: { ownDocument?: boolean; tokens?: ReadonlySet<string> } = {}): Promise<void> {
    await this.loadCare([rec.patientId]);
    const care = rec.patientId !== null ? this.care.get(rec.patientId) : undefined;
    const decision = decide(this.ctx.principal, { action, resourceType: rec.resourceType, patientId: rec.patientId, ...(rec.id !== undefined ? { id: rec.id } : {}), ...(care ? { care } : {}), ...extra });
    if (!decision.allow) throw this.trail.refuse(rec, decision.reason);
    this.trail.touch({ ...rec, ...(decision.relation ? { relation: decision.relation } : {}), ...(decision.basis ? { basis: decision.basis } : {}) });
  }

  private scopeFor(type: string): store.Scope {
    return readScope(this.ctx.principal, type, this.care, this.matrix);
  }

  /**
   * A document (or list of documents) the reader may not see is answered as unknown, and the attempt is
   * audited in the record. Other types pass.
   */
  private async checkDocumentVisible(type: string, id: string, patientId: string | null, rec: Omit<AuditRecord, 'outcome'>): Promise<void> {
    if (patientId === null || !hasRowRule(type) || this.ctx.principal.role === 'system') return;
    // the rule of this record for this reader, however the request reached it (never "no rule, so visible")
    const rule = rowRule(this.ctx.principal, type, patientId, this.care.get(patientId), this.matrix);
    const scope: store.Scope = { patientIds: [patientId], shared: false, rows: [{ patientIds: [patientId], ...rule }] };
    if (await store.rowVisible(this.tx, type, id, patientId, scope)) return;
    // a deleted document keeps the rules of what it was: its versions are no more visible than it was
    if (await this.wasVisible(type, id, patientId, scope)) return;
    throw this.trail.refuse(rec, 'this resource is not visible to the reader', notFound(`${type}/${id} is not known`));
  }

  /** For a deleted document: whether its last version meets the reader's rule (a list: never, but for Carnet). */
  private async wasVisible(type: string, id: string, patientId: string, scope: store.Scope): Promise<boolean> {
    if (type !== 'DocumentReference') return false;
    const content = await store.lastContent(this.tx, type, id, patientId);
    const current = await this.tx.findCurrent(type, id);
    if (!content || !current?.deleted) return false;
    const rule = scope.rows!.find((g) => g.patientIds.includes(patientId));
    return rule !== undefined && matches(rule.predicate, new Set(extractIndex(JSON.parse(content) as Json, this.fhirBase).tokens));
  }

  /** Whether the professional reading (or their structure) deposited this document. */
  private async ownDocument(type: string, id: string, patientId: string | null): Promise<boolean> {
    const p = this.ctx.principal;
    if (type !== 'DocumentReference' || patientId === null || p.role !== 'professional' || !p.practitionerId) return false;
    const refs = [`Practitioner/${p.practitionerId}`, ...(p.practice?.organizationId ? [`Organization/${p.practice.organizationId}`] : [])];
    return store.hasAnyToken(this.tx, type, id, patientId, refs.map(TOKENS.depositor));
  }

  /**
   * Validates and prepares a copy of a resource for writing: id, compartment and search columns. The
   * caller's object is left as it was, so that a unit of work re-run after a conflict starts from the same input.
   */
  private prepare(input: Json, id: string): Prepared {
    // who wrote it, as Carnet saw it, not as the client says (fhir/written-by.ts)
    return prepare(stampWriter(input, this.ctx.principal), id, this.fhirBase, this.ctx.now());
  }

  /**
   * A record holds at most one of some resources (a blood group, the organ-donation wish...): a second one is
   * refused with 409, under a lock on the record's singleton so that two concurrent writes cannot both pass.
   */
  private async checkSingleton(prepared: Prepared): Promise<void> {
    const single = singletonOf(prepared.resource);
    if (!single || prepared.patientId === null) return;
    const type = prepared.resource.resourceType as string;
    await store.lockKey(this.tx.unbuffered(), `singleton/${prepared.patientId}/${single.token}`);
    const { rows } = await this.tx.unbuffered().query(
      `SELECT 1 FROM resource WHERE patient_id = $1 AND resource_type = $2 AND NOT deleted AND tokens @> ARRAY[$3::text] AND id <> $4
          AND NOT tokens @> ARRAY['status=entered-in-error'] LIMIT 1`,
      [prepared.patientId, type, single.token, prepared.resource.id],
    );
    if (rows.length > 0) throw new AppError(409, 'duplicate', single.message, [single.expression]).withCode(single.code);
  }

  /** The rules of the profile that depend on the record: no advance directives in a minor's (rules.ts). */
  private async checkRecordRules(prepared: Prepared): Promise<void> {
    if (prepared.patientId === null || !isAdvanceDirective(prepared.resource.resourceType as string, new Set(prepared.index.tokens))) return;
    const patient = await this.tx.findCurrent('Patient', prepared.patientId);
    assertNoDirectiveForMinor(patient && !patient.deleted && patient.content ? (JSON.parse(patient.content) as Json) : undefined, this.ctx.now());
  }

  private async put(prepared: Prepared, versionId: number): Promise<StoredVersion> {
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
      index: prepared.index,
    };
    this.wrote = true;
    await this.tx.write(version);
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
    await this.authorize('create', { interaction: 'create', resourceType: type, id, versionId: 1, patientId: prepared.patientId }, { tokens: new Set(prepared.index.tokens) });
    await this.checkSingleton(prepared);
    await this.checkRecordRules(prepared);
    return { version: await this.put(prepared, 1), created: true };
  }

  async withTables<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    this.wrote = true;
    return fn(this.tx);
  }

  async audit(records: AuditRecord[]): Promise<void> {
    this.wrote = true;
    for (const v of auditVersions(this.ctx, records)) await this.tx.write(v);
  }

  async importResources(batch: PreparedImport): Promise<ImportResult> {
    const failed = [...batch.failed];
    const prepared = batch.prepared;
    const keyOf = (x: Prepared) => `${x.resource.resourceType as string}/${x.resource.id as string}`;
    await store.lockKeys(this.tx.unbuffered(), [...new Set(prepared.map((x) => keyOf(x.p)))]);
    await this.loadCare(prepared.map((x) => x.p.patientId));
    const current = new Map((await store.findCurrentMany(this.tx, prepared.map((x) => ({ type: x.p.resource.resourceType as string, id: x.p.resource.id as string })))).map((v) => [`${v.resourceType}/${v.id}`, v]));
    // a resource given twice is written twice, as two versions: one round of writes per occurrence
    const rounds: store.NewVersion[][] = [];
    const occurrences = new Map<string, number>();
    const touched = new Map<string, Omit<AuditRecord, 'outcome'>>();
    const lastUpdated = this.ctx.now().toISOString();
    for (const { index, p } of prepared) {
      const key = keyOf(p);
      const type = p.resource.resourceType as string;
      const before = current.get(key);
      const action = before ? 'update' : 'create';
      const patientId = before?.patientId ?? p.patientId;
      const care = patientId !== null ? this.care.get(patientId) : undefined;
      const decision = decide(this.ctx.principal, { action, resourceType: type, patientId, id: p.resource.id as string, ...(care ? { care } : {}), tokens: new Set(p.index.tokens) });
      if (!decision.allow) {
        failed.push({ index, error: forbidden(`Access denied: ${decision.reason}`) });
        continue;
      }
      if (before && before.patientId !== p.patientId) {
        failed.push({ index, error: new AppError(422, 'business-rule', `An update cannot move ${key} to another patient's record (or out of one)`) });
        continue;
      }
      if (before && APPEND_ONLY_TYPES.has(type)) {
        failed.push({ index, error: new AppError(405, 'not-supported', `${type} is append-only: it cannot be updated`) });
        continue;
      }
      const versionId = (before?.versionId ?? 0) + 1;
      const round = occurrences.get(key) ?? 0;
      occurrences.set(key, round + 1);
      const meta = { ...((p.resource.meta as Json | undefined) ?? {}), versionId: String(versionId), lastUpdated };
      (rounds[round] ??= []).push({ patientId: p.patientId, resourceType: type, id: p.resource.id as string, versionId, lastUpdated, content: JSON.stringify({ ...p.resource, meta }), index: p.index });
      current.set(key, { patientId: p.patientId, resourceType: type, id: p.resource.id as string, versionId, lastUpdated, deleted: false, content: null });
      // one audit record per patient record and type written to, rather than one per resource
      if (p.patientId !== null) touched.set(`${p.patientId}/${type}/${action}`, { interaction: action, resourceType: type, patientId: p.patientId, query: 'carnet import' });
    }
    this.wrote = true;
    for (const round of rounds) await store.writeVersions(this.tx, round);
    for (const rec of touched.values()) this.trail.touch(rec);
    return { written: rounds.reduce((n, r) => n + r.length, 0), failed: failed.sort((a, b) => a.index - b.index) };
  }

  /**
   * The one resource matching conditional criteria, or undefined; 412 when several match. Concurrent
   * conditional writes with the same criteria are serialised until the transaction ends, so none duplicates.
   */
  async conditionalMatch(type: string, criteria: ParsedSearch, what: string): Promise<StoredVersion | undefined> {
    await store.lockKey(this.tx.unbuffered(), `conditional:${type}?${criteria.lockKey}`);
    await this.loadCare(namedRecords(criteria));
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
    await store.lockKey(this.tx.unbuffered(), `${type}/${id}`);
    const current = await this.tx.findCurrent(type, id);
    if (!current) {
      if (opts.ifMatch !== undefined) {
        throw new AppError(412, 'conflict', `If-Match names version ${opts.ifMatch} but ${type}/${id} does not exist`);
      }
      await this.authorize('create', { interaction: 'create', resourceType: type, id, versionId: 1, patientId: prepared.patientId }, { tokens: new Set(prepared.index.tokens) });
      await this.checkSingleton(prepared);
      await this.checkRecordRules(prepared);
      return { version: await this.put(prepared, 1), created: true };
    }
    const versionId = current.versionId + 1;
    const rec = { interaction: 'update' as const, resourceType: type, id, versionId, patientId: current.patientId };
    await this.authorize('update', rec, { ownDocument: await this.ownDocument(type, id, current.patientId), tokens: new Set(prepared.index.tokens) });
    await this.checkDocumentVisible(type, id, current.patientId, rec);
    if (opts.ifMatch !== undefined && opts.ifMatch !== current.versionId) {
      throw new AppError(412, 'conflict', `If-Match names version ${opts.ifMatch} but ${type}/${id} is at version ${current.versionId}`);
    }
    if (current.patientId !== prepared.patientId) {
      throw new AppError(422, 'business-rule', `An update cannot move ${type}/${id} to another patient's record (or out of one)`);
    }
    await this.checkSingleton(prepared);
    await this.checkRecordRules(prepared);
    return { version: await this.put(prepared, versionId), created: false };
  }

  /** Soft delete: a new version marked deleted; the history keeps every earlier version. */
  async delete(type: string, id: string): Promise<void> {
    if (APPEND_ONLY_TYPES.has(type)) throw new AppError(405, 'not-supported', `${type} is append-only: it cannot be deleted`);
    await store.lockKey(this.tx.unbuffered(), `${type}/${id}`);
    const current = await this.tx.findCurrent(type, id);
    if (!current) throw notFound(`${type}/${id} is not known`);
    const versionId = current.versionId + (current.deleted ? 0 : 1);
    const rec = { interaction: 'delete' as const, resourceType: type, id, versionId, patientId: current.patientId };
    await this.authorize('delete', rec, { ownDocument: !current.deleted && (await this.ownDocument(type, id, current.patientId)) });
    if (current.deleted) return;
    await this.checkDocumentVisible(type, id, current.patientId, rec);
    this.wrote = true;
    await this.tx.write({
      patientId: current.patientId,
      resourceType: type,
      id,
      versionId,
      lastUpdated: this.ctx.now().toISOString(),
      content: null,
      index: emptyIndex(),
    });
  }

  async read(type: string, id: string): Promise<StoredVersion> {
    const current = await this.tx.findCurrent(type, id);
    if (!current) throw notFound(`${type}/${id} is not known`);
    const rec = { interaction: 'read' as const, resourceType: type, id, versionId: current.versionId, patientId: current.patientId };
    await this.authorize('read', rec);
    // a document the reader may not see is unknown to them, deleted or not
    await this.checkDocumentVisible(type, id, current.patientId, rec);
    if (current.deleted) throw new AppError(410, 'deleted', `${type}/${id} was deleted`);
    return current;
  }

  async vread(type: string, id: string, versionId: number): Promise<StoredVersion> {
    const version = await store.findVersion(this.tx, type, id, versionId);
    if (!version) throw notFound(`${type}/${id} has no version ${versionId}`);
    const rec = { interaction: 'vread' as const, resourceType: type, id, versionId, patientId: version.patientId };
    await this.authorize('read', rec);
    await this.checkDocumentVisible(type, id, version.patientId, rec);
    if (version.deleted) throw new AppError(410, 'deleted', `Version ${versionId} of ${type}/${id} is its deletion`);
    return version;
  }

  async history(type: string, id: string, page: store.Page): Promise<HistoryPage> {
    const current = await store.findCurrent(this.tx, type, id);
    if (!current) throw notFound(`${type}/${id} is not known`);
    const rec = { interaction: 'history-instance' as const, resourceType: type, id, patientId: current.patientId };
    await this.authorize('read', rec);
    await this.checkDocumentVisible(type, id, current.patientId, rec);
    return paged(await store.instanceHistory(this.tx, type, id, page), page.count);
  }

  async typeHistory(type: string, page: store.Page): Promise<HistoryPage> {
    const scope = this.scopeOrRefuse(type, 'history-type');
    if (scope.rows) {
      // past versions carry no search columns to apply the document rules to: readers search instead
      throw new AppError(403, 'forbidden', `The history of every ${type} is offered to Carnet only; search the documents instead`);
    }
    const result = paged(await store.typeHistory(this.tx, type, scope, page), page.count);
    touchCompartments(this.trail, 'history-type', type, result.versions);
    return result;
  }

  async search(type: string, search: ParsedSearch): Promise<SearchResult> {
    // a professional's searches reach the records they name (patient=..., subject=...) where they are authorised
    await this.loadCare(namedRecords(search));
    // a refusal of a named record is audited in that record, before any other refusal
    this.refuseForeignRecords(type, search, this.scopeFor(type));
    const scope = this.scopeOrRefuse(type, 'search-type', search.canonical);
    const query = this.query(type, search, scope);
    let total: number | undefined;
    if (search.total || search.summaryCount) total = await store.countCurrent(this.tx, query);
    if (search.summaryCount) return { versions: [], included: [], ...(total !== undefined ? { total } : {}) };
    const rows = await store.searchCurrent(this.tx, query);
    const versions = rows.slice(0, search.count);
    const next = rows.length > search.count ? versions[versions.length - 1]!.keys : undefined;
    // the whole result fits on a first page: its total is known without counting
    if (total === undefined && !next && !search.cursor) total = versions.length;
    touchCompartments(this.trail, 'search-type', type, versions, search.canonical);
    const included = await this.includes(type, search, versions);
    return { versions, included, ...(next ? { next } : {}), ...(total !== undefined ? { total } : {}) };
  }

  /** _include and _revinclude of a page, each within the caller's scope on the included type. */
  private async includes(type: string, search: ParsedSearch, page: StoredVersion[]): Promise<StoredVersion[]> {
    if (page.length === 0 || (search.include.length === 0 && search.revinclude.length === 0)) return [];
    const seen = new Set(page.map((v) => `${v.resourceType}/${v.id}`));
    const out: StoredVersion[] = [];
    const add = (found: StoredVersion[], spec: IncludeSpec, interaction: Interaction) => {
      const fresh = found.filter((v) => !seen.has(`${v.resourceType}/${v.id}`));
      for (const v of fresh) seen.add(`${v.resourceType}/${v.id}`);
      touchCompartments(this.trail, interaction, fresh[0]?.resourceType ?? spec.sourceType, fresh, `${interaction === 'read' ? '_include' : '_revinclude'}=${spec.sourceType}:${spec.param}`);
      out.push(...fresh);
    };
    for (const spec of search.include) {
      const byType = new Map<string, Set<string>>();
      for (const v of page) {
        for (const ref of referencesOf(v.content!, spec.param, this.fhirBase)) {
          const [t, id] = ref.split('/') as [string, string];
          if (spec.targetType && t !== spec.targetType) continue;
          if (!byType.has(t)) byType.set(t, new Set());
          byType.get(t)!.add(id);
        }
      }
      for (const [t, ids] of byType) {
        const found = await store.findByIds(this.tx, t, [...ids], this.scopeFor(t));
        add(found, spec, 'read');
      }
    }
    for (const spec of search.revinclude) {
      if (spec.targetType && spec.targetType !== type) continue;
      const tokens = page.map((v) => `${spec.param}=${v.resourceType}/${v.id}`);
      const found = await store.findReferencing(this.tx, spec.sourceType, tokens, this.scopeFor(spec.sourceType), REVINCLUDE_LIMIT);
      add(found, spec, 'search-type');
    }
    return out;
  }

  private query(type: string, search: ParsedSearch, scope = this.scopeFor(type)): store.SearchQuery {
    return {
      type,
      scope,
      scopeFor: (t) => this.scopeFor(t),
      filters: search.filters,
      sort: search.sort,
      count: search.count,
      ...(search.cursor ? { after: search.cursor } : {}),
      ...(search.since ? { since: search.since } : {}),
    };
  }

  /**
   * A search whose criteria name a patient record the caller may not read is refused, not answered with the
   * other records' matches only, and the refusal is audited in that record (the patient sees the attempt).
   */
  private refuseForeignRecords(type: string, search: ParsedSearch, scope: store.Scope): void {
    if (scope.patientIds === 'all') return;
    const readable = scope.patientIds;
    for (const f of search.filters) {
      const foreign = f.kind === 'token' && f.patients ? f.patients.find((id) => !readable.includes(id)) : undefined;
      if (foreign === undefined) continue;
      const care = this.care.get(foreign);
      const decision = decide(this.ctx.principal, { action: 'search', resourceType: type, patientId: foreign, ...(care ? { care } : {}) });
      throw this.trail.refuse(
        { interaction: 'search-type', resourceType: type, patientId: foreign, query: search.canonical },
        decision.allow ? 'no access to this record' : decision.reason,
      );
    }
  }

  private scopeOrRefuse(type: string, interaction: Interaction, query?: string): store.Scope {
    const scope = this.scopeFor(type);
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
    return store.searchCurrent(this.tx, this.query(type, search));
  }
}

interface Prepared {
  resource: Json;
  patientId: string | null;
  index: SearchIndex;
}

function prepare(input: Json, id: string, fhirBase: string, now: Date = new Date()): Prepared {
  const resource = { ...input, id };
  assertValid(resource);
  // the medical profile's rules (plausible measures, CIP13 keys...), the same for the web app and /fhir
  assertProfileRules(resource, now);
  return { resource, patientId: patientCompartment(resource, fhirBase), index: extractIndex(resource, fhirBase) };
}

/** Resources checked and indexed for a bulk write, before any database work (see Repository.prepareImport). */
export interface PreparedImport {
  prepared: { index: number; p: Prepared }[];
  failed: { index: number; error: AppError }[];
}

/** The patient records a search's criteria name (patient=, subject=...). */
function namedRecords(search: ParsedSearch): string[] {
  return search.filters.flatMap((f) => (f.kind === 'token' && f.patients ? f.patients : []));
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
