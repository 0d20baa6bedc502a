import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addOffset } from '../src/domain/prevention/index.js';
import { seedDemoPrevention } from '../src/services/demo/prevention.js';
import { patientId as demoPatientId } from '../src/services/demo/world.js';
import { startCarnet, type TestCarnet } from './support/carnet.js';
import { professional } from './support/care.js';
import {
  bornAgo,
  call,
  item,
  itemsOf,
  mark,
  parentAndChild,
  personBorn,
  prevention,
  putMark,
  recordVaccination,
  todayOf,
  vaccinationCalendar,
  writeImmunization,
} from './support/prevention.js';

/**
 * Prevention through the application API (docs/prevention.md, "API"), over real HTTP on a real database: the
 * items the engine computes for the acting profile on Carnet's day (a 52-year-old woman, a baby), marks that
 * move what comes next, recorded vaccinations (through the profile API, or an ATC coding only through /fhir)
 * counted for the doses in order, the vaccination calendar view, every bad mark refused with nothing changed,
 * a parent acting for their child, who must not reach a profile, the reads in the record's access history, and
 * the demo family's page.
 */
let tc: TestCarnet;

beforeAll(async () => {
  tc = await startCarnet();
});
afterAll(async () => tc?.close());

type Json = Record<string, any>;

const markRows = async (patientId: string) =>
  (await tc.db.query<{ code: string; mark: string; on_date: string | null; comment: string | null; marked_by: string }>(
    `SELECT code, mark, to_char(on_date, 'YYYY-MM-DD') AS on_date, comment, marked_by FROM prevention_mark WHERE patient_id = $1 ORDER BY code`,
    [patientId],
  )).rows;

/** The user id (token subject) of a token. */
const subjectOf = (token: string): string => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).sub;

