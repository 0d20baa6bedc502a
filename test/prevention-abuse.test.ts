import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bumpPrincipalGeneration } from '../src/repo/index.js';
import { extractPdfText, flattenText } from '../src/services/documents/extract-text.js';
import { loadShippedQuestionnaires } from '../src/services/prevention/questionnaires/load.js';
import { startCarnet, type TestCarnet } from './support/carnet.js';
import { clientToken } from './support/client-token.js';
import { insuredPatient, professional, type TestPatient } from './support/care.js';
import { bornAgo, call } from './support/prevention.js';

/**
 * The security and privacy review of issue 9 (prevention), over real HTTP on a real database: nobody reaches
 * another profile's marks, responses or their PDF (a stranger guessing ids or naming the profile, a parent
 * whose child turned 18, a carer whose delegation ended); professionals and operators reach none of it by /api
 * or /fhir (includes, reverse includes, _has, compartments, histories, batches), nor the filed PDF; a
 * connected app writes no response in another record, does not make its habits look "from the quiz", and a
 * response it made final is held to the questionnaire's rules before it is printed or filed; the shipped
 * questionnaires are Carnet's alone to write on /fhir; unbounded or unstorable input is a 4xx naming the
 * field; concurrent starts, finalisations and filings leave one draft, one finalisation, one document; the
 * reads are in the record's access history; a Carnet outside demo mode seeds no prevention data.
 */
let tc: TestCarnet;

beforeAll(async () => {
  tc = await startCarnet();
});
afterAll(async () => tc?.close());

type Json = Record<string, any>;
const FHIR = { 'content-type': 'application/fhir+json' };

async function ok(method: string, url: string, token: string, body?: unknown, headers: Record<string, string> = {}, status = 200): Promise<any> {
  const res = await call(tc, method, url, token, body, headers);
  expect(res.status, `${method} ${url}: ${res.text.slice(0, 500)}`).toBe(status);
  return res.body;
}
/** [status, code, fields] of a refusal. */
async function refused(method: string, url: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<[number, string | undefined, string[] | undefined]> {
  const res = await call(tc, method, url, token, body, headers);
  return [res.status, res.body?.code, res.body?.fields];
}

const subjectOf = (token: string): string => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).sub;

/** A connected app's token for the user of `token`: another OAuth client than the web app, with SMART scopes. */
const appToken = (userToken: string, scope: string): Promise<string> => clientToken(tc, userToken, 'quiz-sante-app', scope);

const R = '/api/prevention/questionnaire-responses';
const Q = '/api/prevention/questionnaires';
const CANONICAL = 'urn:carnet:questionnaire:key-age-18-25|2026.1';
/** Every answer the 18-25 questionnaire requires (no tobacco, so nothing conditional is required). */
const REQUIRED = { food: 'irregular', 'physical-activity': '1h-2h30', sleep: 'sometimes', screens: 'gt-4h', alcohol: 'occasionally', tobacco: 'never', mood: 'some-days' };
/** A text that must never reach anyone but the profile's side. */
const MARKER = 'Reponse-temoin-9f27c';

/** A 20-year-old with a mark and a final, filed response (the marker in its free text), and a second draft. */
async function youngAdult(): Promise<{ p: TestPatient; code: string; finalId: string; documentId: string; draftId: string }> {
  const p = await insuredPatient(tc, { birthDate: bornAgo(tc, { years: 20, days: 30 }) });
  const view = await ok('GET', '/api/prevention', p.token);
  const code = view.items.find((i: Json) => i.type === 'key-age-checkup').code as string;
  await ok('PUT', `/api/prevention/items/${encodeURIComponent(code)}`, p.token, { mark: 'planned', comment: MARKER });
  const started = await ok('POST', `${Q}/18-25/responses`, p.token, { answers: { ...REQUIRED, topics: MARKER } }, {}, 201);
  await ok('POST', `${R}/${started.id}/finalise`, p.token, {});
  const { documentId } = await ok('POST', `${R}/${started.id}/file`, p.token, undefined, {}, 201);
  const draft = await ok('POST', `${Q}/18-25/responses`, p.token, { answers: { topics: MARKER } }, {}, 201);
  return { p, code, finalId: started.id, documentId, draftId: draft.id };
}

/** Every prevention route of the application API (for the profile the request acts for). */
function apiRoutes(code: string, responseId: string): [string, string, unknown?][] {
  const c = encodeURIComponent(code);
  return [
    ['GET', '/api/prevention'],
    ['PUT', `/api/prevention/items/${c}`, { mark: 'not-done' }],
    ['DELETE', `/api/prevention/items/${c}`],
    ['GET', '/api/prevention/vaccinations'],
    ['GET', Q],
    ['POST', `${Q}/18-25/responses`, {}],
    ['GET', `${R}/${responseId}`],
    ['PUT', `${R}/${responseId}`, { answers: REQUIRED, versionId: '1' }],
    ['POST', `${R}/${responseId}/finalise`, {}],
    ['POST', `${R}/${responseId}/file`],
    ['GET', `${R}/${responseId}/pdf`],
  ];
}

/** What the profile's side sees, to show that nothing changed. */
async function snapshot(token: string, h: Record<string, string>, ids: string[]): Promise<unknown> {
  const view = await ok('GET', '/api/prevention', token, undefined, h);
  const responses = [];
  for (const id of ids) responses.push(await ok('GET', `${R}/${id}`, token, undefined, h));
  const docs = (await ok('GET', '/api/documents', token, undefined, h)).documents.map((d: Json) => d.id).sort();
  return { marks: view.items.filter((i: Json) => i.planned || i.status === 'not-done'), responses, docs };
}

