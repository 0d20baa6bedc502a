import type { Queryable } from '../../db/index.js';
import { civilityPrefix } from '../../domain/directory/index.js';
import type { RequestContext } from '../../repo/index.js';
import { practitionerOf } from '../care/access.js';
import { findById } from '../care/lookup.js';
import { uuidv7 } from '../ids.js';
import { withPatientAccess } from './patient-access.js';
import { memberRoom, roomSummary, type ChatDeps, type RoomSummary } from './rooms.js';
import { messageBody, type Paging } from './rules.js';

/**
 * The messages of a room: posting (numbered per room, 1, 2, 3… under the room's row lock, so that no number is
 * skipped or given twice), the history by pages (after a number, for a client catching up; before one, to
 * scroll back) and the member's reading mark. Members only (404 for anyone else); in a room about a patient,
 * each read and each post is a read of the patient's record by that member, allowed and audited by the
 * repository (patient-access.ts).
 */

export interface ChatMessage {
  roomId: string;
  seq: number;
  id: string;
  authorId: string;
  authorName: string;
  body: string;
  sentAt: string;
}

export interface HistoryPage {
  room: RoomSummary & {
    /** The patient's identity, for a room about a patient (read once the access was allowed). */
    patientIdentity?: { id: string; family: string; given: string; birthDate: string; sex: string; ins: { system: string; value: string } };
  };
  /** Oldest first. */
  messages: ChatMessage[];
  /** Whether there are more in the direction asked (after `after`; before the page otherwise). */
  hasMore: boolean;
}

interface MessageRow {
  room_id: string;
  seq: string | number;
  id: string;
  author_id: string;
  body: string;
  sent_at: Date | string;
  family: string | null;
  given: string | null;
  practice_civility_code: string | null;
  civility_code: string | null;
}

const SELECT_MESSAGES = `SELECT x.room_id::text AS room_id, x.seq, x.id::text AS id, x.author_id, x.body, x.sent_at,
        p.family, p.given, p.practice_civility_code, p.civility_code
   FROM chat_message x LEFT JOIN directory_practitioner p ON p.id = x.author_id`;

function toMessage(r: MessageRow): ChatMessage {
  const name = r.family ? [civilityPrefix(r.practice_civility_code, r.civility_code), r.given, r.family].filter(Boolean).join(' ') : r.author_id;
  return { roomId: r.room_id, seq: Number(r.seq), id: r.id, authorId: r.author_id, authorName: name, body: r.body, sentAt: new Date(r.sent_at).toISOString() };
}

async function readPage(q: Queryable, roomId: string, paging: Paging): Promise<{ messages: ChatMessage[]; hasMore: boolean }> {
  const limit = paging.limit;
  if ('after' in paging) {
    const { rows } = await q.query<MessageRow & Record<string, unknown>>(
      `${SELECT_MESSAGES} WHERE x.room_id = $1::uuid AND x.seq > $2 ORDER BY x.seq LIMIT $3`,
      [roomId, paging.after, limit + 1],
    );
    return { messages: rows.slice(0, limit).map(toMessage), hasMore: rows.length > limit };
  }
  const before = 'before' in paging ? paging.before : null;
  const { rows } = await q.query<MessageRow & Record<string, unknown>>(
    `${SELECT_MESSAGES} WHERE x.room_id = $1::uuid AND ($2::bigint IS NULL OR x.seq < $2::bigint) ORDER BY x.seq DESC LIMIT $3`,
    [roomId, before, limit + 1],
  );
  return { messages: rows.slice(0, limit).reverse().map(toMessage), hasMore: rows.length > limit };
}

/** A page of the room's history, with the room. */
export async function history(deps: ChatDeps, ctx: RequestContext, roomId: string, paging: Paging): Promise<HistoryPage> {
  const me = practitionerOf(ctx);
  const room = await memberRoom(deps.db, roomId, me);
  if (!room.patientId) {
    const page = await readPage(deps.db, roomId, paging);
    return { room: await roomSummary(deps.db, roomId, me), ...page };
  }
  const patientId = room.patientId;
  return withPatientAccess(
    deps.repo,
    ctx,
    patientId,
    (ops) =>
      ops.withTables(async (q) => {
        const page = await readPage(q, roomId, paging);
        const who = await findById(q, patientId);
        const summary = await roomSummary(q, roomId, me);
        return {
          room: {
            ...summary,
            ...(who
              ? { patientIdentity: { id: who.patientId, family: who.family, given: who.given, birthDate: who.birthDate, sex: who.sex, ins: { system: `urn:oid:${who.insOid}`, value: who.nir } } }
              : {}),
          },
          ...page,
        };
      }),
    { readOnly: true },
  );
}

/**
 * Posts a message: the next number of the room, the author's reading mark moved to it. Returns the message;
 * the caller notifies the members once it is committed.
 */
export async function postMessage(deps: ChatDeps, ctx: RequestContext, roomId: string, body: unknown): Promise<ChatMessage> {
  const me = practitionerOf(ctx);
  const text = messageBody(body);
  const room = await memberRoom(deps.db, roomId, me);
  const now = ctx.now();
  const id = uuidv7(now.getTime());
  const post = async (q: Queryable): Promise<ChatMessage> => {
    const { rows } = await q.query<{ seq: string | number }>('UPDATE chat_room SET last_seq = last_seq + 1, last_at = $2 WHERE id = $1::uuid RETURNING last_seq AS seq', [roomId, now]);
    const seq = Number(rows[0]!.seq);
    await q.query('INSERT INTO chat_message (room_id, seq, id, author_id, body, sent_at) VALUES ($1::uuid, $2, $3::uuid, $4, $5, $6)', [roomId, seq, id, me, text, now]);
    await q.query('UPDATE chat_member SET last_read_seq = GREATEST(last_read_seq, $3) WHERE room_id = $1::uuid AND practitioner_id = $2', [roomId, me, seq]);
    const { rows: written } = await q.query<MessageRow & Record<string, unknown>>(`${SELECT_MESSAGES} WHERE x.room_id = $1::uuid AND x.seq = $2`, [roomId, seq]);
    return toMessage(written[0]!);
  };
  if (!room.patientId) return deps.db.transaction(post);
  return withPatientAccess(deps.repo, ctx, room.patientId, (ops) => ops.withTables(post));
}

/**
 * Moves the member's reading mark to `seq` (at most the room's last message; never backwards), or to the last
 * message when absent. Reads no message: no access check beyond membership.
 */
export async function markRead(deps: ChatDeps, ctx: RequestContext, roomId: string, seq: number | undefined): Promise<{ roomId: string; lastReadSeq: number; unread: number }> {
  const me = practitionerOf(ctx);
  const room = await memberRoom(deps.db, roomId, me);
  const target = Math.min(seq ?? room.lastSeq, room.lastSeq);
  const { rows } = await deps.db.query<{ last_read_seq: string | number }>(
    `UPDATE chat_member SET last_read_seq = GREATEST(last_read_seq, $3) WHERE room_id = $1::uuid AND practitioner_id = $2 RETURNING last_read_seq`,
    [roomId, me, target],
  );
  const lastReadSeq = Number(rows[0]!.last_read_seq);
  const { rows: counted } = await deps.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM chat_message WHERE room_id = $1::uuid AND seq > $2 AND author_id <> $3',
    [roomId, lastReadSeq, me],
  );
  return { roomId, lastReadSeq, unread: Number(counted[0]!.n) };
}