describe('a 52-year-old woman', () => {
  it('has her breast and colorectal screenings due, and her tetanus booster of 45 overdue; recording it moves on', async () => {
    const birthDate = bornAgo(tc, { years: 52, months: 3 });
    const p = await personBorn(tc, birthDate, 'F');
    const view = await prevention(tc, p.token);
    expect(view).toMatchObject({ asOf: todayOf(tc), birthDate, sex: 'F' });
    const breast = itemsOf(view, 'breast');
    expect(breast[0]).toMatchObject({ type: 'screening', level: 'recommended', status: 'due' });
    expect(breast[0].code).toBe(`screen:breast:${breast[0].window.start}`);
    expect(breast[0].window.start <= todayOf(tc) && todayOf(tc) <= breast[0].window.end).toBe(true);
    expect(itemsOf(view, 'colorectal')[0]).toMatchObject({ status: 'due' });
    const dtp = item(view, 'vac:dtp-45y:1')!;
    expect(dtp).toMatchObject({ type: 'vaccination', status: 'overdue', window: { start: addOffset(birthDate, { years: 45 }) } });
    expect(dtp.reasons.map((r: Json) => r.code)).toContain('missing-dose');
    expect(view.items.some((i: Json) => i.type === 'child-exam')).toBe(false);
    // the first to act on: the earliest due or overdue
    expect(view.next).toBe('vac:dtp-45y:1');
    // the calendars, with their sources
    const ids = view.calendars.map((c: Json) => c.id);
    expect(view.calendars.every((c: Json) => c.title && c.version && c.source)).toBe(true);
    expect(ids).toContain(view.items.find((i: Json) => i.type === 'screening').reasons.find((r: Json) => r.code === 'calendar')?.params.id);
    expect(ids).toContain(dtp.reasons.find((r: Json) => r.code === 'calendar').params.id);

    // her booster, recorded at 45 and two months: done, proven by the record
    const on = addOffset(birthDate, { years: 45, months: 2 });
    const revaxis = await recordVaccination(tc, p.token, 'revaxis', on);
    const after = await prevention(tc, p.token);
    expect(item(after, 'vac:dtp-45y:1')).toMatchObject({ status: 'done', doneOn: on, evidence: 'vaccination', immunizationId: revaxis });
    expect(after.next).not.toBe('vac:dtp-45y:1');
    expect(['due', 'overdue']).toContain(item(after, after.next)!.status);

    // the vaccination calendar: the booster counted, a travel vaccine counting for no dose
    const typhoid = await recordVaccination(tc, p.token, 'typhim-vi', addOffset(birthDate, { years: 50 }));
    const cal = await vaccinationCalendar(tc, p.token);
    expect(cal.asOf).toBe(todayOf(tc));
    expect(cal.calendar).toMatchObject({ id: expect.any(String), version: expect.any(String), source: expect.any(String) });
    const row = cal.rows.find((r: Json) => r.ref === 'dtp-45y');
    expect(row).toMatchObject({ level: 'recommended', doses: [{ code: 'vac:dtp-45y:1', status: 'done', doneOn: on, immunizationId: revaxis }] });
    expect(row.diseases.length).toBeGreaterThan(0);
    expect(cal.unmatched).toEqual([{ immunizationId: typhoid, label: expect.stringMatching(/typhim/i), date: addOffset(birthDate, { years: 50 }) }]);
    // the whole calendar, whatever the age: the boosters of 65 and after are rows too (not in the items' horizon)
    expect(cal.rows.map((r: Json) => r.ref)).toContain('dtp-65y-then-10y');
    expect(after.items.some((i: Json) => i.ref === 'dtp-65y-then-10y')).toBe(false);
    // what is not hers: no infant schedule
    expect(cal.rows.map((r: Json) => r.ref)).not.toContain('dtcap-hib-hepb-primary');
  });

  it('marks a screening round done: it is done on that day and the next round opens from it', async () => {
    const p = await personBorn(tc, bornAgo(tc, { years: 52, months: 3 }), 'F');
    const round = itemsOf(await prevention(tc, p.token), 'breast')[0];
    const on = addDays(todayOf(tc), -3);
    const view = await mark(tc, p.token, round.code, { mark: 'done', date: on, comment: 'Centre d’imagerie Paris-Est' });
    // the comment comes back with the item, on the answer and on the next read
    expect(item(view, round.code)).toMatchObject({ status: 'done', doneOn: on, comment: 'Centre d’imagerie Paris-Est' });
    expect(view.items.filter((i: Json) => i.comment !== undefined).map((i: Json) => i.code)).toEqual([round.code]);
    expect(item(view, round.code)!.reasons.map((r: Json) => r.code)).toContain('marked');
    const next = itemsOf(view, 'breast').find((i: Json) => i.code !== round.code);
    expect(next).toMatchObject({ status: 'to-plan', window: { start: addOffset(on, { years: 2 }) } });
    expect(await prevention(tc, p.token)).toEqual(view);
    expect(await markRows(p.patientId)).toEqual([{ code: round.code, mark: 'done', on_date: on, comment: 'Centre d’imagerie Paris-Est', marked_by: subjectOf(p.token) }]);

    // planned, then the mark removed: the computed status again
    const planned = await mark(tc, p.token, round.code, { mark: 'planned', date: addDays(todayOf(tc), 20) });
    expect(item(planned, round.code)).toMatchObject({ status: 'due', planned: { on: addDays(todayOf(tc), 20) } });
    // a mark without a comment replaces the one with it: no comment any more
    expect(item(planned, round.code)!.comment).toBeUndefined();
    const removed = await call(tc, 'DELETE', `/api/prevention/items/${encodeURIComponent(round.code)}`, p.token);
    expect(removed.status).toBe(200);
    expect(item(removed.body, round.code)!.status).toBe('due');
    expect(item(removed.body, round.code)!.planned).toBeUndefined();
    expect(await markRows(p.patientId)).toEqual([]);
    // not-done
    const notDone = await mark(tc, p.token, round.code, { mark: 'not-done', comment: '  Fait en dehors du dépistage organisé  ' });
    expect(item(notDone, round.code)).toMatchObject({ status: 'not-done', comment: 'Fait en dehors du dépistage organisé' });
    expect(item(await prevention(tc, p.token), round.code)!.comment).toBe('Fait en dehors du dépistage organisé');
  });

  it('a planned mark on a later round is orphaned when an earlier round is marked done: the round moves and its code with it', async () => {
    const p = await personBorn(tc, bornAgo(tc, { years: 52, months: 3 }), 'F');
    const round = itemsOf(await prevention(tc, p.token), 'breast')[0];
    const nextCode = `screen:breast:${addOffset(round.window.start, { years: 2 })}`;
    const planned = await mark(tc, p.token, nextCode, { mark: 'planned', comment: 'Rendez-vous à prendre' });
    expect(item(planned, nextCode)).toMatchObject({ status: 'to-plan', planned: {}, comment: 'Rendez-vous à prendre' });
    // the open round done today: the next round opens two years from today, under another code
    const done = await mark(tc, p.token, round.code, { mark: 'done', date: todayOf(tc) });
    const newNext = `screen:breast:${addOffset(todayOf(tc), { years: 2 })}`;
    expect(itemsOf(done, 'breast').map((i: Json) => i.code)).toEqual([round.code, newNext]);
    expect(item(done, newNext)!.planned).toBeUndefined();
    expect(item(done, nextCode)).toBeUndefined();
    // the orphaned mark is still stored: it can no longer be set, but it can be removed
    expect((await markRows(p.patientId)).map((r) => r.code)).toEqual([round.code, nextCode]);
    expect((await putMark(tc, p.token, nextCode, { mark: 'planned' })).status).toBe(404);
    const removed = await call(tc, 'DELETE', `/api/prevention/items/${encodeURIComponent(nextCode)}`, p.token);
    expect(removed.status).toBe(200);
    expect((await markRows(p.patientId)).map((r) => r.code)).toEqual([round.code]);
  });
});

