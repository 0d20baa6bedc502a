import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { ALL_TYPE_CODES, categoryOf, CATEGORIES, classCodeOf, isCategory, PATIENT_UPLOAD_TYPE, SYSTEMS, typeByCode, type Category, type Visibility } from '../../domain/documents/codes.js';
import { DEFAULT_MATRIX, type MatrixRow } from '../../domain/documents/matrix.js';
import { formatOfMimeType } from '../../domain/documents/upload.js';
import { AppError, badRequest, forbidden, notFound } from '../../errors.js';
import type { RequestContext } from '../../repo/index.js';
import type { DmpDeps } from '../../services/dmp/deps.js';
import { depositBundle } from '../../services/dmp/deposit-bundle.js';
import { withArchived, withVisibility } from '../../services/dmp/document-resource.js';
import { deleteDocument, retrieve, updateMetadata } from '../../services/dmp/documents.js';
import { breakTheGlass, runningEmergency } from '../../services/dmp/emergency.js';
import { accessHistory } from '../../services/dmp/history.js';
import { loadMatrix, operatorRows, removeMatrixRow, setMatrixRow } from '../../services/dmp/matrix.js';
import { provideDocuments } from '../../services/dmp/provide.js';
import { getSettings, setSettings, type DmpSettings } from '../../services/dmp/settings.js';
import { uploadDocument } from '../../services/dmp/uploads.js';
import { documentView, filterDocuments, listDocuments, withPlacements, type DocumentFilters } from '../../services/dmp/views.js';
import { createFolder, deleteFolder, listFolders, renameFolder, setPlacement } from '../../services/dmp/folders.js';
import { actingPatient, contextOf, type AuthDeps } from '../auth.js';
import { objectBody } from './body.js';

type Json = Record<string, unknown>;

const RAW_TYPES = ['application/pdf', 'image/jpeg', 'image/tiff', 'text/plain', 'application/rtf', 'text/rtf', 'application/octet-stream'];
const ID = /^[A-Za-z0-9\-.]{1,64}$/;

function idParam(id: string): string {
  if (!ID.test(id)) throw notFound('No such document').withCode('documents.unknown');
  return id;
}

function dateParam(v: unknown, name: string): string | undefined {
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v))) throw badRequest(`${name} must be a date YYYY-MM-DD`, [name]).withCode('request.date');
  return v;
}

function filtersOf(q: Record<string, unknown>): DocumentFilters {
  const category = q.category;
  if (category !== undefined && category !== '' && (typeof category !== 'string' || !isCategory(category))) {
    throw badRequest(`category is one of ${CATEGORIES.join(', ')}`, ['category']).withCode('documents.category');
  }
  const from = dateParam(q.from, 'from');
  const to = dateParam(q.to, 'to');
  return {
    ...(category ? { category: category as Category } : {}),
    ...(typeof q.author === 'string' && q.author ? { author: q.author.slice(0, 100) } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(q.all === 'true' ? { all: true } : {}),
  };
}

function counts(views: { category: Category }[]): Record<Category, number> {
  const out = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
  for (const v of views) out[v.category]++;
  return out;
}

/** The types the browser is given to show; anything else (HTML, SVG, scripts…) is only downloaded. */
const VIEWABLE = new Set(['application/pdf', 'image/jpeg', 'image/png', 'image/tiff', 'text/plain', 'application/rtf', 'text/rtf']);

/** Streams a document's bytes to the web app, for viewing in the browser (inline) or saving. */
async function sendContent(reply: FastifyReply, got: Awaited<ReturnType<typeof retrieve>>): Promise<FastifyReply> {
  if (!('stream' in got)) throw new AppError(500, 'exception', 'expected a stream');
  const type = got.stream.contentType.split(';')[0]!.trim().toLowerCase();
  const viewable = VIEWABLE.has(type);
  reply
    .header('content-type', viewable ? (type === 'text/plain' ? 'text/plain; charset=utf-8' : type) : 'application/octet-stream')
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "sandbox; default-src 'none'; img-src 'self' data:; object-src 'self'")
    .header('cache-control', 'private, no-store')
    .header('content-disposition', viewable ? 'inline' : 'attachment');
  if (got.stream.size !== undefined) reply.header('content-length', String(got.stream.size));
  return reply.send(await got.stream.open());
}

