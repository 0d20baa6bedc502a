import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { isCategory, type Category } from '../../domain/documents/codes.js';
import { LIMITS } from '../../domain/messaging/index.js';
import { badRequest, forbidden } from '../../errors.js';
import type { RequestContext } from '../../repo/index.js';
import type { AccountsDeps } from '../../services/accounts/context.js';
import { attachmentOfMessage, fileAttachment, parseAttachmentRefs, storeUpload } from '../../services/messaging/attachments.js';
import type { StoredAttachment } from '../../services/messaging/communication.js';
import { createCredential, listCredentials, revokeCredential } from '../../services/messaging/credentials.js';
import type { MessagingDeps } from '../../services/messaging/deps.js';
import {
  contactSuggestions,
  deleteDraft,
  inboxPage,
  patientConversation,
  searchPharmacies,
  sendDraft,
  setTrashed,
  updateDraft,
  writeFromPatient,
} from '../../services/messaging/patient-mail.js';
import { createMailbox, listOperatorMailboxes, setMailboxActive } from '../../services/messaging/operator-mailboxes.js';
import { endConversation, ownMailboxes, proConversation, proInbox, writeFromProfessional, writeToColleagues } from '../../services/messaging/pro-mail.js';
import { sendAttachment } from '../attachment.js';
import { actingPatient, contextOf, type AuthDeps } from '../auth.js';
import { objectBody } from './body.js';

type Json = Record<string, unknown>;

function str(body: Json, name: string, max: number, required = false): string | undefined {
  const v = body[name];
  if (v === undefined || v === null || v === '') {
    if (required) throw badRequest(`${name} is required`, [name]).withCode('request.invalid');
    return undefined;
  }
  if (typeof v !== 'string' || v.length > max) throw badRequest(`${name} is a text of at most ${max} characters`, [name]).withCode('request.invalid');
  return v;
}

function bool(body: Json, name: string): boolean | undefined {
  const v = body[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw badRequest(`${name} must be true or false`, [name]).withCode('request.invalid');
  return v;
}

function pageOf(q: Record<string, unknown>, defaultSize: number): { page: number; pageSize: number } {
  const num = (v: unknown, name: string, def: number, max: number) => {
    if (v === undefined || v === '') return def;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > max) throw badRequest(`${name} is a whole number from 1 to ${max}`, [name]).withCode('request.invalid');
    return n;
  };
  return { page: num(q.page, 'page', 1, 100_000), pageSize: num(q.pageSize, 'pageSize', defaultSize, 100) };
}

function indexParam(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n >= LIMITS.maxAttachments * 2) throw badRequest('No such attachment', ['index']).withCode('messages.unknown-attachment');
  return n;
}

/** A message's attachment, always as a download and sandboxed (a message's files are not the app's to render). */
async function sendMessageAttachment(deps: MessagingDeps, reply: FastifyReply, att: StoredAttachment): Promise<FastifyReply> {
  return sendAttachment(reply, att.filename, await deps.blobs.get(att.key), 'application/octet-stream', { size: att.size, sandbox: true });
}

/**
 * The secure messaging in the web app (docs/messaging.md): the patient's mailbox under /api/messages (for the
 * profile the request acts for), the professional's under /api/pro/messages. The shapes are in
 * web/src/messaging-types.ts.
 */
