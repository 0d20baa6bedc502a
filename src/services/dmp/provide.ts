import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../db/index.js';
import { checkProvideBundle, type BundleIssue, type PlannedDocument, type ProvidePlan } from '../../domain/documents/provide-bundle.js';
import { AppError, forbidden, type Issue } from '../../errors.js';
import { operationOutcome } from '../../fhir/outcome.js';
import type { FhirOperations, RequestContext } from '../../repo/index.js';
import { notify, type NewNotification } from '../accounts/notifications.js';
import type { FhirResponse } from '../fhir/router.js';
import type { DmpDeps } from './deps.js';
import { openHold } from './holds.js';
import { announceable, categoryOfDoc, hasVisibility, withBlob, withDepositors, withVisibility } from './document-resource.js';
import { claimMasterIdentifiers, documentIdByIdentifier, resolveRecord } from '../../repo/dmp-records.js';

type Json = Record<string, unknown>;

/** Rule issues (domain/documents/provide-bundle.ts) as the error answered: 422, each issue naming its rule. */
export function rejectIssues(issues: BundleIssue[], status = 422): AppError {
  const mapped: Issue[] = issues.map((i) => ({ severity: 'error', code: issueType(i.code), diagnostics: `[${i.code}] ${i.message}`, expression: i.expression }));
  return AppError.fromIssues(status, mapped).withCode(issues[0]?.code ?? 'mhd.invalid');
}

function issueType(code: string): Issue['code'] {
  if (code.endsWith('-missing')) return 'required';
  if (code.endsWith('-unknown')) return 'code-invalid';
  if (code.includes('duplicate')) return 'duplicate';
  return 'invalid';
}

/** The references Carnet records as the depositor of what this principal submits. */
export function depositorReferences(ctx: RequestContext): string[] {
  const p = ctx.principal;
  if (p.role === 'professional' && p.practitionerId) {
    return [`Practitioner/${p.practitionerId}`, ...(p.practice?.organizationId ? [`Organization/${p.practice.organizationId}`] : [])];
  }
  if (p.role === 'patient' && p.patientId) return [`Patient/${p.patientId}`];
  return [];
}

/**
 * ITI-65, Provide Document Bundle: checks the submission against the MHD and PDSm rules (nothing is stored
 * when one fails), stores the documents' bytes in the BlobStore, then writes the submission set, the
 * documents and the folders in one unit of work, through the access policy and its audit. A document that
 * replaces another makes it superseded; the patient is notified of what they can see.
 */
export async function provideDocuments(deps: DmpDeps, ctx: RequestContext, bundle: Json): Promise<FhirResponse> {
  const p = ctx.principal;
  if (p.role !== 'system' && !(p.role === 'professional' && p.practitionerId)) {
    throw forbidden('Documents are deposited by health professionals (ITI-65); patients add theirs in their space').withCode('mhd.producer-only');
  }
  const checked = checkProvideBundle(bundle);
  if (!checked.ok) throw rejectIssues(checked.issues);
  const plan = checked.plan;
  for (const d of plan.documents) {
    if (d.binary.bytes.length > deps.maxDocumentBytes) {
      throw new AppError(413, 'too-long', `[mhd.too-large] The document ${d.fullUrl} has ${d.binary.bytes.length} bytes; at most ${deps.maxDocumentBytes} are accepted (DOCUMENT_MAX_BYTES)`, [
        `Bundle.entry[${d.binary.entryIndex}].resource.data`,
      ]).withCode('mhd.too-large');
    }
  }
  const ids = await deps.repo.run(ctx, (ops) => write(deps, ctx, ops, plan));
  return { status: 200, headers: {}, body: response(bundle, ids, checked.warnings) };
}

interface Assigned {
  /** fullUrl → local reference. */
  refs: Map<string, string>;
}

