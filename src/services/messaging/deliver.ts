import { randomUUID } from 'node:crypto';
import { AppError, refusal } from '../../errors.js';
import {
  checkAttachments,
  isXdmAttachment,
  mayStartWithPatient,
  matriculeOf,
  normalizeAddress,
  readXdm,
  recipientVerdict,
  type MssHeaders,
  type XdmEntry,
} from '../../domain/messaging/index.js';
import type { RequestContext } from '../../repo/index.js';
import { notify } from '../accounts/notifications.js';
import { uuidv7 } from '../ids.js';
import { buildCommunication, type MessageParty, type StoredAttachment } from './communication.js';
import type { MessagingDeps } from './deps.js';
import * as idx from './index-store.js';
import { proMailboxes, type PatientMailbox, type ProMailbox } from './mailboxes.js';

/** A message for a patient's mailbox, as the SMTP gateway parsed it or the professional space wrote it. */
export interface IncomingMail {
  /** Message-ID without angle brackets; one is made when absent. */
  messageId?: string | undefined;
  from: { address: string; name?: string | undefined };
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  inReplyTo?: string | undefined;
  references: string[];
  mss: MssHeaders;
  attachments: IncomingAttachment[];
}

export interface IncomingAttachment {
  filename?: string | undefined;
  contentType: string;
  content: Buffer;
}

export interface Delivery {
  communicationId: string;
  conversationId: string;
  /** The message had been delivered already (a relay's retry): nothing new was stored. */
  duplicate: boolean;
}


/** Why a profile's mailbox takes nothing, for the sender (and the SMTP bounce). */
export function refusalOf(recipient: PatientMailbox | undefined): AppError | undefined {
  const verdict = recipientVerdict(recipient?.state ?? 'none');
  if (verdict.accept) return undefined;
  return verdict.reason === 'closed'
    ? refusal(410, 'messages.profile-closed', 'This patient profile is closed: it receives no messages')
    : refusal(404, 'messages.unknown-recipient', 'No active patient profile has this address');
}

/** Text as it can be stored and shown: without NUL and the other control characters (tabs and line breaks kept). */
export function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
}

/** Bare Message-ID (no angle brackets, no spaces), at most 250 characters. */
export function bareMessageId(value: string | undefined): string | undefined {
  const v = value?.trim().replace(/^<|>$/g, '').trim();
  return v && v.length <= 250 && !/\s/.test(v) ? v : undefined;
}

export function newMessageId(domain: string): string {
  return `${randomUUID()}@${domain}`;
}

/** Stores the attachments' bytes, reading the XDM packages: their patient must be the mailbox's owner. */
export async function storeAttachments(deps: MessagingDeps, attachments: readonly IncomingAttachment[], owner: PatientMailbox | undefined): Promise<StoredAttachment[]> {
  const out: StoredAttachment[] = [];
  for (const a of attachments) {
    let xdm: XdmEntry[] | undefined;
    if (isXdmAttachment(a.filename, a.contentType)) {
      const read = readXdm(a.content);
      const named = /(^|\/)IHE_XDM\.ZIP$/i.test(a.filename ?? '');
      if (!read.ok && named) throw refusal(422, 'messages.xdm-invalid', `The IHE_XDM.ZIP attachment cannot be read: ${read.reason}`);
      if (read.ok) {
        // every patient the package names must be the mailbox's owner: one document about someone else and the
        // whole package is refused (it would be filed into the wrong record)
        if (owner && (read.pkg.patientIds.length === 0 || !read.pkg.patientIds.every((id) => id.toUpperCase() === owner.matricule))) {
          throw refusal(422, 'messages.xdm-patient-mismatch', "The IHE XDM package is about another patient than the mailbox's owner (METADATA.XML patientId)");
        }
        xdm = read.pkg.entries.map(({ content: _c, ...e }) => e);
      }
    }
    const stored = await deps.blobs.put(a.content, { maxBytes: deps.config.quotaBytes });
    out.push({
      filename: clean(a.filename ?? '').slice(0, 200) || 'piece-jointe',
      contentType: clean(a.contentType).slice(0, 200),
      size: stored.size,
      key: stored.key,
      sha1: stored.sha1,
      ...(xdm ? { xdm } : {}),
    });
  }
  return out;
}

/** The parties of a message: known mailboxes get their reference and name, the patient theirs. */
export async function partiesOf(deps: MessagingDeps, addresses: readonly string[], patient: PatientMailbox): Promise<MessageParty[]> {
  const known = await proMailboxes(deps.db, addresses);
  return addresses.map((a) => {
    const address = normalizeAddress(a);
    if (address === patient.address) return { address, reference: `Patient/${patient.patientId}`, display: patient.displayName };
    const m = known.get(address);
    return m ? { address, reference: m.reference, display: m.displayName } : { address, display: address };
  });
}

/**
 * Delivers a professional's message to a patient's mailbox: a new conversation, or the one it answers (found
 * by In-Reply-To and References); `X-MSS-MES: FIN` ends the conversation. The Communication is written through
 * the repository with the caller's context (the gateway as Carnet, or the professional), in the same unit as
 * the mailbox index and the patient's notification (in the app, and an e-mail alert without health content).
 */
