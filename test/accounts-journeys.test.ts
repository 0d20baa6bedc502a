import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvOf, person, startAccounts, PASSWORD, type AccountsCarnet } from './support/accounts.js';

const json = { 'content-type': 'application/json' };

describe('patients accounts: the journeys over the API', () => {
  let c: AccountsCarnet;
  beforeAll(async () => {
    c = await startAccounts();
  });
  afterAll(() => c?.close());

  it('imports a population: e-mail notices with a code, letters for the others, children follow their parent', async () => {
    const parent = person();
    const child = person({ coveredBy: parent, birthDate: '2015-04-02', email: null });
    const noMail = person({ email: null });
    const report = await c.importCsv(csvOf([parent, child, noMail]));
    expect(report).toMatchObject({ rows: 3, created: 3, updated: 0, failed: 0, notices: { emailed: 1, letters: 1, children: 1 } });
    const mail = await c.lastMail(parent.email!, 'optout-notice');
    expect(mail.subject).toContain('Carnet');
    expect(mail.text).toContain('enfants');
    expect(mail.text).toMatch(/[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}/);
    const stats = await (await c.request('GET', '/api/admin/population/stats', { token: c.operatorToken })).json();
    expect(stats.byState.notified).toBeGreaterThanOrEqual(2);
    expect(stats.byState.imported).toBeGreaterThanOrEqual(1);

    // re-importing is idempotent
    const again = await c.importCsv(csvOf([parent, child, noMail]));
    expect(again).toMatchObject({ rows: 3, created: 0, updated: 3, failed: 0 });
  });

  it('the person objects with NIR and code and gets a proof; no profile opens', async () => {
    const p = person();
    await c.importCsv(csvOf([p]));
    const code = await c.codeFor(p.email!);
    const res = await c.request('POST', '/api/optout/objection', { json: { nir: p.nir, code }, headers: json });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.reference).toMatch(/^OPP-/);
    const proof = await c.request('GET', body.proofUrl);
    expect(proof.status).toBe(200);
    expect(proof.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await proof.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    // the code is used: a second objection or an activation with it fails
    const again = await c.request('POST', '/api/optout/objection', { json: { nir: p.nir, code }, headers: json });
    expect(again.status).toBe(400);
    expect((await again.json()).code).toBe('optout.invalid');
    await c.advanceDays(43);
    const admin = await (await c.request('GET', `/api/admin/insured?nir=${p.nir}`, { token: c.operatorToken })).json();
    expect(admin.state).toBe('opposed');
  });

  it('six weeks later the profile opens; the person activates, then signs in with password and one-time code', async () => {
    const p = person();
    await c.importCsv(csvOf([p]));
    await c.advanceDays(42);
    const admin = await (await c.request('GET', `/api/admin/insured?nir=${p.nir}`, { token: c.operatorToken })).json();
    expect(admin.state).toBe('open');
    const { login } = await c.activate(p);
    const token = await c.signIn(login, PASSWORD, p.email!);
    const me = await (await c.request('GET', '/api/me', { token })).json();
    expect(me).toMatchObject({ login, role: 'patient' });
    expect(me.profiles[0]).toMatchObject({ patientId: admin.id, relation: 'self', state: 'active' });
    const patient = await c.request('GET', `/fhir/Patient/${admin.id}`, { token });
    expect(patient.status).toBe(200);
    const notes = await (await c.request('GET', '/api/notifications', { token })).json();
    expect(notes.items.map((n: { type: string }) => n.type)).toEqual(expect.arrayContaining(['profile-opened', 'profile-activated']));

    // sign-out ends the session at once
    expect((await c.request('POST', '/api/session/end', { token })).status).toBe(204);
    const after = await c.request('GET', '/api/me', { token });
    expect(after.status).toBe(401);
    expect((await after.json()).code).toBe('session.expired');
  });
});