describe('a profile without a birth date', () => {
  it('is refused with 409 prevention.no-birth-date, on every route, and nothing is stored', async () => {
    // a Patient without birthDate, and no insured row of that id
    const patientId = randomUUID();
    const token = await tc.patient(patientId, { name: [{ family: 'Sansdate', given: ['Alex'] }], gender: 'female' });
    for (const [method, url, body] of [
      ['GET', '/api/prevention', undefined],
      ['GET', '/api/prevention/vaccinations', undefined],
      ['PUT', '/api/prevention/items/checkup:18-25', { mark: 'planned' }],
      ['DELETE', '/api/prevention/items/checkup:18-25', undefined],
    ] as const) {
      const res = await call(tc, method, url, token, body);
      expect([res.status, res.body.code], `${method} ${url}`).toEqual([409, 'prevention.no-birth-date']);
    }
    expect(await markRows(patientId)).toEqual([]);
    // a birth date of the year only is not a full one
    const yearOnly = randomUUID();
    const yearToken = await tc.patient(yearOnly, { birthDate: '1990' });
    const res = await call(tc, 'GET', '/api/prevention', yearToken);
    expect([res.status, res.body.code]).toEqual([409, 'prevention.no-birth-date']);
  });
});

describe('a baby', () => {
  it('sees the examinations; marking the one due done moves "next" to the following one', async () => {
    const birthDate = bornAgo(tc, { days: 10 });
    const baby = await personBorn(tc, birthDate, 'M');
    // the RSV immunisation given at the maternity, recorded by the parent
    await recordVaccination(tc, baby.token, 'beyfortus', addDays(birthDate, 1));
    const view = await prevention(tc, baby.token);
    expect(view.birthDate).toBe(birthDate);
    const exams = view.items.filter((i: Json) => i.type === 'child-exam');
    // born from 2025: the 2025 calendar (no examination "before the end of the 1st month"), all 20 listed
    expect(exams).toHaveLength(20);
    expect(exams.map((e: Json) => e.code)).not.toContain('exam-03');
    expect(item(view, 'exam-01')).toMatchObject({ status: 'overdue', level: 'mandatory', certificate: 'CS8', window: { start: birthDate } });
    expect(item(view, 'exam-02')!.status).toBe('due');
    expect(item(view, 'vac:rsv-infant:1')).toMatchObject({ status: 'done', evidence: 'vaccination' });
    expect(view.next).toBe('exam-01');

    const marked = await mark(tc, baby.token, 'exam-01', { mark: 'done', date: addDays(birthDate, 3) });
    expect(item(marked, 'exam-01')).toMatchObject({ status: 'done', doneOn: addDays(birthDate, 3) });
    expect(marked.next).toBe('exam-02');
    const second = await mark(tc, baby.token, 'exam-02', { mark: 'done', date: todayOf(tc) });
    expect(second.next).toBeUndefined();
    // an examination years ahead may be planned: the code exists whatever the horizon
    const planned = await mark(tc, baby.token, 'exam-20', { mark: 'planned' });
    expect(item(planned, 'exam-20')).toMatchObject({ status: 'to-plan', planned: {} });
  });

  it('counts the recorded vaccinations for the doses in order, an ATC coding alone included', async () => {
    const birthDate = bornAgo(tc, { months: 5, days: 10 });
    const baby = await personBorn(tc, birthDate, 'F');
    const at = (months: number) => addDays(addOffset(birthDate, { months }), 3);
    // recorded in any order: the second dose first
    const second = await recordVaccination(tc, baby.token, 'infanrix-hexa', at(4));
    const first = await recordVaccination(tc, baby.token, 'infanrix-hexa', at(2));
    // a dose given too early counts for nothing
    const early = await recordVaccination(tc, baby.token, 'infanrix-hexa', at(1));
    // another app's Immunization, with only its ATC code; one not done is not counted
    const pneumo = await writeImmunization(tc, baby.token, baby.patientId, 'J07AL02', at(2));
    await writeImmunization(tc, baby.token, baby.patientId, 'J07AL02', at(4), 'not-done');

    const view = await prevention(tc, baby.token);
    expect(item(view, 'vac:dtcap-hib-hepb-primary:1')).toMatchObject({ status: 'done', doneOn: at(2), immunizationId: first, dose: { number: 1, of: 3 }, level: 'mandatory' });
    expect(item(view, 'vac:dtcap-hib-hepb-primary:2')).toMatchObject({ status: 'done', doneOn: at(4), immunizationId: second });
    expect(item(view, 'vac:dtcap-hib-hepb-primary:3')!.status).toBe('to-plan');
    expect(item(view, 'vac:pneumococcal-infant:1')).toMatchObject({ status: 'done', doneOn: at(2), immunizationId: pneumo });
    // the 4-month pneumococcal dose was not given (the one written is not done): a mandatory dose stays overdue
    expect(item(view, 'vac:pneumococcal-infant:2')!.status).toBe('overdue');

    const cal = await vaccinationCalendar(tc, baby.token);
    const hexa = cal.rows.find((r: Json) => r.ref === 'dtcap-hib-hepb-primary');
    expect(hexa.level).toBe('mandatory');
    expect(hexa.doses.map((d: Json) => [d.code, d.status, d.immunizationId])).toEqual([
      ['vac:dtcap-hib-hepb-primary:1', 'done', first],
      ['vac:dtcap-hib-hepb-primary:2', 'done', second],
      ['vac:dtcap-hib-hepb-primary:3', 'to-plan', undefined],
    ]);
    expect(hexa.doses[0].label).toBeTruthy();
    expect(cal.rows.find((r: Json) => r.ref === 'pneumococcal-infant').doses[0]).toMatchObject({ status: 'done', immunizationId: pneumo });
    expect(cal.unmatched).toEqual([{ immunizationId: early, label: expect.any(String), date: at(1) }]);
  });
});