/** The access history of a record, as its side reads it (/api/dmp/history), every page. */
async function historyOf(token: string, h: Record<string, string> = {}): Promise<Json[]> {
  const items: Json[] = [];
  for (let page = 0; ; page++) {
    const res = await ok('GET', `/api/dmp/history?page=${page}`, token, undefined, h);
    items.push(...res.items);
    if (!res.more) return items;
  }
}

describe("someone else's profile", () => {
  it('a stranger naming the profile or guessing ids reaches no mark, view, response nor PDF, changes nothing, and the attempts are in the history', async () => {
    const v = await youngAdult();
    const before = await snapshot(v.p.token, {}, [v.finalId, v.draftId]);
    const stranger = await insuredPatient(tc, { birthDate: bornAgo(tc, { years: 21, days: 30 }) });
    const naming = { 'x-acting-for': v.p.patientId };
    for (const [method, url, body] of apiRoutes(v.code, v.draftId)) {
      expect(await refused(method, url, stranger.token, body, naming), `${method} ${url}`).toEqual([403, 'acting-for.forbidden', undefined]);
      expect((await refused(method, url, stranger.token, body, { 'x-acting-for': `Patient/${v.p.patientId}` }))[0]).toBe(403);
    }
    // the ids guessed, acting for themself: unknown (their own profile has no such response)
    for (const id of [v.finalId, v.draftId]) {
      for (const [method, url, body] of apiRoutes(v.code, id).filter(([, u]) => u.startsWith(R))) {
        expect(await refused(method, url, stranger.token, body), `${method} ${url}`).toEqual([404, 'questionnaire.response-unknown', undefined]);
      }
    }
    // the stranger's own page holds none of it
    const own = await call(tc, 'GET', '/api/prevention', stranger.token);
    expect(own.text).not.toContain(MARKER);
    expect((await ok('GET', Q, stranger.token)).questionnaires[0].responses).toEqual([]);
    expect(await snapshot(v.p.token, {}, [v.finalId, v.draftId])).toEqual(before);
    // the victim sees the refused reads of their responses, and who tried
    const refusals = (await historyOf(v.p.token)).filter((i) => i.outcome === 'refused' && i.agent === `user-${subjectOf(stranger.token).slice(0, 8)}`);
    expect(refusals.some((i) => String(i.what).startsWith(`QuestionnaireResponse/${v.draftId}`))).toBe(true);
  });

  it('a parent whose child turned 18, and a carer whose delegation ended, lose the profile that very request', async () => {
    const child = await insuredPatient(tc, { birthDate: bornAgo(tc, { years: 17, days: 300 }) });
    const parentProfile = await insuredPatient(tc, { birthDate: bornAgo(tc, { years: 45, days: 30 }) });
    const helpedProfile = await insuredPatient(tc, { birthDate: bornAgo(tc, { years: 47, days: 30 }) });
    const parent = await tc.user({ role: 'patient', patientId: parentProfile.patientId, represents: [{ patientId: child.patientId, relation: 'parent' }] });
    const carerProfile = await insuredPatient(tc, { birthDate: bornAgo(tc, { years: 50, days: 30 }) });
    const carer = await tc.user({ role: 'patient', patientId: carerProfile.patientId, represents: [{ patientId: helpedProfile.patientId, relation: 'carer' }] });
    const forChild = { 'x-acting-for': child.patientId };
    const forHelped = { 'x-acting-for': helpedProfile.patientId };

    // while they represent them: the child's page, a mark and a draft; the helped person's page and a draft
    const view = await ok('GET', '/api/prevention', parent, undefined, forChild);
    const code = view.items[0].code as string;
    await ok('PUT', `/api/prevention/items/${encodeURIComponent(code)}`, parent, { mark: 'planned' }, forChild);
    const childDraft = await ok('POST', `${Q}/18-25/responses`, parent, { answers: { food: 'balanced' } }, forChild, 201);
    const helpedView = await ok('GET', '/api/prevention', carer, undefined, forHelped);
    const helpedDraft = await ok('POST', `${Q}/45-50/responses`, carer, {}, forHelped, 201);

    // the 18th birthday passed (the link's valid_until), the delegation was revoked (the link is gone)
    await tc.db.query(`UPDATE app_user_patient SET valid_until = $1 WHERE user_id = $2 AND patient_id = $3`, [new Date(tc.carnet.clock.now().getTime() - 60_000), subjectOf(parent), child.patientId]);
    await tc.db.query(`DELETE FROM app_user_patient WHERE user_id = $1 AND patient_id = $2`, [subjectOf(carer), helpedProfile.patientId]);
    bumpPrincipalGeneration();

    for (const [method, url, body] of apiRoutes(code, childDraft.id)) {
      expect(await refused(method, url, parent, body, forChild), `${method} ${url}`).toEqual([403, 'acting-for.forbidden', undefined]);
    }
    for (const [method, url, body] of apiRoutes(helpedView.items[0].code, helpedDraft.id)) {
      expect(await refused(method, url, carer, body, forHelped), `${method} ${url}`).toEqual([403, 'acting-for.forbidden', undefined]);
    }
    // without the header the parent acts for themself: the child's response is unknown there
    expect(await refused('GET', `${R}/${childDraft.id}`, parent)).toEqual([404, 'questionnaire.response-unknown', undefined]);
    expect(await refused('GET', `${R}/${childDraft.id}/pdf`, parent)).toEqual([404, 'questionnaire.response-unknown', undefined]);
    // and on /fhir
    expect((await call(tc, 'GET', `/fhir/QuestionnaireResponse/${childDraft.id}`, parent)).status).toBe(403);
    expect((await call(tc, 'GET', `/fhir/QuestionnaireResponse/${helpedDraft.id}`, carer)).status).toBe(403);
    // the young adult has their page, their mark and the draft their parent started
    const grown = await ok('GET', '/api/prevention', child.token);
    expect(grown.items.find((i: Json) => i.code === code).planned).toEqual({});
    expect((await ok('GET', `${R}/${childDraft.id}`, child.token)).answers).toEqual({ food: 'balanced' });
  });
});

