import { randomUUID } from 'node:crypto';
import type { Relation } from '../../domain/access/index.js';
import {
  checkAttachments,
  LIMITS,
  matriculeOf,
  mayPatientReply,
  mayPatientStart,
  normalizeAddress,
  onBehalfNote,
  PHARMACY_LOOKBACK_DAYS,
  writeMssHeaders,
} from '../../domain/messaging/index.js';
import { AppError, badRequest, refusal } from '../../errors.js';
import type { Queryable } from '../../db/index.js';
import type { RequestContext } from '../../repo/index.js';
import { isUuid, uuidv7 } from '../ids.js';
import { resolveAttachments, type AttachmentRef } from './attachments.js';
import { attachmentsOf, buildCommunication, messageView, payloadOf } from './communication.js';
import type { MessagingDeps } from './deps.js';
import { clean, newMessageId, partiesOf } from './deliver.js';
import * as idx from './index-store.js';
import { mailboxOfPatient, proMailbox, proMailboxes, type PatientMailbox } from './mailboxes.js';
import { displayNames, readCommunications, summaryOf, threadOf, type ConversationSummary, type ThreadMessage } from './views.js';

/**
 * The patient's side of the secure messaging (issue 7 item 4): the inbox, a conversation, writing (a new
 * conversation with a pharmacy or a professional who wrote, a reply, a reply to all, drafts), the trash. What
 * the patient reads goes through the repository with their context; what they send is relayed over SMTP.
 */


async function ownMailbox(deps: MessagingDeps, patientId: string): Promise<PatientMailbox> {
  const me = await mailboxOfPatient(deps.db, patientId, deps.config.domain);
  if (!me || me.state !== 'active') throw refusal(409, 'messages.no-patient-mailbox', 'This profile has no mailbox: it is not active');
  return me;
}

async function conversationOf(deps: MessagingDeps, patientId: string, id: string): Promise<idx.ConversationRow> {
  const c = isUuid(id) ? await idx.conversation(deps.db, patientId, id) : undefined;
  if (!c) throw refusal(404, 'messages.unknown-conversation', 'No such conversation');
  return c;
}

export interface InboxPage {
  address: string;
  items: ConversationSummary[];
  page: number;
  pageSize: number;
  total: number;
  unread: number;
  quota: { used: number; limit: number };
}

export async function inboxPage(
  deps: MessagingDeps,
  ctx: RequestContext,
  patientId: string,
  o: { folder: 'inbox' | 'trash'; unreadOnly: boolean; page: number; pageSize: number },
): Promise<InboxPage> {
  const me = await mailboxOfPatient(deps.db, patientId, deps.config.domain);
  const { rows, total, unread } = await idx.conversationPage(deps.db, patientId, { folder: o.folder, unreadOnly: o.unreadOnly, limit: o.pageSize, offset: (o.page - 1) * o.pageSize });
  // the previews are the messages themselves: read through the repository (one audited search)
  const last = rows.map((r) => r.last_message).filter((x): x is string => !!x);
  const read = last.length ? await deps.repo.run(ctx, (ops) => readCommunications(ops, deps.fhirBase, patientId, last), { readOnly: true }) : new Map();
  const names = await displayNames(deps.db, [...new Set(rows.flatMap((r) => [...r.counterparts, ...(r.closed_by ? [r.closed_by] : [])]))]);
  return {
    address: me?.address ?? '',
    items: rows.map((r) => summaryOf(r, names, r.last_message && read.has(r.last_message) ? messageView(read.get(r.last_message)).text : '')),
    page: o.page,
    pageSize: o.pageSize,
    total,
    unread,
    quota: { used: await idx.usedBytes(deps.db, patientId), limit: deps.config.quotaBytes },
  };
}

export interface ConversationView extends Omit<ConversationSummary, 'messages'> {
  items: ThreadMessage[];
  canReply: boolean;
}