describe('bad marks', () => {
  let token: string;
  let patientId: string;
  let birthDate: string;
  beforeAll(async () => {
    birthDate = bornAgo(tc, { months: 3 });
    const baby = await personBorn(tc, birthDate, 'F');
    token = baby.token;
    patientId = baby.patientId;
    await mark(tc, token, 'exam-01', { mark: 'done', date: addDays(birthDate, 2) });
  });

  const cases: [string, string, unknown, number, string, string | undefined][] = [
    ['an item that does not exist', 'exam-99', { mark: 'done', date: '2026-01-01' }, 404, 'prevention.unknown-item', undefined],
    ['an item of another calendar (born in 2025: no exam-03)', 'exam-03', { mark: 'planned' }, 404, 'prevention.unknown-item', undefined],
    ['a screening a baby does not have', 'screen:breast:2030-01-01', { mark: 'planned' }, 404, 'prevention.unknown-item', undefined],
    ['a mark that is not one', 'exam-02', { mark: 'maybe' }, 422, 'prevention.mark-invalid', 'mark'],
    ['no mark', 'exam-02', { date: '2026-01-01' }, 422, 'prevention.mark-invalid', 'mark'],
    ['done without a date', 'exam-02', { mark: 'done' }, 422, 'prevention.date-required', 'date'],
    ['a date that is not YYYY-MM-DD', 'exam-02', { mark: 'done', date: '23/11/2026' }, 422, 'prevention.date-invalid', 'date'],
    ['an impossible date', 'exam-02', { mark: 'done', date: '2025-02-30' }, 422, 'prevention.date-invalid', 'date'],
    ['a date that is a number', 'exam-02', { mark: 'done', date: 20260101 }, 422, 'prevention.date-invalid', 'date'],
    ['a comment too long', 'exam-02', { mark: 'planned', comment: 'x'.repeat(501) }, 422, 'prevention.comment-too-long', 'comment'],
    ['a comment that is not a text', 'exam-02', { mark: 'planned', comment: { text: 'x' } }, 422, 'prevention.comment-invalid', 'comment'],
    ['an unknown field', 'exam-02', { mark: 'planned', when: 'soon' }, 422, 'prevention.invalid', 'when'],
    ['a body that is not an object', 'exam-02', ['done'], 400, 'request.invalid', undefined],
  ];

  it.each(cases)('refuses %s, and nothing changes', async (_what, code, body, status, problem, field) => {
    const before = await prevention(tc, token);
    const rows = await markRows(patientId);
    const res = await putMark(tc, token, code, body);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body.code).toBe(problem);
    if (field) expect(res.body.fields).toEqual([field]);
    expect(await prevention(tc, token)).toEqual(before);
    expect(await markRows(patientId)).toEqual(rows);
  });

  it('refuses a date before the birth or in the future (field date), and nothing changes', async () => {
    const before = await prevention(tc, token);
    const rows = await markRows(patientId);
    const early = await putMark(tc, token, 'exam-02', { mark: 'done', date: addDays(birthDate, -1) });
    expect([early.status, early.body.code, early.body.fields]).toEqual([422, 'prevention.date-before-birth', ['date']]);
    const plannedEarly = await putMark(tc, token, 'exam-02', { mark: 'planned', date: addDays(birthDate, -1) });
    expect([plannedEarly.status, plannedEarly.body.code]).toEqual([422, 'prevention.date-before-birth']);
    const future = await putMark(tc, token, 'exam-02', { mark: 'done', date: addDays(todayOf(tc), 1) });
    expect([future.status, future.body.code, future.body.fields]).toEqual([422, 'prevention.date-in-future', ['date']]);
    const notDoneFuture = await putMark(tc, token, 'exam-01', { mark: 'not-done', date: addDays(todayOf(tc), 5) });
    expect([notDoneFuture.status, notDoneFuture.body.code]).toEqual([422, 'prevention.date-in-future']);
    expect(await prevention(tc, token)).toEqual(before);
    expect(await markRows(patientId)).toEqual(rows);
    // a planned date may be ahead
    expect((await putMark(tc, token, 'exam-02', { mark: 'planned', date: addDays(todayOf(tc), 5) })).status).toBe(200);
  });

  it('refuses to remove the mark of an item that does not exist', async () => {
    const res = await call(tc, 'DELETE', '/api/prevention/items/exam-99', token);
    expect([res.status, res.body.code]).toEqual([404, 'prevention.unknown-item']);
    // removing a mark that is not there changes nothing
    const view = await call(tc, 'DELETE', '/api/prevention/items/exam-04', token);
    expect(view.status).toBe(200);
    expect(view.body).toEqual(await prevention(tc, token));
  });
});

