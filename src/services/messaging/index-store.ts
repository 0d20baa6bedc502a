import type { Queryable } from '../../db/index.js';

/**
 * The mailbox index (mss_conversation, mss_message): which messages make a conversation, their state
 * (read, draft, trash, ended) and the quota. The messages themselves are Communications, read through the
 * repository. Every query here names the patient: the tables are distributed on patient_id.
 */

export interface ConversationRow {
  patient_id: string;
  id: string;
  subject: string;
  counterparts: string[];
  started_by: string;
  started_at: Date;
  last_message_at: Date;
  closed_at: Date | null;
  closed_by: string | null;
  trashed_at: Date | null;
}

export interface MessageRow {
  patient_id: string;
  id: string;
  conversation_id: string;
  message_id: string;
  direction: 'in' | 'out';
  from_address: string;
  to_addresses: string[];
  cc_addresses: string[];
  at: Date;
  draft: boolean;
  read_at: Date | null;
  receipt_at: Date | null;
  size_bytes: string | number;
}

export async function conversation(q: Queryable, patientId: string, id: string, forUpdate = false): Promise<ConversationRow | undefined> {
  const { rows } = await q.query<ConversationRow>(`SELECT * FROM mss_conversation WHERE patient_id = $1 AND id = $2${forUpdate ? ' FOR UPDATE' : ''}`, [patientId, id]);
  return rows[0];
}

export async function messagesOf(q: Queryable, patientId: string, conversationId: string): Promise<MessageRow[]> {
  const { rows } = await q.query<MessageRow>('SELECT * FROM mss_message WHERE patient_id = $1 AND conversation_id = $2 ORDER BY at, id', [patientId, conversationId]);
  return rows;
}

export async function messageRow(q: Queryable, patientId: string, id: string): Promise<MessageRow | undefined> {
  const { rows } = await q.query<MessageRow>('SELECT * FROM mss_message WHERE patient_id = $1 AND id = $2', [patientId, id]);
  return rows[0];
}

/** The conversation of a mailbox a message answers, from its In-Reply-To and References. */
export async function conversationAnswered(q: Queryable, patientId: string, messageIds: readonly string[]): Promise<string | undefined> {
  if (messageIds.length === 0) return undefined;
  const { rows } = await q.query<{ conversation_id: string }>(
    'SELECT conversation_id FROM mss_message WHERE patient_id = $1 AND message_id = ANY($2::text[]) ORDER BY at DESC LIMIT 1',
    [patientId, [...messageIds]],
  );
  return rows[0]?.conversation_id;
}

/** Whether a conversation holds a message that was sent (not only the patient side's draft). */
export async function hasSentMessage(q: Queryable, patientId: string, conversationId: string): Promise<boolean> {
  const { rows } = await q.query('SELECT 1 FROM mss_message WHERE patient_id = $1 AND conversation_id = $2 AND NOT draft LIMIT 1', [patientId, conversationId]);
  return rows.length > 0;
}

/** The message of a mailbox with this Message-ID. */
export async function messageByMessageId(q: Queryable, patientId: string, messageId: string): Promise<MessageRow | undefined> {
  const { rows } = await q.query<MessageRow>('SELECT * FROM mss_message WHERE patient_id = $1 AND message_id = $2', [patientId, messageId]);
  return rows[0];
}

/** The attachments' bytes a mailbox holds (drafts included). */
export async function usedBytes(q: Queryable, patientId: string): Promise<number> {
  const { rows } = await q.query<{ used: string | null }>('SELECT sum(size_bytes) AS used FROM mss_message WHERE patient_id = $1', [patientId]);
  return Number(rows[0]?.used ?? 0);
}

