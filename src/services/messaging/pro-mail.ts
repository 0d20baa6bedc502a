import { checkAttachments, LIMITS, normalizeAddress, isAddress, matriculeOf, writeMssHeaders } from '../../domain/messaging/index.js';
import { AppError, badRequest, forbidden, refusal } from '../../errors.js';
import type { RequestContext } from '../../repo/index.js';
import { ownUpload, resolveAttachments, type AttachmentRef } from './attachments.js';
import { messageView } from './communication.js';
import { isUuid } from '../ids.js';
import type { MessagingDeps } from './deps.js';
import { deliverToPatient, newMessageId, refusalOf } from './deliver.js';
import * as idx from './index-store.js';
import { mailboxesOfProfessional, mailboxOfPatient, patientMailbox, type PatientMailbox, type ProMailbox } from './mailboxes.js';
import { displayNames, readCommunications, summaryOf, threadOf, type ConversationSummary, type ThreadMessage } from './views.js';
import { patientAddress } from '../../domain/messaging/index.js';

/**
 * The professional's side (issue 7 item 5): their conversations with patients, writing to a patient (found
 * by INS) with documents of the record attached, replying, ending a conversation, and writing to colleagues
 * (relayed over SMTP to their operators). A professional reads only the messages they take part in: the
 * repository's rule for messages (domain/access/messages.ts) narrows every read.
 */


/** The professional's mailboxes; 409 when they have none (writing needs one). */
export async function ownMailboxes(deps: MessagingDeps, ctx: RequestContext): Promise<ProMailbox[]> {
  const p = ctx.principal;
  if (p.role !== 'professional' || !p.practitionerId) throw forbidden('This is for professionals').withCode('pro.only');
  return mailboxesOfProfessional(deps.db, p.practitionerId, p.practice?.organizationId);
}

/**
 * The mailbox a professional writes from: the one they name, else, in a conversation, their own mailbox that
 * takes part in it (a pharmacy's organisational one, say), else their personal one.
 */
async function sender(deps: MessagingDeps, ctx: RequestContext, from?: string, counterparts?: readonly string[]): Promise<ProMailbox> {
  const boxes = await ownMailboxes(deps, ctx);
  if (boxes.length === 0) throw refusal(409, 'messages.no-own-mailbox', 'You have no secure mailbox (MSSanté) in the directory');
  if (from) {
    const named = boxes.find((b) => b.address === normalizeAddress(from));
    if (!named) throw refusal(403, 'messages.not-your-mailbox', 'This mailbox is not one of yours');
    return named;
  }
  return (counterparts && boxes.find((b) => counterparts.includes(b.address))) || boxes[0]!;
}

export interface ProInboxPage {
  mailboxes: { address: string; display: string }[];
  items: (ConversationSummary & { patient: { id: string; display: string } })[];
  page: number;
  pageSize: number;
  total: number;
}

export async function proInbox(deps: MessagingDeps, ctx: RequestContext, o: { page: number; pageSize: number; patientId?: string | undefined }): Promise<ProInboxPage> {
  const boxes = await ownMailboxes(deps, ctx);
  const addresses = boxes.map((b) => b.address);
  const { rows, total } = addresses.length ? await idx.proConversationPage(deps.db, addresses, { limit: o.pageSize, offset: (o.page - 1) * o.pageSize, patientId: o.patientId }) : { rows: [], total: 0 };
  const names = await displayNames(deps.db, [...new Set(rows.flatMap((r) => [...r.counterparts, ...(r.closed_by ? [r.closed_by] : [])]))]);
  const patients = new Map<string, string>();
  for (const id of new Set(rows.map((r) => r.patient_id))) patients.set(id, (await mailboxOfPatient(deps.db, id, deps.config.domain))?.displayName ?? '');
  // the previews are the last messages, read through the repository record by record: what the professional
  // may read of them, and on each patient's trail
  const previews = new Map<string, string>();
  if (rows.length) {
    await deps.repo.run(
      ctx,
      async (ops) => {
        for (const patientId of patients.keys()) {
          const ids = rows.filter((r) => r.patient_id === patientId && r.last_message).map((r) => r.last_message!);
          for (const [id, c] of await readCommunications(ops, deps.fhirBase, patientId, ids)) previews.set(id, messageView(c).text);
        }
      },
      { readOnly: true },
    );
  }
  return {
    mailboxes: boxes.map((b) => ({ address: b.address, display: b.displayName })),
    items: rows.map((r) => ({
      ...summaryOf({ ...r, unread: r.unread, messages: r.messages }, names, (r.last_message && previews.get(r.last_message)) || ''),
      patient: { id: r.patient_id, display: patients.get(r.patient_id) ?? '' },
    })),
    page: o.page,
    pageSize: o.pageSize,
    total,
  };
}