describe('professionals and operators', () => {
  it('reach no mark, response, PDF or vaccination view by /api, nor any response or the filed PDF by /fhir, whatever the path; the attempts are traced', async () => {
    const v = await youngAdult();
    const p = v.p.patientId;
    // a vaccination (which professionals do read: the record's Immunizations, by design)
    const imm = await ok('POST', '/api/profile/sections/vaccinations', v.p.token, { vaccineRefId: 'vaxigrip-tetra', date: '2025-10-15', administration: 'IMMUNIZ' }, {}, 201);
    // a response whose subject is that Immunization (its record is the source's): found only by a reverse include
    await ok('POST', '/fhir/QuestionnaireResponse', v.p.token, { resourceType: 'QuestionnaireResponse', questionnaire: 'urn:x:other|1', status: 'completed', subject: { reference: `Immunization/${imm.id}` }, source: { reference: `Patient/${p}` }, item: [{ linkId: 'a', text: MARKER, answer: [{ valueString: MARKER }] }] }, FHIR, 201);
    const habits = await ok('GET', '/api/profile/sections/habits', v.p.token);
    const habitId = habits.entries[0].id as string;

    const doctor = await professional(tc, { family: 'Durand' });
    expect((await call(tc, 'PUT', `/api/professionals/${doctor.practitionerId}/roles/medecin-traitant`, v.p.token)).status).toBe(200);
    const nurse = await professional(tc, { family: 'Moreau', profession: '60' });
    expect((await call(tc, 'POST', `/api/pro/patients/${p}/access`, nurse.token, { basis: 'consent' })).status).toBe(201);
    const operator = await tc.user({ role: 'operator' });
    // the médecin traitant reads the record's vaccinations: the access works, the rest is what is refused
    expect((await ok('GET', `/fhir/Immunization?patient=${p}`, doctor.token)).entry).toHaveLength(1);

    for (const [who, token] of [
      ['doctor', doctor.token],
      ['nurse', nurse.token],
      ['operator', operator],
    ] as const) {
      for (const h of [{}, { 'x-acting-for': p }] as Record<string, string>[]) {
        for (const [method, url, body] of apiRoutes(v.code, v.finalId)) {
          const res = await call(tc, method, url, token, body, h);
          expect(res.status, `${who} ${method} ${url}`).toBe(403);
          expect(res.text).not.toContain(MARKER);
        }
      }
      for (const url of [
        `QuestionnaireResponse/${v.finalId}`,
        `QuestionnaireResponse/${v.finalId}/_history`,
        `QuestionnaireResponse/${v.finalId}/_history/1`,
        'QuestionnaireResponse/_history',
        `QuestionnaireResponse?patient=${p}`,
        `QuestionnaireResponse?subject=Patient/${p}`,
        `QuestionnaireResponse?source=Patient/${p}`,
        `QuestionnaireResponse?questionnaire=${encodeURIComponent(CANONICAL)}`,
        `QuestionnaireResponse?_id=${v.finalId}`,
        'QuestionnaireResponse',
        `Patient/${p}/QuestionnaireResponse`,
        `Patient/${p}/$everything`,
        `Patient?_id=${p}&_revinclude=QuestionnaireResponse:subject`,
        `Patient?_id=${p}&_has:QuestionnaireResponse:subject:status=completed`,
        `Immunization?patient=${p}&_revinclude=QuestionnaireResponse:subject`,
        `Immunization?patient=${p}&_revinclude=*`,
        `Immunization?patient=${p}&_include=*`,
        `Observation/${habitId}`,
        `Observation?patient=${p}`,
        `Observation?patient=${p}&_include=Observation:derived-from`,
        `DocumentReference/${v.documentId}`,
        `DocumentReference/${v.documentId}/_history`,
        `DocumentReference?patient=${p}`,
        `DocumentReference?patient=${p}&type=http://loinc.org|74465-6`,
        `Binary/${v.documentId}`,
      ]) {
        const res = await call(tc, 'GET', `/fhir/${url}`, token);
        expect(res.status, `${who} ${url}: ${res.text.slice(0, 300)}`).not.toBe(500);
        expect(res.text, `${who} ${url}`).not.toContain(MARKER);
        // (a refusal may name what the URL named)
        for (const id of [v.finalId, v.documentId]) if (!url.includes(id)) expect(res.text, `${who} ${url}`).not.toContain(id);
        if (res.status === 200 && res.body?.resourceType === 'Bundle') {
          expect((res.body.entry ?? []).map((e: Json) => e.resource?.resourceType).filter((t: string) => t === 'QuestionnaireResponse' || t === 'Observation')).toEqual([]);
        }
      }
      const search = await call(tc, 'POST', '/fhir/QuestionnaireResponse/_search', token, undefined, { 'content-type': 'application/x-www-form-urlencoded' });
      expect(search.text).not.toContain(MARKER);
      const batch = await call(tc, 'POST', '/fhir', token, { resourceType: 'Bundle', type: 'batch', entry: [{ request: { method: 'GET', url: `QuestionnaireResponse/${v.finalId}` } }, { request: { method: 'GET', url: `QuestionnaireResponse?patient=${p}` } }, { request: { method: 'GET', url: `Binary/${v.documentId}` } }] }, FHIR);
      expect(batch.status).toBe(200);
      expect(batch.body.entry.map((e: Json) => e.response.status).every((s: string) => s.startsWith('4'))).toBe(true);
      expect(batch.text).not.toContain(MARKER);
    }
    // the professional's own document pages do not list the filed questionnaire
    for (const pro of [doctor, nurse]) {
      expect((await call(tc, 'GET', `/api/pro/patients/${p}/documents`, pro.token)).text).not.toContain(v.documentId);
      expect([403, 404]).toContain((await call(tc, 'GET', `/api/pro/patients/${p}/documents/${v.documentId}/content`, pro.token)).status);
    }
    // nor write: a response in the record, finalised or replaced
    for (const token of [doctor.token, operator]) {
      expect((await call(tc, 'POST', '/fhir/QuestionnaireResponse', token, { resourceType: 'QuestionnaireResponse', questionnaire: CANONICAL, status: 'completed', subject: { reference: `Patient/${p}` } }, FHIR)).status).toBe(403);
      expect((await call(tc, 'PUT', `/fhir/QuestionnaireResponse/${v.draftId}`, token, { resourceType: 'QuestionnaireResponse', id: v.draftId, questionnaire: CANONICAL, status: 'completed', subject: { reference: `Patient/${p}` } }, FHIR)).status).toBe(403);
      expect((await call(tc, 'DELETE', `/fhir/QuestionnaireResponse/${v.draftId}`, token)).status).toBe(403);
    }
    expect((await ok('GET', `${R}/${v.draftId}`, v.p.token)).versionId).toBe('1');
    // the patient sees the professionals' refused attempts on their responses
    const refusals = (await historyOf(v.p.token)).filter((i) => i.outcome === 'refused' && i.actorType === 'professional');
    expect(refusals.some((i) => String(i.what).startsWith('QuestionnaireResponse'))).toBe(true);
    const agents = new Set(refusals.map((i) => i.agent));
    expect(agents.has(`pro-${doctor.rpps}`) && agents.has(`pro-${nurse.rpps}`)).toBe(true);
  });
});

