import { randomUUID } from 'node:crypto';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bumpPrincipalGeneration } from '../src/repo/index.js';
import { seedDemoAgenda } from '../src/services/demo/agenda.js';
import { patientId } from '../src/services/demo/world.js';
import { startCarnet, type TestCarnet } from './support/carnet.js';

/**
 * The agenda through the application API (docs/agenda.md): entries (appointments and free reminders), their
 * statuses, bad input, a connected app's Appointments written through /fhir, the reminder notifications with
 * a moved clock, and the private iCalendar feed read by an independent parser (ical.js).
 */
let tc: TestCarnet;

beforeAll(async () => {
  tc = await startCarnet();
});
afterAll(async () => tc?.close());

const HOUR = 3_600_000;
const json = async (res: Response) => ({ status: res.status, body: (await res.json().catch(() => undefined)) as any, headers: res.headers });
const call = (method: string, url: string, token: string, body?: unknown, headers: Record<string, string> = {}) =>
  tc.request(method, url, { token, headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { json: body } : {}) }).then(json);

const at = (ms: number) => new Date(tc.carnet.clock.now().getTime() + ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

async function newPatient(name = 'Camille'): Promise<{ patientId: string; token: string }> {
  const patientId = `agenda-${randomUUID().slice(0, 8)}`;
  const token = await tc.patient(patientId, { name: [{ family: 'Martin', given: [name] }], gender: 'female', birthDate: '1985-04-12' });
  return { patientId, token };
}

async function create(token: string, body: Record<string, unknown>) {
  const res = await call('POST', '/api/agenda', token, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

const appointmentCount = async (patientId: string) =>
  Number((await tc.db.query<{ n: string }>(`SELECT count(*) AS n FROM resource WHERE resource_type = 'Appointment' AND patient_id = $1 AND NOT deleted`, [patientId])).rows[0]!.n);

const notifications = async (patientId: string) =>
  (await tc.db.query<{ type: string; category: string; params: any }>(`SELECT type, category, params FROM notification WHERE patient_id = $1 AND type LIKE '%-reminder' ORDER BY created_at`, [patientId])).rows;

describe('entries', () => {
  it('creates, lists (future, past, range), updates and deletes', async () => {
    const p = await newPatient();
    const future = await create(p.token, {
      kind: 'appointment',
      title: 'Cardiologue',
      start: at(48 * HOUR),
      end: at(49 * HOUR),
      with: { type: 'PRACTITIONER', name: 'Dr Durand', specialty: 'Cardiologie' },
      address: '12 rue des Lilas, 75011 Paris',
      comment: 'Apporter l’ECG',
    });
    expect(future).toMatchObject({ kind: 'appointment', title: 'Cardiologue', status: 'booked', editable: true, source: { kind: 'patient' }, with: { type: 'PRACTITIONER', name: 'Dr Durand', specialty: 'Cardiologie' } });
    const reminder = await create(p.token, { kind: 'reminder', title: 'Renouveler l’ordonnance', start: at(24 * HOUR) });
    expect(reminder.end).toBeUndefined();
    const past = await create(p.token, { kind: 'appointment', title: 'Prise de sang', start: at(-72 * HOUR), status: 'fulfilled' });
    const older = await create(p.token, { kind: 'appointment', title: 'Radio', start: at(-96 * HOUR), status: 'noshow' });

    const futureList = await call('GET', '/api/agenda?when=future', p.token);
    expect(futureList.body.entries.map((e: any) => e.id)).toEqual([reminder.id, future.id]);
    expect((await call('GET', '/api/agenda', p.token)).body.entries).toHaveLength(2);
    const pastList = await call('GET', '/api/agenda?when=past', p.token);
    expect(pastList.body.entries.map((e: any) => [e.id, e.status])).toEqual([
      [past.id, 'fulfilled'],
      [older.id, 'noshow'],
    ]);
    const day = (ms: number) => at(ms).slice(0, 10);
    const range = await call('GET', `/api/agenda?from=${day(-72 * HOUR)}&to=${day(30 * HOUR)}`, p.token);
    expect(range.body.entries.map((e: any) => e.id)).toContain(reminder.id);
    expect(range.body.entries.map((e: any) => e.id)).toContain(past.id);
    expect(range.body.entries.map((e: any) => e.id)).not.toContain(older.id);

    const later = at(50 * HOUR);
    const moved = await call('PUT', `/api/agenda/${future.id}`, p.token, { ...future, start: later, end: at(51 * HOUR), status: 'cancelled' });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body).toMatchObject({ id: future.id, status: 'cancelled', start: later });
    // a cancelled entry is not to be reminded of
    expect((await tc.db.query('SELECT due_at FROM agenda_reminder WHERE appointment_id = $1', [future.id])).rows).toEqual([{ due_at: null }]);

    expect((await call('DELETE', `/api/agenda/${past.id}`, p.token)).status).toBe(204);
    expect((await call('GET', '/api/agenda?when=past', p.token)).body.entries.map((e: any) => e.id)).toEqual([older.id]);
    expect((await call('DELETE', `/api/agenda/${past.id}`, p.token)).body.code).toBe('agenda.not-found');
    expect((await tc.db.query('SELECT 1 FROM agenda_reminder WHERE appointment_id = $1', [past.id])).rows).toHaveLength(0);
  });

  it('keeps each profile to its own entries', async () => {
    const a = await newPatient();
    const b = await newPatient();
    const entry = await create(a.token, { kind: 'reminder', title: 'A', start: at(HOUR) });
    expect((await call('GET', '/api/agenda', b.token)).body.entries).toEqual([]);
    const put = await call('PUT', `/api/agenda/${entry.id}`, b.token, { kind: 'reminder', title: 'B', start: at(HOUR) });
    expect([put.status, put.body.code]).toEqual([404, 'agenda.not-found']);
    expect((await call('DELETE', `/api/agenda/${entry.id}`, b.token)).status).toBe(404);
  });

  it.each([
    [{ kind: 'appointment', title: 'X', start: '2031-01-01T10:00:00Z', end: '2031-01-01T09:00:00Z' }, 422, 'agenda.end-before-start', 'end'],
    [{ kind: 'appointment', title: 'X', start: '2031-01-01T10:00:00Z', status: 'done' }, 400, 'agenda.invalid', 'status'],
    [{ kind: 'appointment', title: 'X', start: '2031-02-30T10:00:00Z' }, 400, 'agenda.invalid', 'start'],
    [{ kind: 'appointment', title: 'X', start: 'demain' }, 400, 'agenda.invalid', 'start'],
    [{ kind: 'appointment', title: '', start: '2031-01-01T10:00:00Z' }, 400, 'agenda.invalid', 'title'],
    [{ kind: 'meeting', title: 'X', start: '2031-01-01T10:00:00Z' }, 400, 'agenda.invalid', 'kind'],
    [{ kind: 'appointment', title: 'X', start: '2031-01-01T10:00:00Z', with: { type: 'PRACTITIONER' } }, 400, 'agenda.invalid', 'with.name'],
  ])('refuses %j (%i %s naming %s) and stores nothing', async (body, status, code, field) => {
    const p = await newPatient();
    const res = await call('POST', '/api/agenda', p.token, body);
    expect([res.status, res.body.code]).toEqual([status, code]);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.title).toContain(field);
    expect(await appointmentCount(p.patientId)).toBe(0);
  });

  it('refuses a bad update and leaves the entry as it was', async () => {
    const p = await newPatient();
    const entry = await create(p.token, { kind: 'appointment', title: 'Dentiste', start: at(10 * HOUR) });
    const res = await call('PUT', `/api/agenda/${entry.id}`, p.token, { ...entry, end: at(9 * HOUR) });
    expect([res.status, res.body.code]).toEqual([422, 'agenda.end-before-start']);
    expect((await call('GET', '/api/agenda', p.token)).body.entries).toEqual([entry]);
    expect((await call('GET', '/api/agenda?from=2031-01-01&to=2030-01-01', p.token)).body.code).toBe('agenda.invalid');
    expect((await call('GET', '/api/agenda?when=soon', p.token)).status).toBe(400);
  });

  it("shows a connected app's Appointment written through /fhir with its source, read-only", async () => {
    const p = await newPatient();
    const id = `rdv-${randomUUID().slice(0, 8)}`;
    const put = await tc.request('PUT', `/fhir/Appointment/${id}`, {
      token: p.token,
      json: {
        resourceType: 'Appointment',
        id,
        meta: { source: 'https://maprise-rdv.example.fr/api' },
        status: 'booked',
        description: 'Ophtalmologiste',
        start: at(30 * HOUR),
        end: at(30.5 * HOUR),
        participant: [
          { actor: { reference: `Patient/${p.patientId}` }, status: 'accepted' },
          { actor: { display: 'Dr Leroy' }, status: 'accepted' },
        ],
      },
    });
    expect(put.status).toBe(201);
    const [entry] = (await call('GET', '/api/agenda', p.token)).body.entries;
    expect(entry).toMatchObject({ id, title: 'Ophtalmologiste', source: { kind: 'app', name: 'maprise-rdv.example.fr' }, editable: false, with: { type: 'HEALTHCARE_SERVICE', name: 'Dr Leroy' } });
    const upd = await call('PUT', `/api/agenda/${id}`, p.token, { kind: 'appointment', title: 'Changé', start: entry.start });
    expect([upd.status, upd.body.code]).toEqual([403, 'agenda.app-entry']);
    expect((await call('DELETE', `/api/agenda/${id}`, p.token)).body.code).toBe('agenda.app-entry');
  });
});

describe('reminders', () => {
  it('sends one notification at the patient’s delay, never twice, none for a cancelled entry, and catches up with /fhir', async () => {
    const p = await newPatient();
    expect((await call('GET', '/api/agenda/settings', p.token)).body).toEqual({ reminderMinutes: 1440 });
    expect((await call('PUT', '/api/agenda/settings', p.token, { reminderMinutes: 20161 })).body.code).toBe('agenda.invalid');
    expect((await call('PUT', '/api/agenda/settings', p.token, { reminderMinutes: 60 })).body).toEqual({ reminderMinutes: 60 });

    const booked = await create(p.token, { kind: 'appointment', title: 'Kiné, séance 3', start: at(3 * HOUR), with: { type: 'PRACTITIONER', name: 'M. Blanc' } });
    await create(p.token, { kind: 'appointment', title: 'Annulé', start: at(3 * HOUR), status: 'cancelled' });
    const note = await create(p.token, { kind: 'reminder', title: 'Prendre le traitement', start: at(3.5 * HOUR) });
    const appId = `app-${randomUUID().slice(0, 8)}`;
    const put = await tc.request('PUT', `/fhir/Appointment/${appId}`, {
      token: p.token,
      json: { resourceType: 'Appointment', id: appId, status: 'booked', description: 'Téléconsultation', start: at(3 * HOUR), end: at(3.25 * HOUR), participant: [{ actor: { reference: `Patient/${p.patientId}` }, status: 'accepted' }] },
    });
    expect(put.status).toBe(201);

    await tc.carnet.jobs.runNow();
    expect(await notifications(p.patientId)).toEqual([]);
    // the app's Appointment was picked up by the job
    expect((await tc.db.query('SELECT due_at FROM agenda_reminder WHERE appointment_id = $1', [appId])).rows).toHaveLength(1);

    tc.carnet.clock.advance(2 * HOUR + 60_000);
    await tc.carnet.jobs.runNow();
    const sent = await notifications(p.patientId);
    expect(sent.map((n) => n.type).sort()).toEqual(['appointment-reminder', 'appointment-reminder']);
    expect(sent.every((n) => n.category === 'appointments')).toBe(true);
    expect(sent.map((n) => n.params.title).sort()).toEqual(['Kiné, séance 3', 'Téléconsultation']);
    expect(sent.find((n) => n.params.title === 'Kiné, séance 3')!.params.start).toBe(new Date(booked.start).toISOString());

    await tc.carnet.jobs.runNow();
    expect(await notifications(p.patientId)).toHaveLength(2);

    tc.carnet.clock.advance(30 * 60_000);
    await tc.carnet.jobs.runNow();
    const all = await notifications(p.patientId);
    expect(all.map((n) => n.type)).toEqual(['appointment-reminder', 'appointment-reminder', 'agenda-reminder']);
    expect(all[2]!.params.title).toBe(note.title);
    await tc.carnet.jobs.runNow();
    expect(await notifications(p.patientId)).toHaveLength(3);
  });
});

describe('the calendar feed', () => {
  async function newFeed(token: string, label = 'Téléphone', headers: Record<string, string> = {}) {
    const res = await call('POST', '/api/agenda/feeds', token, { label }, headers);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; url: string; label: string; createdAt: string };
  }
  const fetchFeed = (url: string) => fetch(url);

  it('is read by an independent iCalendar parser, then revoked', async () => {
    const p = await newPatient('Camille');
    await call('PUT', '/api/agenda/settings', p.token, { reminderMinutes: 90 });
    const entry = await create(p.token, { kind: 'appointment', title: 'IRM, genou; côté droit', start: at(5 * 24 * HOUR), end: at(5 * 24 * HOUR + HOUR), address: 'Centre hospitalier Paris-Est, service d’imagerie', with: { type: 'HEALTHCARE_SERVICE', name: 'Centre hospitalier Paris-Est — Imagerie' } });
    await create(p.token, { kind: 'reminder', title: 'Jeûne 🍽️ à partir de minuit', start: at(4 * 24 * HOUR) });
    await create(p.token, { kind: 'reminder', title: 'Trop loin', start: at(3 * 365 * 24 * HOUR) });
    const feed = await newFeed(p.token);
    expect(feed.url).toMatch(new RegExp(`^${tc.baseUrl}/agenda/[A-Za-z0-9_-]{43}\\.ics$`));
    const token = feed.url.split('/agenda/')[1]!.replace('.ics', '');
    const stored = await tc.db.query<{ token_hash: string }>('SELECT token_hash FROM agenda_feed WHERE id = $1', [feed.id]);
    expect(stored.rows[0]!.token_hash).not.toContain(token);
    const listed = await call('GET', '/api/agenda/feeds', p.token);
    expect(listed.body.feeds).toEqual([{ id: feed.id, label: 'Téléphone', createdAt: feed.createdAt }]);
    expect(JSON.stringify(listed.body)).not.toContain(token);

    const res = await fetchFeed(feed.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(res.headers.get('cache-control')).toContain('private');
    const ics = await res.text();
    expect(ics).toContain('\r\n');
    const cal = new ICAL.Component(ICAL.parse(ics));
    expect(cal.getFirstPropertyValue('version')).toBe('2.0');
    expect(cal.getFirstPropertyValue('x-wr-calname')).toContain('Camille');
    const events = cal.getAllSubcomponents('vevent').map((v) => ({ v, e: new ICAL.Event(v) }));
    expect(events.map(({ e }) => e.summary)).toEqual(['Jeûne 🍽️ à partir de minuit', 'IRM, genou; côté droit']);
    const irm = events[1]!;
    expect(irm.e.uid).toBe(`${entry.id}@${new URL(tc.baseUrl).host}`);
    expect(irm.e.startDate.toJSDate().toISOString()).toBe(new Date(entry.start).toISOString());
    expect(irm.e.endDate.toJSDate().toISOString()).toBe(new Date(entry.end).toISOString());
    expect(irm.e.location).toBe('Centre hospitalier Paris-Est, service d’imagerie');
    expect(irm.v.getFirstPropertyValue('status')).toBe('CONFIRMED');
    const alarm = irm.v.getFirstSubcomponent('valarm')!;
    expect(alarm.getFirstPropertyValue('action')).toBe('DISPLAY');
    expect((alarm.getFirstPropertyValue('trigger') as ICAL.Duration).toSeconds()).toBe(-90 * 60);
    // the UID is stable from one fetch to the next
    const again = new ICAL.Component(ICAL.parse(await (await fetchFeed(feed.url)).text()));
    expect(again.getAllSubcomponents('vevent').map((v) => v.getFirstPropertyValue('uid'))).toEqual(events.map(({ e }) => e.uid));
    const used = await call('GET', '/api/agenda/feeds', p.token);
    expect(used.body.feeds[0].lastUsedAt).toBeDefined();
    // the fetch is in the patient's access history
    const audits = await tc.db.query<{ content: string }>(`SELECT content::text FROM resource WHERE resource_type = 'AuditEvent' AND patient_id = $1`, [p.patientId]);
    expect(audits.rows.some((r) => r.content.includes('Appointment?') && r.content.includes('"search-type"'))).toBe(true);

    expect((await call('DELETE', `/api/agenda/feeds/${feed.id}`, p.token)).status).toBe(204);
    const revoked = await fetchFeed(feed.url);
    expect(revoked.status).toBe(410);
    expect(revoked.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await revoked.json()) as any;
    expect(problem.code).toBe('agenda.feed-revoked');
    expect(problem.fields).toEqual(['token']);
    expect(problem.title).toContain(token);
    expect((await call('GET', '/api/agenda/feeds', p.token)).body.feeds[0].revokedAt).toBeDefined();

    const unknown = await fetchFeed(`${tc.baseUrl}/agenda/${'A'.repeat(43)}.ics`);
    expect([unknown.status, ((await unknown.json()) as any).code]).toEqual([404, 'agenda.feed-unknown']);
    expect((await fetchFeed(`${tc.baseUrl}/agenda/short.ics`)).status).toBe(404);
  });

  it("gives only that patient's agenda", async () => {
    const a = await newPatient('Alice');
    const b = await newPatient('Bruno');
    await create(a.token, { kind: 'reminder', title: 'Rappel d’Alice', start: at(HOUR) });
    await create(b.token, { kind: 'reminder', title: 'Rappel de Bruno', start: at(HOUR) });
    const feedB = await newFeed(b.token);
    const ics = await (await fetchFeed(feedB.url)).text();
    expect(ics).toContain('Rappel de Bruno');
    expect(ics).not.toContain('Alice');
    // another profile cannot revoke it
    expect((await call('DELETE', `/api/agenda/feeds/${feedB.id}`, a.token)).body.code).toBe('agenda.feed-not-found');
    expect((await fetchFeed(feedB.url)).status).toBe(200);
  });

  it('gives nothing to a carer whose link ended', async () => {
    const helped = await newPatient('Hélène');
    await create(helped.token, { kind: 'appointment', title: 'Gériatre', start: at(24 * HOUR) });
    const carerLogin = `carer-${randomUUID().slice(0, 8)}`;
    const carerToken = await tc.user({ login: carerLogin, role: 'patient', patientId: `carer-${randomUUID().slice(0, 8)}`, represents: [{ patientId: helped.patientId, relation: 'carer' }] });
    const feed = await newFeed(carerToken, 'Aidant', { 'x-acting-for': helped.patientId });
    expect(await (await fetchFeed(feed.url)).text()).toContain('Gériatre');

    await tc.db.query(`UPDATE app_user_patient SET valid_until = $2 WHERE patient_id = $1 AND relation = 'carer'`, [helped.patientId, new Date(tc.carnet.clock.now().getTime() - 60_000)]);
    bumpPrincipalGeneration();
    const res = await fetchFeed(feed.url);
    expect(res.status).toBe(403);
    const body = await res.text();
    expect(body).not.toContain('Gériatre');
    expect(JSON.parse(body).code).toBe('agenda.feed-forbidden');
    // the refused read is in the patient's record
    const refused = await tc.db.query(`SELECT 1 FROM resource WHERE resource_type = 'AuditEvent' AND patient_id = $1 AND content->>'outcome' = '4'`, [helped.patientId]);
    expect(refused.rows.length).toBeGreaterThan(0);
  });
});

describe('the demo agenda', () => {
  it("has Camille's appointments to come and past, a free reminder, a connected app's booking, and Léo's check-up", async () => {
    // the seed on its own (the whole demo world is seeded in demo-world.test.ts)
    const camille = patientId('camille.martin');
    const leo = patientId('leo.martin');
    await seedDemoAgenda(tc.carnet.profile, tc.carnet.clock.now());
    const token = await tc.user({ role: 'patient', patientId: camille, represents: [{ patientId: leo, relation: 'parent' }] });
    const get = (url: string, headers: Record<string, string> = {}) => tc.request('GET', url, { token, headers }).then(json);
    const future = (await get('/api/agenda?when=future')).body.entries;
    expect(future.map((e: any) => e.kind)).toContain('reminder');
    expect(future.some((e: any) => e.with?.name === 'Dr Claire Durand' && e.with.id)).toBe(true);
    expect(future.some((e: any) => e.with?.type === 'HEALTHCARE_SERVICE' && e.with.name.includes('Paris-Est'))).toBe(true);
    expect(future.some((e: any) => e.status === 'cancelled')).toBe(true);
    expect(future.find((e: any) => e.source.kind === 'app')).toMatchObject({ source: { name: 'MaPriseRDV' }, editable: false });
    expect((await get('/api/agenda?when=past')).body.entries.length).toBeGreaterThanOrEqual(2);
    // Léo's, seen by his mother acting for him
    const forLeo = (await get('/api/agenda?when=future', { 'x-acting-for': leo })).body.entries;
    expect(forLeo).toHaveLength(1);
    expect(forLeo[0]).toMatchObject({ kind: 'appointment', editable: true, with: { name: 'Dr Claire Durand' } });
    // their reminders are armed
    const { rows } = await tc.db.query<{ patient_id: string }>(`SELECT DISTINCT patient_id FROM agenda_reminder WHERE due_at IS NOT NULL AND patient_id = ANY($1)`, [[camille, leo]]);
    expect(rows.map((r) => r.patient_id).sort()).toEqual([camille, leo].sort());
  });
});