async function proConversationRow(deps: MessagingDeps, patientId: string, id: string, addresses: readonly string[]): Promise<idx.ConversationRow> {
  const c = isUuid(id) && /^[A-Za-z0-9\-.]{1,64}$/.test(patientId) ? await idx.conversation(deps.db, patientId, id) : undefined;
  // a conversation that is still only the patient's draft is not theirs yet
  if (!c || !c.counterparts.some((a) => addresses.includes(a)) || !(await idx.hasSentMessage(deps.db, patientId, id))) {
    throw refusal(404, 'messages.unknown-conversation', 'No such conversation');
  }
  return c;
}

/** A conversation as the professional sees it: the messages they take part in; the patient's are marked read. */
export async function proConversation(deps: MessagingDeps, ctx: RequestContext, patientId: string, id: string): Promise<Omit<ConversationSummary, 'messages'> & { items: ThreadMessage[]; canReply: boolean; patient: { id: string; display: string } }> {
  const boxes = await ownMailboxes(deps, ctx);
  const addresses = boxes.map((b) => b.address);
  const c = await proConversationRow(deps, patientId, id, addresses);
  const rows = (await idx.messagesOf(deps.db, patientId, id)).filter((r) => !r.draft);
  const now = deps.clock.now();
  const read = await deps.repo.run(ctx, async (ops) => {
    const found = await readCommunications(ops, deps.fhirBase, patientId, rows.map((r) => r.id));
    await ops.withTables((q) =>
      q.query(
        `UPDATE mss_message SET receipt_at = $4 WHERE patient_id = $1 AND conversation_id = $2 AND direction = 'out' AND NOT draft AND receipt_at IS NULL
            AND (to_addresses && $3::text[] OR cc_addresses && $3::text[])`,
        [patientId, id, addresses, now],
      ),
    );
    return found;
  });
  const names = await displayNames(deps.db, [...c.counterparts, ...(c.closed_by ? [c.closed_by] : [])]);
  const items = threadOf(rows, read, (r) => (r.direction === 'in' ? r.read_at : (r.receipt_at ?? now)));
  const { messages: _m, ...summary } = summaryOf(c, names, items.at(-1)?.text ?? '');
  const patient = await mailboxOfPatient(deps.db, patientId, deps.config.domain);
  return { ...summary, items, canReply: c.closed_at === null, patient: { id: patientId, display: patient?.displayName ?? '' } };
}

export interface ProWrite {
  /** A new conversation: the patient, by INS (matricule) or id. */
  ins?: string | undefined;
  patientId?: string | undefined;
  subject?: string | undefined;
  /** A reply in a conversation of that patient. */
  conversationId?: string | undefined;
  text: string;
  attachments: AttachmentRef[];
  /** End the conversation with this message (X-MSS-MES: FIN). */
  end?: boolean | undefined;
  from?: string | undefined;
}

async function recipientOf(deps: MessagingDeps, w: ProWrite): Promise<PatientMailbox> {
  let box: PatientMailbox | undefined;
  if (w.ins) {
    const ins = w.ins.replace(/\s/g, '').toUpperCase();
    box = await patientMailbox(deps.db, patientAddress(ins, deps.config.domain), deps.config.domain);
  } else if (w.patientId) {
    box = /^[A-Za-z0-9\-.]{1,64}$/.test(w.patientId) ? await mailboxOfPatient(deps.db, w.patientId, deps.config.domain) : undefined;
  } else {
    throw badRequest('ins (the matricule INS) or patientId names the patient', ['ins']).withCode('messages.recipient-required');
  }
  const refused = refusalOf(box);
  if (refused) throw refused;
  return box!;
}

