import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { unzipSync } from 'fflate';
import { categoryOf, typeByCode, type Category } from '../../domain/documents/codes.js';
import { LIMITS } from '../../domain/messaging/index.js';
import { AppError, badRequest, notFound } from '../../errors.js';
import type { RequestContext } from '../../repo/index.js';
import { attachmentOf, blobKeyOf } from '../dmp/document-resource.js';
import { uploadDocument } from '../dmp/uploads.js';
import type { DocumentView } from '../dmp/views.js';
import { MEDICAL_SUMMARY_TITLE } from '../documents/medical-summary.js';
import { parseSummarySections, summaryPdf } from '../profile-documents/summary.js';
import { SUMMARY_SECTIONS, type SummarySection } from '../profile-documents/types.js';
import { attachmentsOf, type StoredAttachment } from './communication.js';
import type { MessagingDeps } from './deps.js';
import { isUuid } from '../ids.js';

type Json = Record<string, unknown>;

/** An attachment of a message being written (web/src/messaging-types.ts AttachmentRef). */
export type AttachmentRef =
  | { kind: 'upload'; uploadId: string; filename: string; contentType: string }
  | { kind: 'document'; documentId: string }
  | { kind: 'medical-profile'; sections?: SummarySection[] };

const CONTENT_TYPE = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/i;

/** Reads an attachment list from a request body; 400 for anything malformed. */
export function parseAttachmentRefs(value: unknown, allowProfile: boolean): AttachmentRef[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw badRequest('attachments is a list', ['attachments']).withCode('messages.attachments');
  if (value.length > LIMITS.maxAttachments) {
    throw new AppError(413, 'too-long', `A message carries at most ${LIMITS.maxAttachments} attachments`).withCode('messages.too-many-attachments');
  }
  return value.map((v, i) => {
    const a = (typeof v === 'object' && v !== null ? v : {}) as Json;
    const where = [`attachments[${i}]`];
    if (a.kind === 'upload' && typeof a.uploadId === 'string' && isUuid(a.uploadId) && typeof a.filename === 'string' && a.filename.trim() && typeof a.contentType === 'string' && CONTENT_TYPE.test(a.contentType)) {
      return { kind: 'upload', uploadId: a.uploadId, filename: a.filename.trim().slice(0, 200), contentType: a.contentType.toLowerCase() };
    }
    if (a.kind === 'document' && typeof a.documentId === 'string' && /^[A-Za-z0-9\-.]{1,64}$/.test(a.documentId)) return { kind: 'document', documentId: a.documentId };
    if (a.kind === 'medical-profile' && allowProfile) {
      // the summary of the sections chosen (all by default), made at sending time
      return a.sections === undefined ? { kind: 'medical-profile' } : { kind: 'medical-profile', sections: parseSummarySections(a.sections, `attachments[${i}].sections`) };
    }
    throw badRequest('Each attachment is an upload {kind, uploadId, filename, contentType}, a document {kind, documentId} or the medical-profile summary', where).withCode('messages.attachments');
  });
}

/**
 * The bytes of an attachment sent ahead (POST …/uploads): stored in the BlobStore, and registered as the
 * uploader's, so that nobody else attaches them (knowing a file's hash is not enough).
 */
export async function storeUpload(deps: MessagingDeps, ownerUserId: string, body: Readable | Buffer): Promise<{ uploadId: string; size: number }> {
  const blob = await deps.blobs.put(body, { maxBytes: LIMITS.maxAttachmentBytes });
  if (blob.size === 0) throw badRequest('The file is empty', ['file']).withCode('messages.upload-empty');
  const uploadId = randomUUID();
  await deps.db.query('INSERT INTO mss_upload (id, owner_user, blob_key, size_bytes, created_at) VALUES ($1, $2, $3, $4, $5)', [uploadId, ownerUserId, blob.key, blob.size, deps.clock.now()]);
  return { uploadId, size: blob.size };
}

/** Forgets the uploads of more than a day ago: a file sent ahead is attached within minutes, or never. */
export async function forgetOldUploads(deps: Pick<MessagingDeps, 'db'>, now: Date): Promise<number> {
  const { rowCount } = await deps.db.query('DELETE FROM mss_upload WHERE created_at < $1', [new Date(now.getTime() - 86_400_000)]);
  return rowCount ?? 0;
}

/** An upload of this user: its bytes' key and size; 404 for anyone else's or an unknown one. */
export async function ownUpload(deps: MessagingDeps, ownerUserId: string, uploadId: string): Promise<{ key: string; size: number }> {
  const { rows } = await deps.db.query<{ blob_key: string; size_bytes: string }>('SELECT blob_key, size_bytes FROM mss_upload WHERE id = $1 AND owner_user = $2', [uploadId, ownerUserId]);
  if (!rows[0]) throw notFound('This upload is not known: send the file again').withCode('messages.upload-unknown');
  return { key: rows[0].blob_key, size: Number(rows[0].size_bytes) };
}

/**
 * The attachments of a message being written, stored: uploads must exist, documents are read through the
 * repository with the writer's context (the document rules decide, the read is audited), the summary is made.
 */
