import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCarnet, type TestCarnet } from './support/carnet.js';
import { insuredPatient, professional } from './support/care.js';
import { pdfBytes } from './support/mhd-bundles.js';
import { activePatient, dispensed, pharmacist, proWithMailbox, publishMailbox, type TestMailboxPro } from './support/messaging.js';

/**
 * The secure messaging through the application API (docs/messaging.md): a professional writes to a patient's
 * mailbox, the patient reads and replies (relayed over SMTP), a professional ends the exchange, the patient
 * starts a conversation only with a pharmacy or a professional who wrote, drafts, trash, attachments, and who
 * must not read what.
 */
let tc: TestCarnet;

beforeAll(async () => {
  tc = await startCarnet();
});
afterAll(async () => tc?.close());

const json = async (res: Response) => ({ status: res.status, body: (await res.json().catch(() => undefined)) as any });
const get = (url: string, token: string) => tc.request('GET', url, { token }).then(json);
const post = (url: string, token: string, body: unknown = {}) => tc.request('POST', url, { token, json: body, headers: { 'content-type': 'application/json' } }).then(json);

async function proWrites(pro: TestMailboxPro, ins: string, o: { subject?: string; text?: string; end?: boolean; attachments?: unknown[] } = {}) {
  const res = await post('/api/pro/messages', pro.token, { ins, subject: o.subject ?? 'Votre ordonnance', text: o.text ?? 'Bonjour, voici votre ordonnance.', ...(o.end ? { end: true } : {}), ...(o.attachments ? { attachments: o.attachments } : {}) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { conversationId: string; messageId: string; patientId: string };
}

async function relayed(): Promise<any[]> {
  const { rows } = await tc.db.query<{ params: any }>(`SELECT params FROM mail_outbox WHERE template = 'mss-relay' ORDER BY created_at`);
  return rows.map((r) => r.params);
}

describe('a professional writes, the patient reads and replies', () => {
  it('delivers to the inbox, marks read, relays the reply to the professional and shows it in their inbox', async () => {
    const pro = await proWithMailbox(tc);
    const patient = await activePatient(tc);
    const sent = await proWrites(pro, patient.nir);

    const inbox = await get('/api/messages', patient.token);
    expect(inbox.status).toBe(200);
    expect(inbox.body.address).toBe(patient.address);
    expect(inbox.body.unread).toBe(1);
    expect(inbox.body.items).toHaveLength(1);
    expect(inbox.body.items[0]).toMatchObject({ id: sent.conversationId, subject: 'Votre ordonnance', unread: 1, preview: 'Bonjour, voici votre ordonnance.' });
    expect(inbox.body.items[0].counterparts[0].address).toBe(pro.address);
    expect((await get('/api/messages?unread=true', patient.token)).body.items).toHaveLength(1);

    const opened = await get(`/api/messages/${sent.conversationId}`, patient.token);
    expect(opened.status).toBe(200);
    expect(opened.body.canReply).toBe(true);
    expect(opened.body.items[0]).toMatchObject({ direction: 'in', text: 'Bonjour, voici votre ordonnance.', from: { address: pro.address } });
    expect((await get('/api/messages', patient.token)).body.unread).toBe(0);
    expect((await get('/api/messages?unread=true', patient.token)).body.items).toHaveLength(0);

    // the notification centre says a message came, and the e-mail alert carries no health content
    const { rows: notes } = await tc.db.query<{ type: string }>(`SELECT type FROM notification WHERE patient_id = $1 AND category = 'messages'`, [patient.patientId]);
    expect(notes.map((n) => n.type)).toEqual(['message-received']);

    const reply = await post(`/api/messages/${sent.conversationId}/reply`, patient.token, { text: 'Merci, je passe demain.' });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    const out = (await relayed()).find((m) => m.from === patient.address);
    expect(out).toMatchObject({ to: [pro.address], subject: 'Re: Votre ordonnance', text: 'Merci, je passe demain.', headers: { 'X-MSS-NIL': 'carnet' } });
    expect(out.inReplyTo).toBeTruthy();

    // the professional sees the conversation, the patient's reply unread until they open it, and that the patient read theirs
    const proInbox = await get('/api/pro/messages', pro.token);
    expect(proInbox.status).toBe(200);
    expect(proInbox.body.mailboxes[0].address).toBe(pro.address);
    expect(proInbox.body.items[0]).toMatchObject({ id: sent.conversationId, unread: 1, patient: { id: patient.patientId } });
    const proView = await get(`/api/pro/messages/${patient.patientId}/${sent.conversationId}`, pro.token);
    expect(proView.status).toBe(200);
    expect(proView.body.items.map((m: any) => [m.direction, m.text])).toEqual([
      ['in', 'Bonjour, voici votre ordonnance.'],
      ['out', 'Merci, je passe demain.'],
    ]);
    expect(proView.body.items[0].readAt).not.toBeNull();
    expect((await get('/api/pro/messages', pro.token)).body.items[0].unread).toBe(0);
    expect((await get(`/api/messages/${sent.conversationId}`, patient.token)).body.items[1].readAt).not.toBeNull();
  });

  it('lets the professional end the exchange: the patient can no longer reply, nor send a draft', async () => {
    const pro = await proWithMailbox(tc);
    const patient = await activePatient(tc);
    const sent = await proWrites(pro, patient.nir);
    const draft = await post(`/api/messages/${sent.conversationId}/reply`, patient.token, { text: 'Brouillon', draft: true });
    expect(draft.status).toBe(201);
    expect((await tc.request('POST', `/api/pro/messages/${patient.patientId}/${sent.conversationId}/end`, { token: pro.token })).status).toBe(204);
    const view = await get(`/api/messages/${sent.conversationId}`, patient.token);
    expect(view.body.canReply).toBe(false);
    expect(view.body.closed.by.address).toBe(pro.address);
    const refused = await post(`/api/messages/${sent.conversationId}/reply`, patient.token, { text: 'Encore une question' });
    expect(refused).toMatchObject({ status: 409, body: { code: 'messages.conversation-ended' } });
    expect((await post(`/api/messages/drafts/${draft.body.messageId}/send`, patient.token)).body.code).toBe('messages.conversation-ended');
    expect((await post(`/api/pro/messages/${patient.patientId}/${sent.conversationId}/reply`, pro.token, { text: 'x' })).body.code).toBe('messages.conversation-ended');
  });

  it('ends the conversation with the message that carries FIN', async () => {
    const pro = await proWithMailbox(tc);
    const patient = await activePatient(tc);
    const sent = await proWrites(pro, patient.nir, { end: true, text: 'Résultats normaux, pas de réponse nécessaire.' });
    const view = await get(`/api/messages/${sent.conversationId}`, patient.token);
    expect(view.body).toMatchObject({ canReply: false, items: [{ ends: true }] });
  });
});

describe("a structure's mailbox", () => {
  it("lets the pharmacist reply from the pharmacy's organisational mailbox the patient wrote to, and previews it in their inbox", async () => {
    const patient = await activePatient(tc);
    const ph = await pharmacist(tc, { name: 'Pharmacie de la Gare' });
    const org = `contact.${ph.organizationId.toLowerCase()}@demo.mssante.fr`;
    await publishMailbox(tc, { address: org, kind: 'ORG', organizationId: ph.organizationId, organizationName: 'Pharmacie de la Gare' });
    const started = await post('/api/messages', patient.token, { to: org, subject: 'Mon traitement', text: 'Est-il prêt ?' });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const inbox = await get('/api/pro/messages', ph.token);
    expect(inbox.body.mailboxes.map((b: any) => b.address)).toEqual([ph.address, org]);
    expect(inbox.body.items[0]).toMatchObject({ id: started.body.conversationId, preview: 'Est-il prêt ?', unread: 1 });
    // no "from": the mailbox of theirs that takes part answers, not their personal one
    const reply = await post(`/api/pro/messages/${patient.patientId}/${started.body.conversationId}/reply`, ph.token, { text: 'Oui, passez quand vous voulez.' });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    const view = await get(`/api/messages/${started.body.conversationId}`, patient.token);
    expect(view.body.items.map((m: any) => [m.direction, m.from.address])).toEqual([
      ['out', patient.address],
      ['in', org],
    ]);
    // naming a mailbox of theirs that does not take part is refused
    expect(await post(`/api/pro/messages/${patient.patientId}/${started.body.conversationId}/reply`, ph.token, { text: 'x', from: ph.address })).toMatchObject({
      status: 403,
      body: { code: 'messages.not-your-mailbox' },
    });
  });
});

describe('who the patient may write to', () => {
  it('a pharmacy used in the last 12 months is suggested and may be written to; a doctor who never wrote may not', async () => {
    const patient = await activePatient(tc);
    const used = await pharmacist(tc, { name: 'Pharmacie des Lilas' });
    const old = await pharmacist(tc, { name: 'Pharmacie Ancienne' });
    await dispensed(tc, patient.patientId, used.organizationId, 30);
    await dispensed(tc, patient.patientId, old.organizationId, 400);
    const doctor = await proWithMailbox(tc);

    const contacts = await get('/api/messages/contacts', patient.token);
    expect(contacts.status, JSON.stringify(contacts.body)).toBe(200);
    expect(contacts.body.pharmacies.map((p: any) => p.address)).toEqual([used.address]);
    expect(contacts.body.pharmacies[0].display).toBe('Pharmacie des Lilas');
    expect(contacts.body.professionals).toEqual([]);

    const ok = await post('/api/messages', patient.token, { to: used.address, subject: 'Ordonnance', text: 'Pouvez-vous préparer mon traitement ?' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    // any pharmacy of the directory with a mailbox may be found and written to
    const found = await get('/api/messages/contacts/search?q=ancienne', patient.token);
    expect((await get('/api/messages/contacts/search?q=lilàs', patient.token)).body.items.map((p: any) => p.address)).toEqual([used.address]);
    expect(found.body.items.map((p: any) => p.address)).toEqual([old.address]);
    expect((await post('/api/messages', patient.token, { to: old.address, subject: 'Question', text: 'Bonjour' })).status).toBe(201);

    const refused = await post('/api/messages', patient.token, { to: doctor.address, subject: 'Question', text: 'Bonjour docteur' });
    expect(refused).toMatchObject({ status: 403, body: { code: 'messages.recipient-not-allowed' } });
    const unknown = await post('/api/messages', patient.token, { to: 'nobody@nowhere.example', subject: 'Question', text: 'Bonjour' });
    expect(unknown).toMatchObject({ status: 404, body: { code: 'messages.no-mailbox' } });
    const otherPatient = await activePatient(tc);
    expect((await post('/api/messages', patient.token, { to: otherPatient.address, subject: 'Salut', text: 'x' })).body.code).toBe('messages.no-mailbox');

    // once the doctor wrote (and did not end), the patient may write to them
    await proWrites(doctor, patient.nir);
    expect((await get('/api/messages/contacts', patient.token)).body.professionals.map((p: any) => p.address)).toEqual([doctor.address]);
    expect((await post('/api/messages', patient.token, { to: doctor.address, subject: 'Autre question', text: 'Bonjour' })).status).toBe(201);
  });

  it('a closed profile receives nothing, and the professional is told', async () => {
    const pro = await proWithMailbox(tc);
    const closed = await insuredPatient(tc, { state: 'closed' });
    const res = await post('/api/pro/messages', pro.token, { ins: closed.nir, subject: 'x', text: 'y' });
    expect(res).toMatchObject({ status: 410, body: { code: 'messages.profile-closed' } });
    const none = await post('/api/pro/messages', pro.token, { ins: '299999999999999', subject: 'x', text: 'y' });
    expect(none).toMatchObject({ status: 404, body: { code: 'messages.unknown-recipient' } });
  });

  it('a professional without a mailbox cannot write', async () => {
    const pro = await professional(tc);
    const patient = await activePatient(tc);
    expect(await post('/api/pro/messages', pro.token, { ins: patient.nir, subject: 'x', text: 'y' })).toMatchObject({ status: 409, body: { code: 'messages.no-own-mailbox' } });
  });
});

describe('on behalf of the patient', () => {
  it("a parent's message says who wrote it", async () => {
    const pro = await proWithMailbox(tc);
    const child = await activePatient(tc);
    const adult = await insuredPatient(tc, { state: 'active' });
    const parent = await tc.user({ role: 'patient', patientId: adult.patientId, represents: [{ patientId: adult.patientId, relation: 'self' }, { patientId: child.patientId, relation: 'parent' }] });
    const sent = await proWrites(pro, child.nir);
    const res = await tc.request('POST', `/api/messages/${sent.conversationId}/reply`, { token: parent, json: { text: 'Merci' }, headers: { 'content-type': 'application/json', 'x-acting-for': child.patientId } });
    expect(res.status).toBe(201);
    const proView = await get(`/api/pro/messages/${child.patientId}/${sent.conversationId}`, pro.token);
    const reply = proView.body.items[1];
    expect(reply.onBehalf).toMatch(/^Ce message a été rédigé par .+, son parent, pour le compte de /);
    expect(reply.text).toContain(reply.onBehalf);
  });
});

describe('drafts, trash and attachments', () => {
  it('keeps a draft out of the relay until it is sent, and deletes one', async () => {
    const pro = await proWithMailbox(tc);
    const patient = await activePatient(tc);
    const sent = await proWrites(pro, patient.nir);
    const before = (await relayed()).length;
    const draft = await post(`/api/messages/${sent.conversationId}/reply`, patient.token, { text: 'Premier jet', draft: true });
    expect(draft.status).toBe(201);
    expect((await relayed()).length).toBe(before);
    expect((await get('/api/messages', patient.token)).body.items[0].drafts).toBe(1);
    const edited = await tc.request('PUT', `/api/messages/drafts/${draft.body.messageId}`, { token: patient.token, json: { text: 'Version finale' }, headers: { 'content-type': 'application/json' } });
    expect(edited.status).toBe(200);
    // the professional does not see a draft
    expect((await get(`/api/pro/messages/${patient.patientId}/${sent.conversationId}`, pro.token)).body.items).toHaveLength(1);
    expect((await post(`/api/messages/drafts/${draft.body.messageId}/send`, patient.token)).status).toBe(200);
    const out = (await relayed()).slice(before);
    expect(out.map((m) => m.text)).toEqual(['Version finale']);
    // the message sent is a new Communication: the draft, and every version of it, is gone
    expect((await post(`/api/messages/drafts/${draft.body.messageId}/send`, patient.token)).body.code).toBe('messages.unknown-message');
    expect((await tc.request('GET', `/fhir/Communication/${draft.body.messageId}/_history/1`, { token: pro.token })).status).toBe(404);

    const other = await post(`/api/messages/${sent.conversationId}/reply`, patient.token, { text: 'À jeter', draft: true });
    expect((await tc.request('DELETE', `/api/messages/drafts/${other.body.messageId}`, { token: patient.token })).status).toBe(204);
    expect((await get(`/api/messages/${sent.conversationId}`, patient.token)).body.items.map((m: any) => m.text)).toEqual(['Bonjour, voici votre ordonnance.', 'Version finale']);
  });

  it('moves a conversation to the trash and back; a new message brings it back', async () => {
    const pro = await proWithMailbox(tc);
    const patient = await activePatient(tc);
    const sent = await proWrites(pro, patient.nir);
    expect((await tc.request('POST', `/api/messages/${sent.conversationId}/trash`, { token: patient.token })).status).toBe(204);
    expect((await get('/api/messages', patient.token)).body.items).toHaveLength(0);
    expect((await get('/api/messages?folder=trash', patient.token)).body.items).toHaveLength(1);
    expect((await tc.request('POST', `/api/messages/${sent.conversationId}/restore`, { token: patient.token })).status).toBe(204);
    expect((await get('/api/messages', patient.token)).body.items).toHaveLength(1);
    await tc.request('POST', `/api/messages/${sent.conversationId}/trash`, { token: patient.token });
    await post(`/api/pro/messages/${patient.patientId}/${sent.conversationId}/reply`, pro.token, { text: 'Un complément' });
    expect((await get('/api/messages', patient.token)).body.items.map((c: any) => c.id)).toEqual([sent.conversationId]);
  });

  it('sends an uploaded file and a document of the record, downloads it and files an incoming one into the documents', async () => {
    const pro = await proWithMailbox(tc);
    const patient = await activePatient(tc);
    const pdf = pdfBytes('Ordonnance', 3);
    const up = await tc.request('POST', '/api/pro/messages/uploads?filename=ordonnance.pdf', { token: pro.token, body: pdf as unknown as string, headers: { 'content-type': 'application/pdf' } }).then(json);
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const sent = await proWrites(pro, patient.nir, { attachments: [{ kind: 'upload', uploadId: up.body.uploadId, filename: 'ordonnance.pdf', contentType: 'application/pdf' }] });
    const view = await get(`/api/messages/${sent.conversationId}`, patient.token);
    expect(view.body.items[0].attachments).toEqual([{ index: 0, filename: 'ordonnance.pdf', contentType: 'application/pdf', size: pdf.length }]);
    const file = await tc.request('GET', `/api/messages/${sent.conversationId}/messages/${sent.messageId}/attachments/0`, { token: patient.token });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(Buffer.from(await file.arrayBuffer()).equals(pdf)).toBe(true);

    const filed = await post(`/api/messages/${sent.conversationId}/messages/${sent.messageId}/attachments/0/file`, patient.token, { title: 'Ordonnance du Dr', category: 'ORD_SOIN' });
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    const docs = await get('/api/documents', patient.token);
    expect(docs.body.items ?? docs.body.documents ?? docs.body).toBeTruthy();
    expect(JSON.stringify(docs.body)).toContain('Ordonnance du Dr');

    // the patient attaches that document and the medical-profile summary to their reply
    const reply = await post(`/api/messages/${sent.conversationId}/reply`, patient.token, { text: 'Voici', attachments: [{ kind: 'document', documentId: filed.body.id }, { kind: 'medical-profile' }] });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    const out = (await relayed()).find((m) => m.messageId && m.from === patient.address && m.text === 'Voici');
    expect(out.attachments.map((a: any) => a.contentType)).toEqual(['application/pdf', 'application/pdf']);
    expect(out.attachments[1].filename).toBe('Synthèse du profil médical.pdf');
  });

  it('refuses too many attachments, an unknown upload and empty messages', async () => {
    const pro = await proWithMailbox(tc);
    const patient = await activePatient(tc);
    const sent = await proWrites(pro, patient.nir);
    const many = Array.from({ length: 11 }, () => ({ kind: 'medical-profile' }));
    expect(await post(`/api/messages/${sent.conversationId}/reply`, patient.token, { text: 'x', attachments: many })).toMatchObject({ status: 413, body: { code: 'messages.too-many-attachments' } });
    expect(
      await post(`/api/messages/${sent.conversationId}/reply`, patient.token, { text: 'x', attachments: [{ kind: 'upload', uploadId: randomUUID(), filename: 'x.pdf', contentType: 'application/pdf' }] }),
    ).toMatchObject({ status: 404, body: { code: 'messages.upload-unknown' } });
    // an upload is its uploader's: the professional's file is not the patient's to attach
    const theirs = await tc.request('POST', '/api/pro/messages/uploads?filename=a.pdf', { token: pro.token, body: pdfBytes('A', 1) as unknown as string, headers: { 'content-type': 'application/pdf' } }).then(json);
    expect(
      await post(`/api/messages/${sent.conversationId}/reply`, patient.token, { text: 'x', attachments: [{ kind: 'upload', uploadId: theirs.body.uploadId, filename: 'a.pdf', contentType: 'application/pdf' }] }),
    ).toMatchObject({ status: 404, body: { code: 'messages.upload-unknown' } });
    expect(await post(`/api/messages/${sent.conversationId}/reply`, patient.token, { text: '   ' })).toMatchObject({ status: 400, body: { code: 'messages.empty' } });
    expect(await post(`/api/messages/${sent.conversationId}/reply`, patient.token, { text: 42 })).toMatchObject({ status: 400 });
    expect(await post(`/api/messages/${sent.conversationId}/reply`, patient.token, { text: 'x', attachments: 'nope' })).toMatchObject({ status: 400, body: { code: 'messages.attachments' } });
    expect(await get('/api/messages/not-a-conversation', patient.token)).toMatchObject({ status: 404, body: { code: 'messages.unknown-conversation' } });
    expect(await get('/api/messages?page=0', patient.token)).toMatchObject({ status: 400 });
    expect(await post('/api/messages', patient.token, { subject: 'x', text: 'y' })).toMatchObject({ status: 400 });
  });
});

describe('who must not read the messages', () => {
  it('another professional, even with access to the record, sees none of them; a professional sees only theirs', async () => {
    const writer = await proWithMailbox(tc);
    const colleague = await proWithMailbox(tc);
    const patient = await activePatient(tc);
    const sent = await proWrites(writer, patient.nir, { text: 'Confidentiel' });
    await proWrites(colleague, patient.nir, { text: 'Du collègue' });
    // the colleague is in the care team: they read the record's documents, not the writer's messages
    expect((await post(`/api/pro/patients/${patient.patientId}/access`, colleague.token, { basis: 'care-team' })).status).toBe(201);
    const search = await tc.request('GET', `/fhir/Communication?patient=${patient.patientId}`, { token: colleague.token }).then(json);
    expect(search.status).toBe(200);
    expect(search.body.entry.map((e: any) => e.resource.payload[0].contentString)).toEqual(['Du collègue']);
    expect(search.body.total ?? search.body.entry.length).toBe(1);
    expect((await tc.request('GET', `/fhir/Communication/${sent.messageId}`, { token: colleague.token })).status).toBe(404);
    expect((await get(`/api/pro/messages/${patient.patientId}/${sent.conversationId}`, colleague.token)).status).toBe(404);
    expect((await tc.request('GET', `/api/pro/messages/${patient.patientId}/${sent.conversationId}/messages/${sent.messageId}/attachments/0`, { token: colleague.token })).status).toBe(404);
    // the patient reads all of them over FHIR too
    const own = await tc.request('GET', `/fhir/Communication?patient=${patient.patientId}`, { token: patient.token }).then(json);
    expect(own.body.entry).toHaveLength(2);
    // another patient reads none
    const stranger = await activePatient(tc);
    expect((await tc.request('GET', `/fhir/Communication/${sent.messageId}`, { token: stranger.token })).status).toBe(403);
    expect((await get(`/api/messages/${sent.conversationId}`, stranger.token)).status).toBe(404);
    // an operator reads none
    const operator = await tc.user({ role: 'operator' });
    expect((await tc.request('GET', `/fhir/Communication/${sent.messageId}`, { token: operator })).status).toBe(403);
  });

  it('refuses plain FHIR writes of messages', async () => {
    const pro = await proWithMailbox(tc);
    const patient = await activePatient(tc);
    const res = await tc.request('POST', '/fhir/Communication', { token: pro.token, json: { resourceType: 'Communication', status: 'completed', subject: { reference: `Patient/${patient.patientId}` } } }).then(json);
    expect(res).toMatchObject({ status: 405 });
    expect(res.body.resourceType).toBe('OperationOutcome');
    // nor inside a transaction: its entries take the same paths
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [{ fullUrl: 'urn:uuid:6b6c1c4e-0d0a-4a1e-9a51-1f0c9f3b7a11', resource: { resourceType: 'Communication', status: 'completed', subject: { reference: `Patient/${patient.patientId}` } }, request: { method: 'POST', url: 'Communication' } }],
    };
    const tx = await tc.request('POST', '/fhir', { token: patient.token, json: bundle }).then(json);
    expect(tx.status).toBe(405);
    const { rows } = await tc.db.query(`SELECT 1 FROM resource WHERE resource_type = 'Communication' AND patient_id = $1`, [patient.patientId]);
    expect(rows).toHaveLength(0);
  });

  it('leaves the reads in the trail the patient sees', async () => {
    const pro = await proWithMailbox(tc);
    const patient = await activePatient(tc);
    const sent = await proWrites(pro, patient.nir);
    await get(`/api/pro/messages/${patient.patientId}/${sent.conversationId}`, pro.token);
    const { rows } = await tc.db.query<{ content: string }>(`SELECT content::text FROM resource WHERE resource_type = 'AuditEvent' AND patient_id = $1`, [patient.patientId]);
    const events = rows.map((r) => JSON.parse(r.content));
    const proReads = events.filter((e) => JSON.stringify(e).includes(pro.practitionerId) && JSON.stringify(e.entity ?? []).includes('Communication'));
    expect(proReads.length).toBeGreaterThan(0);
  });
});
