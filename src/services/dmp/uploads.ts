import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { classCodeOf, PATIENT_UPLOAD_TYPE, SYSTEMS, typeByCode, visibilityCoding, type Category } from '../../domain/documents/codes.js';
import { checkUpload, UPLOAD_FORMATS, UPLOAD_MAX_BYTES } from '../../domain/documents/upload.js';
import { AppError } from '../../errors.js';
import type { RequestContext } from '../../repo/index.js';
import type { DmpDeps } from './deps.js';
import { withBlob, withDepositors } from './document-resource.js';
import { maskNewDocuments } from './settings.js';
import { documentView, type DocumentView } from './views.js';

/** The first bytes of a body, and the whole body again (those bytes, then the rest, still streamed). */
async function peek(input: Readable | Buffer, n: number): Promise<{ head: Buffer; body: Readable | Buffer }> {
  if (Buffer.isBuffer(input)) return { head: input.subarray(0, n), body: input };
  const it = input[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let size = 0;
  while (size < n) {
    const next = (await it.next()) as IteratorResult<Buffer>;
    if (next.done) break;
    chunks.push(next.value);
    size += next.value.length;
  }
  const head = Buffer.concat(chunks);
  async function* replay() {
    yield head;
    for (let next = (await it.next()) as IteratorResult<Buffer>; !next.done; next = (await it.next()) as IteratorResult<Buffer>) yield next.value;
  }
  return { head: head.subarray(0, n), body: Readable.from(replay()) };
}

/**
 * A document the patient (or someone acting for them) adds to their record (domain.md §2.7): PDF, TXT, RTF,
 * JPEG or TIFF up to 5 MB, whose content must be what its name and type say, with a title, a category and a
 * date. It is filed with the patient's type codes (TRE_A05 DOCPATxx) and its depositor is the record itself,
 * which is what lets the patient side edit and delete it later.
 */
export interface UploadInput {
  body: Readable | Buffer;
  fileName?: string;
  mimeType?: string;
  title: string;
  category: Category;
  /** The date of the document (YYYY-MM-DD); the day of the upload when absent. */
  date?: string;
  /**
   * A patient type code of TRE_A05 other than the category's (DOCPAT08 for the medical profile's summary,
   * EXPPAT_3 for advance directives); its class decides the document's class.
   */
  typeCode?: string;
  /** Filed hidden from professionals (MASQUE_PS) whatever the record's setting; the patient may show it later. */
  hidden?: boolean;
}

export async function uploadDocument(deps: DmpDeps, ctx: RequestContext, patientId: string, input: UploadInput): Promise<DocumentView> {
  const { id, resource } = await prepareUpload(deps, ctx, patientId, input);
  const written = await deps.repo.run(ctx, (ops) => ops.create(resource, { id }));
  return documentView(JSON.parse(written.version.content!) as Record<string, unknown>, written.version.lastUpdated);
}

/**
 * The checks and the stored bytes of an upload, and the DocumentReference to create (with `id`), for a caller
 * that creates it in a unit of work of its own (with other resources: the advance directives' Consent).
 */
export async function prepareUpload(deps: DmpDeps, ctx: RequestContext, patientId: string, input: UploadInput): Promise<{ id: string; resource: Record<string, unknown> }> {
  // what the file is, from its first bytes, before anything is stored
  const { head: first, body } = await peek(input.body, 4096);
  const early = checkUpload({ ...(input.fileName ? { fileName: input.fileName } : {}), ...(input.mimeType ? { mimeType: input.mimeType } : {}), size: Math.max(1, first.length), head: first });
  if (!early.ok && (early.code === 'upload.format' || early.code === 'upload.mismatch')) throw new AppError(400, 'invalid', early.message).withCode(early.code);
  const stored = await deps.blobs.put(body, { maxBytes: Math.min(UPLOAD_MAX_BYTES, deps.maxDocumentBytes) }).catch((err: unknown) => {
    if (err instanceof AppError && err.status === 413) {
      throw new AppError(413, 'too-long', `A document you add is at most ${Math.round(UPLOAD_MAX_BYTES / 1024 / 1024)} MB`).withCode('upload.too-large');
    }
    throw err;
  });
  const head = (await deps.blobs.read(stored.key)).subarray(0, 4096);
  const checked = checkUpload({ ...(input.fileName ? { fileName: input.fileName } : {}), ...(input.mimeType ? { mimeType: input.mimeType } : {}), size: stored.size, head });
  if (!checked.ok) throw new AppError(checked.code === 'upload.too-large' ? 413 : 400, 'invalid', checked.message).withCode(checked.code);
  const format = UPLOAD_FORMATS[checked.format];
  const typeCode = input.typeCode ?? PATIENT_UPLOAD_TYPE[input.category];
  const type = typeByCode(typeCode);
  if (!type) throw new AppError(400, 'invalid', `${typeCode} is not a document type of the DMP`).withCode('dmp.type-unknown');
  const classCode = type.classCode;
  const at = ctx.now().toISOString();
  const id = randomUUID();
  const mask = input.hidden === true || (await maskNewDocuments(deps.db, patientId));
  let doc: Record<string, unknown> = {
    resourceType: 'DocumentReference',
    masterIdentifier: { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${id}` },
    status: 'current',
    type: { coding: [{ system: type.system, code: typeCode, display: type.display }] },
    category: [{ coding: [{ system: SYSTEMS.classCode, code: classCode, display: classCodeOf({ code: classCode })?.display ?? '' }] }],
    subject: { reference: `Patient/${patientId}` },
    date: at,
    author: [{ reference: `Patient/${patientId}`, display: ctx.principal.displayName }],
    securityLabel: [{ coding: [{ system: SYSTEMS.confidentiality, code: 'N', display: 'normal' }] }, ...(mask ? [{ coding: [visibilityCoding('MASQUE_PS')] }] : [])],
    content: [
      {
        attachment: { contentType: format.mimeType, language: 'fr-FR', size: stored.size, hash: stored.sha1, title: input.title, creation: at },
        format: { system: SYSTEMS.formatIhe, code: format.formatCode },
      },
    ],
    context: { period: { start: input.date ? `${input.date}T00:00:00Z` : at } },
  };
  doc = withBlob(withDepositors(doc, [`Patient/${patientId}`]), stored.key, `${deps.fhirBase}/Binary/${id}`);
  return { id, resource: doc };
}