/** A professional writes to a patient's mailbox from the professional space: delivered as by SMTP, with their context. */
export async function writeFromProfessional(deps: MessagingDeps, ctx: RequestContext, w: ProWrite): Promise<{ conversationId: string; messageId: string; patientId: string }> {
  const recipient = await recipientOf(deps, w);
  const own = (await ownMailboxes(deps, ctx)).map((b) => b.address);
  const conversation = w.conversationId ? await proConversationRow(deps, recipient.patientId, w.conversationId, own) : undefined;
  const from = await sender(deps, ctx, w.from, conversation?.counterparts);
  const text = w.text.trim();
  if (!text && w.attachments.length === 0) throw badRequest('Write a message or attach a file', ['text']).withCode('messages.empty');
  if (text.length > LIMITS.bodyMaxLength) throw badRequest(`A message has at most ${LIMITS.bodyMaxLength} characters`, ['text']).withCode('messages.text-too-long');
  let subject = (w.subject ?? '').trim();
  let inReplyTo: string | undefined;
  let references: string[] = [];
  if (conversation) {
    const c = conversation;
    if (!c.counterparts.includes(from.address)) throw refusal(403, 'messages.not-your-mailbox', 'This mailbox does not take part in this conversation');
    if (c.closed_at) throw refusal(409, 'messages.conversation-ended', 'This conversation was ended: start a new one');
    const rows = (await idx.messagesOf(deps.db, recipient.patientId, c.id)).filter((r) => !r.draft);
    inReplyTo = rows.at(-1)?.message_id;
    references = rows.map((r) => r.message_id).slice(-20);
    subject = /^re\s*:/i.test(c.subject) ? c.subject : `Re: ${c.subject}`;
  } else if (!subject || subject.length > LIMITS.subjectMaxLength) {
    throw badRequest(`A subject of 1 to ${LIMITS.subjectMaxLength} characters is required`, ['subject']).withCode('messages.subject');
  }
  const stored = await resolveAttachments(deps, ctx, recipient.patientId, w.attachments.filter((a) => a.kind !== 'medical-profile'));
  const delivery = await deliverToPatient(
    deps,
    ctx,
    recipient,
    {
      messageId: newMessageId(deps.config.domain),
      from: { address: from.address, name: from.displayName },
      to: [recipient.address],
      cc: [],
      subject,
      text,
      ...(inReplyTo ? { inReplyTo } : {}),
      references,
      mss: { ends: w.end === true, cdaCodes: [], problems: [] },
      attachments: [],
    },
    from,
    stored,
  );
  return { conversationId: delivery.conversationId, messageId: delivery.communicationId, patientId: recipient.patientId };
}

/** Ends a conversation without a message: the patient can no longer reply. */
export async function endConversation(deps: MessagingDeps, ctx: RequestContext, patientId: string, id: string): Promise<void> {
  const boxes = await ownMailboxes(deps, ctx);
  const c = await proConversationRow(deps, patientId, id, boxes.map((b) => b.address));
  if (c.closed_at) return;
  const by = boxes.find((b) => c.counterparts.includes(b.address))!;
  // the professional's access to the conversation's last message is checked (and audited) by the repository;
  // the ending itself is the mailbox index's state
  const last = (await idx.messagesOf(deps.db, patientId, id)).filter((r) => !r.draft).at(-1);
  await deps.repo.run(ctx, async (ops) => {
    if (last) await readCommunications(ops, deps.fhirBase, patientId, [last.id]);
    await ops.withTables((q) => idx.touchConversation(q, patientId, id, { at: deps.clock.now(), counterparts: [], endedBy: by.address }));
  });
}

/** Writes to colleagues' mailboxes: relayed over SMTP to their operators (Carnet keeps no copy). */
export async function writeToColleagues(deps: MessagingDeps, ctx: RequestContext, w: { to: string[]; subject: string; text: string; attachments: AttachmentRef[]; from?: string | undefined }): Promise<{ messageId: string }> {
  const from = await sender(deps, ctx, w.from);
  const to = [...new Set(w.to.map(normalizeAddress))];
  if (to.length === 0 || to.length > LIMITS.maxRecipients) throw badRequest(`Give 1 to ${LIMITS.maxRecipients} recipients`, ['to']).withCode('messages.recipient-required');
  const bad = to.find((a) => !isAddress(a));
  if (bad) throw badRequest(`${bad} is not an e-mail address`, ['to']).withCode('messages.address-invalid');
  if (to.some((a) => matriculeOf(a, deps.config.domain))) throw badRequest("A patient's mailbox is written to from \"Écrire à un patient\"", ['to']).withCode('messages.patient-address');
  const subject = w.subject.trim();
  if (!subject || subject.length > LIMITS.subjectMaxLength) throw badRequest(`A subject of 1 to ${LIMITS.subjectMaxLength} characters is required`, ['subject']).withCode('messages.subject');
  if (w.text.length > LIMITS.bodyMaxLength) throw badRequest(`A message has at most ${LIMITS.bodyMaxLength} characters`, ['text']).withCode('messages.text-too-long');
  const uploads = w.attachments.filter((a): a is Extract<AttachmentRef, { kind: 'upload' }> => a.kind === 'upload');
  if (uploads.length !== w.attachments.length) throw badRequest('Attach files from your device to a message to colleagues', ['attachments']).withCode('messages.attachments');
  const files = await Promise.all(uploads.map(async (u) => ({ ...u, ...(await ownUpload(deps, ctx.principal.userId, u.uploadId)) })));
  const check = checkAttachments(files.map((f) => ({ bytes: f.size })), Number.POSITIVE_INFINITY);
  if (!check.ok) throw refusal(413, check.code, check.reason);
  const messageId = newMessageId(deps.config.domain);
  await deps.mailer.enqueueMessage(deps.db, {
    from: from.address,
    fromName: from.displayName,
    to,
    cc: [],
    subject,
    text: w.text,
    messageId,
    references: [],
    headers: writeMssHeaders({ nil: deps.config.nil }),
    attachments: files.map((f) => ({ filename: f.filename, contentType: f.contentType, key: f.key })),
  });
  return { messageId };
}