function booleanField(body: Json, name: string): boolean | undefined {
  const v = body[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw badRequest(`${name} must be true or false`, [name]).withCode('request.invalid');
  return v;
}

/**
 * The shared medical record in the web app (docs/dmp.md): the patient's documents (list, view, upload, edit,
 * hide, delete, folders and pins), their settings and access history under /api/documents and /api/dmp; the
 * professional's view of a patient's documents, deposit, replacement, visibility, deletion, emergency access
 * and history under /api/pro/patients/:id; the habilitation matrix for operators.
 */
export function dmpRoutes(app: FastifyInstance, deps: AuthDeps & { dmp: DmpDeps }): void {
  const d = deps.dmp;
  const pro = async (req: FastifyRequest): Promise<RequestContext> => {
    const ctx = await contextOf(req, deps);
    if (ctx.principal.role !== 'professional' || !ctx.principal.practitionerId) throw forbidden('This is for health professionals').withCode('pro.only');
    return ctx;
  };

  app.get('/api/document-types', async () => ({
    categories: CATEGORIES,
    types: ALL_TYPE_CODES.filter((t) => t.current && !t.code.startsWith('DOCPAT') && !t.code.startsWith('EXPPAT')).map((t) => ({ code: t.code, label: t.display, classCode: t.classCode, category: categoryOf(t.code, t.classCode) })),
  }));

  // --- the patient's side ------------------------------------------------------------------------------
  app.get<{ Querystring: Record<string, unknown> }>('/api/documents', async (req) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    const filters = filtersOf(req.query);
    // one search: the counts per category are of every document shown, the list of those the filters keep
    const all = await d.repo.run(ctx, (ops) => listDocuments(ops, d.fhirBase, patientId, { ...(filters.all ? { all: true } : {}) }), { readOnly: true });
    const shown = await withPlacements(d.db, patientId, filterDocuments(all, filters));
    return { documents: shown, counts: counts(all), folders: await listFolders(d.db, patientId) };
  });

  app.get<{ Params: { id: string } }>('/api/documents/:id/content', async (req, reply) => {
    const { ctx } = await actingPatient(req, deps);
    const got = await d.repo.run(ctx, (ops) => retrieve(d, ops, idParam(req.params.id), false), { readOnly: true });
    return sendContent(reply, got);
  });

  void app.register(async (scope) => {
    scope.removeContentTypeParser(['text/plain']);
    scope.addContentTypeParser(RAW_TYPES, (_req, payload, done) => done(null, payload));
    const raw = (req: FastifyRequest): Readable => {
      if (!(req.body instanceof Readable)) throw badRequest('Send the file itself as the body, with its Content-Type').withCode('upload.format');
      return req.body;
    };

    scope.post<{ Querystring: Record<string, unknown> }>('/api/documents', { bodyLimit: d.maxDocumentBytes + 1024 }, async (req, reply) => {
      const { ctx, patientId } = await actingPatient(req, deps);
      const q = req.query;
      const title = typeof q.title === 'string' ? q.title.trim() : '';
      if (!title || title.length > 200) throw badRequest('A title of 1 to 200 characters is required', ['title']).withCode('upload.title');
      const category = typeof q.category === 'string' && isCategory(q.category) ? q.category : undefined;
      if (!category) throw badRequest(`category is one of ${CATEGORIES.join(', ')}`, ['category']).withCode('documents.category');
      const date = dateParam(q.date, 'date');
      const view = await uploadDocument(d, ctx, patientId, {
        body: raw(req),
        ...(typeof q.fileName === 'string' ? { fileName: q.fileName.slice(0, 255) } : {}),
        ...(req.headers['content-type'] ? { mimeType: req.headers['content-type'] } : {}),
        title,
        category,
        ...(date ? { date } : {}),
      });
      return reply.code(201).send(view);
    });

    // the professional's deposit from the professional space goes through ITI-65, like practice software's
    const deposit = async (req: FastifyRequest<{ Params: { id: string; docId?: string }; Querystring: Record<string, unknown> }>) => {
      const ctx = await pro(req);
      const p = ctx.principal;
      const q = req.query;
      const title = typeof q.title === 'string' ? q.title.trim() : '';
      if (!title || title.length > 200) throw badRequest('A title of 1 to 200 characters is required', ['title']).withCode('upload.title');
      const typeCode = typeof q.typeCode === 'string' ? q.typeCode : '';
      if (!ALL_TYPE_CODES.some((t) => t.code === typeCode)) throw badRequest('typeCode must be a document type of the DMP (JDV_J66)', ['typeCode']).withCode('dmp.type-unknown');
      const format = formatOfMimeType(req.headers['content-type'] ?? '');
      if (format !== 'pdf') throw badRequest('The professional space deposits PDF documents', ['file']).withCode('upload.format');
      const visibility = String(q.visibility ?? '')
        .split(',')
        .filter(Boolean);
      if (visibility.some((v) => v !== 'MASQUE_PS' && v !== 'INVISIBLE_PATIENT' && v !== 'INVISIBLE_REPRESENTANTS_LEGAUX')) {
        throw badRequest('visibility is a comma-separated list of MASQUE_PS, INVISIBLE_PATIENT, INVISIBLE_REPRESENTANTS_LEGAUX', ['visibility']).withCode('documents.visibility');
      }
      const date = dateParam(q.date, 'date');
      const bytes = await readAll(raw(req), d.maxDocumentBytes);
      if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') throw badRequest('This file is not a PDF', ['file']).withCode('upload.mismatch');
      const bundle = depositBundle({
        patientId: idParam(req.params.id),
        bytes,
        format,
        typeCode,
        title,
        ...(date ? { date } : {}),
        visibility: visibility as Visibility[],
        ...(req.params.docId ? { replaces: idParam(req.params.docId) } : {}),
        author: { practitionerId: p.practitionerId!, display: p.displayName },
        now: ctx.now(),
      });
      const res = await provideDocuments(d, ctx, bundle);
      const location = ((res.body as Json).entry as Json[])
        .map((e) => (e.response as Json).location as string | undefined)
        .find((l) => l?.startsWith('DocumentReference/'));
      return { id: location!.split('/')[1]! };
    };
    scope.post<{ Params: { id: string }; Querystring: Record<string, unknown> }>('/api/pro/patients/:id/documents', { bodyLimit: d.maxDocumentBytes + 1024 }, async (req, reply) =>
      reply.code(201).send(await deposit(req)),
    );
    scope.post<{ Params: { id: string; docId: string }; Querystring: Record<string, unknown> }>(
      '/api/pro/patients/:id/documents/:docId/replacement',
      { bodyLimit: d.maxDocumentBytes + 1024 },
      async (req, reply) => reply.code(201).send(await deposit(req)),
    );
  });

  app.patch<{ Params: { id: string } }>('/api/documents/:id', async (req) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    const id = idParam(req.params.id);
    const body = objectBody(req.body);
    const hide = booleanField(body, 'hiddenFromProfessionals');
    const hideReps = booleanField(body, 'hiddenFromRepresentatives');
    const pinned = booleanField(body, 'pinned');
    const title = body.title;
    if (title !== undefined && (typeof title !== 'string' || !title.trim() || title.length > 200)) throw badRequest('A title of 1 to 200 characters', ['title']).withCode('upload.title');
    const category = body.category;
    if (category !== undefined && (typeof category !== 'string' || !isCategory(category))) throw badRequest(`category is one of ${CATEGORIES.join(', ')}`, ['category']).withCode('documents.category');
    const date = dateParam(body.date, 'date');
    const folderId = body.folderId;
    if (folderId !== undefined && folderId !== null && typeof folderId !== 'string') throw badRequest('folderId is a folder id or null', ['folderId']).withCode('request.invalid');
    const changesDoc = hide !== undefined || hideReps !== undefined || title !== undefined || category !== undefined || date !== undefined;
    const written = await d.repo.run(ctx, async (ops) => {
      const read = await ops.read('DocumentReference', id);
      const current = JSON.parse(read.content!) as Json;
      let version = read;
      if (changesDoc) {
        let next: Json = current;
        if (hide !== undefined) next = withVisibility(next, 'MASQUE_PS', hide);
        if (hideReps !== undefined) next = withVisibility(next, 'INVISIBLE_REPRESENTANTS_LEGAUX', hideReps);
        if (title !== undefined) next = retitled(next, (title as string).trim());
        if (category !== undefined) next = recategorised(next, category as Category);
        if (date !== undefined) next = { ...next, context: { ...((next.context as Json | undefined) ?? {}), period: { start: `${date}T00:00:00Z` } } };
        version = (await updateMetadata(d, ops, next, undefined, read)).version;
      }
      if (pinned !== undefined || folderId !== undefined) {
        await ops.withTables((q) => setPlacement(q, patientId, id, { ...(pinned !== undefined ? { pinned } : {}), ...(folderId !== undefined ? { folderId: folderId as string | null } : {}) }));
      }
      return version;
    });
    const [view] = await withPlacements(d.db, patientId, [documentView(JSON.parse(written.content!) as Json, written.lastUpdated)]);
    return view;
  });

  app.delete<{ Querystring: { ids?: string } }>('/api/documents', async (req, reply) => {
    const { ctx } = await actingPatient(req, deps);
    const ids = String(req.query.ids ?? '')
      .split(',')
      .filter(Boolean);
    if (ids.length === 0 || ids.length > 10) throw badRequest('ids lists 1 to 10 documents', ['ids']).withCode('documents.bulk-limit');
    // all or nothing: one unit of work
    await d.repo.run(ctx, async (ops) => {
      for (const id of ids) await deleteDocument(d, ops, idParam(id));
    });
    return reply.code(204).send();
  });

  app.get('/api/documents/folders', async (req) => {
    const { patientId } = await actingPatient(req, deps);
    return { folders: await listFolders(d.db, patientId) };
  });
  app.post('/api/documents/folders', async (req, reply) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    return reply.code(201).send(await createFolder(d.db, patientId, objectBody(req.body).name, ctx.now()));
  });
  app.patch<{ Params: { id: string } }>('/api/documents/folders/:id', async (req) => {
    const { patientId } = await actingPatient(req, deps);
    return renameFolder(d.db, patientId, req.params.id, objectBody(req.body).name);
  });
  app.delete<{ Params: { id: string } }>('/api/documents/folders/:id', async (req, reply) => {
    const { patientId } = await actingPatient(req, deps);
    await deleteFolder(d.db, patientId, req.params.id);
    return reply.code(204).send();
  });

  app.get('/api/dmp/settings', async (req) => {
    const { patientId } = await actingPatient(req, deps);
    return getSettings(d.db, patientId);
  });
  app.put('/api/dmp/settings', async (req) => {
    const { ctx, patientId, relation } = await actingPatient(req, deps);
    if (relation === 'carer') throw forbidden('A carer does not change the settings of the record').withCode('documents.settings-holder');
    const body = objectBody(req.body);
    const change: Partial<DmpSettings> = {};
    for (const k of ['maskNewDocuments', 'samuAccess', 'breakGlass', 'hiddenInEmergency'] as const) {
      const v = booleanField(body, k);
      if (v !== undefined) change[k] = v;
    }
    return setSettings(d.db, patientId, change, ctx.now());
  });

  app.get<{ Querystring: Record<string, unknown> }>('/api/dmp/history', async (req) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    return accessHistory(d.repo, ctx, d.fhirBase, patientId, historyFilters(req.query));
  });

  // --- the professional's side -------------------------------------------------------------------------
  app.get<{ Params: { id: string }; Querystring: Record<string, unknown> }>('/api/pro/patients/:id/documents', async (req) => {
    const ctx = await pro(req);
    const patientId = idParam(req.params.id);
    const documents = await d.repo.run(ctx, (ops) => listDocuments(ops, d.fhirBase, patientId, filtersOf(req.query)), { readOnly: true });
    const emergency = await runningEmergency(d, ctx.principal.practitionerId!, patientId, ctx.now());
    return { documents, ...(emergency ? { emergency } : {}) };
  });

  app.get<{ Params: { id: string; docId: string } }>('/api/pro/patients/:id/documents/:docId/content', async (req, reply) => {
    const ctx = await pro(req);
    const got = await d.repo.run(ctx, (ops) => retrieve(d, ops, idParam(req.params.docId), false), { readOnly: true });
    return sendContent(reply, got);
  });

  app.patch<{ Params: { id: string; docId: string } }>('/api/pro/patients/:id/documents/:docId', async (req) => {
    const ctx = await pro(req);
    const id = idParam(req.params.docId);
    const body = objectBody(req.body);
    const changes: [Visibility, boolean | undefined][] = [
      ['INVISIBLE_PATIENT', booleanField(body, 'hiddenFromPatient')],
      ['MASQUE_PS', booleanField(body, 'hiddenFromProfessionals')],
      ['INVISIBLE_REPRESENTANTS_LEGAUX', booleanField(body, 'hiddenFromRepresentatives')],
    ];
    const archived = booleanField(body, 'archived');
    await d.repo.run(ctx, async (ops) => {
      const read = await ops.read('DocumentReference', id);
      let next = JSON.parse(read.content!) as Json;
      for (const [code, on] of changes) if (on !== undefined) next = withVisibility(next, code, on);
      if (archived !== undefined) next = withArchived(next, archived);
      await updateMetadata(d, ops, next, undefined, read);
    });
    return { id };
  });

  app.delete<{ Params: { id: string; docId: string } }>('/api/pro/patients/:id/documents/:docId', async (req, reply) => {
    const ctx = await pro(req);
    await d.repo.run(ctx, (ops) => deleteDocument(d, ops, idParam(req.params.docId)));
    return reply.code(204).send();
  });

  app.post<{ Params: { id: string } }>('/api/pro/patients/:id/emergency', async (req, reply) => {
    const ctx = await pro(req);
    const body = objectBody(req.body);
    return reply.code(201).send(await breakTheGlass(d, ctx, idParam(req.params.id), { purpose: body.purpose, reason: body.reason }));
  });

  app.get<{ Params: { id: string }; Querystring: Record<string, unknown> }>('/api/pro/patients/:id/history', async (req) => {
    const ctx = await pro(req);
    return accessHistory(d.repo, ctx, d.fhirBase, idParam(req.params.id), historyFilters(req.query));
  });

  // --- the operator's side -----------------------------------------------------------------------------
  const operator = async (req: FastifyRequest) => {
    const ctx = await contextOf(req, deps);
    if (ctx.principal.role !== 'operator') throw forbidden('This is for operators').withCode('operator.only');
    return ctx;
  };
  app.get('/api/admin/habilitation-matrix', async (req) => {
    await operator(req);
    return { defaults: DEFAULT_MATRIX, overrides: await operatorRows(d.db), effective: await loadMatrix(d.db) };
  });
  app.put<{ Params: { profession: string } }>('/api/admin/habilitation-matrix/:profession', async (req) => {
    const ctx = await operator(req);
    const body = objectBody(req.body);
    const list = (v: unknown, name: string): string[] => {
      if (v === undefined) return [];
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw badRequest(`${name} is a list of type codes`, [name]).withCode('matrix.invalid');
      return v as string[];
    };
    const row: MatrixRow = {
      profession: req.params.profession,
      ...(typeof body.specialty === 'string' && body.specialty ? { specialty: body.specialty } : {}),
      otherTypes: body.otherTypes as 'allow' | 'deny',
      allow: list(body.allow, 'allow'),
      deny: list(body.deny, 'deny'),
      source: typeof body.source === 'string' ? body.source : '',
    };
    await setMatrixRow(d.db, row, ctx.principal.login, ctx.now());
    d.repo.invalidateMatrix();
    return row;
  });
  app.delete<{ Params: { profession: string }; Querystring: { specialty?: string } }>('/api/admin/habilitation-matrix/:profession', async (req, reply) => {
    await operator(req);
    if (!(await removeMatrixRow(d.db, req.params.profession, req.query.specialty))) throw notFound('No operator row for this profession').withCode('matrix.unknown');
    d.repo.invalidateMatrix();
    return reply.code(204).send();
  });
}

