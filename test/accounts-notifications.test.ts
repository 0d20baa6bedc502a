import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notify, type Category } from '../src/services/accounts/notifications.js';
import { csvOf, expectProblem, person, startAccounts, PASSWORD, type AccountsCarnet, type Member } from './support/accounts.js';

/**
 * The notification centre over the API: list, unread count, read, delete (per profile), the e-mail
 * preferences per category, and their effect on the e-mail alerts. Only account notifications come from
 * a feature so far; the others are added the way a feature would, with the service's `notify`.
 */
describe('accounts API: notifications', () => {
  let c: AccountsCarnet;
  let anna: Member;
  let bruno: Member;
  let childId: string;

  type Item = { id: string; category: string; type: string; params: Record<string, unknown>; createdAt: string; readAt: string | null };
  const list = async (m: Member, actingFor?: string): Promise<{ items: Item[]; unread: number }> => {
    const res = await c.api('GET', '/api/notifications', { token: m.token, ...(actingFor ? { actingFor } : {}) });
    expect(res.status).toBe(200);
    return res.json();
  };
  /** Adds a notification to a profile, as a feature would, and returns the alert e-mails it queued. */
  const notifyAndMails = async (patientId: string, category: Category, type: string, params: Record<string, unknown> = {}) => {
    const before = new Set((await c.carnet.mailer.list(1000)).map((m) => m.id));
    await c.db.transaction((tx) => notify(tx, c.carnet.mailer, [{ patientId, category, type, params }], c.carnet.clock.now()));
    return (await c.carnet.mailer.list(1000)).filter((m) => !before.has(m.id));
  };
  const preferences = (m: Member, body?: unknown, actingFor?: string) =>
    c.api(body === undefined ? 'GET' : 'PUT', '/api/notifications/preferences', { token: m.token, ...(body === undefined ? {} : { json: body }), ...(actingFor ? { actingFor } : {}) });

  beforeAll(async () => {
    c = await startAccounts();
    const a = person({ sex: 'F', given: 'Anna' });
    const child = person({ coveredBy: a, birthDate: '2016-09-09', given: 'Lou', email: null });
    const b = person({ sex: 'M', given: 'Bruno' });
    await c.importCsv(csvOf([a, child, b]));
    anna = await c.enroll(a);
    bruno = await c.enroll(b);
    childId = (await c.insured(child.nir)).id;
  });
  afterAll(() => c?.close());

  it('lists the profile\'s notifications, newest first, with the unread count; marks read; deletes', async () => {
    const first = await list(anna);
    expect(first.items.map((n) => n.type).sort()).toEqual(['profile-activated', 'profile-opened']);
    expect(first.unread).toBe(2);
    for (const n of first.items) {
      expect(n).toMatchObject({ category: 'account', readAt: null });
      expect(n.createdAt).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    }
    const createdAt = first.items.map((n) => n.createdAt);
    expect([...createdAt].sort().reverse()).toEqual(createdAt); // newest first
    const activated = first.items.find((n) => n.type === 'profile-activated')!;
    const opened = first.items.find((n) => n.type === 'profile-opened')!;

    expect((await c.api('POST', `/api/notifications/${activated.id}/read`, { token: anna.token })).status).toBe(204);
    const afterRead = await list(anna);
    expect(afterRead.unread).toBe(1);
    const readAt = afterRead.items.find((n) => n.id === activated.id)!.readAt;
    expect(readAt).toMatch(/Z$/);
    // reading again keeps the first reading time
    expect((await c.api('POST', `/api/notifications/${activated.id}/read`, { token: anna.token })).status).toBe(204);
    expect((await list(anna)).items.find((n) => n.id === activated.id)!.readAt).toBe(readAt);

    expect((await c.api('DELETE', `/api/notifications/${opened.id}`, { token: anna.token })).status).toBe(204);
    const afterDelete = await list(anna);
    expect(afterDelete.items.map((n) => n.id)).toEqual([activated.id]);
    expect(afterDelete.unread).toBe(0);
    await expectProblem(await c.api('DELETE', `/api/notifications/${opened.id}`, { token: anna.token }), 404);
    await expectProblem(await c.api('POST', `/api/notifications/${opened.id}/read`, { token: anna.token }), 404);
    await expectProblem(await c.api('POST', '/api/notifications/not-an-id/read', { token: anna.token }), 404);
    await expectProblem(await c.api('DELETE', '/api/notifications/00000000-0000-4000-8000-000000000000', { token: anna.token }), 404);
    await expectProblem(await c.api('GET', '/api/notifications'), 401);
    await expectProblem(await c.api('GET', '/api/notifications', { token: c.operatorToken }), 403, 'patient.only');
  });

  it("another profile's notification cannot be read or deleted (404), and stays as it was", async () => {
    const theirs = (await list(bruno)).items[0]!;
    await expectProblem(await c.api('POST', `/api/notifications/${theirs.id}/read`, { token: anna.token }), 404);
    await expectProblem(await c.api('DELETE', `/api/notifications/${theirs.id}`, { token: anna.token }), 404);
    // not through a child's profile either
    await expectProblem(await c.api('DELETE', `/api/notifications/${theirs.id}`, { token: anna.token, actingFor: childId }), 404);
    await expectProblem(await c.api('GET', '/api/notifications', { token: anna.token, actingFor: bruno.patientId }), 403, 'acting-for.forbidden');
    const still = (await list(bruno)).items.find((n) => n.id === theirs.id);
    expect(still).toEqual(theirs);
  });

  it('the notifications of a child are the child profile\'s, reached with X-Acting-For', async () => {
    const own = await list(anna);
    const child = await list(anna, childId);
    expect(child.items.map((n) => n.type)).toEqual(['profile-opened']);
    expect(child.items.map((n) => n.id)).not.toContain(own.items[0]!.id);
    expect((await c.api('POST', `/api/notifications/${child.items[0]!.id}/read`, { token: anna.token, actingFor: childId })).status).toBe(204);
    expect((await list(anna, childId)).unread).toBe(0);
    // the child's notification is not reachable from the parent's own profile
    await expectProblem(await c.api('DELETE', `/api/notifications/${child.items[0]!.id}`, { token: anna.token }), 404);
  });

  it('preferences: all on by default; PUT sets the categories it knows and ignores the rest', async () => {
    const defaults = { documents: true, messages: true, appointments: true, prevention: true, services: true };
    expect(await (await preferences(anna)).json()).toEqual(defaults);
    expect((await preferences(anna, { documents: false, prevention: false, account: false, bogus: false, messages: 'no' })).status).toBe(204);
    expect(await (await preferences(anna)).json()).toEqual({ ...defaults, documents: false, prevention: false });
    // per profile: Bruno's and the child's are untouched
    expect(await (await preferences(bruno)).json()).toEqual(defaults);
    expect(await (await preferences(anna, undefined, childId)).json()).toEqual(defaults);
    await expectProblem(await preferences(anna, [{ documents: true }]), 400, 'request.invalid');
    await expectProblem(await preferences(anna, 'documents'), 400, 'request.invalid');
    await expectProblem(await c.api('PUT', '/api/notifications/preferences', { json: defaults }), 401);
    expect(await (await preferences(anna)).json()).toEqual({ ...defaults, documents: false, prevention: false });
  });

  it("a category turned off gets no e-mail; 'account' notifications are always e-mailed", async () => {
    // documents and prevention are off for Anna (previous test)
    expect(await notifyAndMails(anna.patientId, 'documents', 'document-added', { title: 'Compte rendu IRM du genou' })).toEqual([]);
    expect(await notifyAndMails(anna.patientId, 'prevention', 'campaign')).toEqual([]);
    const types = (await list(anna)).items.map((n) => n.type);
    expect(types).toEqual(expect.arrayContaining(['document-added', 'campaign'])); // still in the notification centre

    const messages = await notifyAndMails(anna.patientId, 'messages', 'message-received');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ to: anna.person.email, template: 'notification' });
    expect(messages[0]!.subject).toMatch(/^Votre messagerie/);

    const account = await notifyAndMails(anna.patientId, 'account', 'security-check');
    expect(account.map((m) => [m.to, m.subject.split(' :')[0]])).toEqual([[anna.person.email, 'Votre compte']]);

    // Bruno's documents are on: he gets the e-mail, which tells nothing of the content
    const brunos = await notifyAndMails(bruno.patientId, 'documents', 'document-added', { title: 'Compte rendu IRM du genou' });
    expect(brunos).toHaveLength(1);
    expect(brunos[0]!.subject).toMatch(/^Vos documents/);
    expect(brunos[0]!.text).not.toContain('IRM');

    // back on: the e-mails come again
    expect((await preferences(anna, { documents: true })).status).toBe(204);
    expect(await notifyAndMails(anna.patientId, 'documents', 'document-added')).toHaveLength(1);

    // all off: a real account event (a password change) still e-mails
    expect((await preferences(anna, { documents: false, messages: false, appointments: false, prevention: false, services: false })).status).toBe(204);
    const before = (await c.carnet.mailer.list(1000, anna.person.email)).length;
    expect((await c.api('POST', '/api/account/password', { token: anna.token, json: { current: PASSWORD, password: 'Autre-Velo-9?' } })).status).toBe(204);
    const after = await c.carnet.mailer.list(1000, anna.person.email);
    expect(after.length).toBe(before + 1);
    expect(after[0]).toMatchObject({ template: 'notification' });
    expect(after[0]!.subject).toMatch(/^Votre compte/);
  });

  it("a child's notifications e-mail the parent, naming the child; the child profile's preferences apply", async () => {
    const mails = await notifyAndMails(childId, 'appointments', 'appointment-reminder');
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ to: anna.person.email });
    expect(mails[0]!.text).toContain('profil de Lou');
    expect((await preferences(anna, { appointments: false }, childId)).status).toBe(204);
    expect(await notifyAndMails(childId, 'appointments', 'appointment-reminder')).toEqual([]);
    expect((await list(anna, childId)).items.filter((n) => n.type === 'appointment-reminder')).toHaveLength(2);
  });

  it('never answered 500', () => {
    expect(c.serverErrors).toEqual([]);
  });
});