/** A conversation, opened: its incoming messages are marked read (the professional sees it). */
export async function patientConversation(deps: MessagingDeps, ctx: RequestContext, patientId: string, id: string): Promise<ConversationView> {
  const c = await conversationOf(deps, patientId, id);
  const rows = await idx.messagesOf(deps.db, patientId, id);
  const now = deps.clock.now();
  const read = await deps.repo.run(ctx, async (ops) => {
    const found = await readCommunications(ops, deps.fhirBase, patientId, rows.map((r) => r.id));
    await ops.withTables((q) =>
      q.query(`UPDATE mss_message SET read_at = $3 WHERE patient_id = $1 AND conversation_id = $2 AND direction = 'in' AND read_at IS NULL AND NOT draft`, [patientId, id, now]),
    );
    return found;
  });
  const names = await displayNames(deps.db, [...c.counterparts, ...(c.closed_by ? [c.closed_by] : [])]);
  const items = threadOf(rows, read, (r) => (r.direction === 'in' ? (r.read_at ?? now) : r.receipt_at));
  const { messages: _m, ...summary } = summaryOf({ ...c, messages: items.filter((m) => !m.draft).length, drafts: items.filter((m) => m.draft).length }, names, items.at(-1)?.text ?? '');
  return { ...summary, items, canReply: mayPatientReply({ closedAt: c.closed_at?.toString() ?? null }).allow };
}

export interface PatientWrite {
  /** A new conversation: the recipient's address and the subject. */
  to?: string | undefined;
  subject?: string | undefined;
  /** A reply: the conversation, and whether to all. */
  conversationId?: string | undefined;
  replyAll?: boolean | undefined;
  text: string;
  attachments: AttachmentRef[];
  draft?: boolean | undefined;
}

/** Whether the patient may start a conversation with this address (mayPatientStart), with the facts. */
async function checkNewRecipient(deps: MessagingDeps, patientId: string, address: string) {
  const box = await proMailbox(deps.db, address);
  const open = await deps.db.query(
    `SELECT 1 FROM mss_conversation WHERE patient_id = $1 AND started_by = $2 AND closed_at IS NULL LIMIT 1`,
    [patientId, address],
  );
  const verdict = mayPatientStart({
    hasMailbox: box !== undefined && !matriculeOf(address, deps.config.domain),
    pharmacy: box?.pharmacy ?? false,
    openConversation: open.rows.length > 0,
  });
  if (!verdict.allow) throw refusal(verdict.code === 'messages.no-mailbox' ? 404 : 403, verdict.code, verdict.reason);
  return box!;
}

/**
 * The recipients of a reply: the last incoming message's sender and, to all, its other recipients that are
 * professional mailboxes Carnet knows (never any address a sender put in copy), at most LIMITS.maxRecipients.
 */
async function replyRecipients(
  deps: MessagingDeps,
  rows: readonly idx.MessageRow[],
  c: idx.ConversationRow,
  me: string,
  all: boolean,
): Promise<{ to: string[]; cc: string[]; inReplyTo?: string }> {
  const incoming = rows.filter((r) => r.direction === 'in' && !r.draft).at(-1);
  if (!incoming) return { to: [...c.counterparts].slice(0, LIMITS.maxRecipients), cc: [] };
  if (!all) return { to: [incoming.from_address], cc: [], inReplyTo: incoming.message_id };
  const others = [...new Set([...incoming.to_addresses, ...incoming.cc_addresses])].filter((a) => a !== me && a !== incoming.from_address && !matriculeOf(a, deps.config.domain));
  const known = await proMailboxes(deps.db, others);
  return { to: [incoming.from_address], cc: others.filter((a) => known.has(a)).slice(0, LIMITS.maxRecipients - 1), inReplyTo: incoming.message_id };
}