function historyFilters(q: Record<string, unknown>) {
  const from = dateParam(q.from, 'from');
  const to = dateParam(q.to, 'to');
  const page = q.page === undefined ? 0 : Number(q.page);
  if (!Number.isInteger(page) || page < 0 || page > 1000) throw badRequest('page is a whole number from 0', ['page']).withCode('request.invalid');
  const professional = typeof q.professional === 'string' && /^[0-9A-Za-z]{2,20}$/.test(q.professional) ? q.professional : undefined;
  return { ...(from ? { from } : {}), ...(to ? { to: `${to}T23:59:59Z` } : {}), ...(professional ? { practitionerId: professional } : {}), page };
}

function retitled(doc: Json, title: string): Json {
  const content = [...(doc.content as Json[])];
  content[0] = { ...content[0], attachment: { ...(content[0]!.attachment as Json), title } };
  return { ...doc, content };
}

/** A patient's upload filed in another category: its type follows the category (TRE_A05 DOCPATxx), its class the type. */
function recategorised(doc: Json, category: Category): Json {
  const type = typeByCode(PATIENT_UPLOAD_TYPE[category])!;
  return {
    ...doc,
    type: { coding: [{ system: type.system, code: type.code, display: type.display }] },
    category: [{ coding: [{ system: SYSTEMS.classCode, code: type.classCode, display: classCodeOf({ code: type.classCode })?.display ?? '' }] }],
  };
}

async function readAll(body: Readable, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of body) {
    n += (c as Buffer).length;
    if (n > max) throw new AppError(413, 'too-long', `The document is larger than ${max} bytes (DOCUMENT_MAX_BYTES)`).withCode('upload.too-large');
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}
