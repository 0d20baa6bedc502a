import type { Db, Queryable } from '../../db/index.js';
import { civilityPrefix } from '../../domain/directory/index.js';
import { badRequest, forbidden, notFound } from '../../errors.js';
import type { Repository, RequestContext } from '../../repo/index.js';
import { practitionerOf } from '../care/access.js';
import { findByIns, type InsQuery } from '../care/lookup.js';
import { uuidv7 } from '../ids.js';
import { firstWithoutAccess, withPatientAccess } from './patient-access.js';
import { MAX_MEMBERS, memberIds, roomTitle } from './rules.js';

/**
 * Rooms of the professionals' instant messaging (docs/chat.md): created by a professional with colleagues
 * from the directory, optionally about one patient; listed with their unread counts; joined by members that a
 * member adds. Only members know a room exists: anyone else gets 404.
 */

export interface ChatDeps {
  db: Db;
  repo: Repository;
}

export interface ChatMember {
  practitionerId: string;
  /** "Dr Hélène Martin", from the directory (the identifier when the directory does not know them). */
  name: string;
}

export interface RoomSummary {
  id: string;
  title: string;
  /** The patient the room is about (their identity is given with the history, after the access check). */
  patient: { id: string } | null;
  createdBy: string;
  createdAt: string;
  members: ChatMember[];
  /** The number of the room's last message (0: none yet) and when it was sent. */
  lastSeq: number;
  lastAt: string | null;
  /** The member's own reading: the last message read, and the others' messages after it. */
  lastReadSeq: number;
  unread: number;
}

/** The room, when this professional is one of its members. */
export interface MemberRoom {
  id: string;
  title: string;
  patientId: string | null;
  lastSeq: number;
  lastReadSeq: number;
}

interface DirectoryName {
  id: string;
  family: string;
  given: string;
  practice_civility_code: string | null;
  civility_code: string | null;
  active: boolean;
}

const nameOf = (p: Pick<DirectoryName, 'family' | 'given' | 'practice_civility_code' | 'civility_code'>) =>
  [civilityPrefix(p.practice_civility_code, p.civility_code), p.given, p.family].filter(Boolean).join(' ');

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

/** The room as its member sees it; 404 (chat.room-unknown) when it does not exist or they are not a member. */
export async function memberRoom(q: Queryable, roomId: string, practitionerId: string): Promise<MemberRoom> {
  const { rows } = await q.query<{ id: string; title: string; patient_id: string | null; last_seq: string | number; last_read_seq: string | number }>(
    `SELECT r.id::text AS id, r.title, r.patient_id, r.last_seq, m.last_read_seq
       FROM chat_room r JOIN chat_member m ON m.room_id = r.id AND m.practitioner_id = $2
      WHERE r.id = $1::uuid`,
    [roomId, practitionerId],
  );
  const row = rows[0];
  if (!row) throw notFound('No such discussion').withCode('chat.room-unknown');
  return { id: row.id, title: row.title, patientId: row.patient_id, lastSeq: Number(row.last_seq), lastReadSeq: Number(row.last_read_seq) };
}

/** The practitioner ids of a room's members (to notify them). */
export async function memberIdsOf(q: Queryable, roomId: string): Promise<string[]> {
  const { rows } = await q.query<{ practitioner_id: string }>('SELECT practitioner_id FROM chat_member WHERE room_id = $1::uuid', [roomId]);
  return rows.map((r) => r.practitioner_id);
}

/** The members of these rooms, in the order they joined. */
async function membersOf(q: Queryable, roomIds: readonly string[]): Promise<Map<string, ChatMember[]>> {
  const out = new Map<string, ChatMember[]>(roomIds.map((id) => [id, []]));
  if (roomIds.length === 0) return out;
  const { rows } = await q.query<{ room_id: string; practitioner_id: string } & Omit<DirectoryName, 'id' | 'active'>>(
    `SELECT m.room_id::text AS room_id, m.practitioner_id, p.family, p.given, p.practice_civility_code, p.civility_code
       FROM chat_member m LEFT JOIN directory_practitioner p ON p.id = m.practitioner_id
      WHERE m.room_id = ANY($1::uuid[])
      ORDER BY m.joined_at, m.practitioner_id`,
    [[...roomIds]],
  );
  for (const r of rows) {
    out.get(r.room_id)?.push({ practitionerId: r.practitioner_id, name: r.family ? nameOf(r) : r.practitioner_id });
  }
  return out;
}