/** Writes a message from the patient's mailbox: a new conversation or a reply, sent (relayed over SMTP) or kept as a draft. */
export async function writeFromPatient(deps: MessagingDeps, ctx: RequestContext, patientId: string, relation: Relation, w: PatientWrite): Promise<{ conversationId: string; messageId: string }> {
  const me = await ownMailbox(deps, patientId);
  const text = clean(w.text).trim();
  if (!text && w.attachments.length === 0) throw badRequest('Write a message or attach a file', ['text']).withCode('messages.empty');
  if (text.length > LIMITS.bodyMaxLength) throw badRequest(`A message has at most ${LIMITS.bodyMaxLength} characters`, ['text']).withCode('messages.text-too-long');
  let conversation: idx.ConversationRow | undefined;
  let to: string[];
  let cc: string[] = [];
  let inReplyTo: string | undefined;
  let subject: string;
  let references: string[] = [];
  if (w.conversationId) {
    conversation = await conversationOf(deps, patientId, w.conversationId);
    const v = mayPatientReply({ closedAt: conversation.closed_at ? String(conversation.closed_at) : null });
    if (!v.allow) throw refusal(409, v.code, v.reason);
    const rows = await idx.messagesOf(deps.db, patientId, conversation.id);
    ({ to, cc, inReplyTo } = await replyRecipients(deps, rows, conversation, me.address, w.replyAll === true));
    subject = /^re\s*:/i.test(conversation.subject) ? conversation.subject : `Re: ${conversation.subject}`;
    references = rows.filter((r) => !r.draft).map((r) => r.message_id).slice(-20);
  } else {
    const address = normalizeAddress(w.to ?? '');
    if (!address) throw badRequest('to: the recipient is required', ['to']).withCode('messages.recipient-required');
    await checkNewRecipient(deps, patientId, address);
    to = [address];
    subject = clean(w.subject ?? '').trim();
    if (!subject || subject.length > LIMITS.subjectMaxLength) throw badRequest(`A subject of 1 to ${LIMITS.subjectMaxLength} characters is required`, ['subject']).withCode('messages.subject');
  }
  const attachments = await resolveAttachments(deps, ctx, patientId, w.attachments);
  const check = checkAttachments(attachments.map((a) => ({ bytes: a.size })), deps.config.quotaBytes - (await idx.usedBytes(deps.db, patientId)));
  if (!check.ok) throw refusal(check.code === 'messages.quota-exceeded' ? 422 : 413, check.code, check.reason);
  const note = onBehalfNote(relation, ctx.principal.displayName, me.displayName);
  const body = note ? `${text}\n\n-- \n${note}` : text;
  const parties = await partiesOf(deps, [...to, ...cc], me);
  const conversationId = conversation?.id ?? randomUUID();
  const communicationId = uuidv7();
  const messageId = newMessageId(deps.config.domain);
  const at = deps.clock.now();
  await deps.repo.run(ctx, async (ops) => {
    const replied = inReplyTo ? await ops.withTables((q) => idx.messageByMessageId(q, patientId, inReplyTo)) : undefined;
    await ops.create(
      buildCommunication({
        id: communicationId,
        patientId,
        conversationId,
        messageId,
        subject,
        text: body,
        from: { address: me.address, reference: `Patient/${patientId}`, display: me.displayName },
        to: parties.slice(0, to.length),
        cc: parties.slice(to.length),
        at,
        draft: w.draft === true,
        attachments,
        inResponseTo: replied?.id,
        onBehalf: note,
      }),
      { id: communicationId },
    );
    await ops.withTables(async (q) => {
      if (!conversation) {
        await idx.insertConversation(q, { patient_id: patientId, id: conversationId, subject, counterparts: [...to, ...cc], started_by: me.address, started_at: at, last_message_at: at });
      } else if (!w.draft) {
        await idx.touchConversation(q, patientId, conversationId, { at, counterparts: [...to, ...cc] });
      }
      await idx.insertMessage(q, {
        patient_id: patientId,
        id: communicationId,
        conversation_id: conversationId,
        message_id: messageId,
        direction: 'out',
        from_address: me.address,
        to_addresses: to,
        cc_addresses: cc,
        at,
        draft: w.draft === true,
        size_bytes: attachments.reduce((s, a) => s + a.size, 0),
      });
      if (!w.draft) {
        await deps.mailer.enqueueMessage(q, {
          from: me.address,
          fromName: me.displayName,
          to,
          cc,
          subject,
          text: body,
          messageId,
          ...(inReplyTo ? { inReplyTo } : {}),
          references,
          headers: writeMssHeaders({ nil: deps.config.nil }),
          attachments: attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, key: a.key })),
          patientId,
        });
      }
    });
  });
  return { conversationId, messageId: communicationId };
}