export async function resolveAttachments(deps: MessagingDeps, ctx: RequestContext, patientId: string, refs: readonly AttachmentRef[]): Promise<StoredAttachment[]> {
  const out: StoredAttachment[] = [];
  for (const ref of refs) {
    if (ref.kind === 'upload') {
      const upload = await ownUpload(deps, ctx.principal.userId, ref.uploadId);
      const blob = await deps.blobs.put(await deps.blobs.read(upload.key));
      out.push({ filename: ref.filename, contentType: ref.contentType, size: blob.size, key: blob.key, sha1: blob.sha1 });
    } else if (ref.kind === 'document') {
      const doc = await deps.repo.run(ctx, async (ops) => JSON.parse((await ops.read('DocumentReference', ref.documentId)).content!) as Json, { readOnly: true });
      const subject = (doc.subject as Json | undefined)?.reference;
      const key = blobKeyOf(doc);
      if (subject !== `Patient/${patientId}` || !key) throw notFound('This document is not in the record').withCode('messages.document-unknown');
      // the patient's mailbox is read by the patient and those who act for them: a professional does not send
      // them a document held back from them (INVISIBLE_PATIENT) or hidden from their representatives
      if (ctx.principal.role === 'professional' && hiddenFromPatientSide(doc)) {
        throw new AppError(422, 'business-rule', 'This document is not visible to the patient yet: it cannot be sent to their mailbox').withCode('messages.document-hidden');
      }
      const att = attachmentOf(doc) ?? {};
      const bytes = await deps.blobs.read(key);
      const blob = await deps.blobs.put(bytes);
      const title = typeof att.title === 'string' ? att.title : typeof doc.description === 'string' ? doc.description : 'document';
      const contentType = typeof att.contentType === 'string' ? att.contentType : 'application/octet-stream';
      out.push({ filename: withExtension(title, contentType), contentType, size: blob.size, key: blob.key, sha1: blob.sha1 });
    } else {
      const pdf = await summaryPdf(deps, ctx, patientId, ref.sections ?? SUMMARY_SECTIONS);
      const blob = await deps.blobs.put(pdf);
      out.push({ filename: `${MEDICAL_SUMMARY_TITLE}.pdf`, contentType: 'application/pdf', size: blob.size, key: blob.key, sha1: blob.sha1 });
    }
  }
  return out;
}

function hiddenFromPatientSide(doc: Json): boolean {
  return ((doc.securityLabel as { coding?: { code?: string }[] }[] | undefined) ?? []).some((l) =>
    (l.coding ?? []).some((c) => c.code === 'INVISIBLE_PATIENT' || c.code === 'INVISIBLE_REPRESENTANTS_LEGAUX'),
  );
}

function withExtension(title: string, contentType: string): string {
  const ext = { 'application/pdf': '.pdf', 'image/jpeg': '.jpg', 'image/tiff': '.tif', 'text/plain': '.txt', 'application/rtf': '.rtf' }[contentType];
  return ext && !title.toLowerCase().endsWith(ext) ? `${title}${ext}` : title;
}

/** One attachment of a message, read through the repository with the reader's context. */
export async function attachmentOfMessage(deps: MessagingDeps, ctx: RequestContext, patientId: string, messageId: string, index: number): Promise<StoredAttachment> {
  const c = await deps.repo.run(ctx, async (ops) => JSON.parse((await ops.read('Communication', messageId)).content!) as Json, { readOnly: true });
  if ((c.subject as Json | undefined)?.reference !== `Patient/${patientId}`) throw notFound('No such message').withCode('messages.unknown-message');
  const att = attachmentsOf(c)[index];
  if (!att) throw notFound('No such attachment').withCode('messages.unknown-attachment');
  return att;
}

/**
 * Files an incoming attachment into the patient's documents, through the DMP's upload path (its formats,
 * size and checks): the file itself, or one document of an IHE XDM package (`entry`).
 */
export async function fileAttachment(
  deps: MessagingDeps,
  ctx: RequestContext,
  patientId: string,
  att: StoredAttachment,
  o: { entry?: number | undefined; title?: string | undefined; category?: Category | undefined },
): Promise<DocumentView> {
  const bytes = await deps.blobs.read(att.key);
  let body = bytes;
  let fileName = att.filename;
  let mimeType = att.contentType;
  let title = o.title ?? att.filename.replace(/\.[a-z0-9]{1,5}$/i, '');
  let category: Category = o.category ?? 'AUTR_DOC';
  let date: string | undefined;
  if (o.entry !== undefined) {
    const entry = att.xdm?.[o.entry];
    if (!entry) throw notFound('No such document in this IHE XDM package').withCode('messages.unknown-attachment');
    const files = unzipSync(new Uint8Array(bytes), { filter: (f) => f.name.toLowerCase().endsWith(entry.path.toLowerCase()) });
    const file = Object.values(files)[0];
    if (!file) throw notFound('The package does not hold this document').withCode('messages.unknown-attachment');
    body = Buffer.from(file);
    fileName = entry.path.split('/').pop() ?? entry.path;
    mimeType = entry.mimeType;
    title = o.title ?? entry.title;
    if (!o.category && entry.typeCode) category = categoryOf(entry.typeCode, typeByCode(entry.typeCode)?.classCode);
    date = entry.date;
  }
  return uploadDocument(deps.dmp, ctx, patientId, { body: Readable.from([body]), fileName, mimeType, title: title.slice(0, 200), category, ...(date ? { date } : {}) });
}