describe('connected apps', () => {
  it('write no response in a record their user does not hold, none outside a record, and reach no /api route', async () => {
    const user = await insuredPatient(tc, { birthDate: bornAgo(tc, { years: 22, days: 30 }) });
    const other = await insuredPatient(tc, { birthDate: bornAgo(tc, { years: 23, days: 30 }) });
    const app = await appToken(user.token, 'user/QuestionnaireResponse.* user/Observation.*');
    const response = (subject: Json, extra: Json = {}) => ({ resourceType: 'QuestionnaireResponse', questionnaire: CANONICAL, status: 'completed', subject, authored: '2026-01-02T10:00:00Z', author: { display: 'Dr Faux' }, item: [{ linkId: 'habits', item: [{ linkId: 'food', answer: [{ valueCoding: { code: 'balanced' } }] }] }], ...extra });
    for (const body of [
      response({ reference: `Patient/${other.patientId}` }),
      response({ reference: `${tc.fhirBase}/Patient/${other.patientId}` }),
      response({ reference: 'Group/g1' }, { source: { reference: `Patient/${other.patientId}` } }),
      response({ display: 'quelqu’un' }),
      response({ identifier: { system: other.insSystem, value: other.nir } }),
    ]) {
      const res = await call(tc, 'POST', '/fhir/QuestionnaireResponse', app, body, FHIR);
      expect(res.status, JSON.stringify(body.subject)).toBe(403);
    }
    const tx = { resourceType: 'Bundle', type: 'transaction', entry: [{ fullUrl: 'urn:uuid:4b1d6f0e-1c2a-4e55-9f61-3c2d8c1b7a02', resource: response({ reference: `Patient/${other.patientId}` }), request: { method: 'POST', url: 'QuestionnaireResponse' } }] };
    expect((await call(tc, 'POST', '/fhir', app, tx, FHIR)).status).toBe(403);
    expect((await ok('GET', Q, other.token)).questionnaires[0].responses).toEqual([]);
    // an app without the scope writes none in its user's record either
    const narrow = await appToken(user.token, 'user/Observation.*');
    expect((await call(tc, 'POST', '/fhir/QuestionnaireResponse', narrow, response({ reference: `Patient/${user.patientId}` }), FHIR)).status).toBe(403);
    // /api is Carnet's own app's
    for (const [method, url, body] of apiRoutes('checkup:18-25', '00000000-0000-4000-8000-000000000000')) {
      expect(await refused(method, url, app, body), `${method} ${url}`).toEqual([403, 'token.scoped', undefined]);
    }
  });

  it("an app's habit naming a response in derivedFrom is the app's entry, not pre-filled from the quiz", async () => {
    const user = await insuredPatient(tc, { birthDate: bornAgo(tc, { years: 20, days: 30 }) });
    const started = await ok('POST', `${Q}/18-25/responses`, user.token, { answers: REQUIRED }, {}, 201);
    await ok('POST', `${R}/${started.id}/finalise`, user.token, {});
    const app = await appToken(user.token, 'user/Observation.*');
    const prefilled = (await ok('GET', '/api/profile/sections/habits', user.token)).entries.find((e: Json) => e.topic === 'TOBACCO');
    const carnetWrote = await ok('GET', `/fhir/Observation/${prefilled.id}`, user.token);
    expect(carnetWrote.derivedFrom).toEqual([{ reference: `QuestionnaireResponse/${started.id}` }]);
    const { id: _id, meta, ...copy } = carnetWrote;
    copy.meta = { tag: meta.tag };
    const forged = await ok('POST', '/fhir/Observation', app, { ...copy, valueString: 'Jamais, promis' }, FHIR, 201);
    const entries = (await ok('GET', '/api/profile/sections/habits', user.token)).entries as Json[];
    const mine = entries.find((e) => e.id === forged.id)!;
    expect(mine).toMatchObject({ answer: 'Jamais, promis', source: { kind: 'app' } });
    expect(mine.origin).toBeUndefined();
    expect(mine.questionnaireResponseId).toBeUndefined();
    // Carnet's own pre-filled entry keeps its origin
    expect(entries.find((e) => e.id === carnetWrote.id)).toMatchObject({ origin: 'QUIZ', questionnaireResponseId: started.id, source: { kind: 'patient' } });
  });

  it('a response an app made final through /fhir is held to the rules: no PDF or filing of answers the questionnaire refuses, a required answer missing, or an author name of any length', async () => {
    const user = await insuredPatient(tc, { birthDate: bornAgo(tc, { years: 21, days: 30 }) });
    const app = await appToken(user.token, 'user/QuestionnaireResponse.*');
    const write = async (items: Json[], author: Json = { display: 'Quiz Santé' }) =>
      (await ok('POST', '/fhir/QuestionnaireResponse', app, { resourceType: 'QuestionnaireResponse', questionnaire: CANONICAL, status: 'completed', subject: { reference: `Patient/${user.patientId}` }, authored: '2026-01-02T10:00:00Z', author, item: items }, FHIR, 201)).id as string;
    const answer = (linkId: string, a: Json) => ({ linkId, answer: [a] });
    const group = (...item: Json[]) => [{ linkId: 'habits', item }];
    const all = (extra: Json[] = []) => group(...Object.entries(REQUIRED).map(([k, code]) => answer(k, { valueCoding: { code } })), ...extra);

    const pizza = await write(group(...Object.entries(REQUIRED).map(([k, code]) => answer(k, { valueCoding: { code: k === 'food' ? 'pizza' : code } }))));
    const long = await write(all([answer('topics', { valueString: 'x'.repeat(50_000) })]));
    const incomplete = await write(group(answer('food', { valueCoding: { code: 'balanced' } })));
    for (const [id, expected] of [
      [pizza, [422, 'questionnaire.invalid-answer', ['food']]],
      [long, [422, 'questionnaire.answer-too-long', ['topics']]],
    ] as const) {
      expect(await refused('GET', `${R}/${id}/pdf`, user.token)).toEqual(expected);
      expect(await refused('POST', `${R}/${id}/file`, user.token)).toEqual(expected);
    }
    expect(await refused('POST', `${R}/${incomplete}/file`, user.token)).toEqual([422, 'questionnaire.incomplete', ['physical-activity', 'sleep', 'screens', 'alcohol', 'tobacco', 'mood']]);
    expect((await call(tc, 'GET', `${R}/${incomplete}/pdf`, user.token)).status).toBe(200);
    expect((await ok('GET', '/api/documents', user.token)).documents.filter((d: Json) => d.typeCode === '74465-6')).toEqual([]);

    // a name of any length (an author or a Patient written through /fhir) is cut on the PDF
    const verbose = await write(all(), { display: `Quiz ${'y'.repeat(100_000)}` });
    const pdf = await tc.request('GET', `${R}/${verbose}/pdf`, { token: user.token });
    expect(pdf.status).toBe(200);
    const text = flattenText((await extractPdfText(new Uint8Array(await pdf.arrayBuffer()))).join('\n'));
    expect(text).toContain('Rempli par');
    expect(text).not.toContain('y'.repeat(250));
    expect((await call(tc, 'POST', `${R}/${verbose}/file`, user.token)).status).toBe(201);
  });
});

