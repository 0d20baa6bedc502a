import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, startAccounts, type AccountsCarnet } from './support/accounts.js';
import { insuredPatient, professional, type TestPatient, type TestPro } from './support/care.js';
import { ChatSocket, ticketFor } from './support/chat-socket.js';

/**
 * The professionals' instant messaging over real HTTP and a real WebSocket, on a real database: rooms,
 * history by pages, unread counts, real-time notifications, reconnection without loss, members only, and
 * rooms about a patient subject to the patient's access policy, with every member's read in the patient's
 * access history.
 */
let c: AccountsCarnet;

beforeAll(async () => {
  c = await startAccounts();
});
afterAll(async () => {
  expect(c?.serverErrors ?? []).toEqual([]);
  await c?.close();
});

const call = (method: string, url: string, token: string, json?: unknown) => c.api(method, url, { token, ...(json !== undefined ? { json } : {}) });

async function createRoom(pro: TestPro, body: Record<string, unknown>) {
  const res = await call('POST', '/api/chat/rooms', pro.token, body);
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json();
}

async function post(pro: TestPro, roomId: string, body: string) {
  const res = await call('POST', `/api/chat/rooms/${roomId}/messages`, pro.token, { body });
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json();
}

async function messages(pro: TestPro, roomId: string, query = '') {
  const res = await call('GET', `/api/chat/rooms/${roomId}/messages${query}`, pro.token);
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json();
}

async function rooms(pro: TestPro) {
  const res = await call('GET', '/api/chat/rooms', pro.token);
  expect(res.status).toBe(200);
  return (await res.json()).rooms as any[];
}

const declare = (pro: TestPro, p: TestPatient, basis: 'consent' | 'care-team') =>
  call('POST', `/api/pro/patients/${p.patientId}/access`, pro.token, { basis });

