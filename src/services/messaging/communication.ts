import type { XdmEntry } from '../../domain/messaging/xdm.js';
import { BLOB_URL } from '../dmp/document-resource.js';
import { MESSAGE_ID_SYSTEM, MSS_EXTENSION } from './deps.js';

type Json = Record<string, unknown>;

/**
 * A message as a FHIR Communication in the patient's compartment: the text and attachments in `payload`
 * (an attachment's bytes stay in the BlobStore, named by its SHA-256), the subject in `topic`, the
 * Message-ID in `identifier`, and the MSSanté envelope (addresses, conversation, FIN) in extensions.
 */

export type { XdmEntry };

export interface StoredAttachment {
  filename: string;
  contentType: string;
  size: number;
  /** The BlobStore key (SHA-256 hex). */
  key: string;
  /** SHA-1, base64 (Attachment.hash). */
  sha1: string;
  /** An IHE XDM package: the documents it holds, offered for filing. */
  xdm?: XdmEntry[];
}

export interface MessageParty {
  address: string;
  /** Practitioner/…, Organization/… or Patient/… when the address is known; absent for an unknown mailbox. */
  reference?: string | undefined;
  display: string;
}

export interface CommunicationInput {
  id?: string;
  patientId: string;
  conversationId: string;
  messageId: string;
  subject: string;
  text: string;
  from: MessageParty;
  to: MessageParty[];
  cc: MessageParty[];
  at: Date;
  draft?: boolean;
  attachments: StoredAttachment[];
  /** The Communication this one answers. */
  inResponseTo?: string | undefined;
  ends?: boolean;
  onBehalf?: string | undefined;
}

/** A message's payload: its text, then its attachments (their bytes in the BlobStore). */
export function payloadOf(text: string, attachments: readonly StoredAttachment[]): Json[] {
  return [
    ...(text ? [{ contentString: text }] : []),
    ...attachments.map((a) => ({
      contentAttachment: {
        extension: [{ url: BLOB_URL, valueString: a.key }, ...(a.xdm ? [{ url: MSS_EXTENSION.xdm, valueString: JSON.stringify(a.xdm) }] : [])],
        contentType: a.contentType,
        title: a.filename,
        size: a.size,
        hash: a.sha1,
      },
    })),
  ];
}

const party = (p: MessageParty): Json => ({ ...(p.reference ? { reference: p.reference } : {}), display: p.display });

export function buildCommunication(m: CommunicationInput): Json {
  return {
    resourceType: 'Communication',
    ...(m.id ? { id: m.id } : {}),
    extension: [
      { url: MSS_EXTENSION.conversation, valueString: m.conversationId },
      { url: MSS_EXTENSION.from, valueString: m.from.address },
      ...m.to.map((p) => ({ url: MSS_EXTENSION.to, valueString: p.address })),
      ...m.cc.map((p) => ({ url: MSS_EXTENSION.cc, valueString: p.address })),
      ...(m.ends ? [{ url: MSS_EXTENSION.ends, valueBoolean: true }] : []),
      ...(m.onBehalf ? [{ url: MSS_EXTENSION.onBehalf, valueString: m.onBehalf }] : []),
    ],
    identifier: [{ system: MESSAGE_ID_SYSTEM, value: m.messageId }],
    status: m.draft ? 'preparation' : 'completed',
    category: [{ coding: [{ system: 'https://carnet.example/fhir/CodeSystem/message-channel', code: 'mssante', display: 'Messagerie sécurisée de santé' }] }],
    subject: { reference: `Patient/${m.patientId}` },
    topic: { text: m.subject },
    ...(m.inResponseTo ? { inResponseTo: [{ reference: `Communication/${m.inResponseTo}` }] } : {}),
    ...(m.draft ? {} : { sent: m.at.toISOString() }),
    recipient: [...m.to, ...m.cc].map(party),
    sender: party(m.from),
    payload: payloadOf(m.text, m.attachments),
  };
}

/** What a reader needs of a stored Communication. */
export interface MessageView {
  id: string;
  conversationId: string;
  messageId: string;
  subject: string;
  text: string;
  from: { address: string; display: string; reference?: string };
  to: { address: string; display: string }[];
  cc: { address: string; display: string }[];
  sentAt: string | null;
  draft: boolean;
  ends: boolean;
  onBehalf?: string;
  attachments: (Omit<StoredAttachment, 'key' | 'sha1'> & { index: number })[];
}

function extValues(c: Json, url: string): string[] {
  return ((c.extension as Json[] | undefined) ?? []).filter((e) => e.url === url && typeof e.valueString === 'string').map((e) => e.valueString as string);
}

/** The attachments of a Communication with their blob keys, in payload order. */
export function attachmentsOf(c: Json): StoredAttachment[] {
  const out: StoredAttachment[] = [];
  for (const p of (c.payload as Json[] | undefined) ?? []) {
    const a = p.contentAttachment as Json | undefined;
    if (!a) continue;
    const exts = (a.extension as Json[] | undefined) ?? [];
    const key = exts.find((e) => e.url === BLOB_URL)?.valueString;
    const xdm = exts.find((e) => e.url === MSS_EXTENSION.xdm)?.valueString;
    if (typeof key !== 'string') continue;
    out.push({
      filename: typeof a.title === 'string' ? a.title : 'piece-jointe',
      contentType: typeof a.contentType === 'string' ? a.contentType : 'application/octet-stream',
      size: typeof a.size === 'number' ? a.size : 0,
      key,
      sha1: typeof a.hash === 'string' ? a.hash : '',
      ...(typeof xdm === 'string' ? { xdm: JSON.parse(xdm) as XdmEntry[] } : {}),
    });
  }
  return out;
}

export function messageView(c: Json): MessageView {
  const recipients = (c.recipient as Json[] | undefined) ?? [];
  const to = extValues(c, MSS_EXTENSION.to);
  const cc = extValues(c, MSS_EXTENSION.cc);
  const displayOf = (i: number, address: string) => (typeof recipients[i]?.display === 'string' ? (recipients[i]!.display as string) : address);
  const sender = (c.sender as Json | undefined) ?? {};
  const from = extValues(c, MSS_EXTENSION.from)[0] ?? '';
  const onBehalf = extValues(c, MSS_EXTENSION.onBehalf)[0];
  return {
    id: c.id as string,
    conversationId: extValues(c, MSS_EXTENSION.conversation)[0] ?? '',
    messageId: (((c.identifier as Json[] | undefined) ?? []).find((i) => i.system === MESSAGE_ID_SYSTEM)?.value as string | undefined) ?? '',
    subject: ((c.topic as Json | undefined)?.text as string | undefined) ?? '',
    text: (((c.payload as Json[] | undefined) ?? []).find((p) => typeof p.contentString === 'string')?.contentString as string | undefined) ?? '',
    from: { address: from, display: typeof sender.display === 'string' ? sender.display : from, ...(typeof sender.reference === 'string' ? { reference: sender.reference } : {}) },
    to: to.map((a, i) => ({ address: a, display: displayOf(i, a) })),
    cc: cc.map((a, i) => ({ address: a, display: displayOf(to.length + i, a) })),
    sentAt: typeof c.sent === 'string' ? c.sent : null,
    draft: c.status === 'preparation',
    ends: ((c.extension as Json[] | undefined) ?? []).some((e) => e.url === MSS_EXTENSION.ends && e.valueBoolean === true),
    ...(onBehalf ? { onBehalf } : {}),
    attachments: attachmentsOf(c).map(({ key: _k, sha1: _s, ...a }, index) => ({ ...a, index })),
  };
}
