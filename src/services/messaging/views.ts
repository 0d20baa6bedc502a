import type { Queryable } from '../../db/index.js';
import { parseSearch } from '../../fhir/search/parse.js';
import type { FhirOperations } from '../../repo/index.js';
import { messageView, type MessageView } from './communication.js';
import type { ConversationRow, MessageRow } from './index-store.js';
import { proMailboxes } from './mailboxes.js';

type Json = Record<string, unknown>;

/** What the inboxes show (web/src/messaging-types.ts). */
export interface Party {
  address: string;
  display: string;
}

export interface ConversationSummary {
  id: string;
  subject: string;
  counterparts: Party[];
  startedAt: string;
  lastMessageAt: string;
  unread: number;
  messages: number;
  drafts: number;
  closed: { at: string; by: Party } | null;
  trashed: boolean;
  preview: string;
}

export interface ThreadMessage extends MessageView {
  direction: 'in' | 'out';
  readAt: string | null;
}

/** The Communications of a record with these ids, read through the repository (the policy narrows, the read is audited). */
export async function readCommunications(ops: FhirOperations, fhirBase: string, patientId: string, ids: readonly string[]): Promise<Map<string, Json>> {
  const out = new Map<string, Json>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const search = parseSearch('Communication', new URLSearchParams({ patient: patientId, _id: chunk.join(','), _count: String(chunk.length) }), {
      defaultCount: 500,
      maxCount: 500,
      strict: true,
      fhirBase,
    });
    for (const v of (await ops.search('Communication', search)).versions) out.set(v.id, JSON.parse(v.content!) as Json);
  }
  return out;
}

/** Display names of addresses: the directory's, or the address itself. */
export async function displayNames(q: Queryable, addresses: readonly string[]): Promise<Map<string, string>> {
  const known = await proMailboxes(q, addresses);
  return new Map(addresses.map((a) => [a, known.get(a)?.displayName ?? a]));
}

export function summaryOf(
  c: ConversationRow & { unread?: number; messages?: number; drafts?: number },
  names: ReadonlyMap<string, string>,
  preview: string,
): ConversationSummary {
  const party = (a: string): Party => ({ address: a, display: names.get(a) ?? a });
  return {
    id: c.id,
    subject: c.subject,
    counterparts: c.counterparts.map(party),
    startedAt: new Date(c.started_at).toISOString(),
    lastMessageAt: new Date(c.last_message_at).toISOString(),
    unread: c.unread ?? 0,
    messages: c.messages ?? 0,
    drafts: c.drafts ?? 0,
    closed: c.closed_at ? { at: new Date(c.closed_at).toISOString(), by: party(c.closed_by ?? '') } : null,
    trashed: c.trashed_at !== null,
    preview: preview.replace(/\s+/g, ' ').trim().slice(0, 140),
  };
}

/** The messages of a thread the reader could read, in order, with their state. */
export function threadOf(rows: readonly MessageRow[], read: ReadonlyMap<string, Json>, readState: (r: MessageRow) => Date | null): ThreadMessage[] {
  return rows
    .filter((r) => read.has(r.id))
    .map((r) => {
      const at = readState(r);
      return { ...messageView(read.get(r.id)!), direction: r.direction, readAt: at ? new Date(at).toISOString() : null };
    });
}
