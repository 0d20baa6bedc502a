import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCarnet, type TestCarnet } from './support/carnet.js';
import { insuredPatient, professional, type TestPatient, type TestPro } from './support/care.js';
import { pdfBytes } from './support/mhd-bundles.js';

/**
 * The shared medical record through the application API (docs/dmp.md): the patient's documents (list by
 * category, view, upload, hide, delete), the professional's deposit and visibility from the professional space,
 * break the glass, and the access history.
 */
let tc: TestCarnet;

beforeAll(async () => {
  tc = await startCarnet();
});
afterAll(async () => tc?.close());

async function caring(o: Parameters<typeof professional>[1] = {}, p?: TestPatient): Promise<{ pro: TestPro; patient: TestPatient }> {
  const pro = await professional(tc, o);
  const patient = p ?? (await insuredPatient(tc));
  expect((await tc.request('POST', `/api/pro/patients/${patient.patientId}/access`, { token: pro.token, json: { basis: 'care-team' } })).status).toBe(201);
  return { pro, patient };
}

const raw = (method: string, url: string, token: string, body: Buffer, contentType: string) =>
  tc.request(method, url, { token, body: body as unknown as string, headers: { 'content-type': contentType } });

async function deposit(pro: TestPro, patient: TestPatient, q: Record<string, string> = {}): Promise<string> {
  const params = new URLSearchParams({ typeCode: '11502-2', title: 'Bilan sanguin', ...q });
  const res = await raw('POST', `/api/pro/patients/${patient.patientId}/documents?${params}`, pro.token, pdfBytes('Bilan', 20), 'application/pdf');
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(201);
  return body.id;
}

describe('the patient space', () => {
  it('lists a deposited report under Résultats de biologie and shows its PDF', async () => {
    const { pro, patient } = await caring();
    const id = await deposit(pro, patient);
    const list = await tc.request('GET', '/api/documents', { token: patient.token });
    const body = await list.json();
    expect(list.status).toBe(200);
    expect(body.counts.BIOLOGIE).toBe(1);
    expect(body.documents[0]).toMatchObject({ id, category: 'BIOLOGIE', title: 'Bilan sanguin', depositor: 'professional' });
    const content = await tc.request('GET', `/api/documents/${id}/content`, { token: patient.token });
    expect(content.status).toBe(200);
    expect(content.headers.get('content-type')).toBe('application/pdf');
  });

  it('uploads a PDF, refuses a fake one and an oversized one, and deletes only its own uploads', async () => {
    const { pro, patient } = await caring();
    const proDoc = await deposit(pro, patient);
    const ok = await raw('POST', '/api/documents?title=Ordonnance&category=ORD_SOIN&fileName=ordo.pdf', patient.token, pdfBytes('Ordonnance'), 'application/pdf');
    const mine = await ok.json();
    expect(ok.status, JSON.stringify(mine)).toBe(201);
    expect(mine).toMatchObject({ category: 'ORD_SOIN', depositor: 'patient' });
    const fake = await raw('POST', '/api/documents?title=X&category=AUTR_DOC&fileName=x.pdf', patient.token, Buffer.from('not a pdf at all'), 'application/pdf');
    expect(fake.status).toBe(400);
    expect((await fake.json()).code).toBe('upload.mismatch');
    const big = await raw('POST', '/api/documents?title=X&category=AUTR_DOC&fileName=x.pdf', patient.token, pdfBytes('Gros', 5 * 1024 + 10), 'application/pdf');
    expect(big.status).toBe(413);
    expect((await tc.request('DELETE', `/api/documents?ids=${proDoc}`, { token: patient.token })).status).toBe(403);
    expect((await tc.request('DELETE', `/api/documents?ids=${mine.id}`, { token: patient.token })).status).toBe(204);
    const after = await (await tc.request('GET', '/api/documents', { token: patient.token })).json();
    expect(after.documents.map((d: any) => d.id)).toEqual([proDoc]);
  });

  it('hides a document from professionals: others no longer see it, its author does', async () => {
    const { pro, patient } = await caring();
    const { pro: other } = await caring({}, patient);
    const id = await deposit(pro, patient);
    const hide = await tc.request('PATCH', `/api/documents/${id}`, { token: patient.token, json: { hiddenFromProfessionals: true } });
    expect(hide.status, JSON.stringify(await hide.clone().json())).toBe(200);
    const seenByOther = await (await tc.request('GET', `/api/pro/patients/${patient.patientId}/documents`, { token: other.token })).json();
    expect(seenByOther.documents).toEqual([]);
    expect((await tc.request('GET', `/fhir/DocumentReference/${id}`, { token: other.token })).status).toBe(404);
    const total = await (await tc.request('GET', `/fhir/DocumentReference?patient=${patient.patientId}&_total=accurate`, { token: other.token })).json();
    expect(total.total).toBe(0);
    const seenByAuthor = await (await tc.request('GET', `/api/pro/patients/${patient.patientId}/documents`, { token: pro.token })).json();
    expect(seenByAuthor.documents.map((d: any) => d.id)).toEqual([id]);
  });
});