describe('the shipped questionnaires', () => {
  const file = (name: string) => JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../data/prevention/questionnaires', name), 'utf8')) as Json;

  it('an operator can neither change, replace, delete nor add a key-age version on /fhir; other Questionnaires stay theirs; the player and the PDF are the files', async () => {
    const operator = await tc.user({ role: 'operator' });
    const id = 'key-age-18-25-2026.1';
    const stored = await ok('GET', `/fhir/Questionnaire/${id}`, operator);
    const injected = structuredClone(stored);
    delete injected.meta;
    injected.item[0].item[0].text = 'INJECTED <script>alert(1)</script>';
    injected.item[0].item.push({ linkId: 'injected', text: 'INJECTED question', type: 'string' });
    const refusedWrites: [string, string, unknown][] = [
      ['PUT', `/fhir/Questionnaire/${id}`, injected],
      ['PUT', `/fhir/Questionnaire/${id}`, { ...injected, url: 'urn:example:other' }],
      ['DELETE', `/fhir/Questionnaire/${id}`, undefined],
      ['POST', '/fhir/Questionnaire', { ...injected, id: undefined, version: '2027.1', status: 'active' }],
      ['PUT', '/fhir/Questionnaire/key-age-18-25-2027.1', { ...injected, id: 'key-age-18-25-2027.1', version: '2027.1', status: 'active' }],
      ['PUT', '/fhir/Questionnaire/my-key-age-copy', { ...injected, id: 'my-key-age-copy' }],
    ];
    for (const [method, url, body] of refusedWrites) {
      const res = await call(tc, method, url, operator, body, body !== undefined ? FHIR : {});
      expect(res.status, `${method} ${url}: ${res.text.slice(0, 200)}`).toBe(403);
    }
    const tx = { resourceType: 'Bundle', type: 'transaction', entry: [{ fullUrl: `${tc.fhirBase}/Questionnaire/${id}`, resource: injected, request: { method: 'PUT', url: `Questionnaire/${id}` } }] };
    expect((await call(tc, 'POST', '/fhir', operator, tx, FHIR)).status).toBe(403);
    // a patient neither
    const p = await insuredPatient(tc, { birthDate: bornAgo(tc, { years: 19, days: 30 }) });
    expect((await call(tc, 'PUT', `/fhir/Questionnaire/${id}`, p.token, injected, FHIR)).status).toBe(403);

    // what /fhir serves is still the file, and so are the player and the PDF
    const after = await ok('GET', `/fhir/Questionnaire/${id}`, p.token);
    expect(after.meta.versionId).toBe(stored.meta.versionId);
    expect(after.item).toEqual(file(`${id}.json`).item);
    expect(await loadShippedQuestionnaires(tc.carnet.repo)).toEqual({ written: [] });
    const player = await call(tc, 'GET', `${Q}/18-25`, p.token);
    expect(player.text).not.toContain('INJECTED');
    expect(await refused('POST', `${Q}/18-25/responses`, p.token, { answers: { injected: 'x' } })).toEqual([422, 'questionnaire.unknown-question', ['injected']]);

    // operators still administer the other Questionnaires (a directory type)
    const mine = { resourceType: 'Questionnaire', status: 'draft', url: 'https://example.org/Questionnaire/satisfaction', title: 'Satisfaction', item: [{ linkId: 'q1', text: 'Satisfait ?', type: 'boolean' }] };
    const created = await ok('POST', '/fhir/Questionnaire', operator, mine, FHIR, 201);
    expect((await call(tc, 'PUT', `/fhir/Questionnaire/${created.id}`, operator, { ...mine, id: created.id, title: 'Satisfaction (2)' }, FHIR)).status).toBe(200);
    // but may not turn one into a key-age questionnaire
    expect((await call(tc, 'PUT', `/fhir/Questionnaire/${created.id}`, operator, { ...mine, id: created.id, url: 'urn:carnet:questionnaire:key-age-18-25', version: '2026.1' }, FHIR)).status).toBe(403);
    expect([200, 204]).toContain((await call(tc, 'DELETE', `/fhir/Questionnaire/${created.id}`, operator)).status);
  });
});