const ROOM_COLUMNS = `r.id::text AS id, r.title, r.patient_id, r.created_by, r.created_at, r.last_seq, r.last_at, m.last_read_seq,
  (SELECT count(*)::int FROM chat_message x WHERE x.room_id = r.id AND x.seq > m.last_read_seq AND x.author_id <> m.practitioner_id) AS unread`;

interface RoomRow {
  id: string;
  title: string;
  patient_id: string | null;
  created_by: string;
  created_at: Date | string;
  last_seq: string | number;
  last_at: Date | string | null;
  last_read_seq: string | number;
  unread: number;
}

async function summaries(q: Queryable, rows: RoomRow[]): Promise<RoomSummary[]> {
  const members = await membersOf(q, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    patient: r.patient_id ? { id: r.patient_id } : null,
    createdBy: r.created_by,
    createdAt: iso(r.created_at)!,
    members: members.get(r.id) ?? [],
    lastSeq: Number(r.last_seq),
    lastAt: iso(r.last_at),
    lastReadSeq: Number(r.last_read_seq),
    unread: Number(r.unread),
  }));
}

/** At most this many rooms are listed, the most recently active first. */
const ROOMS_LISTED = 200;

/** The professional's rooms, the most recently active first, each with its unread count. */
export async function listRooms(q: Queryable, practitionerId: string): Promise<RoomSummary[]> {
  const { rows } = await q.query<RoomRow & Record<string, unknown>>(
    `SELECT ${ROOM_COLUMNS}
       FROM chat_member m JOIN chat_room r ON r.id = m.room_id
      WHERE m.practitioner_id = $1
      ORDER BY COALESCE(r.last_at, r.created_at) DESC, r.id
      LIMIT ${ROOMS_LISTED}`,
    [practitionerId],
  );
  return summaries(q, rows);
}

/** One room as its member sees it (404 for anyone else). */
export async function roomSummary(q: Queryable, roomId: string, practitionerId: string): Promise<RoomSummary> {
  const { rows } = await q.query<RoomRow & Record<string, unknown>>(
    `SELECT ${ROOM_COLUMNS} FROM chat_member m JOIN chat_room r ON r.id = m.room_id WHERE m.practitioner_id = $1 AND r.id = $2::uuid`,
    [practitionerId, roomId],
  );
  if (!rows[0]) throw notFound('No such discussion').withCode('chat.room-unknown');
  return (await summaries(q, rows))[0]!;
}

/** The directory's professionals behind these ids: 400 (chat.member-unknown) naming those it does not know. */
async function directoryMembers(q: Queryable, ids: readonly string[]): Promise<{ id: string; name: string }[]> {
  const { rows } = await q.query<DirectoryName & Record<string, unknown>>(
    'SELECT id, family, given, practice_civility_code, civility_code, active FROM directory_practitioner WHERE id = ANY($1::text[])',
    [[...ids]],
  );
  const found = new Map(rows.filter((r) => r.active).map((r) => [r.id, r]));
  const unknown = ids.filter((id) => !found.has(id));
  if (unknown.length > 0) {
    throw badRequest(`The directory has no active professional ${unknown.join(', ')}`, ['members']).withCode('chat.member-unknown');
  }
  return ids.map((id) => ({ id, name: nameOf(found.get(id)!) }));
}

/** A patient named by a request: by id, or by INS as the professional space finds one. */
export type PatientRef = { id: string } | { ins: InsQuery };

