import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { badRequest, unauthorized } from '../../errors.js';
import type { AccountsDeps } from '../../services/accounts/context.js';
import { practitionerOf } from '../../services/care/access.js';
import { ChatHub } from '../../services/chat/hub.js';
import { history, markRead, postMessage } from '../../services/chat/messages.js';
import { addMembers, createRoom, listRooms, memberIdsOf, type PatientRef } from '../../services/chat/rooms.js';
import { paging, readSeq, roomIdParam } from '../../services/chat/rules.js';
import { issueTicket, redeemTicket, TICKET_TTL_SECONDS } from '../../services/chat/tickets.js';
import { contextOf, type AuthDeps } from '../auth.js';
import { objectBody } from './body.js';

/** How often the server pings each WebSocket; one that did not answer the last ping is closed. */
const HEARTBEAT_MS = 30_000;

/** The patient a new room is about: { patient: { id } } or { patient: { ins: { value, system? } } }. */
function patientRef(value: unknown): PatientRef | undefined {
  if (value === undefined || value === null) return undefined;
  const p = objectBody(value);
  if (typeof p.id === 'string' && p.ins === undefined) {
    if (!/^[A-Za-z0-9\-.]{1,64}$/.test(p.id)) throw badRequest('patient.id is not a Patient id', ['patient.id']).withCode('chat.patient');
    return { id: p.id };
  }
  if (p.id === undefined && p.ins !== undefined) {
    const ins = typeof p.ins === 'string' ? { value: p.ins } : objectBody(p.ins);
    if (typeof ins.value !== 'string' || (ins.system !== undefined && typeof ins.system !== 'string')) {
      throw badRequest('patient.ins must be { value, system? } with text values', ['patient.ins']).withCode('ins.invalid');
    }
    return { ins: { value: ins.value, ...(typeof ins.system === 'string' && ins.system ? { system: ins.system } : {}) } };
  }
  throw badRequest('patient is { id } or { ins: { value, system? } }', ['patient']).withCode('chat.patient');
}

/**
 * /api/chat: the professionals' instant messaging (rooms, history, unread counts) and its WebSocket.
 * Contract: docs/chat.md.
 */
export function chatRoutes(app: FastifyInstance, deps: AuthDeps & { accounts: AccountsDeps }): void {
  const { db, repo } = deps.accounts;
  const chat = { db, repo };
  const hub = new ChatHub();

  /** The signed-in professional's context (403 pro.only for anyone else). */
  const pro = async (req: FastifyRequest) => {
    const ctx = await contextOf(req, deps);
    return { ctx, me: practitionerOf(ctx) };
  };

  app.get('/api/chat/rooms', async (req) => {
    const { me } = await pro(req);
    return { rooms: await listRooms(db, me) };
  });

  app.post('/api/chat/rooms', async (req, reply) => {
    const { ctx } = await pro(req);
    const body = objectBody(req.body);
    const patient = patientRef(body.patient);
    const room = await createRoom(chat, ctx, { title: body.title, members: body.members, ...(patient ? { patient } : {}) });
    hub.publish(room.members.map((m) => m.practitionerId), { type: 'room', roomId: room.id });
    return reply.code(201).send(room);
  });

  app.get<{ Params: { id: string } }>('/api/chat/rooms/:id/messages', async (req) => {
    const { ctx } = await pro(req);
    const roomId = roomIdParam(req.params.id);
    return history(chat, ctx, roomId, paging(req.query as Record<string, unknown>));
  });

  app.post<{ Params: { id: string } }>('/api/chat/rooms/:id/messages', async (req, reply) => {
    const { ctx } = await pro(req);
    const roomId = roomIdParam(req.params.id);
    const message = await postMessage(chat, ctx, roomId, objectBody(req.body).body);
    hub.publish(await memberIdsOf(db, roomId), { type: 'message', roomId, seq: message.seq, authorId: message.authorId, sentAt: message.sentAt });
    return reply.code(201).send(message);
  });

  app.post<{ Params: { id: string } }>('/api/chat/rooms/:id/read', async (req) => {
    const { ctx, me } = await pro(req);
    const roomId = roomIdParam(req.params.id);
    const result = await markRead(chat, ctx, roomId, readSeq(objectBody(req.body).seq));
    // the member's other tabs and devices update their counts
    hub.publish([me], { type: 'read', roomId, lastReadSeq: result.lastReadSeq });
    return result;
  });

  app.post<{ Params: { id: string } }>('/api/chat/rooms/:id/members', async (req) => {
    const { ctx } = await pro(req);
    const roomId = roomIdParam(req.params.id);
    const { room, added } = await addMembers(chat, ctx, roomId, objectBody(req.body).members);
    if (added.length > 0) hub.publish(room.members.map((m) => m.practitionerId), { type: 'room', roomId });
    return room;
  });

  /** A single-use ticket, valid 60 seconds, to open the WebSocket with (?ticket=). */
  app.post('/api/chat/ticket', async (req) => {
    const { ctx, me } = await pro(req);
    const { ticket, expiresAt } = await issueTicket(db, { practitionerId: me, userId: ctx.principal.userId }, ctx.now());
    return { ticket, expiresAt: expiresAt.toISOString(), expiresInSeconds: TICKET_TTL_SECONDS };
  });

  // the WebSocket route, in a plugin of its own so that it is declared once @fastify/websocket is loaded
  const redeemed = new WeakMap<FastifyRequest, string>();
  void app.register(async (scoped) => {
    scoped.get(
      '/api/chat/socket',
      {
        websocket: true,
        // the upgrade is refused with a plain 401 when the ticket is missing, used or expired
        preValidation: async (req) => {
          const query = req.query as Record<string, unknown>;
          const who = await redeemTicket(db, query.ticket, deps.clock.now());
          if (!who) throw unauthorized('A valid chat ticket is required (POST /api/chat/ticket; single use, 60 seconds)').withCode('chat.ticket');
          redeemed.set(req, who.practitionerId);
        },
      },
      (socket: WebSocket, req) => {
        const practitionerId = redeemed.get(req);
        if (!practitionerId) {
          socket.close(4401, 'no ticket');
          return;
        }
        const remove = hub.add(practitionerId, socket);
        let alive = true;
        socket.on('pong', () => {
          alive = true;
        });
        const heartbeat = setInterval(() => {
          if (!alive) {
            socket.terminate();
            return;
          }
          alive = false;
          socket.ping();
        }, HEARTBEAT_MS);
        heartbeat.unref();
        // the client sends nothing but an optional {"type":"ping"}, answered so that it can check the line
        socket.on('message', (data: Buffer) => {
          if (data.length <= 64 && data.toString() === '{"type":"ping"}') socket.send('{"type":"pong"}');
        });
        socket.on('close', () => {
          clearInterval(heartbeat);
          remove();
        });
        socket.on('error', () => socket.terminate());
        socket.send(JSON.stringify({ type: 'ready' }));
      },
    );
  });
}