async function draftRow(deps: MessagingDeps, patientId: string, id: string): Promise<idx.MessageRow> {
  const row = /^[A-Za-z0-9\-.]{1,64}$/.test(id) ? await idx.messageRow(deps.db, patientId, id) : undefined;
  if (!row) throw refusal(404, 'messages.unknown-message', 'No such message');
  if (!row.draft) throw refusal(409, 'messages.draft-only', 'Only a draft can be changed, sent or deleted');
  return row;
}

/** Locks a draft's row in the unit that changes it: 409 when it was sent (or deleted) meanwhile. */
async function claimDraft(q: Queryable, patientId: string, id: string): Promise<void> {
  const { rows } = await q.query('SELECT 1 FROM mss_message WHERE patient_id = $1 AND id = $2 AND draft FOR UPDATE', [patientId, id]);
  if (rows.length === 0) throw refusal(409, 'messages.draft-only', 'Only a draft can be changed, sent or deleted');
}

/**
 * Changes a draft's text and attachments, and its subject when it starts a conversation (a reply keeps the
 * conversation's). The note of who wrote it on the patient's behalf is kept at the end of the text.
 */
export async function updateDraft(
  deps: MessagingDeps,
  ctx: RequestContext,
  patientId: string,
  relation: Relation,
  id: string,
  w: { text: string; subject?: string | undefined; attachments?: AttachmentRef[] | undefined },
): Promise<{ conversationId: string; messageId: string }> {
  const row = await draftRow(deps, patientId, id);
  const text = clean(w.text).trim();
  if (text.length > LIMITS.bodyMaxLength) throw badRequest(`A message has at most ${LIMITS.bodyMaxLength} characters`, ['text']).withCode('messages.text-too-long');
  const starts = !(await idx.hasSentMessage(deps.db, patientId, row.conversation_id));
  const subject = w.subject === undefined ? undefined : clean(w.subject).trim();
  if (subject !== undefined && (!starts || !subject || subject.length > LIMITS.subjectMaxLength)) {
    throw badRequest(starts ? `A subject of 1 to ${LIMITS.subjectMaxLength} characters is required` : "A reply keeps its conversation's subject", ['subject']).withCode('messages.subject');
  }
  const attachments = w.attachments ? await resolveAttachments(deps, ctx, patientId, w.attachments) : undefined;
  if (attachments) {
    // the same limits as a message written at once, the draft's current attachments aside from the quota used
    const check = checkAttachments(attachments.map((a) => ({ bytes: a.size })), deps.config.quotaBytes - (await idx.usedBytes(deps.db, patientId)) + Number(row.size_bytes));
    if (!check.ok) throw refusal(check.code === 'messages.quota-exceeded' ? 422 : 413, check.code, check.reason);
  }
  const me = await ownMailbox(deps, patientId);
  const note = onBehalfNote(relation, ctx.principal.displayName, me.displayName);
  await deps.repo.run(ctx, async (ops) => {
    await ops.withTables((q) => claimDraft(q, patientId, id));
    const c = JSON.parse((await ops.read('Communication', id)).content!) as Record<string, unknown>;
    const atts = attachments ?? attachmentsOf(c);
    const next: Record<string, unknown> = { ...c, payload: payloadOf(note ? `${text}\n\n-- \n${note}` : text, atts) };
    if (subject) next.topic = { text: subject };
    await ops.update(next);
    await ops.withTables(async (q) => {
      await q.query('UPDATE mss_message SET at = $3, size_bytes = $4 WHERE patient_id = $1 AND id = $2', [patientId, id, deps.clock.now(), atts.reduce((s, a) => s + a.size, 0)]);
      if (subject) await q.query('UPDATE mss_conversation SET subject = $3 WHERE patient_id = $1 AND id = $2', [patientId, row.conversation_id, subject]);
    });
  });
  return { conversationId: row.conversation_id, messageId: id };
}

/**
 * Sends a draft: relayed like any message, the conversation moves on. The message sent is a new Communication
 * and the draft is deleted, so that no version of the draft is ever part of what the professional reads.
 */