export async function deliverToPatient(
  deps: MessagingDeps,
  ctx: RequestContext,
  recipient: PatientMailbox,
  mail: IncomingMail,
  sender: ProMailbox | undefined,
  stored?: StoredAttachment[],
): Promise<Delivery> {
  const refused = refusalOf(recipient);
  if (refused) throw refused;
  const fromAddress = normalizeAddress(mail.from.address);
  // a patient's mailbox never writes to another's: only professionals start, and only they end
  if (matriculeOf(fromAddress, deps.config.domain)) {
    const v = mayStartWithPatient('patient-side');
    if (!v.allow) throw refusal(403, v.code, v.reason);
  }
  let messageId = bareMessageId(mail.messageId) ?? newMessageId(deps.config.domain);
  const patientId = recipient.patientId;
  const existing = await idx.messageByMessageId(deps.db, patientId, messageId);
  // the same sender again: a relay's retry, stored once; another sender reusing that Message-ID is not
  // dropped: their message gets an id of its own
  if (existing?.from_address === normalizeAddress(mail.from.address)) return { communicationId: existing.id, conversationId: existing.conversation_id, duplicate: true };
  if (existing) messageId = newMessageId(deps.config.domain);
  // the limits first, on the sizes given, so that a message refused for its size or the quota stores no bytes
  // (a delivery failing later leaves its blobs unreferenced: they are not swept yet, docs/messaging.md)
  const sizes = stored ? stored.map((a) => ({ bytes: a.size })) : mail.attachments.map((a) => ({ bytes: a.content.length }));
  const check = checkAttachments(sizes, deps.config.quotaBytes - (await idx.usedBytes(deps.db, patientId)));
  if (!check.ok) throw refusal(check.code === 'messages.quota-exceeded' ? 422 : 413, check.code, check.reason);
  const attachments = stored ?? (await storeAttachments(deps, mail.attachments, recipient));
  const at = deps.clock.now();
  const to = mail.to.map(normalizeAddress);
  const cc = mail.cc.map(normalizeAddress).filter((a) => !to.includes(a));
  const parties = await partiesOf(deps, [...to, ...cc], recipient);
  const from: MessageParty = sender
    ? { address: fromAddress, reference: sender.reference, display: sender.displayName }
    : { address: fromAddress, display: mail.from.name?.trim().slice(0, 200) || fromAddress };
  const subject = clean(mail.subject).trim().slice(0, 250) || '(sans objet)';
  const counterparts = [fromAddress, ...[...to, ...cc].filter((a) => a !== recipient.address && !matriculeOf(a, deps.config.domain))];
  const communicationId = uuidv7();
  return deps.repo.run(ctx, async (ops) => {
    const quoted = await ops.withTables((q) => idx.conversationAnswered(q, patientId, [...(mail.inReplyTo ? [mail.inReplyTo] : []), ...mail.references].map((x) => bareMessageId(x)).filter((x): x is string => !!x)));
    // a message joins (and may end) a conversation only when its sender already takes part in it: quoting
    // another's Message-ID starts a new conversation instead
    const joined = quoted ? await ops.withTables((q) => idx.conversation(q, patientId, quoted)) : undefined;
    const answered = joined && joined.counterparts.includes(fromAddress) ? joined.id : undefined;
    const conversationId = answered ?? randomUUID();
    let inResponseTo: string | undefined;
    if (answered && mail.inReplyTo) {
      const replied = await ops.withTables((q) => idx.messageByMessageId(q, patientId, bareMessageId(mail.inReplyTo) ?? ''));
      inResponseTo = replied?.id;
    }
    await ops.create(
      buildCommunication({
        id: communicationId,
        patientId,
        conversationId,
        messageId,
        subject,
        text: clean(mail.text).slice(0, 100_000),
        from,
        to: parties.slice(0, to.length),
        cc: parties.slice(to.length),
        at,
        attachments,
        inResponseTo,
        ends: mail.mss.ends,
      }),
      { id: communicationId },
    );
    await ops.withTables(async (q) => {
      if (answered) {
        await idx.touchConversation(q, patientId, conversationId, { at, counterparts, ...(mail.mss.ends ? { endedBy: fromAddress } : {}) });
      } else {
        await idx.insertConversation(q, { patient_id: patientId, id: conversationId, subject, counterparts, started_by: fromAddress, started_at: at, last_message_at: at });
        if (mail.mss.ends) await idx.touchConversation(q, patientId, conversationId, { at, counterparts: [], endedBy: fromAddress });
      }
      await idx.insertMessage(q, {
        patient_id: patientId,
        id: communicationId,
        conversation_id: conversationId,
        message_id: messageId,
        direction: 'in',
        from_address: fromAddress,
        to_addresses: to,
        cc_addresses: cc,
        at,
        draft: false,
        size_bytes: attachments.reduce((s, a) => s + a.size, 0),
      });
      await notify(q, deps.mailer, [{ patientId, category: 'messages', type: 'message-received', params: { from: from.display, conversationId } }], at);
    });
    return { communicationId, conversationId, duplicate: false };
  });
}
