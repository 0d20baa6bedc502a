import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InsuredRow } from '../src/domain/population/index.js';
import { runPreventionBatch, runPreventionReminders, reminderPeriod, remindableOn, type PreventionJobDeps } from '../src/services/prevention/reminders.js';
import { csvOf, expectProblem, person, startAccounts, type AccountsCarnet, type Member } from './support/accounts.js';
import { insuredPatient, professional } from './support/care.js';
import { bornAgo, recordVaccination, todayOf } from './support/prevention.js';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from './support/smtp-sink.js';

/**
 * The daily prevention reminders (docs/prevention.md, "Reminders"), over real HTTP and SMTP on a real database:
 * profiles whose windows open within the week get one notification (and one e-mail to those who hold the
 * profile) per item and window, whatever the number of runs; nothing for an item done (marked, or proven by a
 * recorded vaccination) or marked not done, nothing e-mailed when the prevention preference is off, nothing for
 * a closed profile or an adult's profile not activated. A run stopped half-way (a failed batch, one batch only)
 * goes on from its cursor and sends nothing twice; the counters add up; operators read them, nobody else.
 */

type Json = Record<string, any>;
const DAY_MS = 86_400_000;
const PREVENTION_SUBJECT = 'Prévention : du nouveau dans votre espace santé';

/** The birth date of someone who is `age` old `days` days from today (negative: ago). */
const turning = (c: AccountsCarnet, age: { years?: number; months?: number }, inDays: number) => bornAgo(c, { ...age, days: -inDays });

