import type { Readable } from 'node:stream';
import { AppError, forbidden, notFound } from '../../errors.js';
import type { FhirOperations, RequestContext, StoredVersion, WriteResult } from '../../repo/index.js';
import { notify } from '../accounts/notifications.js';
import type { DmpDeps } from './deps.js';
import { closeHold, openHold } from './holds.js';
import { securityCodeOf } from '../../domain/documents/codes.js';
import { announceable, attachmentOf, blobKeyOf, categoryOfDoc, depositorsOf, hasVisibility, IS_ARCHIVED_URL, securityCodesOf } from './document-resource.js';

type Json = Record<string, unknown>;

/**
 * The documents of a record once deposited: their bytes (ITI-68), the metadata update by the producer or the
 * patient, and their deletion. Every access goes through the repository (policy, document rules, audit).
 */

/** What a FHIR response streams instead of JSON: a document's bytes. */
export interface StreamBody {
  contentType: string;
  size?: number;
  open: () => Promise<Readable>;
}

/**
 * ITI-68: the bytes of a document, Binary/<document id>. Reading them reads the DocumentReference (so the
 * access policy and the document rules decide, and the audit names the document); the bytes stream from the
 * BlobStore after the unit of work, never held whole. With `asResource` (Accept: application/fhir+json) the
 * answer is a Binary resource with the bytes in base64, for documents up to 1 MB.
 */
export async function retrieve(deps: DmpDeps, ops: FhirOperations, id: string, asResource: boolean): Promise<{ stream: StreamBody } | { resource: Json }> {
  let version;
  try {
    version = await ops.read('DocumentReference', id);
  } catch (err) {
    if (err instanceof AppError && err.status === 404) throw notFound(`Binary/${id} is not known`);
    throw err;
  }
  const doc = JSON.parse(version.content!) as Json;
  const key = blobKeyOf(doc);
  if (!key) throw notFound(`Binary/${id} has no content stored in Carnet`);
  const att = attachmentOf(doc) ?? {};
  const contentType = typeof att.contentType === 'string' ? att.contentType : 'application/octet-stream';
  const size = typeof att.size === 'number' ? att.size : undefined;
  if (asResource) {
    if (size !== undefined && size > 1024 * 1024) {
      throw new AppError(406, 'not-supported', `Binary/${id} has ${size} bytes: ask for it as ${contentType} (or */*) rather than as a FHIR resource`);
    }
    const bytes = await deps.blobs.read(key);
    return { resource: { resourceType: 'Binary', id, contentType, securityContext: { reference: `DocumentReference/${id}` }, data: bytes.toString('base64') } };
  }
  return { stream: { contentType, ...(size !== undefined ? { size } : {}), open: () => deps.blobs.get(key) } };
}

/** Who is changing a document, as the metadata rules see them. */
type Changer = { kind: 'system' } | { kind: 'producer' } | { kind: 'patient-side'; ownUpload: boolean };

function changerOf(ctx: RequestContext, doc: Json): Changer {
  const p = ctx.principal;
  if (p.role === 'system') return { kind: 'system' };
  if (p.role === 'patient') return { kind: 'patient-side', ownUpload: depositorsOf(doc).some((d) => d.startsWith('Patient/')) };
  // a professional reaching this far is the depositor: the repository refuses the others' updates
  return { kind: 'producer' };
}

/** The fields of a DocumentReference the metadata update may change (PDSm flows 03/04: status, confidentiality, visibility, archived). */
const MUTABLE = ['status', 'securityLabel', 'meta', 'text'] as const;

/** What the patient may change on their own uploads besides visibility (MES: title, category, date). */
const PATIENT_UPLOAD_MUTABLE = ['description', 'category', 'type', 'date'] as const;

/**
 * PUT DocumentReference/<id>: the metadata update. The producer changes the status, the confidentiality and
 * visibility codes and the archived flag; the patient hides from professionals or from their representatives
 * (MASQUE_PS, INVISIBLE_REPRESENTANTS_LEGAUX) and edits the title, category and date of their own uploads.
 * Nothing else changes, and what Carnet manages (depositor, stored bytes) never does.
 */