export function messagingRoutes(app: FastifyInstance, deps: AuthDeps & { accounts: AccountsDeps; messaging: MessagingDeps }): void {
  const m = deps.messaging;
  const pro = async (req: FastifyRequest): Promise<RequestContext> => {
    const ctx = await contextOf(req, deps);
    if (ctx.principal.role !== 'professional' || !ctx.principal.practitionerId) throw forbidden('This is for health professionals').withCode('pro.only');
    return ctx;
  };

  // ---- the patient's mailbox
  app.get<{ Querystring: Record<string, unknown> }>('/api/messages', async (req) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    const folder = req.query.folder ?? 'inbox';
    if (folder !== 'inbox' && folder !== 'trash') throw badRequest('folder is inbox or trash', ['folder']).withCode('request.invalid');
    const unread = req.query.unread;
    if (unread !== undefined && unread !== 'true' && unread !== 'false') throw badRequest('unread is true or false', ['unread']).withCode('request.invalid');
    return inboxPage(m, ctx, patientId, { folder, unreadOnly: unread === 'true', ...pageOf(req.query, 50) });
  });

  app.get('/api/messages/contacts', async (req) => {
    const { patientId } = await actingPatient(req, deps);
    return contactSuggestions(m, patientId);
  });

  app.get<{ Querystring: Record<string, unknown> }>('/api/messages/contacts/search', async (req) => {
    await actingPatient(req, deps);
    const text = typeof req.query.q === 'string' ? req.query.q.slice(0, 100) : undefined;
    const city = typeof req.query.city === 'string' ? req.query.city.slice(0, 100) : undefined;
    return searchPharmacies(m, { text, city });
  });

  app.post('/api/messages', async (req, reply) => {
    const { ctx, patientId, relation } = await actingPatient(req, deps);
    const body = objectBody(req.body);
    const sent = await writeFromPatient(m, ctx, patientId, relation, {
      to: str(body, 'to', 254, true),
      subject: str(body, 'subject', LIMITS.subjectMaxLength, true),
      text: str(body, 'text', LIMITS.bodyMaxLength) ?? '',
      attachments: parseAttachmentRefs(body.attachments, true),
      draft: bool(body, 'draft'),
    });
    return reply.code(201).send(sent);
  });

  app.get<{ Params: { id: string } }>('/api/messages/:id', async (req) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    return patientConversation(m, ctx, patientId, req.params.id);
  });

  app.post<{ Params: { id: string } }>('/api/messages/:id/reply', async (req, reply) => {
    const { ctx, patientId, relation } = await actingPatient(req, deps);
    const body = objectBody(req.body);
    const sent = await writeFromPatient(m, ctx, patientId, relation, {
      conversationId: req.params.id,
      replyAll: bool(body, 'replyAll'),
      text: str(body, 'text', LIMITS.bodyMaxLength) ?? '',
      attachments: parseAttachmentRefs(body.attachments, true),
      draft: bool(body, 'draft'),
    });
    return reply.code(201).send(sent);
  });

  app.post<{ Params: { id: string } }>('/api/messages/:id/trash', async (req, reply) => {
    const { patientId } = await actingPatient(req, deps);
    await setTrashed(m, patientId, req.params.id, true);
    return reply.code(204).send();
  });

  app.post<{ Params: { id: string } }>('/api/messages/:id/restore', async (req, reply) => {
    const { patientId } = await actingPatient(req, deps);
    await setTrashed(m, patientId, req.params.id, false);
    return reply.code(204).send();
  });

  app.put<{ Params: { messageId: string } }>('/api/messages/drafts/:messageId', async (req) => {
    const { ctx, patientId, relation } = await actingPatient(req, deps);
    const body = objectBody(req.body);
    return updateDraft(m, ctx, patientId, relation, req.params.messageId, {
      text: str(body, 'text', LIMITS.bodyMaxLength) ?? '',
      subject: str(body, 'subject', LIMITS.subjectMaxLength),
      ...(body.attachments !== undefined ? { attachments: parseAttachmentRefs(body.attachments, true) } : {}),
    });
  });

  app.post<{ Params: { messageId: string } }>('/api/messages/drafts/:messageId/send', async (req) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    return sendDraft(m, ctx, patientId, req.params.messageId);
  });

  app.delete<{ Params: { messageId: string } }>('/api/messages/drafts/:messageId', async (req, reply) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    await deleteDraft(m, ctx, patientId, req.params.messageId);
    return reply.code(204).send();
  });

  app.get<{ Params: { id: string; messageId: string; index: string } }>('/api/messages/:id/messages/:messageId/attachments/:index', async (req, reply) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    return sendMessageAttachment(m, reply, await attachmentOfMessage(m, ctx, patientId, req.params.messageId, indexParam(req.params.index)));
  });

  app.post<{ Params: { id: string; messageId: string; index: string } }>('/api/messages/:id/messages/:messageId/attachments/:index/file', async (req, reply) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    const body = objectBody(req.body ?? {});
    const category = str(body, 'category', 20);
    if (category !== undefined && !isCategory(category)) throw badRequest('category is a category of documents', ['category']).withCode('documents.category');
    const entry = body.entry;
    if (entry !== undefined && (typeof entry !== 'number' || !Number.isInteger(entry) || entry < 0)) throw badRequest('entry is the index of a document of the package', ['entry']).withCode('request.invalid');
    const att = await attachmentOfMessage(m, ctx, patientId, req.params.messageId, indexParam(req.params.index));
    const view = await fileAttachment(m, ctx, patientId, att, { entry: entry as number | undefined, title: str(body, 'title', 200)?.trim() || undefined, category: category as Category | undefined });
    return reply.code(201).send(view);
  });

  // ---- the professional's mailbox
  app.get<{ Querystring: Record<string, unknown> }>('/api/pro/messages', async (req) => {
    const ctx = await pro(req);
    const patient = typeof req.query.patient === 'string' && req.query.patient ? req.query.patient : undefined;
    return proInbox(m, ctx, { ...pageOf(req.query, 20), patientId: patient });
  });

  app.post('/api/pro/messages', async (req, reply) => {
    const ctx = await pro(req);
    const body = objectBody(req.body);
    const sent = await writeFromProfessional(m, ctx, {
      ins: str(body, 'ins', 20),
      patientId: str(body, 'patientId', 64),
      subject: str(body, 'subject', LIMITS.subjectMaxLength, true),
      text: str(body, 'text', LIMITS.bodyMaxLength) ?? '',
      attachments: parseAttachmentRefs(body.attachments, false),
      end: bool(body, 'end'),
      from: str(body, 'from', 254),
    });
    return reply.code(201).send(sent);
  });

  app.post('/api/pro/messages/colleagues', async (req, reply) => {
    const ctx = await pro(req);
    const body = objectBody(req.body);
    const to = body.to;
    if (!Array.isArray(to) || to.some((x) => typeof x !== 'string')) throw badRequest('to is a list of addresses', ['to']).withCode('messages.recipient-required');
    const sent = await writeToColleagues(m, ctx, {
      to: to as string[],
      subject: str(body, 'subject', LIMITS.subjectMaxLength, true)!,
      text: str(body, 'text', LIMITS.bodyMaxLength) ?? '',
      attachments: parseAttachmentRefs(body.attachments, false),
      from: str(body, 'from', 254),
    });
    return reply.code(202).send(sent);
  });

  app.get('/api/pro/messages/credentials', async (req) => {
    const ctx = await pro(req);
    const boxes = await ownMailboxes(m, ctx);
    return { mailboxes: boxes.map((b) => ({ address: b.address, display: b.displayName })), items: (await listCredentials(m.db, { practitionerId: ctx.principal.practitionerId! })).filter((c) => c.revokedAt === null) };
  });

  app.post('/api/pro/messages/credentials', async (req, reply) => {
    const ctx = await pro(req);
    const body = objectBody(req.body);
    const boxes = await ownMailboxes(m, ctx);
    const address = (str(body, 'address', 254) ?? boxes[0]?.address ?? '').toLowerCase();
    if (!boxes.some((b) => b.address === address)) throw forbidden('This mailbox is not one of yours').withCode('messages.not-your-mailbox');
    const label = str(body, 'label', 100)?.trim() || 'Logiciel de messagerie';
    const { credential, password } = await createCredential(m.db, { address, practitionerId: ctx.principal.practitionerId!, label, now: m.clock.now() });
    return reply.code(201).send({ ...credential, password });
  });

  app.delete<{ Params: { id: string } }>('/api/pro/messages/credentials/:id', async (req, reply) => {
    const ctx = await pro(req);
    await revokeCredential(m.db, { id: req.params.id, practitionerId: ctx.principal.practitionerId!, now: m.clock.now() });
    return reply.code(204).send();
  });

  app.get<{ Params: { patientId: string; id: string } }>('/api/pro/messages/:patientId/:id', async (req) => {
    const ctx = await pro(req);
    return proConversation(m, ctx, req.params.patientId, req.params.id);
  });

  app.post<{ Params: { patientId: string; id: string } }>('/api/pro/messages/:patientId/:id/reply', async (req, reply) => {
    const ctx = await pro(req);
    const body = objectBody(req.body);
    const sent = await writeFromProfessional(m, ctx, {
      patientId: req.params.patientId,
      conversationId: req.params.id,
      text: str(body, 'text', LIMITS.bodyMaxLength) ?? '',
      attachments: parseAttachmentRefs(body.attachments, false),
      end: bool(body, 'end'),
      from: str(body, 'from', 254),
    });
    return reply.code(201).send(sent);
  });

  app.post<{ Params: { patientId: string; id: string } }>('/api/pro/messages/:patientId/:id/end', async (req, reply) => {
    const ctx = await pro(req);
    await endConversation(m, ctx, req.params.patientId, req.params.id);
    return reply.code(204).send();
  });

  app.get<{ Params: { patientId: string; id: string; messageId: string; index: string } }>('/api/pro/messages/:patientId/:id/messages/:messageId/attachments/:index', async (req, reply) => {
    const ctx = await pro(req);
    return sendMessageAttachment(m, reply, await attachmentOfMessage(m, ctx, req.params.patientId, req.params.messageId, indexParam(req.params.index)));
  });

  // ---- the mailboxes the operator creates (directory data: no health data)
  const operator = async (req: FastifyRequest): Promise<RequestContext> => {
    const ctx = await contextOf(req, deps);
    if (ctx.principal.role !== 'operator') throw forbidden('This is for operators').withCode('operator.only');
    return ctx;
  };

  app.get<{ Querystring: Record<string, unknown> }>('/api/admin/mailboxes', async (req) => {
    await operator(req);
    const { page, pageSize } = pageOf(req.query, 50);
    const text = typeof req.query.q === 'string' ? req.query.q.slice(0, 100) : undefined;
    return { ...(await listOperatorMailboxes(m.db, { text, limit: pageSize, offset: (page - 1) * pageSize })), page, pageSize };
  });

  app.post('/api/admin/mailboxes', async (req, reply) => {
    const ctx = await operator(req);
    const body = objectBody(req.body);
    const created = await createMailbox(
      m.db,
      {
        address: str(body, 'address', 254, true)!,
        kind: str(body, 'kind', 3, true)!,
        displayName: str(body, 'displayName', 200, true)!,
        practitionerId: str(body, 'practitionerId', 20),
        organizationId: str(body, 'organizationId', 64),
        pharmacy: bool(body, 'pharmacy'),
      },
      `patient.${m.config.domain}`,
      m.clock.now(),
      ctx.principal.userId,
    );
    return reply.code(201).send(created);
  });

  app.post<{ Params: { address: string; action: string } }>('/api/admin/mailboxes/:address/:action', async (req) => {
    await operator(req);
    if (req.params.action !== 'activate' && req.params.action !== 'deactivate') throw badRequest('activate or deactivate', ['action']).withCode('request.invalid');
    return setMailboxActive(m.db, req.params.address, req.params.action === 'activate');
  });

  // ---- attachments sent ahead of a message (any type: a message carries what the professional needs)
  void app.register(async (scope) => {
    // every type is a file here, JSON and text included
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    const upload = async (req: FastifyRequest<{ Querystring: Record<string, unknown> }>, reply: FastifyReply, ctx: RequestContext) => {
      if (!(req.body instanceof Readable)) throw badRequest('Send the file itself as the body, with its Content-Type').withCode('messages.upload');
      const filename = typeof req.query.filename === 'string' ? req.query.filename.trim().slice(0, 200) : '';
      if (!filename) throw badRequest('filename is required', ['filename']).withCode('messages.upload');
      const contentType = (req.headers['content-type'] ?? 'application/octet-stream').split(';')[0]!.trim().toLowerCase();
      const stored = await storeUpload(m, ctx.principal.userId, req.body);
      return reply.code(201).send({ ...stored, filename, contentType });
    };
    scope.post<{ Querystring: Record<string, unknown> }>('/api/messages/uploads', { bodyLimit: LIMITS.maxAttachmentBytes + 1024 }, async (req, reply) => {
      const { ctx } = await actingPatient(req, deps);
      return upload(req, reply, ctx);
    });
    scope.post<{ Querystring: Record<string, unknown> }>('/api/pro/messages/uploads', { bodyLimit: LIMITS.maxAttachmentBytes + 1024 }, async (req, reply) => {
      return upload(req, reply, await pro(req));
    });
  });
}
