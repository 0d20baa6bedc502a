import { badRequest, notFound } from '../../errors.js';
import { isUuid } from '../ids.js';

/**
 * The rules of the professionals' instant messaging that need no I/O: what a title, a message, a list of
 * members and a page of history may be. Each refusal is a 400 with a stable `chat.*` code the web app translates.
 */

/** Longest message, in characters (also a CHECK of chat_message.body). */
export const MAX_BODY = 4000;
/** Longest room title, in characters (also a CHECK of chat_room.title). */
export const MAX_TITLE = 100;
/** Most members of a room, its creator included. */
export const MAX_MEMBERS = 50;
/** Messages per page of history: by default, and at most. */
export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 200;

/** A directory identifier (IdNat_PS: '8' + RPPS, '0' + ADELI, or a test id). */
const PRACTITIONER_ID = /^[0-9A-Za-z]{2,20}$/;

/** A room id from a path: anything but a UUID is a room that does not exist (404, as for a non-member). */
export function roomIdParam(id: string): string {
  if (!isUuid(id)) throw notFound('No such discussion').withCode('chat.room-unknown');
  return id.toLowerCase();
}

/** The text of a message: 1 to 4000 characters once the blanks around it are trimmed. */
export function messageBody(value: unknown): string {
  if (typeof value !== 'string') throw badRequest('body (the text of the message) is required', ['body']).withCode('chat.body');
  const text = value.replace(/^\s+|\s+$/g, '');
  if (text.length === 0) throw badRequest('The message is empty', ['body']).withCode('chat.body');
  if (text.length > MAX_BODY) throw badRequest(`A message holds at most ${MAX_BODY} characters`, ['body']).withCode('chat.body-too-long');
  return text;
}

/** A room's title: 1 to 100 characters, trimmed, on one line. */
export function roomTitle(value: unknown): string {
  const text = typeof value === 'string' ? value.replace(/\s+/g, ' ').trim() : '';
  if (text.length === 0 || text.length > MAX_TITLE) {
    throw badRequest(`title is required: 1 to ${MAX_TITLE} characters`, ['title']).withCode('chat.title');
  }
  return text;
}

/**
 * The professionals to add to a room, as directory identifiers: a non-empty array, without duplicates and
 * without the one asking (who is a member anyway), at most `room` (MAX_MEMBERS - 1 for a new room).
 */
export function memberIds(value: unknown, self: string, room = MAX_MEMBERS - 1): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || !PRACTITIONER_ID.test(v))) {
    throw badRequest('members must be an array of directory identifiers of professionals', ['members']).withCode('chat.members');
  }
  const ids = [...new Set(value as string[])].filter((id) => id !== self);
  if (ids.length === 0) throw badRequest('Name at least one other professional', ['members']).withCode('chat.members');
  if (ids.length > room) throw badRequest(`A discussion has at most ${MAX_MEMBERS} members`, ['members']).withCode('chat.too-many-members');
  return ids;
}

/** Which part of a room's history to read. */
export type Paging = { limit: number } & ({ after: number } | { before: number } | object);

function seqParam(value: unknown, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) {
    throw badRequest(`${name} must be a message number (a whole number from 0)`, [name]).withCode('chat.paging');
  }
  return Number(value);
}

/**
 * The paging of a history request: `after=N` (the messages after N, oldest first: what a reconnecting client
 * asks), `before=N` (the page before N, to scroll back), or neither (the latest page); `limit` 1 to 200.
 */
export function paging(query: Record<string, unknown>): Paging {
  const after = seqParam(query.after, 'after');
  const before = seqParam(query.before, 'before');
  if (after !== undefined && before !== undefined) throw badRequest('Give after or before, not both', ['after', 'before']).withCode('chat.paging');
  let limit = DEFAULT_PAGE;
  if (query.limit !== undefined && query.limit !== '') {
    if (typeof query.limit !== 'string' || !/^\d{1,4}$/.test(query.limit) || Number(query.limit) < 1 || Number(query.limit) > MAX_PAGE) {
      throw badRequest(`limit is a number from 1 to ${MAX_PAGE}`, ['limit']).withCode('chat.limit');
    }
    limit = Number(query.limit);
  }
  return { limit, ...(after !== undefined ? { after } : {}), ...(before !== undefined ? { before } : {}) };
}

/** The optional message number a member has read up to (POST .../read); absent: everything. */
export function readSeq(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw badRequest('seq must be a message number (a whole number from 0)', ['seq']).withCode('chat.seq');
  }
  return value;
}