export async function updateMetadata(deps: DmpDeps, ops: FhirOperations, proposed: Json, ifMatch?: number, read?: StoredVersion): Promise<WriteResult> {
  const id = proposed.id as string;
  // the current version, unless the caller read it in this unit already (through the repository too)
  const currentVersion = read ?? await ops.read('DocumentReference', id).catch((err: unknown) => {
    // a PUT of a document that does not exist would be a create: documents are created by ITI-65
    if (err instanceof AppError && err.status === 404) {
      throw new AppError(405, 'not-supported', `DocumentReference/${id} does not exist: documents are deposited with an ITI-65 transaction Bundle (POST to the FHIR base)`).withCode('mhd.use-iti65');
    }
    throw err;
  });
  const current = JSON.parse(currentVersion.content!) as Json;
  const changer = changerOf(ops.ctx, current);
  const allowed = new Set<string>(MUTABLE);
  if (changer.kind === 'patient-side' && changer.ownUpload) for (const f of PATIENT_UPLOAD_MUTABLE) allowed.add(f);
  if (changer.kind === 'patient-side' && changer.ownUpload) allowed.add('content');
  const changed = changedFields(current, proposed).filter((f) => !allowed.has(f) && f !== 'extension');
  if (changed.length) {
    throw new AppError(422, 'business-rule', `[mhd.update-not-allowed] Only the status, confidentiality, visibility and archived flag of a document change; not ${changed.join(', ')}`, changed.map((f) => `DocumentReference.${f}`)).withCode(
      'mhd.update-not-allowed',
    );
  }
  // extensions: only the archived flag is the client's to change
  const managed = (r: Json) => JSON.stringify((Array.isArray(r.extension) ? (r.extension as Json[]) : []).filter((e) => e.url !== IS_ARCHIVED_URL));
  if (managed(current) !== managed(proposed)) {
    throw new AppError(422, 'business-rule', '[mhd.update-not-allowed] The extensions of a document (who deposited it) are Carnet\'s; only the archived flag changes', ['DocumentReference.extension']).withCode(
      'mhd.update-not-allowed',
    );
  }
  if (changer.kind === 'patient-side' && changer.ownUpload && JSON.stringify(blobsOf(current)) !== JSON.stringify(blobsOf(proposed))) {
    throw new AppError(422, 'business-rule', '[mhd.update-not-allowed] The content of a document is replaced by a new document, not changed', ['DocumentReference.content']).withCode('mhd.update-not-allowed');
  }
  checkLabels(proposed);
  if (changer.kind === 'patient-side') checkPatientChange(current, proposed, changer.ownUpload);
  // hiding from professionals is the holder's decision (R1111-49): the producer adds it, never lifts it
  if (changer.kind === 'producer' && hasVisibility(current, 'MASQUE_PS') && !hasVisibility(proposed, 'MASQUE_PS')) {
    throw forbidden('The patient hid this document from professionals: only they can show it again').withCode('documents.mask-is-patients');
  }
  const result = await ops.update(proposed, ifMatch !== undefined ? { ifMatch } : {});
  await afterVisibilityChange(deps, ops, current, proposed, currentVersion.patientId!);
  return result;
}

function blobsOf(doc: Json): unknown {
  return (Array.isArray(doc.content) ? (doc.content as Json[]) : []).map((c) => {
    const a = (c.attachment ?? {}) as Json;
    return [blobKeyOf({ content: [c] }), a.url, a.size, a.hash, a.contentType];
  });
}