export async function insertConversation(q: Queryable, c: Omit<ConversationRow, 'closed_at' | 'closed_by' | 'trashed_at'>): Promise<void> {
  await q.query(
    `INSERT INTO mss_conversation (patient_id, id, subject, counterparts, started_by, started_at, last_message_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [c.patient_id, c.id, c.subject, c.counterparts, c.started_by, c.started_at, c.last_message_at],
  );
}

/** A new message in a conversation: its counterparts grow, it leaves the trash, and it may end it. */
export async function touchConversation(q: Queryable, patientId: string, id: string, o: { at: Date; counterparts: readonly string[]; endedBy?: string }): Promise<void> {
  await q.query(
    `UPDATE mss_conversation
        SET last_message_at = GREATEST(last_message_at, $3),
            counterparts = ARRAY(SELECT DISTINCT unnest(counterparts || $4::text[])),
            trashed_at = NULL,
            closed_at = CASE WHEN $5::text IS NOT NULL AND closed_at IS NULL THEN $3 ELSE closed_at END,
            closed_by = CASE WHEN $5::text IS NOT NULL AND closed_at IS NULL THEN $5 ELSE closed_by END
      WHERE patient_id = $1 AND id = $2`,
    [patientId, id, o.at, [...o.counterparts], o.endedBy ?? null],
  );
}

export async function insertMessage(q: Queryable, m: Omit<MessageRow, 'read_at' | 'receipt_at'> & { read_at?: Date | null }): Promise<void> {
  await q.query(
    `INSERT INTO mss_message (patient_id, id, conversation_id, message_id, direction, from_address, to_addresses, cc_addresses, at, draft, size_bytes, read_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [m.patient_id, m.id, m.conversation_id, m.message_id, m.direction, m.from_address, m.to_addresses, m.cc_addresses, m.at, m.draft, m.size_bytes, m.read_at ?? null],
  );
}

export interface ConversationSummary extends ConversationRow {
  unread: number;
  messages: number;
  last_message: string | null;
  drafts: number;
}

/** A page of a patient's conversations, newest first: the inbox, the unread ones, or the trash. */
export async function conversationPage(
  q: Queryable,
  patientId: string,
  o: { folder: 'inbox' | 'trash'; unreadOnly: boolean; limit: number; offset: number },
): Promise<{ rows: ConversationSummary[]; total: number; unread: number }> {
  const where = [`c.patient_id = $1`, o.folder === 'trash' ? 'c.trashed_at IS NOT NULL' : 'c.trashed_at IS NULL'];
  if (o.unreadOnly) where.push(`EXISTS (SELECT 1 FROM mss_message u WHERE u.patient_id = c.patient_id AND u.conversation_id = c.id AND u.direction = 'in' AND u.read_at IS NULL AND NOT u.draft)`);
  const { rows } = await q.query<ConversationSummary & { total: string }>(
    `SELECT c.*, count(*) OVER () AS total,
            (SELECT count(*)::int FROM mss_message u WHERE u.patient_id = c.patient_id AND u.conversation_id = c.id AND u.direction = 'in' AND u.read_at IS NULL AND NOT u.draft) AS unread,
            (SELECT count(*)::int FROM mss_message u WHERE u.patient_id = c.patient_id AND u.conversation_id = c.id AND NOT u.draft) AS messages,
            (SELECT count(*)::int FROM mss_message u WHERE u.patient_id = c.patient_id AND u.conversation_id = c.id AND u.draft) AS drafts,
            (SELECT u.id FROM mss_message u WHERE u.patient_id = c.patient_id AND u.conversation_id = c.id ORDER BY u.draft, u.at DESC LIMIT 1) AS last_message
       FROM mss_conversation c WHERE ${where.join(' AND ')}
      ORDER BY c.last_message_at DESC, c.id LIMIT $2 OFFSET $3`,
    [patientId, o.limit, o.offset],
  );
  const { rows: u } = await q.query<{ n: string }>(
    `SELECT count(*) AS n FROM mss_message m JOIN mss_conversation c ON c.patient_id = m.patient_id AND c.id = m.conversation_id
      WHERE m.patient_id = $1 AND m.direction = 'in' AND m.read_at IS NULL AND NOT m.draft AND c.trashed_at IS NULL`,
    [patientId],
  );
  return { rows, total: Number(rows[0]?.total ?? 0), unread: Number(u[0]?.n ?? 0) };
}

/** A page of the conversations some professional mailboxes take part in, over every patient, newest first. */
export async function proConversationPage(
  q: Queryable,
  addresses: readonly string[],
  o: { limit: number; offset: number; patientId?: string | undefined },
): Promise<{ rows: (ConversationRow & { unread_by_patient: number; unread: number; messages: number; last_message: string | null })[]; total: number }> {
  const { rows } = await q.query<ConversationRow & { total: string; unread_by_patient: number; unread: number; messages: number; last_message: string | null }>(
    `SELECT c.*, count(*) OVER () AS total,
            (SELECT u.id FROM mss_message u WHERE u.patient_id = c.patient_id AND u.conversation_id = c.id AND NOT u.draft ORDER BY u.at DESC LIMIT 1) AS last_message,
            (SELECT count(*)::int FROM mss_message u WHERE u.patient_id = c.patient_id AND u.conversation_id = c.id AND NOT u.draft) AS messages,
            (SELECT count(*)::int FROM mss_message u WHERE u.patient_id = c.patient_id AND u.conversation_id = c.id AND u.direction = 'in' AND u.read_at IS NULL AND NOT u.draft) AS unread_by_patient,
            (SELECT count(*)::int FROM mss_message u WHERE u.patient_id = c.patient_id AND u.conversation_id = c.id AND u.direction = 'out' AND u.receipt_at IS NULL AND NOT u.draft
                AND (u.to_addresses && $1::text[] OR u.cc_addresses && $1::text[])) AS unread
       FROM mss_conversation c WHERE c.counterparts && $1::text[] ${o.patientId ? 'AND c.patient_id = $4' : ''}
        AND EXISTS (SELECT 1 FROM mss_message s WHERE s.patient_id = c.patient_id AND s.conversation_id = c.id AND NOT s.draft)
      ORDER BY c.last_message_at DESC, c.patient_id, c.id LIMIT $2 OFFSET $3`,
    [[...addresses], o.limit, o.offset, ...(o.patientId ? [o.patientId] : [])],
  );
  return { rows, total: Number(rows[0]?.total ?? 0) };
}