describe('unbounded and unstorable input', () => {
  it('answers: too many, unknown by the hundred, long keys, deep nesting, 10 MB of text, control characters, broken characters: a 4xx naming the field, nothing stored', async () => {
    const p = await insuredPatient(tc, { birthDate: bornAgo(tc, { years: 22, days: 30 }) });
    const draft = await ok('POST', `${Q}/18-25/responses`, p.token, { answers: { food: 'balanced' } }, {}, 201);
    const save = (answers: unknown) => refused('PUT', `${R}/${draft.id}`, p.token, { answers, versionId: '1' });
    const many = Object.fromEntries(Array.from({ length: 301 }, (_, i) => [`q${i}`, 'x']));
    expect(await save(many)).toEqual([400, 'request.invalid', ['answers']]);
    const unknown = await save(Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`unknown-${String(i).padStart(3, '0')}`, 'x'])));
    expect(unknown[0]).toBe(422);
    expect(unknown[1]).toBe('questionnaire.unknown-question');
    expect(unknown[2]).toHaveLength(20);
    expect(unknown[2]![0]).toBe('unknown-000');
    expect(await save({ ['k'.repeat(5000)]: 'x' })).toEqual([400, 'request.invalid', ['answers']]);
    let deep: unknown = 'balanced';
    for (let i = 0; i < 90; i++) deep = [deep];
    expect(await save({ food: deep })).toEqual([422, 'questionnaire.invalid-answer', ['food']]);
    let deeper: unknown = 'x';
    for (let i = 0; i < 150; i++) deeper = [deeper];
    expect((await save({ food: deeper }))[0]).toBe(400);
    expect(await save({ topics: 't'.repeat(10 * 1024 * 1024) })).toEqual([422, 'questionnaire.answer-too-long', ['topics']]);
    for (const bad of ['nul \u0000 here', 'bell \u0007', 'escape \u001b[31m', 'half \uD800 of a pair', 'other half \uDC00']) {
      expect(await save({ ...REQUIRED, topics: bad }), JSON.stringify(bad)).toEqual([422, 'questionnaire.invalid-answer', ['topics']]);
    }
    const tooLarge = await tc.request('PUT', `${R}/${draft.id}`, { token: p.token, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ answers: { topics: 'x'.repeat(21 * 1024 * 1024) }, versionId: '1' }) });
    expect(tooLarge.status).toBe(413);
    expect(await ok('GET', `${R}/${draft.id}`, p.token)).toEqual(draft);

    // what a text may hold: any script, emoji, markup (printed as text, never interpreted), one long word
    const text = 'Émoji 😀, עברית \u202Einversé, 中文, <b>gras</b> &amp; <script>x</script>, saut\nde ligne\ttab';
    const saved = await ok('PUT', `${R}/${draft.id}`, p.token, { answers: { ...REQUIRED, topics: text }, versionId: '1' });
    expect(saved.answers.topics).toBe(text);
    const pdf = await tc.request('GET', `${R}/${draft.id}/pdf`, { token: p.token });
    expect(pdf.status).toBe(200);
    expect(flattenText((await extractPdfText(new Uint8Array(await pdf.arrayBuffer()))).join('\n'))).toContain(flattenText('<b>gras</b>'));
    await ok('PUT', `${R}/${draft.id}`, p.token, { answers: { ...REQUIRED, topics: 'W'.repeat(2000) }, versionId: '2' });
    expect((await tc.request('GET', `${R}/${draft.id}/pdf`, { token: p.token })).status).toBe(200);
  });

  it('marks: 10 MB of comment, control characters, SQL in the code or the comment, impossible dates, long codes: a 4xx naming the field, or stored as text', async () => {
    const p = await insuredPatient(tc, { birthDate: bornAgo(tc, { years: 52, days: 30 }), sex: 'F' });
    const view = await ok('GET', '/api/prevention', p.token);
    const code = view.items.find((i: Json) => i.type === 'screening').code as string;
    const put = (c: string, body: unknown) => refused('PUT', `/api/prevention/items/${encodeURIComponent(c)}`, p.token, body);
    expect(await put(code, { mark: 'planned', comment: 'c'.repeat(10 * 1024 * 1024) })).toEqual([422, 'prevention.comment-too-long', ['comment']]);
    expect(await put(code, { mark: 'planned', comment: '😀'.repeat(501) })).toEqual([422, 'prevention.comment-too-long', ['comment']]);
    expect(await put(code, { mark: 'planned', comment: 'nul \u0000' })).toEqual([422, 'prevention.comment-invalid', ['comment']]);
    expect(await put(code, { mark: 'planned', comment: 'del \u007f' })).toEqual([422, 'prevention.comment-invalid', ['comment']]);
    expect(await put(code, { mark: 'done', date: '2026-02-30' })).toEqual([422, 'prevention.date-invalid', ['date']]);
    expect(await put(code, { mark: 'done', date: "2020-01-01'; DROP TABLE prevention_mark; --" })).toEqual([422, 'prevention.date-invalid', ['date']]);
    expect(await put(code, { mark: 'done', date: { $gt: '' } })).toEqual([422, 'prevention.date-invalid', ['date']]);
    expect(await put(`${code}' OR '1'='1`, { mark: 'planned' })).toEqual([404, 'prevention.unknown-item', ['code']]);
    expect(await put('x'.repeat(400), { mark: 'planned' })).toEqual([404, 'prevention.unknown-item', ['code']]);
    expect(await put(code, { mark: 'planned', ['f'.repeat(100_000)]: 1 })).toEqual([422, 'prevention.invalid', [`${'f'.repeat(100)}…`]]);
    const sql = "Robert'); DROP TABLE prevention_mark; -- <img src=x onerror=alert(1)>";
    const marked = await ok('PUT', `/api/prevention/items/${encodeURIComponent(code)}`, p.token, { mark: 'planned', comment: sql });
    expect(marked.items.find((i: Json) => i.code === code).planned).toEqual({});
    const { rows } = await tc.db.query<{ comment: string }>('SELECT comment FROM prevention_mark WHERE patient_id = $1', [p.patientId]);
    expect(rows).toEqual([{ comment: sql }]);
  });
});

