import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../../db/index.js';

/**
 * The tickets that open the chat's WebSocket: a browser cannot put an Authorization header on a WebSocket,
 * so a signed-in professional first asks for a ticket (POST /api/chat/ticket) and passes it in the URL.
 * A ticket is random (256 bits), stored hashed, valid 60 seconds and used once. It lives in the database
 * so that any Carnet process can redeem it.
 */

export const TICKET_TTL_SECONDS = 60;

const hash = (ticket: string) => createHash('sha256').update(ticket).digest('base64url');

export async function issueTicket(q: Queryable, who: { practitionerId: string; userId: string }, now: Date): Promise<{ ticket: string; expiresAt: Date }> {
  const ticket = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + TICKET_TTL_SECONDS * 1000);
  // the expired ones go as new ones come
  await q.query('DELETE FROM chat_ticket WHERE expires_at < $1', [now]);
  await q.query('INSERT INTO chat_ticket (ticket_hash, practitioner_id, user_id, expires_at) VALUES ($1, $2, $3, $4)', [hash(ticket), who.practitionerId, who.userId, expiresAt]);
  return { ticket, expiresAt };
}

/** The professional a ticket was issued to, once: undefined for an unknown, used or expired ticket. */
export async function redeemTicket(q: Queryable, ticket: unknown, now: Date): Promise<{ practitionerId: string; userId: string } | undefined> {
  if (typeof ticket !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(ticket)) return undefined;
  const { rows } = await q.query<{ practitioner_id: string; user_id: string; expires_at: Date | string }>(
    'DELETE FROM chat_ticket WHERE ticket_hash = $1 RETURNING practitioner_id, user_id, expires_at',
    [hash(ticket)],
  );
  const row = rows[0];
  if (!row || new Date(row.expires_at).getTime() <= now.getTime()) return undefined;
  return { practitionerId: row.practitioner_id, userId: row.user_id };
}