describe('rooms, history and unread counts', () => {
  it('two professionals discuss: numbered messages, history by pages, unread counts, read marks', async () => {
    const a = await professional(c, { family: 'Durand', given: 'Claire' });
    const b = await professional(c, { family: 'Leroy', given: 'Paul', profession: '21' });
    const room = await createRoom(a, { title: '  Avis  sur   un traitement ', members: [b.practitionerId, a.practitionerId, b.practitionerId] });
    expect(room).toMatchObject({ title: 'Avis sur un traitement', patient: null, createdBy: a.practitionerId, lastSeq: 0, unread: 0 });
    expect(room.members.map((m: any) => m.practitionerId)).toEqual([a.practitionerId, b.practitionerId].sort((x, y) => (x < y ? -1 : 1)));
    expect(room.members.find((m: any) => m.practitionerId === a.practitionerId).name).toBe('Dr Claire Durand');

    const first = await post(a, room.id, 'Bonjour, pouvez-vous vérifier cette interaction ?');
    expect(first).toMatchObject({ roomId: room.id, seq: 1, authorId: a.practitionerId, authorName: 'Dr Claire Durand' });
    for (let i = 2; i <= 5; i++) await post(a, room.id, `message ${i}`);

    // b has 5 unread, a none (their own messages)
    expect((await rooms(b)).find((r) => r.id === room.id)).toMatchObject({ unread: 5, lastSeq: 5, lastReadSeq: 0 });
    expect((await rooms(a)).find((r) => r.id === room.id)).toMatchObject({ unread: 0, lastReadSeq: 5 });

    // the latest page, oldest first, then the one before it, then "after" a number
    const latest = await messages(b, room.id, '?limit=2');
    expect(latest.messages.map((m: any) => m.seq)).toEqual([4, 5]);
    expect(latest.hasMore).toBe(true);
    const older = await messages(b, room.id, '?before=4&limit=2');
    expect(older.messages.map((m: any) => m.seq)).toEqual([2, 3]);
    expect(older.hasMore).toBe(true);
    const oldest = await messages(b, room.id, '?before=2');
    expect(oldest.messages.map((m: any) => m.body)).toEqual(['Bonjour, pouvez-vous vérifier cette interaction ?']);
    expect(oldest.hasMore).toBe(false);
    const after = await messages(b, room.id, '?after=3');
    expect(after.messages.map((m: any) => m.seq)).toEqual([4, 5]);
    expect(after.hasMore).toBe(false);
    expect(after.room).toMatchObject({ id: room.id, lastSeq: 5, unread: 5 });

    // reading marks: partly, never backwards, never past the last message
    expect(await (await call('POST', `/api/chat/rooms/${room.id}/read`, b.token, { seq: 3 })).json()).toEqual({ roomId: room.id, lastReadSeq: 3, unread: 2 });
    expect(await (await call('POST', `/api/chat/rooms/${room.id}/read`, b.token, { seq: 1 })).json()).toMatchObject({ lastReadSeq: 3, unread: 2 });
    expect(await (await call('POST', `/api/chat/rooms/${room.id}/read`, b.token, { seq: 99 })).json()).toMatchObject({ lastReadSeq: 5, unread: 0 });

    // b answers: a has one unread
    await post(b, room.id, 'Je regarde.');
    expect((await rooms(a)).find((r) => r.id === room.id)).toMatchObject({ unread: 1, lastSeq: 6 });
    expect(await (await call('POST', `/api/chat/rooms/${room.id}/read`, a.token)).json()).toMatchObject({ lastReadSeq: 6, unread: 0 });
  });

  it('numbers concurrent posts without a gap or a duplicate', async () => {
    const a = await professional(c);
    const b = await professional(c);
    const room = await createRoom(a, { title: 'Concurrence', members: [b.practitionerId] });
    await Promise.all(Array.from({ length: 10 }, (_, i) => post(i % 2 ? a : b, room.id, `m${i}`)));
    const all = await messages(a, room.id, '?after=0');
    expect(all.messages.map((m: any) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(new Set(all.messages.map((m: any) => m.body)).size).toBe(10);
  });

  it('lists only the rooms one is a member of, the most recently active first; a member adds a colleague', async () => {
    const a = await professional(c);
    const b = await professional(c);
    const d = await professional(c);
    const r1 = await createRoom(a, { title: 'Premier', members: [b.practitionerId] });
    const r2 = await createRoom(a, { title: 'Second', members: [b.practitionerId] });
    await post(b, r1.id, 'réveil');
    expect((await rooms(a)).map((r) => r.title)).toEqual(['Premier', 'Second']);
    expect(await rooms(d)).toEqual([]);

    const res = await call('POST', `/api/chat/rooms/${r1.id}/members`, b.token, { members: [d.practitionerId] });
    expect(res.status).toBe(200);
    expect((await res.json()).members.map((m: any) => m.practitionerId)).toContain(d.practitionerId);
    // the newcomer sees the room, its history and its unread messages
    expect((await rooms(d)).map((r) => r.title)).toEqual(['Premier']);
    expect((await rooms(d))[0].unread).toBe(1);
    expect((await messages(d, r1.id)).messages.map((m: any) => m.body)).toEqual(['réveil']);
    // adding again is harmless
    expect((await call('POST', `/api/chat/rooms/${r1.id}/members`, a.token, { members: [d.practitionerId] })).status).toBe(200);
  });
});

describe('members only', () => {
  it('a non-member gets 404 everywhere, as for a room that does not exist', async () => {
    const a = await professional(c);
    const b = await professional(c);
    const outsider = await professional(c);
    const room = await createRoom(a, { title: 'Privé', members: [b.practitionerId] });
    await post(a, room.id, 'secret');
    for (const [method, url, json] of [
      ['GET', `/api/chat/rooms/${room.id}/messages`, undefined],
      ['POST', `/api/chat/rooms/${room.id}/messages`, { body: 'intrus' }],
      ['POST', `/api/chat/rooms/${room.id}/read`, {}],
      ['POST', `/api/chat/rooms/${room.id}/members`, { members: [outsider.practitionerId] }],
      ['GET', '/api/chat/rooms/7b1a1f0e-0000-4000-8000-000000000000/messages', undefined],
      ['GET', '/api/chat/rooms/not-a-room/messages', undefined],
    ] as const) {
      await expectProblem(await call(method, url, outsider.token, json), 404, 'chat.room-unknown');
    }
    const { rows } = await c.db.query<{ n: number }>('SELECT count(*)::int AS n FROM chat_message WHERE room_id = $1', [room.id]);
    expect(rows[0]!.n).toBe(1);
  });

  it('is for professionals: a patient gets 403, no token 401', async () => {
    const p = await insuredPatient(c);
    await expectProblem(await call('GET', '/api/chat/rooms', p.token), 403, 'pro.only');
    await expectProblem(await call('POST', '/api/chat/ticket', p.token), 403, 'pro.only');
    await expectProblem(await c.api('GET', '/api/chat/rooms'), 401);
  });
});

describe('bad input', () => {
  it('answers problem+json with a code, never 500', async () => {
    const a = await professional(c);
    const b = await professional(c);
    const room = await createRoom(a, { title: 'Saisie', members: [b.practitionerId] });
    const cases: [string, string, unknown, number, string][] = [
      ['POST', '/api/chat/rooms', { members: [b.practitionerId] }, 400, 'chat.title'],
      ['POST', '/api/chat/rooms', { title: 'x'.repeat(101), members: [b.practitionerId] }, 400, 'chat.title'],
      ['POST', '/api/chat/rooms', { title: 'T', members: b.practitionerId }, 400, 'chat.members'],
      ['POST', '/api/chat/rooms', { title: 'T', members: [] }, 400, 'chat.members'],
      ['POST', '/api/chat/rooms', { title: 'T', members: [a.practitionerId] }, 400, 'chat.members'],
      ['POST', '/api/chat/rooms', { title: 'T', members: ["1'; DROP TABLE chat_room; --"] }, 400, 'chat.members'],
      ['POST', '/api/chat/rooms', { title: 'T', members: ['810000000000'] }, 400, 'chat.member-unknown'],
      ['POST', '/api/chat/rooms', { title: 'T', members: Array.from({ length: 60 }, (_, i) => `8${String(i).padStart(11, '0')}`) }, 400, 'chat.too-many-members'],
      ['POST', '/api/chat/rooms', { title: 'T', members: [b.practitionerId], patient: 'x' }, 400, 'request.invalid'],
      ['POST', '/api/chat/rooms', { title: 'T', members: [b.practitionerId], patient: { id: 'a/b' } }, 400, 'chat.patient'],
      ['POST', '/api/chat/rooms', { title: 'T', members: [b.practitionerId], patient: { id: 'x', ins: '1' } }, 400, 'chat.patient'],
      ['POST', '/api/chat/rooms', { title: 'T', members: [b.practitionerId], patient: { ins: '123' } }, 400, 'ins.invalid'],
      ['POST', '/api/chat/rooms', [1, 2], 400, 'request.invalid'],
      ['POST', `/api/chat/rooms/${room.id}/messages`, {}, 400, 'chat.body'],
      ['POST', `/api/chat/rooms/${room.id}/messages`, { body: ' \n ' }, 400, 'chat.body'],
      ['POST', `/api/chat/rooms/${room.id}/messages`, { body: 42 }, 400, 'chat.body'],
      ['POST', `/api/chat/rooms/${room.id}/messages`, { body: 'x'.repeat(4001) }, 400, 'chat.body-too-long'],
      ['GET', `/api/chat/rooms/${room.id}/messages?after=1&before=3`, undefined, 400, 'chat.paging'],
      ['GET', `/api/chat/rooms/${room.id}/messages?after=-1`, undefined, 400, 'chat.paging'],
      ['GET', `/api/chat/rooms/${room.id}/messages?before=1e3`, undefined, 400, 'chat.paging'],
      ['GET', `/api/chat/rooms/${room.id}/messages?limit=0`, undefined, 400, 'chat.limit'],
      ['GET', `/api/chat/rooms/${room.id}/messages?limit=201`, undefined, 400, 'chat.limit'],
      ['POST', `/api/chat/rooms/${room.id}/read`, { seq: -1 }, 400, 'chat.seq'],
      ['POST', `/api/chat/rooms/${room.id}/read`, { seq: '3' }, 400, 'chat.seq'],
      ['POST', `/api/chat/rooms/${room.id}/members`, { members: 'all' }, 400, 'chat.members'],
    ];
    for (const [method, url, json, status, code] of cases) {
      await expectProblem(await call(method, url, a.token, json), status, code);
    }
    // not JSON at all
    await expectProblem(await c.api('POST', `/api/chat/rooms/${room.id}/messages`, { token: a.token, body: '{oops', headers: { 'content-type': 'application/json' } }), 400, 'request.invalid');
    // the longest message passes
    expect((await post(a, room.id, 'é'.repeat(4000))).body).toHaveLength(4000);
  });
});

describe('real time over the WebSocket', () => {
  it('needs a ticket, valid once', async () => {
    const a = await professional(c);
    const ticket = await ticketFor(c, a.token);
    const socket = await ChatSocket.open(c, ticket);
    await socket.close();
    await expect(ChatSocket.open(c, ticket)).rejects.toMatchObject({ status: 401 });
    await expect(ChatSocket.open(c, 'x'.repeat(43))).rejects.toMatchObject({ status: 401 });
    await expect(ChatSocket.open(c, '')).rejects.toMatchObject({ status: 401 });
  });

  it('refuses an expired ticket', async () => {
    const a = await professional(c);
    const ticket = await ticketFor(c, a.token);
    await c.db.query(`UPDATE chat_ticket SET expires_at = now() - interval '1 second'`);
    await expect(ChatSocket.open(c, ticket)).rejects.toMatchObject({ status: 401 });
  });

  it('notifies the connected members of a new message, of a new room and of their read marks', async () => {
    const a = await professional(c);
    const b = await professional(c);
    const outsider = await professional(c);
    const sb = await ChatSocket.connect(c, b.token);
    const sa = await ChatSocket.connect(c, a.token);
    const so = await ChatSocket.connect(c, outsider.token);
    try {
      const room = await createRoom(a, { title: 'En direct', members: [b.practitionerId] });
      await sb.waitFor((e) => e.type === 'room' && e.roomId === room.id);
      const sent = await post(a, room.id, 'Vous êtes là ?');
      const event = await sb.waitFor((e) => e.type === 'message');
      expect(event).toEqual({ type: 'message', roomId: room.id, seq: 1, authorId: a.practitionerId, sentAt: sent.sentAt });
      // a notification, not the text: the client fetches it through the API
      expect(JSON.stringify(sb.events)).not.toContain('Vous êtes là');
      await sa.waitFor((e) => e.type === 'message' && e.seq === 1);
      await call('POST', `/api/chat/rooms/${room.id}/read`, b.token, {});
      expect(await sb.waitFor((e) => e.type === 'read')).toEqual({ type: 'read', roomId: room.id, lastReadSeq: 1 });
      // a little later, the outsider has heard nothing
      await post(b, room.id, 'Oui');
      await sa.waitFor((e) => e.type === 'message' && e.seq === 2);
      expect(so.events.filter((e) => e.type !== 'ready')).toEqual([]);
    } finally {
      await Promise.all([sa.close(), sb.close(), so.close()]);
    }
  });

  it('loses nothing across a reconnection: the client asks for what came after its last number', async () => {
    const a = await professional(c);
    const b = await professional(c);
    const room = await createRoom(a, { title: 'Reconnexion', members: [b.practitionerId] });
    let socket = await ChatSocket.connect(c, b.token);
    await post(a, room.id, 'un');
    await socket.waitFor((e) => e.type === 'message' && e.seq === 1);
    let lastSeq = (await messages(b, room.id)).messages.at(-1).seq;
    expect(lastSeq).toBe(1);

    // the connection drops; meanwhile three messages are posted
    await socket.close();
    for (const body of ['deux', 'trois', 'quatre']) await post(a, room.id, body);

    // back: a new ticket, a new socket, then everything after the last number seen, in order
    socket = await ChatSocket.connect(c, b.token);
    try {
      const missed = await messages(b, room.id, `?after=${lastSeq}`);
      expect(missed.messages.map((m: any) => [m.seq, m.body])).toEqual([[2, 'deux'], [3, 'trois'], [4, 'quatre']]);
      lastSeq = missed.messages.at(-1).seq;
      // and the live notifications resume
      await post(a, room.id, 'cinq');
      const event = await socket.waitFor((e) => e.type === 'message');
      expect(event.seq).toBe(lastSeq + 1);
      expect((await messages(b, room.id, `?after=${lastSeq}`)).messages.map((m: any) => m.body)).toEqual(['cinq']);
    } finally {
      await socket.close();
    }
  });
});

describe('rooms about a patient', () => {
  it('are refused when a member may not read the record, and opened when every member may', async () => {
    const p = await insuredPatient(c);
    const careTeam = await professional(c, { family: 'Equipe', given: 'Anne' });
    const other = await professional(c, { family: 'Autre', given: 'Luc' });
    expect((await declare(careTeam, p, 'care-team')).status).toBe(201);

    // the creator may, the other may not (consent needed): refused, naming them
    const refused = await expectProblem(await call('POST', '/api/chat/rooms', careTeam.token, { title: 'Cas', members: [other.practitionerId], patient: { id: p.patientId } }), 403, 'chat.member-no-access');
    expect(refused.title).toMatch(/Dr Luc Autre/);
    expect(refused.title).toMatch(/consent/);
    // the other creating it: refused on their own access, audited in the record
    await expectProblem(await call('POST', '/api/chat/rooms', other.token, { title: 'Cas', members: [careTeam.practitionerId], patient: { id: p.patientId } }), 403, 'chat.patient-access');
    expect((await c.db.query('SELECT 1 FROM chat_room WHERE patient_id = $1', [p.patientId])).rows).toHaveLength(0);

    // unknown patient
    await expectProblem(await call('POST', '/api/chat/rooms', careTeam.token, { title: 'Cas', members: [other.practitionerId], patient: { id: '0e0f6a3c-5b7d-4d1e-9c2a-000000000000' } }), 404, 'chat.patient-unknown');

    // with the patient's consent recorded, the room opens, found by INS as the professional space finds patients
    expect((await declare(other, p, 'consent')).status).toBe(201);
    const room = await createRoom(careTeam, { title: 'Cas', members: [other.practitionerId], patient: { ins: { value: p.nir, system: p.insSystem } } });
    expect(room.patient).toEqual({ id: p.patientId });
    await post(careTeam, room.id, 'Résultats reçus');
    const page = await messages(other, room.id);
    expect(page.messages.map((m: any) => m.body)).toEqual(['Résultats reçus']);
    expect(page.room.patientIdentity).toMatchObject({ id: p.patientId, family: p.family, birthDate: p.birthDate, ins: { value: p.nir } });

    // a colleague without access cannot be added
    const third = await professional(c);
    await expectProblem(await call('POST', `/api/chat/rooms/${room.id}/members`, other.token, { members: [third.practitionerId] }), 403, 'chat.member-no-access');
  });

  it("audits each member's reads and posts in the record, and closes the room to a member the patient blocks", async () => {
    const p = await insuredPatient(c);
    const a = await professional(c, { family: 'Alpha', given: 'Marc' });
    const b = await professional(c, { family: 'Beta', given: 'Julie' });
    expect((await declare(a, p, 'care-team')).status).toBe(201);
    expect((await declare(b, p, 'consent')).status).toBe(201);
    const room = await createRoom(a, { title: 'Suivi', members: [b.practitionerId], patient: { id: p.patientId } });
    await post(a, room.id, 'Premier message');

    const accessesOf = async (pro: TestPro) => {
      const res = await call('GET', `/api/professionals/${pro.practitionerId}/accesses`, p.token);
      expect(res.status).toBe(200);
      return (await res.json()).accesses as { interaction: string; what: string; outcome: string; detail?: string }[];
    };
    const readsOf = async (pro: TestPro, outcome: string) =>
      (await accessesOf(pro)).filter((t) => t.interaction === 'read' && t.what.startsWith(`Patient/${p.patientId}`) && t.outcome === outcome).length;

    const before = await readsOf(b, 'success');
    await messages(b, room.id);
    await post(b, room.id, 'Bien reçu');
    await messages(b, room.id, '?after=1');
    // each read and each post is a read of the record by b, in the patient's access history
    expect(await readsOf(b, 'success')).toBe(before + 3);
    expect(await readsOf(a, 'success')).toBeGreaterThanOrEqual(2); // creation and post

    // the patient blocks b: b can neither read nor post, and the refusals are in the history
    expect((await call('PUT', `/api/professionals/${b.practitionerId}/block`, p.token)).status).toBe(204);
    const denied = await expectProblem(await call('GET', `/api/chat/rooms/${room.id}/messages`, b.token), 403, 'chat.patient-access');
    expect(denied.title).toMatch(/blocked/);
    await expectProblem(await call('POST', `/api/chat/rooms/${room.id}/messages`, b.token, { body: 'encore ?' }), 403, 'chat.patient-access');
    expect(await readsOf(b, 'refused')).toBeGreaterThanOrEqual(2);
    // nothing was posted by the refused attempt; a still reads and posts
    const page = await messages(a, room.id);
    expect(page.messages.map((m: any) => m.body)).toEqual(['Premier message', 'Bien reçu']);
    // the room is still listed for b (it is theirs), without its content
    expect((await rooms(b)).find((r) => r.id === room.id)).toMatchObject({ patient: { id: p.patientId } });

    // a closed profile closes the room to everyone
    await c.db.query(`UPDATE insured SET state = 'closed' WHERE id = $1`, [p.patientId]);
    await expectProblem(await call('GET', `/api/chat/rooms/${room.id}/messages`, a.token), 403, 'chat.patient-access');
    await expectProblem(await call('POST', `/api/chat/rooms/${room.id}/messages`, a.token, { body: 'x' }), 403, 'chat.patient-access');
  });
});