describe('at the same time', () => {
  it('drafts started at once: one; finalised at once: final once, habits once; filed at once: one document; marks set at once: one', async () => {
    const p = await insuredPatient(tc, { birthDate: bornAgo(tc, { years: 20, days: 30 }) });
    const starts = await Promise.all(Array.from({ length: 10 }, () => call(tc, 'POST', `${Q}/18-25/responses`, p.token, { answers: REQUIRED })));
    expect(starts.map((r) => r.status).sort()).toEqual([201, ...Array(9).fill(409)]);
    for (const r of starts.filter((x) => x.status === 409)) expect(r.body.code).toBe('questionnaire.draft-exists');
    expect((await ok('GET', Q, p.token)).questionnaires[0].responses).toHaveLength(1);
    const id = starts.find((r) => r.status === 201)!.body.id as string;

    const finals = await Promise.all(Array.from({ length: 4 }, () => call(tc, 'POST', `${R}/${id}/finalise`, p.token, {})));
    expect(finals.map((r) => `${r.status} ${r.body.code ?? r.body.status}`).sort()).toEqual(['200 final', '409 questionnaire.already-final', '409 questionnaire.already-final', '409 questionnaire.already-final']);
    const topics = (await ok('GET', '/api/profile/sections/habits', p.token)).entries.map((e: Json) => e.topic).sort();
    expect(topics).toEqual(['ALCOHOL', 'FOOD', 'PHYSICAL_ACTIVITY', 'SCREEN', 'SLEEP', 'TOBACCO']);

    const files = await Promise.all(Array.from({ length: 3 }, () => call(tc, 'POST', `${R}/${id}/file`, p.token)));
    expect(files.map((r) => r.status).sort()).toEqual([200, 200, 201]);
    expect(new Set(files.map((r) => r.body.documentId)).size).toBe(1);
    const docs = (await ok('GET', '/api/documents', p.token)).documents.filter((d: Json) => d.typeCode === '74465-6');
    expect(docs.map((d: Json) => d.id)).toEqual([files[0]!.body.documentId]);
    expect((await ok('GET', `${R}/${id}`, p.token)).documentId).toBe(files[0]!.body.documentId);

    const code = (await ok('GET', '/api/prevention', p.token)).items.find((i: Json) => i.type === 'key-age-checkup').code as string;
    const marks = await Promise.all(['a', 'b', 'c', 'd'].map((c) => call(tc, 'PUT', `/api/prevention/items/${encodeURIComponent(code)}`, p.token, { mark: 'planned', comment: c })));
    expect(marks.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const { rows } = await tc.db.query<{ n: string }>('SELECT count(*) AS n FROM prevention_mark WHERE patient_id = $1', [p.patientId]);
    expect(Number(rows[0]!.n)).toBe(1);
  });
});

describe('filing', () => {
  it("a response of another profile is not filed into mine, nor mine into theirs; a response naming another's document gets its own", async () => {
    const a = await youngAdult();
    const b = await insuredPatient(tc, { birthDate: bornAgo(tc, { years: 23, days: 30 }) });
    // b's response, written through /fhir, claims a's filed document
    const forged = await ok('POST', '/fhir/QuestionnaireResponse', b.token, {
      resourceType: 'QuestionnaireResponse',
      extension: [{ url: 'https://carnet.example/fhir/StructureDefinition/filed-document', valueReference: { reference: `DocumentReference/${a.documentId}` } }],
      questionnaire: CANONICAL,
      status: 'completed',
      subject: { reference: `Patient/${b.patientId}` },
      authored: '2026-01-02T10:00:00Z',
      item: [{ linkId: 'habits', item: Object.entries(REQUIRED).map(([linkId, code]) => ({ linkId, answer: [{ valueCoding: { code } }] })) }],
    }, FHIR, 201);
    expect(await refused('POST', `${R}/${a.finalId}/file`, b.token)).toEqual([404, 'questionnaire.response-unknown', undefined]);
    expect(await refused('POST', `${R}/${forged.id}/file`, a.p.token)).toEqual([404, 'questionnaire.response-unknown', undefined]);
    const filed = await ok('POST', `${R}/${forged.id}/file`, b.token, undefined, {}, 201);
    expect(filed.documentId).not.toBe(a.documentId);
    const bDocs = (await ok('GET', '/api/documents', b.token)).documents.map((d: Json) => d.id);
    expect(bDocs).toEqual([filed.documentId]);
    expect((await ok('GET', '/api/documents', a.p.token)).documents.filter((d: Json) => d.typeCode === '74465-6').map((d: Json) => d.id)).toEqual([a.documentId]);
    // the filed PDF is hidden from professionals, as the profile's summary is
    const doc = await ok('GET', `/fhir/DocumentReference/${filed.documentId}`, b.token);
    expect(JSON.stringify(doc.securityLabel)).toContain('MASQUE_PS');
    // looking for the document its response named did not touch a's record: nothing of b's in a's history
    expect((await historyOf(a.p.token)).filter((i) => i.agent === `user-${subjectOf(b.token).slice(0, 8)}` && i.outcome === 'success')).toEqual([]);
  });
});

describe('the access history', () => {
  it("a parent's reads of their child's page, vaccinations, questionnaires, response and its PDF are in the child's history, in the parent's name", async () => {
    const child = await insuredPatient(tc, { birthDate: bornAgo(tc, { years: 17, days: 60 }) });
    const parentProfile = await insuredPatient(tc, { birthDate: bornAgo(tc, { years: 44, days: 30 }) });
    const parent = await tc.user({ login: `parent-${child.patientId.slice(0, 8)}`, role: 'patient', patientId: parentProfile.patientId, represents: [{ patientId: child.patientId, relation: 'parent' }] });
    const forChild = { 'x-acting-for': child.patientId };
    const draft = await ok('POST', `${Q}/18-25/responses`, parent, { answers: { food: 'balanced' } }, forChild, 201);
    const since = tc.carnet.clock.now().getTime();
    await ok('GET', '/api/prevention', parent, undefined, forChild);
    await ok('GET', '/api/prevention/vaccinations', parent, undefined, forChild);
    await ok('GET', Q, parent, undefined, forChild);
    await ok('GET', `${R}/${draft.id}`, parent, undefined, forChild);
    expect((await tc.request('GET', `${R}/${draft.id}/pdf`, { token: parent, headers: forChild })).status).toBe(200);

    const mine = (await historyOf(child.token)).filter((i) => Date.parse(i.at) >= since && i.agent === `parent-${child.patientId.slice(0, 8)}`);
    expect(mine.every((i) => i.outcome === 'success' && i.actorType === 'patient')).toBe(true);
    // (a search's trace carries no relation: the repository's, for every type; reads say who acted as what)
    expect(mine.filter((i) => i.interaction === 'read').every((i) => i.relation === 'parent')).toBe(true);
    // each GET read the Patient (the birth date the items are computed from, the marks behind it): one read each
    expect(mine.filter((i) => i.interaction === 'read' && i.what.startsWith(`Patient/${child.patientId}`)).length).toBeGreaterThanOrEqual(4);
    // the list searched the responses; the response and its PDF read it
    expect(mine.some((i) => i.interaction === 'search-type' && i.what.startsWith('QuestionnaireResponse'))).toBe(true);
    expect(mine.filter((i) => i.interaction === 'read' && i.what.startsWith(`QuestionnaireResponse/${draft.id}`))).toHaveLength(2);
  });
});

describe('the demo data', () => {
  it('a Carnet outside demo mode seeds no prevention data (the shipped questionnaires only)', async () => {
    const real = await startCarnet({ seed: true, env: { DEMO: 'false' } });
    try {
      const count = async (sql: string) => Number((await real.db.query<{ n: string }>(sql)).rows[0]!.n);
      expect(await count('SELECT count(*) AS n FROM prevention_mark')).toBe(0);
      expect(await count(`SELECT count(*) AS n FROM resource WHERE resource_type IN ('QuestionnaireResponse', 'Immunization', 'Patient')`)).toBe(0);
      expect(await count(`SELECT count(*) AS n FROM app_user WHERE login IN ('camille.martin', 'louis.bernard')`)).toBe(0);
      expect(await count(`SELECT count(*) AS n FROM shared_resource WHERE resource_type = 'Questionnaire' AND id LIKE 'key-age-%'`)).toBe(5);
    } finally {
      await real.close();
    }
  });
});