export async function sendDraft(deps: MessagingDeps, ctx: RequestContext, patientId: string, id: string): Promise<{ conversationId: string; messageId: string }> {
  const row = await draftRow(deps, patientId, id);
  const c = await conversationOf(deps, patientId, row.conversation_id);
  const v = mayPatientReply({ closedAt: c.closed_at ? String(c.closed_at) : null });
  if (!v.allow) throw refusal(409, v.code, v.reason);
  const me = await ownMailbox(deps, patientId);
  const at = deps.clock.now();
  const rows = await idx.messagesOf(deps.db, patientId, c.id);
  const earlier = rows.filter((r) => !r.draft);
  // a draft that starts a conversation is judged when it is sent: the recipient may no longer be one to write to
  if (earlier.length === 0) for (const address of row.to_addresses) await checkNewRecipient(deps, patientId, address);
  const sentId = uuidv7();
  await deps.repo.run(ctx, async (ops) => {
    await ops.withTables((q) => claimDraft(q, patientId, id));
    const draft = JSON.parse((await ops.read('Communication', id)).content!) as Record<string, unknown>;
    const { id: _id, meta: _meta, ...content } = draft;
    await ops.create({ ...content, status: 'completed', sent: at.toISOString() }, { id: sentId });
    await ops.delete('Communication', id);
    const view = messageView(draft);
    const atts = attachmentsOf(draft);
    const inReplyTo = earlier.filter((r) => r.direction === 'in').at(-1)?.message_id;
    await ops.withTables(async (q) => {
      await q.query('UPDATE mss_message SET id = $3, draft = false, at = $4 WHERE patient_id = $1 AND id = $2', [patientId, id, sentId, at]);
      await idx.touchConversation(q, patientId, c.id, { at, counterparts: [...row.to_addresses, ...row.cc_addresses] });
      await deps.mailer.enqueueMessage(q, {
        from: me.address,
        fromName: me.displayName,
        to: row.to_addresses,
        cc: row.cc_addresses,
        subject: view.subject,
        text: view.text,
        messageId: row.message_id,
        ...(inReplyTo ? { inReplyTo } : {}),
        references: earlier.map((r) => r.message_id).slice(-20),
        headers: writeMssHeaders({ nil: deps.config.nil }),
        attachments: atts.map((a) => ({ filename: a.filename, contentType: a.contentType, key: a.key })),
        patientId,
      });
    });
  });
  return { conversationId: c.id, messageId: sentId };
}

export async function deleteDraft(deps: MessagingDeps, ctx: RequestContext, patientId: string, id: string): Promise<void> {
  const row = await draftRow(deps, patientId, id);
  await deps.repo.run(ctx, async (ops) => {
    await ops.delete('Communication', id);
    await ops.withTables(async (q) => {
      await q.query('DELETE FROM mss_message WHERE patient_id = $1 AND id = $2', [patientId, id]);
      // a conversation that was only this draft goes with it
      await q.query(`DELETE FROM mss_conversation c WHERE patient_id = $1 AND id = $2 AND NOT EXISTS (SELECT 1 FROM mss_message m WHERE m.patient_id = c.patient_id AND m.conversation_id = c.id)`, [patientId, row.conversation_id]);
    });
  });
}

/** Moves a conversation to the trash (or back). A new message brings it back to the inbox. */
export async function setTrashed(deps: MessagingDeps, patientId: string, id: string, trashed: boolean): Promise<void> {
  await conversationOf(deps, patientId, id);
  await deps.db.query('UPDATE mss_conversation SET trashed_at = $3 WHERE patient_id = $1 AND id = $2', [patientId, id, trashed ? deps.clock.now() : null]);
}

export interface ContactSuggestions {
  pharmacies: { address: string; display: string; city?: string; lastUsed: string }[];
  professionals: { address: string; display: string }[];
}

/**
 * Who the patient may start a conversation with: the pharmacies of the last 12 months' dispensations (the
 * reimbursement feed, pharmacy_dispensation: Carnet stores no MedicationDispense) that have a mailbox, and the
 * professionals who wrote and did not end the exchange.
 */