describe('a parent acting for their child', () => {
  it("sees the child's items and marks them, as themselves; the reads are in the child's access history", async () => {
    const childBirth = bornAgo(tc, { years: 3, months: 2 });
    const family = await parentAndChild(tc, childBirth, 'M');
    const forChild = await prevention(tc, family.token, family.forChild);
    expect(forChild.birthDate).toBe(childBirth);
    // born before 2025: the 2019 calendar, with its examination of the 1st month
    expect(item(forChild, 'exam-03')).toBeDefined();
    expect(forChild.calendars.some((c: Json) => c.id === item(forChild, 'exam-03')!.reasons.find((r: Json) => r.code === 'calendar').params.id)).toBe(true);
    // their own page is theirs
    const own = await prevention(tc, family.token);
    expect(own.birthDate).toBe('1990-05-04');
    expect(own.items.some((i: Json) => i.type === 'child-exam')).toBe(false);

    const exam = item(forChild, 'exam-14')!;
    expect(['due', 'overdue']).toContain(exam.status);
    const on = exam.window.start;
    const view = await mark(tc, family.token, 'exam-14', { mark: 'done', date: on }, family.forChild);
    expect(item(view, 'exam-14')).toMatchObject({ status: 'done', doneOn: on });
    expect(await markRows(family.child.patientId)).toEqual([{ code: 'exam-14', mark: 'done', on_date: on, comment: null, marked_by: subjectOf(family.token) }]);
    expect(await markRows(family.parent.patientId)).toEqual([]);
    // the child's vaccinations recorded by the parent count
    await recordVaccination(tc, family.token, 'priorix', addOffset(childBirth, { months: 12, days: 5 }), family.forChild);
    expect(item(await prevention(tc, family.token, family.forChild), 'vac:mmr:1')!.status).toBe('done');
    expect((await vaccinationCalendar(tc, family.token, family.forChild)).rows.find((r: Json) => r.ref === 'mmr').doses[0].status).toBe('done');

    // the reads went through the repository: the child's Patient and Immunizations, by the parent
    const history = await call(tc, 'GET', '/api/dmp/history', family.token, undefined, family.forChild);
    expect(history.status).toBe(200);
    const byParent = history.body.items.filter((i: Json) => i.actorType === 'patient' && i.relation === 'parent');
    const whats = byParent.map((i: Json) => `${i.interaction} ${i.what}`).join('\n');
    expect(whats).toContain('Immunization');
    expect(whats).toContain(`Patient/${family.child.patientId}`);
  });
});

