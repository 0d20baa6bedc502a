import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../src/domain/access/index.js';
import { PROFILE_CATEGORY_SYSTEM } from '../src/domain/access/profile.js';
import { makeContext } from '../src/repo/index.js';
import { extractPdfText, flattenText } from '../src/services/documents/extract-text.js';
import { startCarnet, type TestCarnet } from './support/carnet.js';
import { insuredPatient, professional, type TestPatient } from './support/care.js';
import { pdfBytes } from './support/mhd-bundles.js';
import { activePatient, proWithMailbox } from './support/messaging.js';

/**
 * The profile's documents over HTTP (docs/profile-documents.md): the summary PDF of the sections chosen
 * (downloaded, filed into the documents as DOCPAT08, attached to a message), and the advance directives (online
 * form or uploaded PDF, a new version supersedes the current one, refused for a minor), and what the médecin
 * traitant reads of them until the patient closes "entourage et volontés".
 */
let tc: TestCarnet;

beforeAll(async () => {
  tc = await startCarnet();
});
afterAll(async () => tc?.close());

type Json = Record<string, any>;
const json = async (res: Response) => ({ status: res.status, body: (await res.json().catch(() => undefined)) as Json });
const get = (url: string, token: string, headers: Record<string, string> = {}) => tc.request('GET', url, { token, headers }).then(json);
const post = (url: string, token: string, body: unknown = {}, headers: Record<string, string> = {}) =>
  tc.request('POST', url, { token, json: body, headers: { 'content-type': 'application/json', ...headers } }).then(json);
const textOf = async (bytes: ArrayBuffer | Uint8Array) => flattenText((await extractPdfText(new Uint8Array(bytes))).join('\n'));