export async function contactSuggestions(deps: MessagingDeps, patientId: string): Promise<ContactSuggestions> {
  const now = deps.clock.now();
  const since = new Date(now.getTime() - PHARMACY_LOOKBACK_DAYS * 86_400_000);
  const { rows } = await deps.db.query<{ address: string; display: string; city: string | null; last_used: string }>(
    `WITH used AS (
       SELECT organization_id, max(dispensed_on)::text AS last_used FROM (
         SELECT organization_id, dispensed_on FROM pharmacy_dispensation WHERE patient_id = $1 AND dispensed_on >= $2::date
       ) d GROUP BY organization_id)
     SELECT DISTINCT ON (m.address) m.address, COALESCE(o.trade_name, o.name) AS display, o.city, u.last_used
       FROM used u JOIN directory_organization o ON o.id = u.organization_id
       JOIN directory_mailbox m ON m.active AND ((m.kind = 'ORG' AND m.organization_id = o.id)
            OR (m.kind = 'PER' AND m.practitioner_id IN (SELECT practitioner_id FROM directory_role r WHERE r.organization_id = o.id AND r.active AND r.profession_code = '21')))
      ORDER BY m.address, u.last_used DESC`,
    [patientId, since.toISOString().slice(0, 10)],
  );
  const wrote = await deps.db.query<{ address: string }>(
    `SELECT DISTINCT started_by AS address FROM mss_conversation WHERE patient_id = $1 AND closed_at IS NULL AND started_by NOT LIKE $2`,
    [patientId, `%@patient.${deps.config.domain}`],
  );
  // what is offered is what the rules let the patient write to (mayPatientStart): active mailboxes, pharmacies'
  const known = await proMailboxes(deps.db, [...rows.map((r) => r.address), ...wrote.rows.map((r) => r.address)]);
  const names = await displayNames(deps.db, wrote.rows.map((r) => r.address));
  return {
    pharmacies: rows
      .filter((r) => known.get(r.address)?.pharmacy)
      .map((r) => ({ address: r.address, display: r.display, ...(r.city ? { city: r.city } : {}), lastUsed: r.last_used }))
      .sort((a, b) => b.lastUsed.localeCompare(a.lastUsed)),
    professionals: wrote.rows.filter((r) => known.has(r.address)).map((r) => ({ address: r.address, display: names.get(r.address) ?? r.address })),
  };
}

/** Lower-case accented letters and their plain forms, to compare names without accents in SQL. */
const ACCENTED = 'àâäáãåçéèêëíìîïñóòôöõúùûüýÿœæ';
const UNACCENTED = 'aaaaaaceeeeiiiinooooouuuuyyoa';

/** Pharmacies of the directory with a mailbox, by name and/or city (or postal code). */
export async function searchPharmacies(deps: MessagingDeps, q: { text?: string | undefined; city?: string | undefined }): Promise<{ items: { address: string; display: string; city?: string; postalCode?: string }[] }> {
  // folded (no accents, lower case), and matched literally: LIKE's wildcards are escaped
  const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim().replace(/[\\%_]/g, (c) => `\\${c}`);
  const text = q.text ? fold(q.text) : '';
  const city = q.city ? fold(q.city) : '';
  if (text.length < 2 && city.length < 2) throw badRequest('Give a name or a city (2 characters at least)', ['q']).withCode('messages.search-criteria');
  const { rows } = await deps.db.query<{ address: string; display: string; city: string | null; postal_code: string | null }>(
    `SELECT DISTINCT ON (m.address) m.address, COALESCE(o.trade_name, o.name) AS display, o.city, o.postal_code
       FROM directory_role r
       JOIN directory_organization o ON o.id = r.organization_id AND o.active
       JOIN directory_mailbox m ON m.active AND ((m.kind = 'ORG' AND m.organization_id = o.id) OR (m.kind = 'PER' AND m.practitioner_id = r.practitioner_id))
      WHERE r.active AND r.profession_code = '21' AND r.pharmacist_section_code = ANY($3::text[])
        AND ($1 = '' OR translate(lower(COALESCE(o.trade_name, '') || ' ' || o.name), $4, $5) LIKE '%' || $1 || '%')
        AND ($2 = '' OR r.city_key LIKE $2 || '%' OR o.postal_code LIKE $2 || '%')
      ORDER BY m.address LIMIT 50`,
    [text, city, ['A', 'D', 'E'], ACCENTED, UNACCENTED],
  );
  return { items: rows.map((r) => ({ address: r.address, display: r.display, ...(r.city ? { city: r.city } : {}), ...(r.postal_code ? { postalCode: r.postal_code } : {}) })) };
}