describe('who must not', () => {
  let owner: Awaited<ReturnType<typeof personBorn>>;
  beforeAll(async () => {
    owner = await personBorn(tc, bornAgo(tc, { years: 52, months: 3 }), 'F');
  });

  it("another patient reaches nothing of someone else's profile", async () => {
    const other = await personBorn(tc, bornAgo(tc, { years: 30 }), 'M');
    const round = itemsOf(await prevention(tc, owner.token), 'breast')[0];
    const acting = { 'x-acting-for': owner.patientId };
    for (const [method, url, body] of [
      ['GET', '/api/prevention', undefined],
      ['GET', '/api/prevention/vaccinations', undefined],
      ['PUT', `/api/prevention/items/${encodeURIComponent(round.code)}`, { mark: 'done', date: todayOf(tc) }],
      ['DELETE', `/api/prevention/items/${encodeURIComponent(round.code)}`, undefined],
    ] as const) {
      const res = await call(tc, method, url, other.token, body, acting);
      expect(res.status, `${method} ${url}`).toBe(403);
      expect(res.body.code).toBe('acting-for.forbidden');
    }
    // without the header, their own profile: the owner's round is not theirs
    const put = await putMark(tc, other.token, round.code, { mark: 'done', date: todayOf(tc) });
    expect([put.status, put.body.code]).toEqual([404, 'prevention.unknown-item']);
    expect(await markRows(owner.patientId)).toEqual([]);
    expect(await markRows(other.patientId)).toEqual([]);
  });

  it('a professional and an operator are refused, and so is nobody', async () => {
    const pro = await professional(tc);
    const operator = await tc.user({ role: 'operator' });
    for (const token of [pro.token, operator]) {
      for (const [method, url, body] of [
        ['GET', '/api/prevention', undefined],
        ['GET', '/api/prevention/vaccinations', undefined],
        ['PUT', '/api/prevention/items/exam-01', { mark: 'planned' }],
      ] as const) {
        const res = await call(tc, method, url, token, body, { 'x-acting-for': owner.patientId });
        expect(res.status, `${method} ${url}`).toBe(403);
        const plain = await call(tc, method, url, token, body);
        expect([plain.status, plain.body.code], `${method} ${url}`).toEqual([403, 'patient.only']);
      }
    }
    expect((await tc.request('GET', '/api/prevention')).status).toBe(401);
    expect(await markRows(owner.patientId)).toEqual([]);
  });
});

