import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../src/domain/access/index.js';
import { parseQuestionnaire, responseResource } from '../src/domain/prevention/questionnaire/index.js';
import { makeContext } from '../src/repo/index.js';
import { extractPdfText, flattenText } from '../src/services/documents/extract-text.js';
import { formatDateFr } from '../src/services/documents/format.js';
import { startCarnet, type TestCarnet } from './support/carnet.js';
import { insuredPatient, professional } from './support/care.js';
import { bornAgo, call, todayOf } from './support/prevention.js';

/**
 * The key-age questionnaires through the application API (docs/prevention.md "Key-age questionnaires"): a
 * 20-year-old's whole journey (draft saved twice with its versionId, a conditional question, finalised, the PDF,
 * filed in the documents, "habitudes de vie" pre-filled with origin QUIZ); every bad input refused with nothing
 * changed; a response started on an older version stays on it; a parent for a 17-year-old, and a 10-year-old
 * offered nothing; who may not read or write the responses; the reads in the record's access trail.
 */
let tc: TestCarnet;

beforeAll(async () => {
  tc = await startCarnet();
});
afterAll(async () => tc?.close());

async function ok(method: string, url: string, token: string, body?: unknown, headers: Record<string, string> = {}, status = 200): Promise<any> {
  const res = await call(tc, method, url, token, body, headers);
  expect(res.status, `${method} ${url}: ${JSON.stringify(res.body)}`).toBe(status);
  return res.body;
}
/** [status, code, fields] of a refusal. */
async function refused(method: string, url: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<[number, string, string[] | undefined]> {
  const res = await call(tc, method, url, token, body, headers);
  return [res.status, res.body?.code, res.body?.fields];
}

const R = '/api/prevention/questionnaire-responses';
const Q = '/api/prevention/questionnaires';

/** Every answer the 18-25 questionnaire requires, for someone who smokes every day. */
const REQUIRED = {
  food: 'irregular',
  'physical-activity': '1h-2h30',
  sleep: 'sometimes',
  screens: 'gt-4h',
  alcohol: 'occasionally',
  tobacco: 'daily',
  mood: 'some-days',
};

const questionnaireFile = (file: string) => JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../data/prevention/questionnaires', file), 'utf8')) as Record<string, unknown>;

describe('a 20-year-old prepares their check-up', () => {
  it('starts, saves twice with the versionId, answers a conditional question, finalises, downloads and files the PDF; habits are pre-filled', async () => {
    const p = await insuredPatient(tc, { birthDate: bornAgo(tc, { years: 20, days: 30 }), given: 'Lina', family: 'MOREAU', sex: 'F' });

    // the bands offered: 18-25 only, current version 2026.1, nothing started yet
    const list = await ok('GET', Q, p.token);
    expect(list).toEqual({
      questionnaires: [
        { band: '18-25', url: 'urn:carnet:questionnaire:key-age-18-25', version: '2026.1', title: 'Mon bilan prévention 18-25 ans : questionnaire de préparation', ageBand: { min: 18, max: 25 }, offered: true, responses: [] },
      ],
    });
    const view = await ok('GET', `${Q}/18-25`, p.token);
    expect(view).toMatchObject({ url: 'urn:carnet:questionnaire:key-age-18-25', version: '2026.1', id: 'key-age-18-25-2026.1', ageBand: { min: 18, max: 25 } });
    expect(view.groups.map((g: any) => g.linkId)).toEqual(['habits', 'mental-health', 'sexual-health', 'vaccinations-screenings', 'daily-life']);
    // the same Questionnaire is in the FHIR store, readable by any signed-in user
    expect((await ok('GET', '/fhir/Questionnaire/key-age-18-25-2026.1', p.token)).version).toBe('2026.1');

    // a draft, started with an answer
    const started = await ok('POST', `${Q}/18-25/responses`, p.token, { answers: { food: 'balanced' } }, {}, 201);
    expect(started).toMatchObject({ questionnaire: { url: view.url, version: '2026.1', title: view.title }, status: 'draft', versionId: '1', answers: { food: 'balanced' } });
    expect(started.finalisedAt).toBeUndefined();
    const id = started.id;
    // one draft at a time
    expect(await refused('POST', `${Q}/18-25/responses`, p.token, {})).toEqual([409, 'questionnaire.draft-exists', ['band']]);

    // nothing to file yet
    expect(await refused('POST', `${R}/${id}/file`, p.token)).toEqual([409, 'questionnaire.draft', undefined]);

    // saved twice, each save a new FHIR version, with the versionId read
    const second = await ok('PUT', `${R}/${id}`, p.token, { answers: { ...REQUIRED, food: 'balanced' }, versionId: '1' });
    expect(second).toMatchObject({ versionId: '2', status: 'draft', answers: { ...REQUIRED, food: 'balanced' } });
    // a stale save is refused, nothing changed
    expect(await refused('PUT', `${R}/${id}`, p.token, { answers: { food: 'unbalanced' }, versionId: '1' })).toEqual([409, 'questionnaire.stale', ['versionId']]);
    // finalising needs the conditional question its answers enable ("Fumez-vous ? tous les jours" → "Combien ?")
    expect(await refused('POST', `${R}/${id}/finalise`, p.token, { versionId: '2' })).toEqual([422, 'questionnaire.incomplete', ['tobacco-per-day']]);
    const third = await ok('PUT', `${R}/${id}`, p.token, {
      answers: { ...REQUIRED, 'tobacco-per-day': '10-20', contraception: 'no', 'contraception-method': ['pill'], topics: 'Le sommeil et le stress des examens.' },
      versionId: 2,
    });
    // the answer to a question its condition leaves out (contraception = no) is dropped
    expect(third.versionId).toBe('3');
    expect(third.answers).toEqual({ ...REQUIRED, 'tobacco-per-day': '10-20', contraception: 'no', topics: 'Le sommeil et le stress des examens.' });
    expect(await ok('GET', `${R}/${id}`, p.token)).toEqual(third);

    // the draft's PDF can be downloaded, marked as a draft
    const draftPdf = await tc.request('GET', `${R}/${id}/pdf`, { token: p.token });
    expect(draftPdf.status).toBe(200);
    expect(flattenText((await extractPdfText(new Uint8Array(await draftPdf.arrayBuffer()))).join('\n'))).toContain('Brouillon enregistré le');

    // finalised
    const final = await ok('POST', `${R}/${id}/finalise`, p.token, { versionId: '3' });
    expect(final).toMatchObject({ status: 'final', versionId: '4', answers: third.answers });
    expect(Date.parse(final.finalisedAt)).toBeGreaterThan(0);
    expect(await refused('POST', `${R}/${id}/finalise`, p.token, {})).toEqual([409, 'questionnaire.already-final', undefined]);
    expect(await refused('PUT', `${R}/${id}`, p.token, { answers: REQUIRED, versionId: '4' })).toEqual([409, 'questionnaire.final', undefined]);

    // the FHIR resource: in the record, naming its version, items nested as the questionnaire's
    const fhir = await ok('GET', `/fhir/QuestionnaireResponse/${id}`, p.token);
    expect(fhir).toMatchObject({ questionnaire: 'urn:carnet:questionnaire:key-age-18-25|2026.1', status: 'completed', subject: { reference: `Patient/${p.patientId}` }, meta: { versionId: '4' } });
    expect(fhir.item.find((g: any) => g.linkId === 'habits').item.find((i: any) => i.linkId === 'tobacco-per-day').answer).toEqual([
      { valueCoding: { system: 'https://carnet.example/fhir/CodeSystem/key-age-answer', code: '10-20', display: 'De 10 à 20' } },
    ]);
    expect((await ok('GET', `/fhir/QuestionnaireResponse/${id}/_history`, p.token)).entry.map((e: any) => e.resource.status)).toEqual(['completed', 'in-progress', 'in-progress', 'in-progress']);

    // the PDF: title, band, version, the person, each question asked and its answer; not the questions left out
    const pdf = await tc.request('GET', `${R}/${id}/pdf`, { token: p.token });
    expect([pdf.status, pdf.headers.get('content-type')]).toEqual([200, 'application/pdf']);
    expect(pdf.headers.get('content-disposition')).toContain('Mon%20bilan%20pr%C3%A9vention%2018-25%20ans');
    const text = flattenText((await extractPdfText(new Uint8Array(await pdf.arrayBuffer()))).join('\n'));
    for (const s of ['Mon bilan prévention 18-25 ans', 'Lina', 'MOREAU', '18 à 25 ans', '2026.1', 'Finalisé le', 'Fumez-vous', 'Oui, tous les jours', 'Combien de cigarettes par jour', 'De 10 à 20', 'Le sommeil et le stress des examens.', 'Sans réponse']) {
      expect(text, s).toContain(flattenText(s));
    }
    expect(text).not.toContain(flattenText('Lequel ou lesquels'));

    // filed in the documents: LOINC 74465-6 "Questionnaire patient", class 90; the response remembers it
    const filed = await ok('POST', `${R}/${id}/file`, p.token, undefined, {}, 201);
    expect(filed).toEqual({ documentId: expect.any(String) });
    const docs = await ok('GET', '/api/documents', p.token);
    const doc = docs.documents.find((d: any) => d.id === filed.documentId);
    expect(doc).toMatchObject({ typeCode: '74465-6', classCode: '90', contentType: 'application/pdf', depositor: 'patient', hiddenFromProfessionals: true });
    expect(doc.title).toMatch(/^Mon bilan prévention 18-25 ans : questionnaire du /);
    expect((await ok('GET', `${R}/${id}`, p.token)).documentId).toBe(filed.documentId);
    const content = await tc.request('GET', `/api/documents/${filed.documentId}/content`, { token: p.token });
    expect(Buffer.from(await content.arrayBuffer()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // filing again gives the same document back
    expect(await ok('POST', `${R}/${id}/file`, p.token)).toEqual(filed);
    expect((await ok('GET', '/api/documents', p.token)).documents.filter((d: any) => d.typeCode === '74465-6')).toHaveLength(1);

    // "habitudes de vie" pre-filled, one entry per topic, with the QUIZ origin
    const habits = await ok('GET', '/api/profile/sections/habits', p.token);
    const byTopic = Object.fromEntries(habits.entries.map((h: any) => [h.topic, h]));
    expect(Object.keys(byTopic).sort()).toEqual(['ALCOHOL', 'FOOD', 'PHYSICAL_ACTIVITY', 'SCREEN', 'SLEEP', 'TOBACCO']);
    expect(byTopic.TOBACCO).toMatchObject({
      answer: 'Oui, tous les jours — Combien de cigarettes par jour ? De 10 à 20',
      date: todayOf(tc),
      origin: 'QUIZ',
      questionnaireResponseId: id,
      source: { kind: 'patient' },
    });
    expect(byTopic.SCREEN.answer).toBe('Plus de quatre heures');
    for (const h of habits.entries) expect(h.origin).toBe('QUIZ');

    // the list now shows the final response
    const after = await ok('GET', Q, p.token);
    expect(after.questionnaires[0].responses).toEqual([{ ...(await ok('GET', `${R}/${id}`, p.token)) }]);
    // a new draft may be started once the previous one is final
    expect((await ok('POST', `${Q}/18-25/responses`, p.token, {}, {}, 201)).versionId).toBe('1');
  });
});

describe('bad input, refused with nothing changed', () => {
  it('unknown questions and bands, values a question does not accept, long texts, missing versionId', async () => {
    const p = await insuredPatient(tc, { birthDate: bornAgo(tc, { years: 22, days: 30 }) });
    const draft = await ok('POST', `${Q}/18-25/responses`, p.token, { answers: { food: 'balanced', topics: 'Le sport' } }, {}, 201);
    const id = draft.id;
    const bad: [unknown, [number, string, string[] | undefined]][] = [
      [{ answers: { food: 'balanced', 'not-a-question': 'x' }, versionId: '1' }, [422, 'questionnaire.unknown-question', ['not-a-question']]],
      [{ answers: { habits: 'x' }, versionId: '1' }, [422, 'questionnaire.unknown-question', ['habits']]],
      [{ answers: { food: 'pizza' }, versionId: '1' }, [422, 'questionnaire.invalid-answer', ['food']]],
      [{ answers: { food: ['balanced'] }, versionId: '1' }, [422, 'questionnaire.invalid-answer', ['food']]],
      [{ answers: { contraception: 'yes', 'contraception-method': ['pill', 'potion'] }, versionId: '1' }, [422, 'questionnaire.invalid-answer', ['contraception-method']]],
      [{ answers: { difficulties: 'money' }, versionId: '1' }, [422, 'questionnaire.invalid-answer', ['difficulties']]],
      [{ answers: { topics: 'a'.repeat(2001) }, versionId: '1' }, [422, 'questionnaire.answer-too-long', ['topics']]],
      [{ answers: { food: 'balanced' } }, [400, 'request.invalid', ['versionId']]],
      [{ answers: { food: 'balanced' }, versionId: 'one' }, [400, 'request.invalid', ['versionId']]],
      [{ versionId: '1' }, [400, 'request.invalid', ['answers']]],
      [{ answers: ['food'], versionId: '1' }, [400, 'request.invalid', ['answers']]],
    ];
    for (const [body, expected] of bad) expect(await refused('PUT', `${R}/${id}`, p.token, body), JSON.stringify(body).slice(0, 80)).toEqual(expected);
    expect(await refused('POST', `${Q}/18-25/responses`, p.token, { answers: { nope: 'x' } })).toEqual([409, 'questionnaire.draft-exists', ['band']]);
    expect(await refused('GET', `${Q}/18-30`, p.token)).toEqual([404, 'questionnaire.unknown-band', undefined]);
    expect(await refused('GET', `${Q}/18-25?version=1999.1`, p.token)).toEqual([404, 'questionnaire.unknown-version', undefined]);
    expect(await refused('POST', `${Q}/18-30/responses`, p.token, {})).toEqual([404, 'questionnaire.unknown-band', undefined]);
    expect(await refused('GET', `${R}/${randomUUID()}`, p.token)).toEqual([404, 'questionnaire.response-unknown', undefined]);
    expect(await refused('PUT', `${R}/bad%20id`, p.token, { answers: {}, versionId: '1' })).toEqual([404, 'questionnaire.response-unknown', undefined]);
    expect(await refused('POST', `${R}/${randomUUID()}/finalise`, p.token, {})).toEqual([404, 'questionnaire.response-unknown', undefined]);
    expect(await refused('POST', `${R}/${id}/finalise`, p.token, {})).toEqual([422, 'questionnaire.incomplete', ['physical-activity', 'sleep', 'screens', 'alcohol', 'tobacco', 'mood']]);
    expect(await refused('POST', `${R}/${id}/finalise`, p.token, { versionId: '7' })).toEqual([409, 'questionnaire.stale', ['versionId']]);
    // nothing changed: the same version, the same answers, no habit written
    expect(await ok('GET', `${R}/${id}`, p.token)).toEqual(draft);
    expect((await ok('GET', `/fhir/QuestionnaireResponse/${id}/_history`, p.token)).entry).toHaveLength(1);
    expect((await ok('GET', '/api/profile/sections/habits', p.token)).entries).toEqual([]);
    // a new draft whose answers are refused is not created
    const q = await insuredPatient(tc, { birthDate: bornAgo(tc, { years: 19, days: 30 }) });
    expect(await refused('POST', `${Q}/18-25/responses`, q.token, { answers: { 'hpv-vaccine': 'maybe' } })).toEqual([422, 'questionnaire.invalid-answer', ['hpv-vaccine']]);
    expect(await refused('POST', `${Q}/18-25/responses`, q.token, { answers: 'all' })).toEqual([400, 'request.invalid', ['answers']]);
    expect((await ok('GET', Q, q.token)).questionnaires[0].responses).toEqual([]);
  });

  it('a band not offered at this age: 422 questionnaire.not-offered, and nothing listed', async () => {
    const p = await insuredPatient(tc, { birthDate: bornAgo(tc, { years: 30, days: 30 }) });
    expect(await ok('GET', Q, p.token)).toEqual({ questionnaires: [] });
    expect(await refused('POST', `${Q}/18-25/responses`, p.token, {})).toEqual([422, 'questionnaire.not-offered', ['band']]);
    expect(await refused('POST', `${Q}/45-50/responses`, p.token, {})).toEqual([422, 'questionnaire.not-offered', ['band']]);
    // the questionnaire itself can be read (to see what it asks)
    expect((await ok('GET', `${Q}/45-50`, p.token)).version).toBe('2026.1');
    // 44: offered the year before the band
    const soon = await insuredPatient(tc, { birthDate: bornAgo(tc, { years: 44, days: 30 }) });
    expect((await ok('GET', Q, soon.token)).questionnaires.map((x: any) => [x.band, x.offered])).toEqual([['45-50', true]]);
    expect((await ok('POST', `${Q}/45-50/responses`, soon.token, {}, {}, 201)).questionnaire.version).toBe('2026.1');
  });
});

describe('the birth date', () => {
  it("is the engine's: a Patient without one is offered the band of the insured row's, as its key-age check-up is listed; without any, none", async () => {
    const p = await insuredPatient(tc, { birthDate: bornAgo(tc, { years: 20, days: 30 }), given: 'Noa', family: 'PETIT' });
    await tc.carnet.repo.update(makeContext(SYSTEM), { resourceType: 'Patient', id: p.patientId, name: [{ given: ['Noa'], family: 'PETIT' }], gender: 'male' });
    expect((await ok('GET', `/fhir/Patient/${p.patientId}`, p.token)).birthDate).toBeUndefined();
    expect((await ok('GET', '/api/prevention', p.token)).items.map((i: any) => i.code)).toContain('checkup:18-25');
    expect((await ok('GET', Q, p.token)).questionnaires.map((x: any) => [x.band, x.offered])).toEqual([['18-25', true]]);
    const draft = await ok('POST', `${Q}/18-25/responses`, p.token, {}, {}, 201);
    // the PDF gives that birth date too
    const pdf = await tc.request('GET', `${R}/${draft.id}/pdf`, { token: p.token });
    const text = flattenText((await extractPdfText(new Uint8Array(await pdf.arrayBuffer()))).join('\n'));
    expect(text).toContain(flattenText(formatDateFr(p.birthDate)));

    // a Patient without a birth date and no insured row: nothing offered
    const patientId = randomUUID();
    const token = await tc.patient(patientId, { name: [{ family: 'Sansdate', given: ['Alex'] }] });
    expect(await ok('GET', Q, token)).toEqual({ questionnaires: [] });
    expect(await refused('POST', `${Q}/18-25/responses`, token, {})).toEqual([422, 'questionnaire.not-offered', ['band']]);
  });
});

describe('versions', () => {
  it('a response started on 2025.1 stays on it, is checked against it, while new ones start on 2026.1', async () => {
    const p = await insuredPatient(tc, { birthDate: bornAgo(tc, { years: 21, days: 30 }) });
    const v2025 = parseQuestionnaire(questionnaireFile('key-age-18-25-2025.1.json'));
    // started last year, before 2026.1 was shipped
    const { version } = await tc.carnet.repo.create(
      makeContext(SYSTEM),
      responseResource({ questionnaire: v2025, patientId: p.patientId, status: 'in-progress', answers: { food: 'balanced' }, authored: '2025-12-01T10:00:00.000Z', author: { self: true, name: 'X' } }),
    );
    const id = version.id;
    const listed = (await ok('GET', Q, p.token)).questionnaires[0];
    expect([listed.version, listed.responses.map((r: any) => [r.id, r.questionnaire.version, r.status])]).toEqual(['2026.1', [[id, '2025.1', 'draft']]]);
    // the player reads that version
    const old = await ok('GET', `${Q}/18-25?version=2025.1`, p.token);
    const questions = old.groups.flatMap((g: any) => g.questions.map((q: any) => q.linkId));
    expect(questions).not.toContain('hpv-vaccine');
    expect(old.groups.flatMap((g: any) => g.questions).find((q: any) => q.linkId === 'difficulties').options.map((o: any) => o.code)).not.toContain('isolation');

    // checked against 2025.1: what 2026.1 added is refused
    expect(await refused('PUT', `${R}/${id}`, p.token, { answers: { food: 'balanced', 'hpv-vaccine': 'yes' }, versionId: '1' })).toEqual([422, 'questionnaire.unknown-question', ['hpv-vaccine']]);
    expect(await refused('PUT', `${R}/${id}`, p.token, { answers: { difficulties: ['isolation'] }, versionId: '1' })).toEqual([422, 'questionnaire.invalid-answer', ['difficulties']]);
    const saved = await ok('PUT', `${R}/${id}`, p.token, { answers: { ...REQUIRED, tobacco: 'never', difficulties: ['money', 'none'] }, versionId: '1' });
    expect(saved).toMatchObject({ questionnaire: { version: '2025.1' }, versionId: '2' });
    const final = await ok('POST', `${R}/${id}/finalise`, p.token, { versionId: '2' });
    expect(final.questionnaire.version).toBe('2025.1');
    expect((await ok('GET', `/fhir/QuestionnaireResponse/${id}`, p.token)).questionnaire).toBe('urn:carnet:questionnaire:key-age-18-25|2025.1');
    const pdf = await tc.request('GET', `${R}/${id}/pdf`, { token: p.token });
    expect(flattenText((await extractPdfText(new Uint8Array(await pdf.arrayBuffer()))).join('\n'))).toContain('2025.1');

    // a new response starts on the current version, and may answer what 2026.1 asks
    const fresh = await ok('POST', `${Q}/18-25/responses`, p.token, { answers: { 'hpv-vaccine': 'yes', difficulties: ['isolation'] } }, {}, 201);
    expect(fresh.questionnaire.version).toBe('2026.1');
    const both = (await ok('GET', Q, p.token)).questionnaires[0].responses.map((r: any) => r.questionnaire.version).sort();
    expect(both).toEqual(['2025.1', '2026.1']);
  });

  it('the questionnaires are written to the FHIR store once: a second start changes nothing', async () => {
    const { loadShippedQuestionnaires } = await import('../src/services/prevention/questionnaires/load.js');
    expect(await loadShippedQuestionnaires(tc.carnet.repo)).toEqual({ written: [] });
    const history = await tc.request('GET', '/fhir/Questionnaire/key-age-70-75-2026.1/_history', { token: await tc.user({ role: 'operator' }) });
    const bundle = await history.json();
    expect([history.status, bundle.entry.map((e: any) => e.resource.meta.versionId)]).toEqual([200, ['1']]);
  });
});

describe('acting for someone else', () => {
  async function family(childAge: number) {
    const parentId = randomUUID();
    const childId = randomUUID();
    const parent = await tc.user({ login: `parent-${parentId.slice(0, 6)}`, role: 'patient', patientId: parentId, represents: [{ patientId: childId, relation: 'parent' }] });
    for (const [pid, birthDate] of [
      [parentId, bornAgo(tc, { years: 45, days: 30 })],
      [childId, bornAgo(tc, { years: childAge, days: 30 })],
    ] as const) {
      expect((await tc.request('PUT', `/fhir/Patient/${pid}`, { token: parent, json: { resourceType: 'Patient', id: pid, name: [{ given: ['Sam'], family: 'Roux' }], birthDate } })).status).toBe(201);
    }
    return { parent, parentId, childId, forChild: { 'x-acting-for': childId } };
  }

  it("a parent fills in their 17-year-old's questionnaire (offered the year before 18): written in the child's record, in the parent's name", async () => {
    const f = await family(17);
    const list = await ok('GET', Q, f.parent, undefined, f.forChild);
    expect(list.questionnaires.map((x: any) => [x.band, x.offered])).toEqual([['18-25', true]]);
    const draft = await ok('POST', `${Q}/18-25/responses`, f.parent, { answers: { ...REQUIRED, tobacco: 'never' } }, f.forChild, 201);
    const final = await ok('POST', `${R}/${draft.id}/finalise`, f.parent, { versionId: draft.versionId }, f.forChild);
    expect(final.status).toBe('final');
    const fhir = await ok('GET', `/fhir/QuestionnaireResponse/${draft.id}`, f.parent);
    expect(fhir.subject).toEqual({ reference: `Patient/${f.childId}` });
    expect(fhir.author).toEqual({ display: `parent-${f.parentId.slice(0, 6)}` });
    const habits = await ok('GET', '/api/profile/sections/habits', f.parent, undefined, f.forChild);
    expect(habits.entries.map((h: any) => [h.topic, h.origin, h.source.name])).toContainEqual(['TOBACCO', 'QUIZ', `parent-${f.parentId.slice(0, 6)}`]);
    // acting for themself, the parent (45) sees their own band, not the child's response
    const own = await ok('GET', Q, f.parent);
    expect(own.questionnaires.map((x: any) => [x.band, x.responses.length])).toEqual([['45-50', 0]]);
    expect(await refused('GET', `${R}/${draft.id}`, f.parent)).toEqual([404, 'questionnaire.response-unknown', undefined]);
    // the filed PDF names the child and who filled it in
    const pdf = await tc.request('GET', `${R}/${draft.id}/pdf`, { token: f.parent, headers: f.forChild });
    const text = flattenText((await extractPdfText(new Uint8Array(await pdf.arrayBuffer()))).join('\n'));
    expect(text).toContain('Sam ROUX');
    expect(text).toContain(`Rempli par`);
  });

  it('a 10-year-old is offered no questionnaire', async () => {
    const f = await family(10);
    expect(await ok('GET', Q, f.parent, undefined, f.forChild)).toEqual({ questionnaires: [] });
    expect(await refused('POST', `${Q}/18-25/responses`, f.parent, {}, f.forChild)).toEqual([422, 'questionnaire.not-offered', ['band']]);
  });
});

describe('who may read and write the responses', () => {
  it('not another patient, a professional (even with access to the record) nor an operator; the reads are in the access trail', async () => {
    const p = await insuredPatient(tc, { birthDate: bornAgo(tc, { years: 24, days: 30 }) });
    const draft = await ok('POST', `${Q}/18-25/responses`, p.token, { answers: { food: 'balanced' } }, {}, 201);
    const id = draft.id;
    const other = await insuredPatient(tc, { birthDate: bornAgo(tc, { years: 23, days: 30 }) });
    const pro = await professional(tc);
    expect((await tc.request('POST', `/api/pro/patients/${p.patientId}/access`, { token: pro.token, json: { basis: 'consent' } })).status).toBe(201);
    const operator = await tc.user({ role: 'operator' });
    const owner = { 'x-acting-for': p.patientId };

    // another patient: unknown to them, by the API and /fhir; they cannot act for the owner
    expect(await refused('GET', `${R}/${id}`, other.token)).toEqual([404, 'questionnaire.response-unknown', undefined]);
    expect(await refused('PUT', `${R}/${id}`, other.token, { answers: { food: 'unbalanced' }, versionId: '1' })).toEqual([404, 'questionnaire.response-unknown', undefined]);
    expect(await refused('POST', `${R}/${id}/finalise`, other.token, {})).toEqual([404, 'questionnaire.response-unknown', undefined]);
    expect(await refused('GET', `${R}/${id}/pdf`, other.token)).toEqual([404, 'questionnaire.response-unknown', undefined]);
    expect(await refused('GET', Q, other.token, undefined, owner)).toEqual([403, 'acting-for.forbidden', undefined]);
    expect([403, 404]).toContain((await call(tc, 'GET', `/fhir/QuestionnaireResponse/${id}`, other.token)).status);
    expect((await call(tc, 'PUT', `/fhir/QuestionnaireResponse/${id}`, other.token, { resourceType: 'QuestionnaireResponse', id, status: 'completed', subject: { reference: `Patient/${p.patientId}` } }, { 'content-type': 'application/fhir+json' })).status).toBe(403);

    // a professional with access: not these routes, and the policy refuses QuestionnaireResponse to them on /fhir
    for (const [h, code] of [
      [{}, 'patient.only'],
      [owner, 'acting-for.forbidden'],
    ] as const) {
      expect(await refused('GET', Q, pro.token, undefined, h)).toEqual([403, code, undefined]);
      expect(await refused('GET', `${R}/${id}`, pro.token, undefined, h)).toEqual([403, code, undefined]);
      expect(await refused('POST', `${Q}/18-25/responses`, pro.token, {}, h)).toEqual([403, code, undefined]);
    }
    expect((await call(tc, 'GET', `/fhir/QuestionnaireResponse/${id}`, pro.token)).status).toBe(403);
    expect((await call(tc, 'GET', `/fhir/QuestionnaireResponse?patient=${p.patientId}`, pro.token)).status).toBe(403);
    const written = await call(tc, 'POST', '/fhir/QuestionnaireResponse', pro.token, { resourceType: 'QuestionnaireResponse', questionnaire: 'urn:carnet:questionnaire:key-age-18-25|2026.1', status: 'completed', subject: { reference: `Patient/${p.patientId}` } }, { 'content-type': 'application/fhir+json' });
    expect(written.status).toBe(403);
    expect((await call(tc, 'PUT', `/fhir/QuestionnaireResponse/${id}`, pro.token, { resourceType: 'QuestionnaireResponse', id, status: 'completed', subject: { reference: `Patient/${p.patientId}` } }, { 'content-type': 'application/fhir+json' })).status).toBe(403);

    // an operator: neither
    expect(await refused('GET', Q, operator)).toEqual([403, 'patient.only', undefined]);
    expect(await refused('GET', `${R}/${id}`, operator)).toEqual([403, 'patient.only', undefined]);
    expect((await call(tc, 'GET', `/fhir/QuestionnaireResponse/${id}`, operator)).status).toBe(403);

    // nothing changed
    expect(await ok('GET', `${R}/${id}`, p.token)).toEqual(draft);

    // the access trail of the record: the owner's read, and the refused attempts of the others
    const trail = await ok('GET', `/fhir/AuditEvent?patient=${p.patientId}&_count=500`, p.token);
    const events = (trail.entry ?? []).map((e: any) => e.resource).filter((a: any) => a.entity?.some((x: any) => String(x.what?.reference).startsWith(`QuestionnaireResponse/${id}`)));
    const summary = events.map((a: any) => [a.subtype[0].code, a.outcome, a.agent[0].who.reference ?? a.agent[0].who.display]);
    expect(summary).toContainEqual(['read', '0', `Patient/${p.patientId}`]);
    expect(summary).toContainEqual(['create', '0', `Patient/${p.patientId}`]);
    expect(summary).toContainEqual(['read', '4', `Patient/${other.patientId}`]);
    expect(summary).toContainEqual(['read', '4', `Practitioner/${pro.practitionerId}`]);
  });
});