describe('the patient is told of professionals\' accesses', () => {
  it('once per professional, record and day, from the audit trail', async () => {
    const { pro, patient } = await caring();
    await deposit(pro, patient);
    await tc.request('GET', `/api/pro/patients/${patient.patientId}/documents`, { token: pro.token });
    const notices = async () => (await tc.db.query<{ n: string }>(`SELECT count(*) AS n FROM notification WHERE patient_id = $1 AND type = 'ACCES_DMP_PS'`, [patient.patientId])).rows[0]!.n;
    tc.carnet.clock.advance(2 * 60_000);
    await tc.carnet.jobs.runNow();
    expect(Number(await notices())).toBe(1);
    await tc.request('GET', `/api/pro/patients/${patient.patientId}/documents`, { token: pro.token });
    tc.carnet.clock.advance(2 * 60_000);
    await tc.carnet.jobs.runNow();
    expect(Number(await notices())).toBe(1);
  });
});

describe('emergency access and the history', () => {
  it('breaks the glass with a reason; the patient is told and sees it in the history', async () => {
    const { pro, patient } = await caring();
    await deposit(pro, patient);
    const urgentist = await professional(tc);
    expect((await tc.request('GET', `/api/pro/patients/${patient.patientId}/documents`, { token: urgentist.token })).status).toBe(403);
    const noReason = await tc.request('POST', `/api/pro/patients/${patient.patientId}/emergency`, { token: urgentist.token, json: { purpose: 'BTG', reason: '' } });
    expect(noReason.status).toBe(400);
    const btg = await tc.request('POST', `/api/pro/patients/${patient.patientId}/emergency`, { token: urgentist.token, json: { purpose: 'BTG', reason: 'Patient inconscient aux urgences' } });
    expect(btg.status, JSON.stringify(await btg.clone().json())).toBe(201);
    const docs = await (await tc.request('GET', `/api/pro/patients/${patient.patientId}/documents`, { token: urgentist.token })).json();
    expect(docs.documents.length).toBe(1);
    expect(docs.emergency.purpose).toBe('BTG');
    const history = await (await tc.request('GET', '/api/dmp/history', { token: patient.token })).json();
    expect(history.items.some((i: any) => i.emergency && i.actorType === 'professional')).toBe(true);
    const { rows } = await tc.db.query<{ type: string }>('SELECT type FROM notification WHERE patient_id = $1', [patient.patientId]);
    expect(rows.map((r) => r.type)).toContain('ACCES_BRIS_GLACE');
  });

  it('refuses the glass when the patient refused emergency access', async () => {
    const patient = await insuredPatient(tc);
    expect((await tc.request('PUT', '/api/dmp/settings', { token: patient.token, json: { breakGlass: false } })).status).toBe(200);
    const urgentist = await professional(tc);
    const res = await tc.request('POST', `/api/pro/patients/${patient.patientId}/emergency`, { token: urgentist.token, json: { purpose: 'BTG', reason: 'Patient inconscient aux urgences' } });
    expect(res.status).toBe(403);
    expect((await res.json()).code).toBe('emergency.refused');
  });
});
