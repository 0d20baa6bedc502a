/**
 * The shapes of the secure messaging API (src/http/api/messaging-routes.ts), for the patient's inbox
 * (/api/messages…) and the professional's (/api/pro/messages…). Dates are ISO 8601 instants.
 */

import type { SummarySection } from './profile-types';

export interface Party {
  address: string;
  display: string;
}

/** An XDM package's document, offered for filing into the record. */
export interface XdmEntryView {
  path: string;
  title: string;
  mimeType: string;
  typeCode?: string;
  typeDisplay?: string;
  date?: string;
}

export interface AttachmentView {
  /** Position among the message's attachments: /…/messages/:messageId/attachments/:index */
  index: number;
  filename: string;
  contentType: string;
  size: number;
  /** Present for an IHE_XDM.ZIP: the documents it holds ("file into my documents", one click each). */
  xdm?: XdmEntryView[];
}

export interface MessageView {
  id: string;
  conversationId: string;
  subject: string;
  text: string;
  from: Party;
  to: Party[];
  cc: Party[];
  /** null for a draft. */
  sentAt: string | null;
  draft: boolean;
  /** The professional ended the conversation with this message (X-MSS-MES: FIN). */
  ends: boolean;
  /** "Ce message a été rédigé par …" when a parent, representative or carer wrote it. */
  onBehalf?: string;
  /** in: to the patient; out: from the patient. */
  direction: 'in' | 'out';
  /** in: when the patient side opened it; out: when the professional opened it in Carnet (read receipts). */
  readAt: string | null;
  attachments: AttachmentView[];
}

export interface ConversationSummary {
  id: string;
  subject: string;
  counterparts: Party[];
  startedAt: string;
  lastMessageAt: string;
  /** Incoming messages not read yet (patient side); for a professional, the patient's messages they have not opened. */
  unread: number;
  messages: number;
  drafts: number;
  closed: { at: string; by: Party } | null;
  trashed: boolean;
  /** The first characters of the last message. */
  preview: string;
}

/** GET /api/messages?folder=inbox|trash&unread=true&page=1&pageSize=50 */
export interface InboxPage {
  /** The profile's own address, <INS>@patient.<domain>. */
  address: string;
  items: ConversationSummary[];
  page: number;
  pageSize: number;
  total: number;
  /** Unread messages in the inbox (not the trash), whatever the filter. */
  unread: number;
  /** The attachments' quota: bytes used and allowed. */
  quota: { used: number; limit: number };
}

/** GET /api/messages/:conversationId (opening it marks its incoming messages read). */
export interface ConversationView extends Omit<ConversationSummary, 'messages'> {
  items: MessageView[];
  /** Whether the patient side may reply (not when a professional ended it). */
  canReply: boolean;
}

/**
 * An attachment of a message being written:
 * - upload: bytes sent first to POST /api/messages/uploads (raw body, Content-Type, ?filename=), which answers
 *   { uploadId, filename, contentType, size };
 * - document: a document of the record (its id, as in /api/documents);
 * - medical-profile: the summary PDF of the medical profile, made at sending time, of the sections given
 *   (SummarySection of profile-types.ts; all sections when absent).
 */
export type AttachmentRef =
  | { kind: 'upload'; uploadId: string; filename: string; contentType: string }
  | { kind: 'document'; documentId: string }
  | { kind: 'medical-profile'; sections?: SummarySection[] };

/**
 * POST /api/messages            { to, subject, text, attachments?, draft? }    a new conversation (a pharmacy, or a professional who wrote and did not end)
 * POST /api/messages/:id/reply  { text, replyAll?, attachments?, draft? }      answers the last incoming message
 * PUT  /api/messages/drafts/:messageId   { text, subject?, attachments? }     updates a draft
 * POST /api/messages/drafts/:messageId/send                                    sends it
 * DELETE /api/messages/drafts/:messageId
 * POST /api/messages/:id/trash, POST /api/messages/:id/restore
 * GET  /api/messages/:id/messages/:messageId/attachments/:index               the bytes (download)
 * POST /api/messages/:id/messages/:messageId/attachments/:index/file  { title?, category?, entry? }  files it (entry: the XDM entry index) into the documents → DocumentView
 * All answer { conversationId, messageId } (and 201) when they create something.
 */
export interface SendResult {
  conversationId: string;
  messageId: string;
}

/** GET /api/messages/contacts: who the patient may start a conversation with. */
export interface ContactSuggestions {
  /** Pharmacies with a dispensation in the last 12 months that have a mailbox. */
  pharmacies: (Party & { city?: string; lastUsed: string })[];
  /** Professionals who wrote to the patient and did not end the exchange. */
  professionals: Party[];
}

/** GET /api/messages/contacts/search?q=&city=: pharmacies of the directory with a mailbox. */
export interface PharmacySearch {
  items: (Party & { city?: string; postalCode?: string })[];
}

/** GET /api/pro/messages?page=&pageSize=&patient= : the conversations the professional's mailboxes take part in. */
export interface ProInboxPage {
  /** The professional's mailboxes (personal first); empty when they have none. */
  mailboxes: Party[];
  items: (ConversationSummary & { patient: { id: string; display: string } })[];
  page: number;
  pageSize: number;
  total: number;
}

/**
 * GET  /api/pro/messages/:patientId/:conversationId  → ConversationView (the messages the professional takes part in)
 * POST /api/pro/messages            { ins | patientId, subject, text, attachments?: ({kind:'upload',…} | {kind:'document', documentId})[], end? }
 * POST /api/pro/messages/:patientId/:conversationId/reply  { text, attachments?, end? }
 * POST /api/pro/messages/:patientId/:conversationId/end     ends it (the patient can no longer reply)
 * POST /api/pro/messages/colleagues { to: string[], subject, text, attachments? (uploads) }  relayed over SMTP
 * POST /api/pro/messages/uploads    as the patient's
 * GET  /api/pro/messages/:patientId/:conversationId/messages/:messageId/attachments/:index
 * GET/POST /api/pro/messages/credentials, DELETE /api/pro/messages/credentials/:id : SMTP passwords for a mail client
 */
export interface Credential {
  id: string;
  address: string;
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
  /** Only in the answer to its creation: shown once. */
  password?: string;
}
