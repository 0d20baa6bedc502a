import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InsuredRow } from '../src/domain/population/index.js';
import { csvOf, expectOutcome, expectProblem, person, startAccounts, PASSWORD, type AccountsCarnet, type Member } from './support/accounts.js';

/**
 * The operator space over the API (administrative data only, never health data): who may call it, the
 * objection by phone, the suspension and its automatic closure, the letters for people without e-mail.
 * Tests run in order; the clock only moves in the last one.
 */
const DAY_MS = 86_400_000;

describe('accounts API: operators', () => {
  let c: AccountsCarnet;
  let patient: Member;
  beforeAll(async () => {
    c = await startAccounts();
    const p = person();
    await c.importCsv(csvOf([p]));
    patient = await c.enroll(p);
  });
  afterAll(() => c?.close());

  const admin = (method: string, url: string, token: string | undefined, json?: unknown) =>
    c.api(method, url, { ...(token ? { token } : {}), ...(json !== undefined ? { json } : {}) });

  it('a patient (or nobody) gets 403 (401) on every /api/admin endpoint; nothing happens', async () => {
    const id = patient.patientId;
    const calls: [string, string, unknown?][] = [
      ['GET', '/api/admin/population/imports'],
      ['GET', '/api/admin/population/stats'],
      ['GET', `/api/admin/insured?nir=${patient.person.nir}`],
      ['POST', `/api/admin/insured/${id}/objection`, {}],
      ['POST', `/api/admin/insured/${id}/suspend`, { reason: 'essai' }],
      ['GET', '/api/admin/notices/letters.pdf'],
      ['GET', '/api/admin/outbox'],
      ['POST', '/api/admin/clock', { advanceDays: 100 }],
    ];
    const before = c.carnet.clock.now().getTime();
    for (const [method, url, body] of calls) {
      await expectProblem(await admin(method, url, patient.token, body), 403, 'operator.only');
      await expectProblem(await admin(method, url, undefined, body), 401);
    }
    const csv = await c.request('POST', '/api/admin/population/imports', { token: patient.token, body: csvOf([person()]), headers: { 'content-type': 'text/csv' } });
    await expectProblem(csv, 403, 'operator.only');
    expect(c.carnet.clock.now().getTime() - before).toBeLessThan(60_000);
    expect((await c.insured(patient.person.nir)).state).toBe('active');
    expect((await c.api('GET', `/fhir/Patient/${id}`, { token: patient.token })).status).toBe(200);
  });

  it('operators never read health data: 403 on any Patient, Observation or search', async () => {
    await expectOutcome(await c.api('GET', `/fhir/Patient/${patient.patientId}`, { token: c.operatorToken }), 403);
    await expectOutcome(await c.api('GET', `/fhir/Observation?patient=${patient.patientId}`, { token: c.operatorToken }), 403);
    await expectOutcome(await c.api('GET', `/fhir/Patient?identifier=${patient.person.nir}`, { token: c.operatorToken }), 403);
    await expectProblem(await c.api('GET', '/api/account/export', { token: c.operatorToken }), 403, 'patient.only');
    // what they see is administrative
    const seen = await c.insured(patient.person.nir);
    expect(seen).toMatchObject({ id: patient.patientId, nir: patient.person.nir, state: 'active', noticeChannel: 'email', account: { login: patient.login } });
    expect(seen.events.map((e: { to: string }) => e.to)).toEqual(['notified', 'open', 'active']);
  });

  it('looking up a person: a bad NIR is 400, an unknown one 404', async () => {
    await expectProblem(await admin('GET', '/api/admin/insured?nir=123', c.operatorToken), 400, 'nir.invalid');
    await expectProblem(await admin('GET', '/api/admin/insured', c.operatorToken), 400, 'nir.invalid');
    await expectProblem(await admin('GET', `/api/admin/insured?nir=${person().nir}`, c.operatorToken), 404, 'insured.not-found');
    await expectProblem(await admin('POST', '/api/admin/insured/not-an-id/objection', c.operatorToken, {}), 404, 'insured.not-found');
    await expectProblem(await admin('POST', '/api/admin/insured/00000000-0000-4000-8000-000000000000/objection', c.operatorToken, {}), 404);
    await expectProblem(await admin('POST', '/api/admin/clock', c.operatorToken, { advanceDays: -1 }), 400, 'clock.invalid');
  });

  it('an objection by phone: the person is opposed, gets a proof, and their code no longer activates anything', async () => {
    const p = person();
    await c.importCsv(csvOf([p]));
    const { id } = await c.insured(p.nir);
    const res = await admin('POST', `/api/admin/insured/${id}/objection`, c.operatorToken, {});
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.reference).toMatch(/^OPP-[0-9A-F]{12}$/);
    const proof = await c.request('GET', body.proofUrl);
    expect(proof.status).toBe(200);
    expect(Buffer.from(await proof.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    await expectProblem(await c.request('GET', body.proofUrl.replace(/k=.*/, 'k=wrong')), 404);
    const seen = await c.insured(p.nir);
    expect(seen).toMatchObject({ state: 'opposed', objectionReference: body.reference, dueAt: null });
    expect(seen.events.at(-1)).toMatchObject({ from: 'notified', to: 'opposed', reason: 'objection by phone' });
    expect(seen.events.at(-1).actor).toMatch(/^user:/);
    await expectProblem(
      await c.api('POST', '/api/activation/start', { json: { nir: p.nir, vitaleSerial: p.vitaleSerial, code: await c.codeFor(p.email!) } }),
      400,
      'activation.invalid',
    );
    // too late for an active profile, and for one already opposed
    await expectProblem(await admin('POST', `/api/admin/insured/${patient.patientId}/objection`, c.operatorToken, {}), 409, 'optout.too-late');
    await expectProblem(await admin('POST', `/api/admin/insured/${id}/objection`, c.operatorToken, {}), 409, 'optout.too-late');
  });

  it('letters: the PDF holds the notices of people without e-mail, who become "notified"; a second call has nothing left', async () => {
    const noMail: InsuredRow[] = [person({ email: null }), person({ email: null })];
    const child = person({ coveredBy: noMail[0]!, birthDate: '2019-05-05', email: null });
    const objector = person({ email: null });
    await c.importCsv(csvOf([...noMail, child, objector]));
    for (const p of noMail) expect(await c.insured(p.nir)).toMatchObject({ state: 'imported', noticeChannel: 'letter' });
    // someone calls before their letter is printed: the objection is recorded, no letter goes out
    const { id: objectorId } = await c.insured(objector.nir);
    expect((await admin('POST', `/api/admin/insured/${objectorId}/objection`, c.operatorToken, {})).status).toBe(201);
    const before = c.carnet.clock.now().getTime();
    const res = await admin('GET', '/api/admin/notices/letters.pdf', c.operatorToken);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await res.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    for (const p of [...noMail, child]) {
      const seen = await c.insured(p.nir);
      expect(seen.state).toBe('notified');
      expect(new Date(seen.dueAt).getTime() - before).toBeGreaterThanOrEqual(42 * DAY_MS - 1000);
      expect(new Date(seen.dueAt).getTime() - before).toBeLessThan(43 * DAY_MS);
    }
    expect((await c.insured(noMail[0]!.nir)).events.at(-1)).toMatchObject({ from: 'imported', to: 'notified', reason: 'notice sent by post' });
    expect((await admin('GET', '/api/admin/notices/letters.pdf', c.operatorToken)).status).toBe(204);
    expect(await c.insured(objector.nir)).toMatchObject({ state: 'opposed', dueAt: null });
    expect((await c.insured(objector.nir)).events.map((e: { to: string }) => e.to)).toEqual(['imported', 'opposed']);
    const stats = await (await admin('GET', '/api/admin/population/stats', c.operatorToken)).json();
    expect(stats.byState.imported).toBe(0);
  });

  it('suspension: the holder loses access to the record at once; 42 days later the profile is closed', async () => {
    const p = person();
    await c.importCsv(csvOf([p]));
    const m = await c.enroll(p);
    const script = await c.scriptToken(m); // a token without web session: only the profile's state stops it
    await expectProblem(await admin('POST', `/api/admin/insured/${m.patientId}/suspend`, c.operatorToken, {}), 400, 'suspend.reason-required');
    await expectProblem(await admin('POST', `/api/admin/insured/${m.patientId}/suspend`, c.operatorToken, { reason: ' ' }), 400, 'suspend.reason-required');
    expect((await c.insured(p.nir)).state).toBe('active');

    const before = c.carnet.clock.now().getTime();
    expect((await admin('POST', `/api/admin/insured/${m.patientId}/suspend`, c.operatorToken, { reason: 'Usage frauduleux signalé' })).status).toBe(204);
    const suspended = await c.insured(p.nir);
    expect(suspended.state).toBe('suspended');
    expect(new Date(suspended.dueAt).getTime() - before).toBeGreaterThanOrEqual(42 * DAY_MS - 1000);
    expect(new Date(suspended.dueAt).getTime() - before).toBeLessThan(43 * DAY_MS);
    expect(suspended.events.at(-1)).toMatchObject({ from: 'active', to: 'suspended', reason: 'Usage frauduleux signalé' });
    // the web session ended; a script token reaches no record any more
    await expectProblem(await c.api('GET', '/api/me', { token: m.token }), 401, 'session.expired');
    await expectOutcome(await c.api('GET', `/fhir/Patient/${m.patientId}`, { token: script }), 403);
    await expectOutcome(await c.api('GET', `/fhir/Patient/${m.patientId}`, { token: script, actingFor: m.patientId }), 403);
    expect((await (await c.api('GET', '/api/me', { token: script })).json()).profiles).toEqual([]);
    await expectProblem(await c.api('GET', '/api/notifications', { token: script }), 403, 'patient.only');
    // told by e-mail
    expect((await c.lastMail(p.email!)).subject).toMatch(/^Votre compte/);
    // the holder is told, once the password is right, that the profile is suspended; no code is sent
    const signing = await c.interaction();
    await expectProblem(await signing.password(m.login, m.password), 403, 'auth.suspended');
    const mailsBefore = (await c.carnet.mailer.list(100, p.email!)).length;
    await expectProblem(await signing.password(m.login, 'Wrong-Password-1!'), 401, 'auth.invalid-credentials');
    expect((await c.carnet.mailer.list(100, p.email!)).length).toBe(mailsBefore);
    // a second suspension is refused
    await expectProblem(await admin('POST', `/api/admin/insured/${m.patientId}/suspend`, c.operatorToken, { reason: 'encore' }), 409, 'profile.wrong-state');

    await c.advanceDays(41);
    expect((await c.insured(p.nir)).state).toBe('suspended');
    await c.advanceDays(2);
    const closed = await c.insured(p.nir);
    expect(closed).toMatchObject({ state: 'closed', account: { disabled: true } });
    expect(closed.events.at(-1)).toMatchObject({ from: 'suspended', to: 'closed', actor: 'carnet' });
    await expectProblem(await c.api('GET', '/api/me', { token: script }), 401);
    const i = await c.interaction();
    await expectProblem(await i.password(m.login, PASSWORD), 401, 'auth.invalid-credentials');
  });

  it('never answered 500', () => {
    expect(c.serverErrors).toEqual([]);
  });
});