/** Every confidentiality or visibility code must be one Carnet knows, in its code system (as in ITI-65). */
function checkLabels(doc: Json): void {
  const labels = Array.isArray(doc.securityLabel) ? (doc.securityLabel as Json[]) : [];
  for (const [i, l] of labels.entries()) {
    const cs = l && typeof l === 'object' && Array.isArray(l.coding) ? (l.coding as Json[]) : [];
    if (cs.length === 0 || cs.some((c) => securityCodeOf(c as { system?: string; code?: string }) === undefined)) {
      throw new AppError(422, 'code-invalid', `[dmp.security-label-unknown] securityLabel[${i}] is not a code of J08 (N, R, V) or TRE_A07 (MASQUE_PS, INVISIBLE_PATIENT, INVISIBLE_REPRESENTANTS_LEGAUX) in its code system`, [
        `DocumentReference.securityLabel[${i}]`,
      ]).withCode('dmp.security-label-unknown');
    }
  }
}

/** The patient side changes the two visibility codes that are theirs, and the status of nothing. */
function checkPatientChange(current: Json, proposed: Json, ownUpload: boolean): void {
  const theirs = new Set<string>(['MASQUE_PS', 'INVISIBLE_REPRESENTANTS_LEGAUX']);
  const before = new Set(securityCodesOf(current));
  const after = new Set(securityCodesOf(proposed));
  const touched = [...new Set([...before, ...after])].filter((c) => before.has(c) !== after.has(c));
  const notTheirs = touched.filter((c) => !theirs.has(c));
  if (notTheirs.length) {
    throw forbidden(`The patient hides a document from professionals or from their representatives; ${notTheirs.join(', ')} is set by the professional`).withCode('documents.label-not-yours');
  }
  if (current.status !== proposed.status || (!ownUpload && JSON.stringify(current.category) !== JSON.stringify(proposed.category))) {
    throw forbidden('A document deposited by a professional is changed by its producer only').withCode('documents.not-own');
  }
}

/** The top-level fields whose values differ (meta and text aside, which Carnet rewrites). */
function changedFields(a: Json, b: Json): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => k !== 'id' && k !== 'resourceType' && JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

/**
 * After a change of visibility: a document made visible to the patient (INVISIBLE_PATIENT removed) closes
 * its hold and is announced to them; one held back from them later opens a hold.
 */
async function afterVisibilityChange(deps: DmpDeps, ops: FhirOperations, before: Json, after: Json, patientId: string): Promise<void> {
  const was = hasVisibility(before, 'INVISIBLE_PATIENT');
  const is = hasVisibility(after, 'INVISIBLE_PATIENT');
  if (was === is) return;
  const at = ops.ctx.now();
  const id = after.id as string;
  await ops.withTables(async (q) => {
    if (was) {
      await closeHold(q, patientId, id, at);
      if (announceable(after)) await notify(q, deps.mailer, [{ patientId, category: 'documents', type: 'AJOUT_DOCUMENT', params: { documentId: id, category: categoryOfDoc(after) } }], at);
    } else {
      await openHold(q, patientId, id, at);
    }
  });
}

/**
 * DELETE DocumentReference/<id>: by its producer (the repository lets only the depositor delete it), or by the
 * patient for their own uploads. The patient is told when a professional deletes a document.
 */
export async function deleteDocument(deps: DmpDeps, ops: FhirOperations, id: string): Promise<void> {
  const current = await ops.read('DocumentReference', id);
  const doc = JSON.parse(current.content!) as Json;
  const changer = changerOf(ops.ctx, doc);
  if (changer.kind === 'patient-side' && !changer.ownUpload) {
    throw forbidden('A document deposited by a professional is deleted by its producer only; you can hide it').withCode('documents.not-own');
  }
  await ops.delete('DocumentReference', id);
  const at = ops.ctx.now();
  const heldBack = hasVisibility(doc, 'INVISIBLE_PATIENT');
  await ops.withTables(async (q) => {
    // a document held back from the patient: no notice nor release to come, and no word of its deletion
    if (heldBack) await closeHold(q, current.patientId!, id, at);
    if (changer.kind === 'producer' && announceable(doc)) {
      await notify(q, deps.mailer, [{ patientId: current.patientId!, category: 'documents', type: 'SUPP_DOC', params: { documentId: id, category: categoryOfDoc(doc) } }], at);
    }
  });
}