/** A few entries of the profile, written as a connected app (through /fhir) and the web app (its API) write them. */
async function fillProfile(p: TestPatient): Promise<void> {
  const subject = { reference: `Patient/${p.patientId}` };
  const write = async (resource: Json) => {
    const res = await tc.request('POST', `/fhir/${resource.resourceType}`, { token: p.token, json: resource });
    expect(res.status, await res.clone().text()).toBe(201);
  };
  await write({ resourceType: 'Immunization', status: 'completed', patient: subject, vaccineCode: { text: 'BOOSTRIXTETRA' }, occurrenceDateTime: '2024-03-14', lotNumber: 'X42' });
  // the sections' entries as the web app writes them (the application API tags them with their section)
  for (const [section, entry] of [['allergies', { name: 'Pénicilline', comment: 'urticaire: sévère' }], ['diseases', { name: 'Asthme allergique', start: { year: 2010 } }]] as const) {
    const res = await post(`/api/profile/sections/${section}`, p.token, entry);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  // "non concerné" by treatments since 1 February 2024, as the profile's sections record it (a List; /fhir
  // does not create Lists, which are the DMP's submission sets there)
  await tc.carnet.repo.create(makeContext(SYSTEM), {
    resourceType: 'List',
    meta: { tag: [{ system: PROFILE_CATEGORY_SYSTEM, code: 'treatments' }] },
    status: 'current',
    mode: 'working',
    subject,
    code: { coding: [{ system: PROFILE_CATEGORY_SYSTEM, code: 'treatments' }] },
    emptyReason: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/list-empty-reason', code: 'nilknown' }] },
    date: '2024-02-01T09:00:00Z',
  });
}

const ANSWERS = {
  context: 'Je vis seul, je tiens à mon autonomie.',
  lifeSupport: 'Pas de respiration artificielle prolongée.',
  sedation: 'Oui, si mes souffrances ne peuvent être soulagées.',
  place: 'Lyon',
};

describe('the summary PDF', () => {
  let patient: TestPatient & { address: string };

  beforeAll(async () => {
    patient = await activePatient(tc);
    await fillProfile(patient);
  });

  it('downloads the sections chosen, section by section, in French', async () => {
    const res = await tc.request('POST', '/api/profile/summary', { token: patient.token, json: { sections: ['TREATMENTS', 'VACCINES', 'ALLERGIES'], action: 'download' }, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="Synthese du profil medical du .*\.pdf"; filename\*=UTF-8''Synth%C3%A8se%20du%20profil%20m%C3%A9dical/);
    const text = await textOf(await res.arrayBuffer());
    expect(text).toContain('Synthèse du profil médical');
    expect(text).toMatch(/Vaccinations.*BOOSTRIXTETRA — 14 mars 2024 — lot X42.*Allergies.*Pénicilline — urticaire : sévère.*Traitements.*Non concerné \(déclaré le 1er février 2024\)/);
    expect(text).not.toContain('Asthme');
    expect(text).not.toContain('Maladies et sujets de santé');
  });

  it('refuses unknown sections, an empty choice and an unknown action, naming the field', async () => {
    for (const sections of [['VACCINES', 'GENOME'], [], 'VACCINES', undefined]) {
      const res = await post('/api/profile/summary', patient.token, { sections, action: 'download' });
      expect(res).toMatchObject({ status: 400, body: { code: 'summary.sections' } });
      expect(res.body.title).toContain('sections');
    }
    expect(await post('/api/profile/summary', patient.token, { sections: ['VACCINES'], action: 'print' })).toMatchObject({ status: 400, body: { code: 'summary.action' } });
  });

  it('files it into the documents as DOCPAT08', async () => {
    const filed = await post('/api/profile/summary', patient.token, { sections: ['ALLERGIES', 'DISEASES', 'VACCINES'], action: 'file' });
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    const docs = await get('/api/documents', patient.token);
    const doc = docs.body.documents.find((d: Json) => d.id === filed.body.documentId);
    expect(doc).toMatchObject({ typeCode: 'DOCPAT08', typeLabel: 'Profil médical Mon espace santé', category: 'SYNTHESE', contentType: 'application/pdf', depositor: 'patient', status: 'current' });
    expect(doc.title).toMatch(/^Synthèse du profil médical du /);
    const content = await tc.request('GET', `/api/documents/${filed.body.documentId}/content`, { token: patient.token });
    expect(content.status).toBe(200);
    const text = await textOf(await content.arrayBuffer());
    expect(text).toMatch(/Vaccinations.*Allergies.*Pénicilline.*Maladies et sujets de santé.*Asthme allergique — depuis 2010/);
  });

  it('is attached to a message with the sections chosen', async () => {
    const pro = await proWithMailbox(tc);
    const sent = await post('/api/pro/messages', pro.token, { ins: patient.nir, subject: 'Votre dossier', text: 'Pouvez-vous m’envoyer vos allergies ?' });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const bad = await post(`/api/messages/${sent.body.conversationId}/reply`, patient.token, { text: 'x', attachments: [{ kind: 'medical-profile', sections: ['NOPE'] }] });
    expect(bad).toMatchObject({ status: 400, body: { code: 'summary.sections' } });
    expect(bad.body.title).toContain('attachments[0].sections');
    const reply = await post(`/api/messages/${sent.body.conversationId}/reply`, patient.token, { text: 'Voici ma synthèse', attachments: [{ kind: 'medical-profile', sections: ['ALLERGIES'] }] });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    const file = await tc.request('GET', `/api/messages/${reply.body.conversationId}/messages/${reply.body.messageId}/attachments/0`, { token: patient.token });
    expect(file.status).toBe(200);
    const text = await textOf(await file.arrayBuffer());
    expect(text).toContain('Pénicilline');
    expect(text).not.toContain('BOOSTRIXTETRA');
    // without sections: the whole profile
    const whole = await post(`/api/messages/${sent.body.conversationId}/reply`, patient.token, { text: 'Et tout', attachments: [{ kind: 'medical-profile' }] });
    expect(whole.status).toBe(201);
    const all = await textOf(await (await tc.request('GET', `/api/messages/${whole.body.conversationId}/messages/${whole.body.messageId}/attachments/0`, { token: patient.token })).arrayBuffer());
    expect(all).toMatch(/Vaccinations.*BOOSTRIXTETRA.*Allergies.*Maladies et sujets de santé.*Groupe sanguin.*Non renseigné/);
  });
});

describe('the advance directives', () => {
  let patient: TestPatient;
  let formVersion: Json;
  let fileVersion: Json;

  beforeAll(async () => {
    patient = await insuredPatient(tc, { birthDate: '1957-11-05' });
  });

  it('are written with the online form, which becomes a PDF in the documents', async () => {
    expect(await get('/api/profile/advance-directives', patient.token)).toMatchObject({ status: 200, body: { allowed: true, current: null, previous: [] } });
    const res = await post('/api/profile/advance-directives/form', patient.token, { model: 'end-of-life', answers: ANSWERS });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    formVersion = res.body;
    expect(formVersion).toMatchObject({ kind: 'form', model: 'end-of-life', answers: ANSWERS, status: 'current' });
    expect(await get('/api/profile/advance-directives', patient.token)).toMatchObject({ body: { allowed: true, current: { id: formVersion.id, documentId: formVersion.documentId }, previous: [] } });
    const docs = await get('/api/documents', patient.token);
    expect(docs.body.documents.find((d: Json) => d.id === formVersion.documentId)).toMatchObject({ typeCode: 'EXPPAT_3', typeLabel: 'Directives anticipées', status: 'current' });
    const content = await tc.request('GET', `/api/documents/${formVersion.documentId}/content`, { token: patient.token });
    const text = await textOf(await content.arrayBuffer());
    expect(text).toContain('Mes directives anticipées');
    expect(text).toContain('Pas de respiration artificielle prolongée.');
    expect(text).toContain('Fait à Lyon, le');
    expect(text).toContain('L1111-11');
    // the Consent of the record
    const consents = await get(`/fhir/Consent?patient=${patient.patientId}&category=${encodeURIComponent(`${PROFILE_CATEGORY_SYSTEM}|advance-directive`)}`, patient.token);
    expect(consents.body.entry).toHaveLength(1);
    expect(consents.body.entry[0].resource).toMatchObject({
      id: formVersion.id,
      status: 'active',
      scope: { coding: [{ code: 'adr' }] },
      sourceReference: { reference: `DocumentReference/${formVersion.documentId}` },
    });
  });

  it('refuses a form with a missing answer or an unknown model, naming the field, and stores nothing', async () => {
    const missing = await post('/api/profile/advance-directives/form', patient.token, { model: 'end-of-life', answers: { ...ANSWERS, sedation: '  ' } });
    expect(missing).toMatchObject({ status: 400, body: { code: 'directives.invalid' } });
    expect(missing.body.title).toContain('answers.sedation');
    expect(await post('/api/profile/advance-directives/form', patient.token, { model: 'someday', answers: ANSWERS })).toMatchObject({ status: 400, body: { code: 'directives.invalid' } });
    const notPdf = await tc.request('POST', '/api/profile/advance-directives/file', { token: patient.token, body: 'hello', headers: { 'content-type': 'application/pdf' } });
    expect(notPdf.status).toBe(400);
    expect((await get('/api/profile/advance-directives', patient.token)).body).toMatchObject({ current: { id: formVersion.id }, previous: [] });
  });

  it('a new version (an uploaded PDF) supersedes the current one in the same unit of work', async () => {
    const pdf = pdfBytes('Mes directives manuscrites', 2);
    const res = await tc.request('POST', `/api/profile/advance-directives/file?title=${encodeURIComponent('Mes directives signées')}`, { token: patient.token, body: pdf as unknown as string, headers: { 'content-type': 'application/pdf' } }).then(json);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    fileVersion = res.body;
    expect(fileVersion).toMatchObject({ kind: 'file', status: 'current' });
    expect(fileVersion.answers).toBeUndefined();
    const view = await get('/api/profile/advance-directives', patient.token);
    expect(view.body.current).toMatchObject({ id: fileVersion.id, documentId: fileVersion.documentId });
    expect(view.body.previous).toEqual([expect.objectContaining({ id: formVersion.id, status: 'superseded', kind: 'form' })]);
    // one current document, the previous one superseded and replaced
    const all = await get('/api/documents?all=true', patient.token);
    const dirDocs = all.body.documents.filter((d: Json) => d.typeCode === 'EXPPAT_3');
    expect(dirDocs.find((d: Json) => d.id === formVersion.documentId)).toMatchObject({ status: 'superseded' });
    expect(dirDocs.find((d: Json) => d.id === fileVersion.documentId)).toMatchObject({ status: 'current', replaces: formVersion.documentId, title: 'Mes directives signées' });
    const current = await get('/api/documents', patient.token);
    expect(current.body.documents.filter((d: Json) => d.typeCode === 'EXPPAT_3').map((d: Json) => d.id)).toEqual([fileVersion.documentId]);
    const content = await tc.request('GET', `/api/documents/${fileVersion.documentId}/content`, { token: patient.token });
    expect(Buffer.from(await content.arrayBuffer()).equals(pdf)).toBe(true);
    // one active Consent, the previous inactive
    const consents = await get(`/fhir/Consent?patient=${patient.patientId}&category=${encodeURIComponent(`${PROFILE_CATEGORY_SYSTEM}|advance-directive`)}`, patient.token);
    expect(consents.body.entry.map((e: Json) => [e.resource.id, e.resource.status]).sort()).toEqual([[formVersion.id, 'inactive'], [fileVersion.id, 'active']].sort());
    // and the summary's wishes name the directives
    const summary = await tc.request('POST', '/api/profile/summary', { token: patient.token, json: { sections: ['WISHES'], action: 'download' }, headers: { 'content-type': 'application/json' } });
    expect(await textOf(await summary.arrayBuffer())).toMatch(/Volontés.*Directives anticipées : rédigées le/);
  });

  it('the médecin traitant reads the Consent and the document until the patient closes "entourage et volontés"', async () => {
    const doctor = await professional(tc);
    expect((await tc.request('PUT', `/api/professionals/${doctor.practitionerId}/roles/medecin-traitant`, { token: patient.token })).status).toBe(200);
    const consents = await get(`/fhir/Consent?patient=${patient.patientId}`, doctor.token);
    expect(consents.status, JSON.stringify(consents.body)).toBe(200);
    expect(consents.body.entry.map((e: Json) => e.resource.id)).toContain(fileVersion.id);
    expect((await get(`/fhir/Consent/${fileVersion.id}`, doctor.token)).status).toBe(200);
    const doc = await get(`/fhir/DocumentReference/${fileVersion.documentId}`, doctor.token);
    expect(doc.status).toBe(200);
    expect(doc.body.type.coding[0].code).toBe('EXPPAT_3');

    const closed = await tc.request('PUT', '/api/profile/settings', { token: patient.token, json: { closed: ['entourage'] }, headers: { 'content-type': 'application/json' } });
    if (closed.status !== 200) {
      // the settings route belongs to the profile's sections; the policy reads the same row
      await tc.db.query(`INSERT INTO profile_settings (patient_id, closed_sections) VALUES ($1, '{entourage}') ON CONFLICT (patient_id) DO UPDATE SET closed_sections = '{entourage}'`, [patient.patientId]);
    }
    const after = await get(`/fhir/Consent?patient=${patient.patientId}`, doctor.token);
    expect(after.status).toBe(200);
    expect((after.body.entry ?? []).map((e: Json) => e.resource.id)).not.toContain(fileVersion.id);
    expect([403, 404]).toContain((await get(`/fhir/Consent/${fileVersion.id}`, doctor.token)).status);
    // the patient still reads theirs
    expect((await get('/api/profile/advance-directives', patient.token)).body.current.id).toBe(fileVersion.id);
  });
});

describe('a minor', () => {
  it('has no advance directives: 422 naming birthDate, nothing stored, and GET says why', async () => {
    const child = await insuredPatient(tc, { birthDate: '2015-04-02' });
    const parent = await tc.user({ role: 'patient', patientId: randomUUID(), represents: [{ patientId: child.patientId, relation: 'parent' }] });
    const acting = { 'x-acting-for': child.patientId };
    const form = await post('/api/profile/advance-directives/form', parent, { model: 'good-health', answers: ANSWERS }, acting);
    expect(form).toMatchObject({ status: 422, body: { code: 'directives.minor' } });
    expect(form.body.fields).toEqual(['birthDate']);
    const file = await tc.request('POST', '/api/profile/advance-directives/file', { token: parent, body: pdfBytes('x') as unknown as string, headers: { 'content-type': 'application/pdf', ...acting } }).then(json);
    expect(file).toMatchObject({ status: 422, body: { code: 'directives.minor' } });
    expect(file.body.fields).toEqual(['birthDate']);
    expect(await get('/api/profile/advance-directives', parent, acting)).toMatchObject({ status: 200, body: { allowed: false, reason: 'minor', current: null, previous: [] } });
    const consents = await get(`/fhir/Consent?patient=${child.patientId}`, parent, acting);
    expect(consents.body.entry ?? []).toHaveLength(0);
    const docs = await get('/api/documents?all=true', parent, acting);
    expect(docs.body.documents).toHaveLength(0);
  });
});