describe('prevention reminders: once per item and window, over SMTP', () => {
  let sink: SmtpSink;
  let c: AccountsCarnet;
  // a parent (35, nothing of their own to be reminded of) and two children 16 months old in 5 days and 10 days ago
  let parent: Member;
  let soonChild: string;
  let pastChild: string;
  // women and a man turning 50 in a few days (screenings open at 50)
  let woman: Member;
  let man: Member;
  let quiet: Member;
  let closedId: string;
  let adultNotActivated: string;
  const tokens = new Map<string, { token: string; actingFor?: string }>();
  let day1: string;

  const preventionMails = () => sink.messages.filter((m) => m.subject === PREVENTION_SUBJECT);
  const mailsTo = (email: string) => preventionMails().filter((m) => m.to.includes(email));
  const notifications = async (patientId: string): Promise<Json[]> => {
    const who = tokens.get(patientId);
    if (!who) {
      // a profile nobody may open (closed, or never activated): what is stored for it
      const { rows } = await c.db.query<Json>(`SELECT category, type, params FROM notification WHERE patient_id = $1 AND category = 'prevention'`, [patientId]);
      return rows;
    }
    const res = await c.api('GET', '/api/notifications', { token: who.token, ...(who.actingFor ? { actingFor: who.actingFor } : {}) });
    expect(res.status).toBe(200);
    return ((await res.json()).items as Json[]).filter((n) => n.category === 'prevention');
  };
  const view = async (patientId: string): Promise<Json> => {
    const who = tokens.get(patientId)!;
    const res = await c.api('GET', '/api/prevention', { token: who.token, ...(who.actingFor ? { actingFor: who.actingFor } : {}) });
    expect(res.status, await res.clone().text()).toBe(200);
    return res.json();
  };
  /** What the person sees on their prevention page that the job must remind of on `day`. */
  const remindable = async (patientId: string, day: string): Promise<string[]> =>
    ((await view(patientId)).items as Json[]).filter((i) => remindableOn(i as never, day)).map((i) => `${i.code} ${i.window.start}`).sort();
  const notified = async (patientId: string): Promise<string[]> => (await notifications(patientId)).map((n) => `${n.params.code} ${n.params.windowStart}`).sort();

  beforeAll(async () => {
    sink = await startSmtpSink();
    c = await startAccounts({ env: { SMTP_URL: sink.url, PREVENTION_REMINDERS: 'true' } });
    day1 = todayOf(c);
    const p = person({ sex: 'F', given: 'Camille', birthDate: bornAgo(c, { years: 35, days: 100 }) });
    const soon = person({ coveredBy: p, given: 'Léo', sex: 'M', birthDate: turning(c, { months: 16 }, 5), email: null });
    const past = person({ coveredBy: p, given: 'Jade', sex: 'F', birthDate: turning(c, { months: 16 }, -10), email: null });
    const w = person({ sex: 'F', given: 'Hélène', birthDate: turning(c, { years: 50 }, 5) });
    const m = person({ sex: 'M', given: 'Marc', birthDate: turning(c, { years: 50 }, 5) });
    const q = person({ sex: 'F', given: 'Sophie', birthDate: turning(c, { years: 50 }, 3) });
    await c.importCsv(csvOf([p, soon, past, w, m, q]));
    parent = await c.enroll(p);
    woman = await c.enroll(w);
    man = await c.enroll(m);
    quiet = await c.enroll(q);
    const idOf = async (r: InsuredRow) => (await c.insured(r.nir)).id as string;
    soonChild = await idOf(soon);
    pastChild = await idOf(past);
    // tokens that outlive the clock's moves (web sessions go idle)
    const parentToken = await c.scriptToken(parent);
    tokens.set(parent.patientId, { token: parentToken });
    tokens.set(soonChild, { token: parentToken, actingFor: soonChild });
    tokens.set(pastChild, { token: parentToken, actingFor: pastChild });
    for (const who of [woman, man, quiet]) tokens.set(who.patientId, { token: await c.scriptToken(who) });

    // a closed profile, and an adult's profile open but never activated: nothing for them
    const closed = await insuredPatient(c, { birthDate: turning(c, { months: 16 }, 5), state: 'closed' });
    closedId = closed.patientId;
    const notActivated = await insuredPatient(c, { birthDate: turning(c, { years: 50 }, 5), sex: 'F', state: 'open' });
    adultNotActivated = notActivated.patientId;

    // the breast screening marked done, the man's colorectal screening marked not done
    const breast = ((await view(woman.patientId)).items as Json[]).find((i) => i.ref === 'breast' && i.status === 'to-plan');
    expect(breast, 'a breast screening round opening at 50').toBeDefined();
    expect((await c.api('PUT', `/api/prevention/items/${encodeURIComponent(breast!.code)}`, { token: tokens.get(woman.patientId)!.token, json: { mark: 'done', date: day1 } })).status).toBe(200);
    const colorectal = ((await view(man.patientId)).items as Json[]).find((i) => i.ref === 'colorectal' && i.status === 'to-plan');
    expect(colorectal, 'a colorectal screening round opening at 50').toBeDefined();
    expect((await c.api('PUT', `/api/prevention/items/${encodeURIComponent(colorectal!.code)}`, { token: tokens.get(man.patientId)!.token, json: { mark: 'not-done' } })).status).toBe(200);
    // the 16-month MMR dose of the older child is recorded (after the 12-month one): done, so not reminded
    await recordVaccination(c, parentToken, 'priorix', bornAgo(c, { months: 4, days: 5 }), { 'x-acting-for': pastChild });
    await recordVaccination(c, parentToken, 'm-m-rvaxpro', bornAgo(c, { days: 3 }), { 'x-acting-for': pastChild });
    // no e-mail for prevention, please
    expect((await c.api('PUT', '/api/notifications/preferences', { token: tokens.get(quiet.patientId)!.token, json: { prevention: false } })).status).toBe(204);
    // the enrolment mails delivered (the jobs are not run: the first run is the test's)
    await c.carnet.mailer.deliverDue();
  });
  afterAll(async () => {
    await c?.close();
    await sink?.close();
  });

  it('the first run reminds of every item opening within the week (or opened lately), once, and e-mails those who hold the profile', async () => {
    sink.clear();
    const report = await c.carnet.jobs.runNow();
    expect(report.preventionRemindersSent).toBeGreaterThan(0);

    // the younger child: the 16-month examination and the second MMR dose open in 5 days
    const soon = await notified(soonChild);
    expect(soon).toEqual(await remindable(soonChild, day1));
    expect(soon.map((k) => k.split(' ')[0])).toEqual(expect.arrayContaining(['exam-12', 'vac:mmr:2']));
    const soonView = await view(soonChild);
    for (const code of ['exam-12', 'vac:mmr:2']) {
      const item = (soonView.items as Json[]).find((i) => i.code === code)!;
      expect(item.status).toBe('to-plan');
      const n = (await notifications(soonChild)).find((x) => x.params.code === code)!;
      expect(n).toMatchObject({ type: `prevention-${item.type}`, params: { code, title: item.title, windowStart: item.window.start, windowEnd: item.window.end }, readAt: null });
      expect(reminderPeriod(item as never).from <= day1 && day1 < item.window.start).toBe(true);
    }
    // the older child: the examination (opened 10 days ago, caught up); the MMR dose is recorded: done, not reminded
    const past = await notified(pastChild);
    expect(past).toEqual(await remindable(pastChild, day1));
    expect(past.map((k) => k.split(' ')[0])).toContain('exam-12');
    expect(past.map((k) => k.split(' ')[0])).not.toContain('vac:mmr:2');
    expect(((await view(pastChild)).items as Json[]).find((i) => i.code === 'vac:mmr:2')).toMatchObject({ status: 'done', evidence: 'vaccination' });

    // the woman: her screenings opening at 50, but not the breast one she marked done
    const hers = await notified(woman.patientId);
    expect(hers).toEqual(await remindable(woman.patientId, day1));
    expect(hers.some((k) => k.startsWith('screen:colorectal:'))).toBe(true);
    expect(hers.some((k) => k.startsWith('screen:breast:'))).toBe(false);
    // the man: his only screening marked not done
    expect(await notified(man.patientId)).toEqual(await remindable(man.patientId, day1));
    expect((await notified(man.patientId)).some((k) => k.startsWith('screen:colorectal:'))).toBe(false);
    // the parent, 35: nothing of their own
    expect(await notified(parent.patientId)).toEqual(await remindable(parent.patientId, day1));
    // the preference off: notified all the same, not e-mailed
    const quietOnes = await notified(quiet.patientId);
    expect(quietOnes).toEqual(await remindable(quiet.patientId, day1));
    expect(quietOnes.some((k) => k.startsWith('screen:breast:'))).toBe(true);
    // a closed profile, an adult's profile never activated: nothing
    expect(await notified(closedId)).toEqual([]);
    expect(await notified(adultNotActivated)).toEqual([]);

    // the e-mails, over SMTP: one per notification to the parent (for the children) and the woman; none to the others
    const toParent = soon.length + past.length;
    await expect.poll(() => mailsTo(parent.person.email!).length).toBe(toParent);
    await expect.poll(() => mailsTo(woman.person.email!).length).toBe(hers.length);
    expect(mailsTo(quiet.person.email!)).toEqual([]);
    expect(mailsTo(man.person.email!)).toEqual([]);
    const forChild = mailsTo(parent.person.email!).filter((m: ReceivedMail) => m.text.includes('(profil de Léo)'));
    expect(forChild).toHaveLength(soon.length);
    // no health content in the e-mail
    for (const m of preventionMails()) {
      expect(m.text).not.toMatch(/examen|vaccin|dépistage|rougeole|mammographie/i);
      expect(m.text).toContain('/patient/notifications');
    }
  });

  it('Carnet read the recorded vaccinations of the children it had a vaccination to remind of, and the record says so', async () => {
    const { rows } = await c.db.query<{ patient_id: string; content: Json }>(
      `SELECT patient_id, content FROM resource WHERE resource_type = 'AuditEvent' AND patient_id = ANY($1::text[])`,
      [[soonChild, pastChild, woman.patientId]],
    );
    const byCarnet = (id: string) =>
      rows.filter((r) => r.patient_id === id && r.content.agent?.[0]?.who?.display === 'Carnet' && (r.content.entity as Json[]).some((e) => e.description === `Immunization?patient=${id}`));
    expect(byCarnet(soonChild)).toHaveLength(1);
    expect(byCarnet(pastChild)).toHaveLength(1);
    expect(byCarnet(soonChild)[0]!.content).toMatchObject({ action: 'E', outcome: '0', subtype: [{ code: 'search-type' }] });
    // no vaccination to remind the woman of: her record was not read
    expect(byCarnet(woman.patientId)).toHaveLength(0);
    // and the parent sees it in the child's access history, as Carnet's
    const history = await c.api('GET', '/api/dmp/history', { token: tokens.get(soonChild)!.token, actingFor: soonChild });
    expect(history.status).toBe(200);
    expect(((await history.json()).items as Json[]).some((i) => i.actorType === 'system' && i.what === 'Immunization?patient=' + soonChild)).toBe(true);
  });

  it('a second run the same day sends nothing; the next day only what opens then, never twice', async () => {
    const before = new Map<string, string[]>();
    const all = [parent.patientId, soonChild, pastChild, woman.patientId, man.patientId, quiet.patientId];
    for (const id of all) before.set(id, await notified(id));
    const mailsBefore = preventionMails().length;

    const again = await c.carnet.jobs.runNow();
    expect(again).toMatchObject({ preventionProfiles: 0, preventionRemindersSent: 0 });
    for (const id of all) expect(await notified(id)).toEqual(before.get(id));
    expect(preventionMails()).toHaveLength(mailsBefore);

    c.carnet.clock.advance(DAY_MS);
    const day2 = todayOf(c);
    expect(day2 > day1).toBe(true);
    const next = await c.carnet.jobs.runNow();
    expect(next.preventionProfiles).toBeGreaterThan(0);
    let newOnes = 0;
    for (const id of all) {
      const now = await notified(id);
      // nothing twice
      expect(new Set(now).size).toBe(now.length);
      // what was sent stays; what came is what the second day opened a reminder period for
      const opened = (await remindable(id, day2)).filter((k) => !before.get(id)!.includes(k));
      for (const k of opened) {
        const [code] = k.split(' ');
        const item = ((await view(id)).items as Json[]).find((i) => i.code === code)!;
        expect(reminderPeriod(item as never).from).toBe(day2);
      }
      expect(now).toEqual([...before.get(id)!, ...opened].sort());
      newOnes += opened.length;
    }
    expect(next.preventionRemindersSent).toBe(newOnes);
    expect(await notified(closedId)).toEqual([]);
    expect(await notified(adultNotActivated)).toEqual([]);
    expect(await c.carnet.jobs.runNow()).toMatchObject({ preventionProfiles: 0, preventionRemindersSent: 0 });
  });

  it('the counters add up, and operators read them (numbers only)', async () => {
    const { rows: runs } = await c.db.query<{ day: string; profiles: string; sent: string; by_type: Record<string, number>; finished: boolean }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, profiles, sent, by_type, finished_at IS NOT NULL AS finished FROM prevention_run ORDER BY day`,
    );
    expect(runs.map((r) => r.finished)).toEqual([true, true]);
    expect(runs[0]!.day).toBe(day1);
    // every run looked at every profile that may be reminded: the active ones and the children's open ones
    const { rows: eligible } = await c.db.query<{ n: string }>(`SELECT count(*) AS n FROM insured WHERE state = 'active' OR (state = 'open' AND covered_by_nir IS NOT NULL)`);
    for (const r of runs) expect(Number(r.profiles)).toBe(Number(eligible[0]!.n));
    const { rows: sent } = await c.db.query<{ type: string; n: string }>('SELECT type, count(*) AS n FROM prevention_reminder GROUP BY type');
    const byType = Object.fromEntries(sent.map((r) => [r.type, Number(r.n)]));
    const total = Object.values(byType).reduce((a, b) => a + b, 0);
    expect(runs.reduce((a, r) => a + Number(r.sent), 0)).toBe(total);
    for (const r of runs) expect(Object.values(r.by_type).reduce((a, b) => a + Number(b), 0)).toBe(Number(r.sent));
    const { rows: notes } = await c.db.query<{ n: string }>(`SELECT count(*) AS n FROM notification WHERE category = 'prevention'`);
    expect(Number(notes[0]!.n)).toBe(total);

    const res = await c.api('GET', '/api/admin/prevention/indicators', { token: c.operatorToken });
    expect(res.status).toBe(200);
    const indicators = await res.json();
    expect(indicators.sentTotal).toBe(total);
    expect(indicators.sentByType).toEqual(byType);
    expect(indicators.runs.map((r: Json) => r.day)).toEqual(runs.map((r) => r.day).reverse());
    expect(indicators.runs[1]).toMatchObject({ day: day1, profiles: Number(runs[0]!.profiles), sent: Number(runs[0]!.sent), byType: runs[0]!.by_type });
    expect(indicators.runs[1].finishedAt >= indicators.runs[1].startedAt).toBe(true);
    // counts only: no profile, no code, no name
    const text = JSON.stringify(indicators);
    for (const id of [soonChild, pastChild, woman.patientId]) expect(text).not.toContain(id);
    expect(text).not.toMatch(/exam-12|vac:|screen:/);
  });

  it('the indicators are refused to a patient, a professional and an anonymous caller', async () => {
    await expectProblem(await c.api('GET', '/api/admin/prevention/indicators', { token: tokens.get(woman.patientId)!.token }), 403, 'operator.only');
    await expectProblem(await c.api('GET', '/api/admin/prevention/indicators', { token: tokens.get(soonChild)!.token, actingFor: soonChild }), 403, 'operator.only');
    const pro = await professional(c);
    await expectProblem(await c.api('GET', '/api/admin/prevention/indicators', { token: pro.token }), 403, 'operator.only');
    await expectProblem(await c.api('GET', '/api/admin/prevention/indicators'), 401);
  });

  it('never answered 500', () => {
    expect(c.serverErrors).toEqual([]);
  });
});

describe('prevention reminders: a run stopped half-way goes on from its cursor', () => {
  let c: AccountsCarnet;
  let deps: PreventionJobDeps;
  const children: string[] = [];

  const count = async (sql: string, params: unknown[] = []) => Number((await c.db.query<{ n: string }>(sql, params)).rows[0]!.n);
  const perProfile = async () => {
    const { rows } = await c.db.query<{ patient_id: string; n: string; distinct_items: string }>(
      `SELECT patient_id, count(*) AS n, count(DISTINCT params->>'code') AS distinct_items FROM notification WHERE category = 'prevention' GROUP BY patient_id`,
    );
    return new Map(rows.map((r) => [r.patient_id, { n: Number(r.n), distinct: Number(r.distinct_items) }]));
  };

  beforeAll(async () => {
    c = await startAccounts({ env: { PREVENTION_REMINDERS: 'true' } });
    deps = { db: c.carnet.db, repo: c.carnet.repo, mailer: c.carnet.mailer };
    // five active profiles 16 months old in 5 days: the examination and the MMR dose each
    for (let i = 0; i < 5; i++) children.push((await insuredPatient(c, { birthDate: turning(c, { months: 16 }, 5), state: 'active' })).patientId);
  });
  afterAll(() => c?.close());

  it('a batch that fails leaves nothing behind; one batch, then the jobs go on from its cursor; nothing twice', async () => {
    const now = c.carnet.clock.now();
    const day = todayOf(c);
    // a failure in the middle of the batch (the mail queue): rolled back whole
    const enqueue = c.carnet.mailer.enqueue.bind(c.carnet.mailer);
    c.carnet.mailer.enqueue = async () => {
      throw new Error('the outbox is down');
    };
    await expect(runPreventionBatch(deps, now, { batchSize: 2 })).rejects.toThrow('the outbox is down');
    c.carnet.mailer.enqueue = enqueue;
    expect(await count('SELECT count(*) AS n FROM prevention_run')).toBe(0);
    expect(await count('SELECT count(*) AS n FROM prevention_reminder')).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM notification WHERE category = 'prevention'`)).toBe(0);

    // one batch of two profiles: their reminders, the cursor on the second
    const first = await runPreventionBatch(deps, now, { batchSize: 2 });
    expect(first).toMatchObject({ day, profiles: 2, finished: false });
    expect(first.sent).toBeGreaterThanOrEqual(4);
    const sorted = [...children].sort();
    const { rows: run } = await c.db.query<{ cursor: string; profiles: string; sent: string; finished: boolean }>(
      'SELECT cursor::text AS cursor, profiles, sent, finished_at IS NOT NULL AS finished FROM prevention_run WHERE day = $1',
      [day],
    );
    expect(run[0]).toMatchObject({ cursor: sorted[1], finished: false });
    expect(Number(run[0]!.profiles)).toBe(2);
    expect(Number(run[0]!.sent)).toBe(first.sent);
    expect([...(await perProfile()).keys()].sort()).toEqual(sorted.slice(0, 2));

    // the jobs go on from there: the three others
    const rest = await c.carnet.jobs.runNow();
    expect(rest.preventionProfiles).toBe(3);
    const per = await perProfile();
    expect([...per.keys()].sort()).toEqual(sorted);
    for (const id of children) {
      expect(per.get(id)!.n).toBe(per.get(id)!.distinct);
      expect(per.get(id)!.n).toBe(first.sent / 2);
    }
    const { rows: done } = await c.db.query<{ profiles: string; sent: string; by_type: Record<string, number>; finished: boolean }>(
      'SELECT profiles, sent, by_type, finished_at IS NOT NULL AS finished FROM prevention_run WHERE day = $1',
      [day],
    );
    expect(done[0]).toMatchObject({ finished: true });
    expect(Number(done[0]!.profiles)).toBe(5);
    expect(Number(done[0]!.sent)).toBe(first.sent + rest.preventionRemindersSent);
    expect(Number(done[0]!.sent)).toBe(await count(`SELECT count(*) AS n FROM notification WHERE category = 'prevention'`));
    expect(done[0]!.by_type).toMatchObject({ 'child-exam': 5, vaccination: expect.any(Number) });
    // the day is over: a batch does nothing
    expect(await runPreventionBatch(deps, now, { batchSize: 2 })).toMatchObject({ profiles: 0, sent: 0, finished: true });
  });

  it('the next day, profiles activated since are caught up; two nodes running the job at once send each reminder once', async () => {
    c.carnet.clock.advance(DAY_MS);
    const now = c.carnet.clock.now();
    // new profiles whose windows opened 10 days ago: caught up, since they changed after the last run
    const late: string[] = [];
    for (let i = 0; i < 4; i++) late.push((await insuredPatient(c, { birthDate: turning(c, { months: 16 }, -10), state: 'active' })).patientId);
    const before = await count(`SELECT count(*) AS n FROM notification WHERE category = 'prevention'`);
    const [a, b] = await Promise.all([runPreventionReminders(deps, now, { batchSize: 2 }), runPreventionReminders(deps, now, { batchSize: 2 })]);
    const per = await perProfile();
    for (const id of late) {
      expect(per.get(id)?.n, id).toBeGreaterThanOrEqual(1);
      expect(per.get(id)!.n).toBe(per.get(id)!.distinct);
    }
    // the first five have nothing new (their items were looked at yesterday)
    for (const id of children) expect(per.get(id)!.n).toBe(per.get(id)!.distinct);
    const after = await count(`SELECT count(*) AS n FROM notification WHERE category = 'prevention'`);
    expect(a.preventionRemindersSent + b.preventionRemindersSent).toBe(after - before);
    expect(a.preventionProfiles + b.preventionProfiles).toBe(9);
    const { rows } = await c.db.query<{ profiles: string; sent: string }>(`SELECT profiles, sent FROM prevention_run WHERE day = $1`, [todayOf(c)]);
    expect(Number(rows[0]!.profiles)).toBe(9);
    expect(Number(rows[0]!.sent)).toBe(after - before);
  });
});