async function write(deps: DmpDeps, ctx: RequestContext, ops: FhirOperations, plan: ProvidePlan): Promise<Assigned> {
  const at = ctx.now();
  const subjectAt = [`Bundle.entry[${plan.submissionSet.entryIndex}].resource.subject`];
  const { patientId, maskNewDocuments: mask } = await ops.withTables((q) => resolveRecord(q, plan.patient.reference, subjectAt));
  const patientRef = `Patient/${patientId}`;
  await ops.withTables((q) => refuseDuplicates(q, plan.documents));
  await checkFolderEntries(ops, plan, patientId);
  // the bytes once the record and the identifiers are checked (content-addressed: storing twice is harmless
  // when the unit runs again; a unit refused later leaves unreferenced blobs, see docs/dmp.md)
  const blobKeys = (await Promise.all(plan.documents.map((d) => deps.blobs.put(d.binary.bytes)))).map((k) => k.key);
  const refs = new Map<string, string>();
  const docIds = plan.documents.map(() => randomUUID());
  plan.documents.forEach((d, i) => {
    refs.set(d.fullUrl, `DocumentReference/${docIds[i]}`);
    refs.set(d.binary.fullUrl, `Binary/${docIds[i]}`);
  });
  for (const f of plan.folders) refs.set(f.fullUrl, `List/${randomUUID()}`);
  refs.set(plan.submissionSet.fullUrl, `List/${randomUUID()}`);

  const notifications: NewNotification[] = [];
  const depositors = depositorReferences(ctx);
  for (const [i, d] of plan.documents.entries()) {
    const replaced = d.replaces ? await supersede(ops, d, patientId) : undefined;
    let doc = rewrite(d.resource, refs) as Json;
    doc = { ...doc, subject: { reference: patientRef } };
    if (replaced) doc = { ...doc, relatesTo: [{ code: 'replaces', target: { reference: `DocumentReference/${replaced}` } }] };
    doc = withBlob(withDepositors(doc, depositors), blobKeys[i]!, `${deps.fhirBase}/Binary/${docIds[i]}`);
    if (mask) doc = withVisibility(doc, 'MASQUE_PS', true);
    await ops.create(doc, { id: docIds[i]! });
    if (hasVisibility(doc, 'INVISIBLE_PATIENT')) {
      await ops.withTables((q) => openHold(q, patientId, docIds[i]!, at));
    } else if (announceable(doc)) {
      const type = replaced ? 'MODIF_DOCUMENT' : 'AJOUT_DOCUMENT';
      notifications.push({ patientId, category: 'documents', type, params: { documentId: docIds[i], category: categoryOfDoc(doc) } });
    }
  }
  for (const list of [plan.submissionSet, ...plan.folders]) {
    const id = refs.get(list.fullUrl)!.split('/')[1]!;
    let resource: Json = { ...(rewrite(list.resource, refs) as Json), subject: { reference: patientRef } };
    if (list === plan.submissionSet) resource = withUniqueId(resource, id);
    await ops.create(resource, { id });
  }
  if (notifications.length) await ops.withTables((q) => notify(q, deps.mailer, notifications, at));
  return { refs };
}

const UNIQUE_ID_TYPE = 'https://profiles.ihe.net/ITI/MHD/CodeSystem/IHE.MHD.MHDIdentifierType';

/** A submission set without a uniqueId gets one (XDS requires it; MHD and the ANS's example may omit it). */
function withUniqueId(list: Json, id: string): Json {
  const ids = Array.isArray(list.identifier) ? (list.identifier as Json[]) : [];
  const has = ids.some((i) => JSON.stringify(i.type ?? {}).includes('"uniqueId"'));
  if (has) return list;
  const oid = `urn:oid:2.25.${BigInt(`0x${id.replaceAll('-', '')}`).toString()}`;
  return { ...list, identifier: [...ids, { type: { coding: [{ system: UNIQUE_ID_TYPE, code: 'uniqueId' }] }, system: 'urn:ietf:rfc:3986', value: oid }] };
}

/** A folder may list documents already stored: of this record, and that the depositor sees. */
async function checkFolderEntries(ops: FhirOperations, plan: ProvidePlan, patientId: string): Promise<void> {
  const inBundle = new Set(plan.documents.map((d) => d.fullUrl));
  for (const f of plan.folders) {
    const entries = Array.isArray(f.resource.entry) ? (f.resource.entry as Json[]) : [];
    for (const [i, e] of entries.entries()) {
      const ref = (e.item as Json | undefined)?.reference;
      if (typeof ref !== 'string' || inBundle.has(ref)) continue;
      const id = /^DocumentReference\/([A-Za-z0-9\-.]{1,64})$/.exec(ref)?.[1];
      const at = [`Bundle.entry[${f.entryIndex}].resource.entry[${i}].item`];
      const found = id ? await ops.read('DocumentReference', id).catch((err: unknown) => (err instanceof AppError && err.status < 500 && err.status !== 403 ? undefined : Promise.reject(err))) : undefined;
      if (!found || found.patientId !== patientId) {
        throw new AppError(422, 'business-rule', `[mhd.folder-entry] The folder lists ${ref}, which is not a document of this record`, at).withCode('mhd.folder-entry');
      }
    }
  }
}