describe('the demo family', () => {
  let demo: TestCarnet;
  beforeAll(async () => {
    demo = await startCarnet({ seed: true });
  });
  afterAll(async () => demo?.close());

  const get = async (url: string, token: string, headers: Record<string, string> = {}) => {
    const res = await demo.request('GET', url, { token, headers });
    expect(res.status).toBe(200);
    return (await res.json()) as Json;
  };

  it("shows Léo's and Jade's examinations done but one, Camille's cervical screening and Louis's colorectal screening done; seeding again changes nothing", async () => {
    const camille = await demo.tokenFor('camille.martin');
    const leo = { 'x-acting-for': demoPatientId('leo.martin') };
    const jade = { 'x-acting-for': demoPatientId('jade.martin') };
    const today = todayOf(demo);

    const leoView = await get('/api/prevention', camille, leo);
    const leoExams = leoView.items.filter((i: Json) => i.type === 'child-exam');
    const closed = leoExams.filter((i: Json) => i.window.end < today);
    // every closed examination done on a day of its window, but the one he missed
    expect(closed.filter((i: Json) => i.status !== 'done').map((i: Json) => [i.code, i.status])).toEqual([['exam-16', 'overdue']]);
    for (const e of closed.filter((i: Json) => i.status === 'done')) expect(e.window.start <= e.doneOn && e.doneOn <= e.window.end, e.code).toBe(true);
    expect(leoView.next).toBe('exam-16');
    // his 8-9-year examination planned on the day of the appointment in his agenda
    const exam18 = item(leoView, 'exam-18')!;
    if (exam18.window.start <= today && today <= exam18.window.end) expect(exam18).toMatchObject({ status: 'due', planned: { on: addDays(today, 30) } });
    // his vaccinations are the record's
    expect(leoView.items.filter((i: Json) => i.type === 'vaccination' && i.level === 'mandatory').every((i: Json) => i.status === 'done' && i.evidence === 'vaccination')).toBe(true);

    const jadeView = await get('/api/prevention', camille, jade);
    expect(jadeView.items.filter((i: Json) => i.type === 'child-exam' && i.window.end < today).every((i: Json) => i.status === 'done')).toBe(true);
    // her examination of the 6th year and M'T dents at 5 open the same day: the mandatory examination first
    const exam17 = item(jadeView, 'exam-17')!;
    if (exam17.status === 'due' && item(jadeView, 'dental:5')?.window.start === exam17.window.start) expect(jadeView.next).toBe('exam-17');
    const jadeCal = await get('/api/prevention/vaccinations', camille, jade);
    const hexa = jadeCal.rows.find((r: Json) => r.ref === 'dtcap-hib-hepb-primary');
    expect(hexa.doses.every((d: Json) => d.status === 'done' && d.immunizationId)).toBe(true);

    const own = await get('/api/prevention', camille);
    expect(itemsOf(own, 'cervical').find((i: Json) => i.status === 'done')).toBeDefined();
    // her childhood MMR doses are in her record: her page does not lead with a catch-up from 1989
    expect(itemsOf(own, 'mmr').map((i: Json) => [i.code, i.status, i.evidence])).toEqual([
      ['vac:mmr:1', 'done', 'vaccination'],
      ['vac:mmr:2', 'done', 'vaccination'],
    ]);
    if (own.next) expect(item(own, own.next)!.window.start > '2000-01-01').toBe(true);

    const louisToken = await demo.tokenFor('louis.bernard');
    const louis = await get('/api/prevention', louisToken);
    const colorectal = itemsOf(louis, 'colorectal').find((i: Json) => i.status === 'done');
    expect(colorectal?.doneOn).toMatch(/^2025-/);
    // last season's influenza vaccination is in his record, and counted for no dose of the current season
    const louisCal = await get('/api/prevention/vaccinations', louisToken);
    expect(louisCal.unmatched.some((u: Json) => /efluelda/i.test(u.label))).toBe(false);
    // recorded once (the profile's seed), not again by the prevention seed
    const flu = await demo.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM resource WHERE resource_type = 'Immunization' AND NOT deleted AND patient_id = $1 AND content::text ILIKE '%efluelda%'`,
      [demoPatientId('louis.bernard')],
    );
    expect(Number(flu.rows[0]!.n)).toBe(1);
    const immunizations = await demo.db.query<{ n: string }>(`SELECT count(*) AS n FROM resource WHERE resource_type = 'Immunization' AND NOT deleted`);
    const marks = await demo.db.query<{ n: string }>('SELECT count(*) AS n FROM prevention_mark');
    expect(Number(marks.rows[0]!.n)).toBeGreaterThan(20);

    // seeding again (a restart of the demo on the same store) changes nothing
    await seedDemoPrevention(demo.carnet.profile, demo.carnet.clock.now());
    expect((await demo.db.query<{ n: string }>(`SELECT count(*) AS n FROM resource WHERE resource_type = 'Immunization' AND NOT deleted`)).rows[0]!.n).toBe(immunizations.rows[0]!.n);
    expect((await demo.db.query<{ n: string }>('SELECT count(*) AS n FROM prevention_mark')).rows[0]!.n).toBe(marks.rows[0]!.n);
    expect(await get('/api/prevention', camille, leo)).toEqual(leoView);
  });
});