async function insertMembers(q: Queryable, roomId: string, ids: readonly string[], by: string, at: Date): Promise<void> {
  await q.query(
    `INSERT INTO chat_member (room_id, practitioner_id, joined_at, added_by)
     SELECT $1::uuid, id, $3, $4 FROM unnest($2::text[]) AS t(id)
     ON CONFLICT (room_id, practitioner_id) DO NOTHING`,
    [roomId, [...ids], at, by],
  );
}

/** Refuses (403 chat.member-no-access) when one of the professionals may not read the patient's record now. */
async function checkMembersAccess(q: Queryable, patientId: string, members: { id: string; name: string }[], at: Date): Promise<void> {
  const refused = await firstWithoutAccess(q, patientId, members, at);
  if (refused) {
    throw forbidden(`${refused.name} may not access this patient's record (${refused.reason}): a discussion about the patient is open only to professionals who may`)
      .withCode('chat.member-no-access');
  }
}

/**
 * Creates a room of the signed-in professional and these colleagues. About a patient, every member must be
 * allowed to read the patient's record now: the creator's read goes through the repository (audited in the
 * record), the others' access is decided by the same policy; 403 otherwise.
 */
export async function createRoom(
  deps: ChatDeps,
  ctx: RequestContext,
  input: { title: unknown; members: unknown; patient?: PatientRef },
): Promise<RoomSummary> {
  const me = practitionerOf(ctx);
  const title = roomTitle(input.title);
  const ids = memberIds(input.members, me);
  const others = await directoryMembers(deps.db, ids);
  const id = uuidv7(ctx.now().getTime());
  const now = ctx.now();
  const insert = async (q: Queryable, patientId: string | null) => {
    await q.query('INSERT INTO chat_room (id, title, patient_id, created_by, created_at) VALUES ($1::uuid, $2, $3, $4, $5)', [id, title, patientId, me, now]);
    await insertMembers(q, id, [me, ...ids], me, now);
  };
  const patient = input.patient;
  if (!patient) {
    await deps.db.transaction((tx) => insert(tx, null));
  } else {
    const patientId = 'id' in patient ? patient.id : await deps.db.transaction(async (tx) => (await findByIns(tx, patient.ins))?.patientId);
    if (!patientId) throw notFound('No patient has a profile with this INS').withCode('chat.patient-unknown');
    await withPatientAccess(
      deps.repo,
      ctx,
      patientId,
      (ops) =>
        ops.withTables(async (q) => {
          await checkMembersAccess(q, patientId, others, now);
          await insert(q, patientId);
        }),
      { creating: true },
    );
  }
  return roomSummary(deps.db, id, me);
}

/**
 * Adds professionals to a room the signed-in professional is a member of. In a room about a patient, the one
 * who adds reads the record (audited) and each new member must be allowed to read it now.
 */
export async function addMembers(deps: ChatDeps, ctx: RequestContext, roomId: string, members: unknown): Promise<{ room: RoomSummary; added: string[] }> {
  const me = practitionerOf(ctx);
  const room = await memberRoom(deps.db, roomId, me);
  const current = await memberIdsOf(deps.db, roomId);
  const requested = memberIds(members, me, MAX_MEMBERS);
  const fresh = requested.filter((id) => !current.includes(id));
  if (current.length + fresh.length > MAX_MEMBERS) {
    throw badRequest(`A discussion has at most ${MAX_MEMBERS} members`, ['members']).withCode('chat.too-many-members');
  }
  const newcomers = await directoryMembers(deps.db, fresh);
  const now = ctx.now();
  if (fresh.length > 0) {
    if (room.patientId) {
      const patientId = room.patientId;
      await withPatientAccess(deps.repo, ctx, patientId, (ops) =>
        ops.withTables(async (q) => {
          await checkMembersAccess(q, patientId, newcomers, now);
          await insertMembers(q, roomId, fresh, me, now);
        }),
      );
    } else {
      await insertMembers(deps.db, roomId, fresh, me, now);
    }
  }
  return { room: await roomSummary(deps.db, roomId, me), added: fresh };
}