/** A masterIdentifier is unique in the whole store (XDS uniqueId); concurrent submissions of one are serialised. */
async function refuseDuplicates(q: Queryable, docs: PlannedDocument[]): Promise<void> {
  const value = await claimMasterIdentifiers(q, docs.map((d) => d.masterIdentifier));
  if (value !== undefined) {
    const doc = docs.find((d) => d.masterIdentifier === value)!;
    throw new AppError(409, 'duplicate', `[mhd.master-identifier-duplicate] A document with the masterIdentifier ${value} is already stored`, [
      `Bundle.entry[${doc.entryIndex}].resource.masterIdentifier`,
    ]).withCode('mhd.master-identifier-duplicate');
  }
}

/**
 * Marks the document a new one replaces as superseded: it must be a current document of the same record, and
 * the repository lets only its depositor change it. Returns its id.
 */
async function supersede(ops: FhirOperations, d: PlannedDocument, patientId: string): Promise<string> {
  const at = [`Bundle.entry[${d.entryIndex}].resource.relatesTo`];
  let id: string | undefined;
  if (d.replaces?.reference) id = /^DocumentReference\/([A-Za-z0-9\-.]{1,64})$/.exec(d.replaces.reference)?.[1];
  else if (d.replaces?.identifier) {
    const value = d.replaces.identifier.value;
    id = await ops.withTables((q) => documentIdByIdentifier(q, value));
  }
  if (!id) throw new AppError(422, 'not-found', '[mhd.replace-unknown] The document to replace is not known', at).withCode('mhd.replace-unknown');
  // two replacements of one document are serialised: the second finds it superseded
  const docId = id;
  await ops.withTables((q) => q.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`DocumentReference/${docId}`]));
  let old;
  try {
    old = await ops.read('DocumentReference', id);
  } catch (err) {
    if (err instanceof AppError && (err.status === 404 || err.status === 410)) {
      throw new AppError(422, 'not-found', `[mhd.replace-unknown] DocumentReference/${id}, to be replaced, is not known`, at).withCode('mhd.replace-unknown');
    }
    throw err;
  }
  if (old.patientId !== patientId) {
    throw new AppError(422, 'business-rule', `[mhd.replace-other-patient] DocumentReference/${id} is in another patient's record`, at).withCode('mhd.replace-other-patient');
  }
  const current = JSON.parse(old.content!) as Json;
  if (current.status !== 'current') {
    throw new AppError(422, 'business-rule', `[mhd.replace-not-current] DocumentReference/${id} is ${String(current.status)}: only a current document is replaced`, at).withCode(
      'mhd.replace-not-current',
    );
  }
  await ops.update({ ...current, status: 'superseded' });
  return id;
}

/** Every reference to a fullUrl of the submission, made local. */
function rewrite(value: unknown, refs: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => rewrite(v, refs));
  if (value === null || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) out[k] = k === 'reference' && typeof v === 'string' && refs.has(v) ? refs.get(v) : rewrite(v, refs);
  return out;
}

/** The transaction-response: one entry per submitted entry, in order, with the warnings on their document. */
function response(bundle: Json, assigned: Assigned, warnings: BundleIssue[]): Json {
  const entries = bundle.entry as Json[];
  return {
    resourceType: 'Bundle',
    type: 'transaction-response',
    entry: entries.map((e, index) => {
      const local = assigned.refs.get(e.fullUrl as string);
      const mine = warnings.filter((w) => w.expression.some((x) => x.startsWith(`Bundle.entry[${index}]`)));
      return {
        response: {
          status: '201 Created',
          ...(local ? { location: local.startsWith('Binary/') ? local : `${local}/_history/1` } : {}),
          ...(mine.length
            ? { outcome: operationOutcome(mine.map((w) => ({ severity: 'warning' as const, code: 'business-rule' as const, diagnostics: `[${w.code}] ${w.message}`, expression: w.expression }))) }
            : {}),
        },
      };
    }),
  };
}
