import tls from 'node:tls';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCredential } from '../src/services/messaging/credentials.js';
import { selfSignedCertificate } from '../src/services/messaging/tls-certificate.js';
import { startCarnet, type TestCarnet } from './support/carnet.js';
import { insuredPatient } from './support/care.js';
import { pdfBytes } from './support/mhd-bundles.js';
import { activePatient, dispensed, pharmacist, proWithMailbox, publishMailbox, type TestMailboxPro } from './support/messaging.js';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';
import { pdfDocument, xdmPackage } from './support/xdm.js';

/**
 * Abuse of the secure messaging (issue 7) over real HTTP and real SMTP: ways around the rules of the product
 * (who reads what, who writes to whom, no open relay, limits, clear errors). The first block holds the problems
 * found: each test is named after the expected behaviour and fails until it is fixed. The second block holds
 * what was tried and held, as regression tests.
 */

let tc: TestCarnet;
let sink: SmtpSink;

beforeAll(async () => {
  sink = await startSmtpSink();
  tc = await startCarnet({ smtp: true, env: { SMTP_URL: sink.url, MAIL_TRUSTED_DOMAINS: 'demo.mssante.fr' } });
});
afterAll(async () => {
  await tc?.close();
  await sink?.close();
});

const json = async (res: Response) => ({ status: res.status, body: (await res.json().catch(() => undefined)) as any });
const get = (url: string, token: string, headers: Record<string, string> = {}) => tc.request('GET', url, { token, headers }).then(json);
const post = (url: string, token: string, body: unknown = {}, headers: Record<string, string> = {}) =>
  tc.request('POST', url, { token, json: body, headers: { 'content-type': 'application/json', ...headers } }).then(json);
const put = (url: string, token: string, body: unknown) => tc.request('PUT', url, { token, json: body, headers: { 'content-type': 'application/json' } }).then(json);

async function proWrites(pro: TestMailboxPro, ins: string, o: { subject?: string; text?: string; attachments?: unknown[] } = {}) {
  const res = await post('/api/pro/messages', pro.token, { ins, subject: o.subject ?? 'Votre suivi', text: o.text ?? 'Bonjour.', ...(o.attachments ? { attachments: o.attachments } : {}) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { conversationId: string; messageId: string; patientId: string };
}

async function upload(token: string, bytes: Buffer, path: '/api/messages/uploads' | '/api/pro/messages/uploads', filename = 'piece.bin') {
  const res = await tc.request('POST', `${path}?filename=${encodeURIComponent(filename)}`, { token, body: bytes as unknown as string, headers: { 'content-type': 'application/octet-stream' } }).then(json);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { kind: 'upload', uploadId: res.body.uploadId as string, filename, contentType: 'application/octet-stream' };
}

/** What the outbox relays (template mss-relay), oldest first. */
async function relayed(): Promise<any[]> {
  const { rows } = await tc.db.query<{ params: any }>(`SELECT params FROM mail_outbox WHERE template = 'mss-relay' ORDER BY created_at, id`);
  return rows.map((r) => r.params);
}

/** An unauthenticated client of the gateway (the trusted demo operator's relay, on loopback). */
const relay = () => nodemailer.createTransport({ host: '127.0.0.1', port: tc.smtpPort!, secure: false, ignoreTLS: true });

const MiB = 1024 * 1024;

describe('messaging abuse: problems found (each fails until fixed)', () => {
  it("a professional never reads a patient's unsent draft: not over FHIR, not by downloading its attachment", async () => {
    const patient = await activePatient(tc);
    const pharmacy = await pharmacist(tc);
    await dispensed(tc, patient.patientId, pharmacy.organizationId, 10);
    const doctor = await proWithMailbox(tc);
    const att = await upload(patient.token, Buffer.from('compte rendu que je relis encore'), '/api/messages/uploads', 'brouillon.txt');

    // a draft of a new conversation to the pharmacy, and a draft of a reply to the doctor
    const draft = await post('/api/messages', patient.token, { to: pharmacy.address, subject: 'Mon traitement', text: 'Brouillon que je ne veux pas encore envoyer', draft: true, attachments: [att] });
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    const conv = await proWrites(doctor, patient.nir);
    const replyDraft = await post(`/api/messages/${conv.conversationId}/reply`, patient.token, { text: 'Réponse pas encore envoyée', draft: true });
    expect(replyDraft.status).toBe(201);

    const search = await get(`/fhir/Communication?patient=${patient.patientId}`, pharmacy.token);
    expect(search.status).toBe(200);
    expect((search.body.entry ?? []).map((e: any) => e.resource.status)).not.toContain('preparation');
    expect((await get(`/fhir/Communication/${draft.body.messageId}`, pharmacy.token)).status).toBe(404);
    expect((await get(`/fhir/Communication/${replyDraft.body.messageId}`, doctor.token)).status).toBe(404);
    const file = await tc.request('GET', `/api/pro/messages/${patient.patientId}/${draft.body.conversationId}/messages/${draft.body.messageId}/attachments/0`, { token: pharmacy.token });
    expect(file.status).toBe(404);
  });

  it("a professional's inbox does not list a conversation that is only the patient's draft (its subject, the patient)", async () => {
    const patient = await activePatient(tc);
    const pharmacy = await pharmacist(tc);
    await dispensed(tc, patient.patientId, pharmacy.organizationId, 10);
    const draft = await post('/api/messages', patient.token, { to: pharmacy.address, subject: 'Question sur mon traitement VIH', text: 'pas encore envoyé', draft: true });
    expect(draft.status).toBe(201);
    const inbox = await get('/api/pro/messages', pharmacy.token);
    expect(inbox.status).toBe(200);
    expect(inbox.body.items.map((c: any) => c.subject)).not.toContain('Question sur mon traitement VIH');
    expect(inbox.body.total).toBe(0);
    // nor may the pharmacy answer into it or end it
    expect((await post(`/api/pro/messages/${patient.patientId}/${draft.body.conversationId}/reply`, pharmacy.token, { text: 'Je vois votre brouillon' })).status).toBe(404);
  });

  it("a patient's reply to all goes only to professional mailboxes, and to at most 20 recipients (no relay to addresses a sender put in Cc)", async () => {
    const doctor = await proWithMailbox(tc);
    const patient = await activePatient(tc);
    const outsiders = Array.from({ length: 25 }, (_, i) => `collecte${i}@webmail.example`);
    await relay().sendMail({
      envelope: { from: doctor.address, to: [patient.address] },
      from: doctor.address,
      to: patient.address,
      cc: outsiders,
      subject: 'Vos résultats',
      text: 'Répondez-moi avec vos symptômes.',
      messageId: `<reply-all-${patient.nir}@demo.mssante.fr>`,
    });
    const conv = (await get('/api/messages', patient.token)).body.items[0];
    expect(conv).toBeTruthy();
    const before = (await relayed()).length;
    const res = await post(`/api/messages/${conv.id}/reply`, patient.token, { text: 'Voici mes symptômes détaillés', replyAll: true });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const out = (await relayed()).slice(before);
    expect(out).toHaveLength(1);
    // to the doctor only: none of the addresses the sender put in copy is a professional mailbox Carnet knows
    expect([...out[0].to, ...out[0].cc]).toEqual([doctor.address]);
  });

  it("a sender who is not a participant cannot end (nor join) another professional's conversation by quoting its Message-ID", async () => {
    const doctor = await proWithMailbox(tc);
    const intruder = await proWithMailbox(tc);
    const patient = await activePatient(tc);
    const t = relay();
    await t.sendMail({ from: doctor.address, to: patient.address, subject: 'Suivi psychiatrique', text: 'Prochain rendez-vous lundi.', messageId: `<psy-${patient.nir}@demo.mssante.fr>` });
    const conv = (await get('/api/messages', patient.token)).body.items[0];
    expect(conv.subject).toBe('Suivi psychiatrique');

    await t.sendMail({
      from: intruder.address,
      to: patient.address,
      subject: 'Re: Suivi psychiatrique',
      text: 'Fin de la conversation.',
      inReplyTo: `<psy-${patient.nir}@demo.mssante.fr>`,
      references: [`<psy-${patient.nir}@demo.mssante.fr>`],
      headers: { 'X-MSS-MES': 'FIN' },
    });
    const view = await get(`/api/messages/${conv.id}`, patient.token);
    expect(view.body.closed).toBeNull();
    expect(view.body.canReply).toBe(true);
    // the intruder does not take part in the doctor's conversation: not listed, not readable, not endable
    const inbox = await get('/api/pro/messages', intruder.token);
    expect(inbox.body.items.map((c: any) => c.id)).not.toContain(conv.id);
    expect((await tc.request('POST', `/api/pro/messages/${patient.patientId}/${conv.id}/end`, { token: intruder.token })).status).toBe(404);
  });

  it("a message to colleagues respects the attachments' limit (10 MB together), as the other paths do", async () => {
    const pro = await proWithMailbox(tc);
    const a = await upload(pro.token, Buffer.alloc(6 * MiB, 0x61), '/api/pro/messages/uploads', 'a.bin');
    const b = await upload(pro.token, Buffer.alloc(6 * MiB, 0x62), '/api/pro/messages/uploads', 'b.bin');
    const res = await post('/api/pro/messages/colleagues', pro.token, { to: ['secretariat@ch-exemple.example'], subject: 'Dossier', text: 'Ci-joint', attachments: [a, b] });
    expect(res).toMatchObject({ status: 413, body: { code: 'messages.attachments-too-large' } });
  });

  it("updating a draft respects the attachments' limits (else sending it relays more than 10 MB)", async () => {
    const doctor = await proWithMailbox(tc);
    const patient = await activePatient(tc);
    const conv = await proWrites(doctor, patient.nir);
    const a = await upload(patient.token, Buffer.alloc(6 * MiB, 0x63), '/api/messages/uploads', 'a.bin');
    const b = await upload(patient.token, Buffer.alloc(6 * MiB, 0x64), '/api/messages/uploads', 'b.bin');
    // sent at once, refused
    expect(await post(`/api/messages/${conv.conversationId}/reply`, patient.token, { text: 'x', attachments: [a, b] })).toMatchObject({ status: 413 });
    // through a draft, the same attachments get in
    const draft = await post(`/api/messages/${conv.conversationId}/reply`, patient.token, { text: 'x', draft: true });
    expect(draft.status).toBe(201);
    const updated = await put(`/api/messages/drafts/${draft.body.messageId}`, patient.token, { text: 'x', attachments: [a, b] });
    expect(updated).toMatchObject({ status: 413, body: { code: 'messages.attachments-too-large' } });
  });

  it('an uploadId is usable only by whoever uploaded it', async () => {
    const doctor = await proWithMailbox(tc);
    const owner = await activePatient(tc);
    const other = await activePatient(tc);
    const theirs = await upload(owner.token, Buffer.from(`bilan sanguin de ${owner.nir}`), '/api/messages/uploads', 'bilan.txt');
    const conv = await proWrites(doctor, other.nir);
    const res = await post(`/api/messages/${conv.conversationId}/reply`, other.token, { text: 'x', attachments: [theirs] });
    expect(res).toMatchObject({ status: 404, body: { code: 'messages.upload-unknown' } });
    // nor by a professional
    const pro = await post('/api/pro/messages', doctor.token, { ins: other.nir, subject: 'x', text: 'y', attachments: [theirs] });
    expect(pro).toMatchObject({ status: 404, body: { code: 'messages.upload-unknown' } });
  });

  it('a document invisible to the patient (INVISIBLE_PATIENT) cannot be sent to the patient by message', async () => {
    const patient = await activePatient(tc);
    const depositor = await proWithMailbox(tc);
    const colleague = await proWithMailbox(tc);
    for (const p of [depositor, colleague]) expect((await post(`/api/pro/patients/${patient.patientId}/access`, p.token, { basis: 'care-team' })).status).toBe(201);
    const dep = await tc
      .request('POST', `/api/pro/patients/${patient.patientId}/documents?title=Annonce%20diagnostique&typeCode=11488-4&visibility=INVISIBLE_PATIENT`, {
        token: depositor.token,
        body: pdfBytes('Annonce', 2) as unknown as string,
        headers: { 'content-type': 'application/pdf' },
      })
      .then(json);
    expect(dep.status, JSON.stringify(dep.body)).toBe(201);
    expect(JSON.stringify((await get('/api/documents', patient.token)).body)).not.toContain(dep.body.id);
    const sent = await post('/api/pro/messages', colleague.token, { ins: patient.nir, subject: 'Document', text: 'Voici', attachments: [{ kind: 'document', documentId: dep.body.id }] });
    expect(sent).toMatchObject({ status: 422, body: { code: 'messages.document-hidden' } });
  });

  it('sending a draft that starts a conversation re-checks that the patient may still write to that professional', async () => {
    const doctor = await proWithMailbox(tc);
    const patient = await activePatient(tc);
    const conv = await proWrites(doctor, patient.nir);
    // the doctor wrote and did not end: the patient may start a conversation with them, and keeps it as a draft
    const draft = await post('/api/messages', patient.token, { to: doctor.address, subject: 'Autre sujet', text: 'Bonjour docteur', draft: true });
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    // the doctor ends the exchange: the patient may no longer write to them
    expect((await tc.request('POST', `/api/pro/messages/${patient.patientId}/${conv.conversationId}/end`, { token: doctor.token })).status).toBe(204);
    expect(await post('/api/messages', patient.token, { to: doctor.address, subject: 'Autre', text: 'x' })).toMatchObject({ status: 403, body: { code: 'messages.recipient-not-allowed' } });
    // nor through the draft
    expect(await post(`/api/messages/drafts/${draft.body.messageId}/send`, patient.token)).toMatchObject({ status: 403, body: { code: 'messages.recipient-not-allowed' } });
  });

  it('a message holding a NUL character is not deferred forever with 451: it is accepted (or refused for good)', async () => {
    const pro = await proWithMailbox(tc);
    const patient = await activePatient(tc);
    const t = relay();
    // "a\0b" as an encoded word, and a NUL in the text
    for (const mail of [
      { subject: '=?UTF-8?B?YQBi?=', text: 'Bonjour', messageId: `<nul-subject-${patient.nir}@demo.mssante.fr>` },
      { subject: 'Résultat', text: 'valeur\u0000 12', messageId: `<nul-text-${patient.nir}@demo.mssante.fr>` },
    ]) {
      const outcome = await t.sendMail({ from: pro.address, to: patient.address, ...mail }).then(
        (info) => ({ code: 250, response: info.response }),
        (err: { responseCode?: number; response?: string }) => ({ code: err.responseCode ?? 0, response: err.response }),
      );
      expect(outcome.code, outcome.response).not.toBe(451);
      expect([250, 550, 554]).toContain(outcome.code);
    }
  });

  it('a malformed conversation id is an unknown conversation (404 messages.unknown-conversation), not a database error', async () => {
    const pro = await proWithMailbox(tc);
    const patient = await activePatient(tc);
    const bad = '-'.repeat(36);
    for (const [method, url, token] of [
      ['GET', `/api/messages/${bad}`, patient.token],
      ['POST', `/api/messages/${bad}/trash`, patient.token],
      ['POST', `/api/messages/${bad}/reply`, patient.token],
      ['GET', `/api/pro/messages/${patient.patientId}/${bad}`, pro.token],
      ['POST', `/api/pro/messages/${patient.patientId}/${bad}/end`, pro.token],
    ] as const) {
      const res = await tc.request(method, url, { token, ...(method === 'POST' ? { json: { text: 'x' }, headers: { 'content-type': 'application/json' } } : {}) }).then(json);
      expect([method, url, res.status, res.body?.code]).toEqual([method, url, 404, 'messages.unknown-conversation']);
    }
  });

  it("an SMTP password of a structure's mailbox stops working when the professional leaves the structure", async () => {
    const pro = await proWithMailbox(tc);
    const orgAddress = `secretariat.${pro.rpps}@demo.mssante.fr`;
    await publishMailbox(tc, { address: orgAddress, kind: 'ORG', organizationId: pro.organizationId, organizationName: 'Cabinet' });
    const { password } = await createCredential(tc.db, { address: orgAddress, practitionerId: pro.practitionerId, label: 'Logiciel du cabinet' });
    const patient = await activePatient(tc);
    const submit = () =>
      nodemailer
        .createTransport({ host: '127.0.0.1', port: tc.smtpPort!, secure: false, ignoreTLS: true, auth: { user: orgAddress, pass: password } })
        .sendMail({ from: orgAddress, to: patient.address, subject: 'Rendez-vous', text: 'x' })
        .then(
          () => 250,
          (err: { responseCode?: number }) => err.responseCode ?? 0,
        );
    expect(await submit()).toBe(250);
    // the professional leaves the structure (the directory's role ends)
    await tc.db.query('UPDATE directory_role SET active = false WHERE id = $1', [pro.roleId]);
    expect(await submit()).toBe(535);
  });

  it("an IHE_XDM.ZIP whose submission set names the owner but whose documents are about another patient is refused (every patient id must be the owner's)", async () => {
    const doctor = await proWithMailbox(tc);
    const owner = await activePatient(tc);
    const other = await activePatient(tc);
    const zip = xdmPackage({ patientIns: owner.nir, documents: [{ ...pdfDocument({ title: 'Compte rendu' }), patientIns: other.nir }] });
    const outcome = await relay()
      .sendMail({ from: doctor.address, to: owner.address, subject: 'Compte rendu', text: 'Ci-joint', attachments: [{ filename: 'IHE_XDM.ZIP', contentType: 'application/zip', content: Buffer.from(zip) }] })
      .then(
        () => 250,
        (err: { responseCode?: number }) => err.responseCode,
      );
    const conv = (await get('/api/messages', owner.token)).body.items[0];
    if (conv) {
      // what it leads to: the owner files the other patient's document into their own record
      const view = await get(`/api/messages/${conv.id}`, owner.token);
      const msg = view.body.items[0];
      const filed = await post(`/api/messages/${conv.id}/messages/${msg.id}/attachments/0/file`, owner.token, { entry: 0 });
      expect(filed.status, 'another patient\'s document was filed into this record').not.toBe(201);
    }
    expect(outcome).toBe(550);
  });

  it('the certificate the gateway makes at start is always valid DER, so that the gateway always starts (its serial number is minimally encoded)', () => {
    // about 1 start in 256 failed with "asn1 encoding routines::illegal padding": serial[0] &= 0x7f can leave a
    // leading 0x00 before a byte < 0x80, which DER forbids and OpenSSL refuses (seen in this very file's beforeAll)
    const failures: string[] = [];
    for (let i = 0; i < 3000 && failures.length === 0; i++) {
      const { key, cert } = selfSignedCertificate('smtp.carnet.test', ['localhost', '127.0.0.1']);
      try {
        tls.createSecureContext({ key, cert });
      } catch (err) {
        failures.push(`${(err as Error).message}\n${cert}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('input errors carry a stable code, never the database’s own message (NUL characters)', async () => {
    const a = await proWithMailbox(tc);
    const b = await proWithMailbox(tc);
    const patient = await activePatient(tc);
    const room = await post('/api/chat/rooms', a.token, { title: 'Avis', members: [b.practitionerId] });
    expect(room.status).toBe(201);
    for (const res of [
      await post(`/api/chat/rooms/${room.body.id}/messages`, a.token, { body: 'x\u0000y' }),
      await post('/api/chat/rooms', a.token, { title: 'a\u0000b', members: [b.practitionerId] }),
      await get('/api/messages/contacts/search?q=%00%00', patient.token),
      await get('/api/pro/messages?patient=%00', a.token),
    ]) {
      expect(res.status).toBeLessThan(500);
      if (res.status >= 400) {
        expect(res.body.code, JSON.stringify(res.body)).toBeTruthy();
        expect(res.body.title).not.toMatch(/encoding|UTF8|byte sequence/i);
      }
    }
  });
});

describe('messaging abuse: what was tried and held', () => {
  it("neither another professional (even in the care team) nor another patient reads a conversation, a message or an attachment by guessing ids, over /api or /fhir", async () => {
    const writer = await proWithMailbox(tc);
    const other = await proWithMailbox(tc);
    const patient = await activePatient(tc);
    const stranger = await activePatient(tc);
    const att = await upload(writer.token, Buffer.from('secret'), '/api/pro/messages/uploads', 's.txt');
    const sent = await proWrites(writer, patient.nir, { text: 'Confidentiel', attachments: [att] });
    expect((await post(`/api/pro/patients/${patient.patientId}/access`, other.token, { basis: 'care-team' })).status).toBe(201);
    const pid = patient.patientId;
    for (const url of [
      `/fhir/Communication?patient=${pid}`,
      `/fhir/Communication?patient=${pid}&_summary=count`,
      `/fhir/Communication?patient=${pid}&_total=accurate`,
      `/fhir/Communication?patient=${pid}&_include=Communication:sender`,
      `/fhir/Communication?patient=${pid}&_content=Confidentiel`,
    ]) {
      const res = await get(url, other.token);
      const found = (res.body?.entry ?? []).filter((e: any) => e.resource?.resourceType === 'Communication');
      expect([url, res.status < 500, res.body?.total ?? 0, found.length], JSON.stringify(res.body)).toEqual([url, true, 0, 0]);
    }
    for (const url of [`/fhir/Communication/${sent.messageId}`, `/fhir/Communication/${sent.messageId}/_history`, `/fhir/Communication/${sent.messageId}/_history/1`]) {
      expect([url, (await get(url, other.token)).status]).toEqual([url, 404]);
    }
    for (const url of [`/fhir/Patient?_id=${pid}&_revinclude=Communication:subject`, `/fhir/Communication/_history?patient=${pid}`, `/fhir/AuditEvent?patient=${pid}`]) {
      const res = await get(url, other.token);
      expect(res.status).toBeLessThan(500);
      expect(JSON.stringify(res.body)).not.toContain('Confidentiel');
    }
    expect((await get(`/api/pro/messages/${pid}/${sent.conversationId}`, other.token)).status).toBe(404);
    for (let i = 0; i < 3; i++) {
      expect((await tc.request('GET', `/api/pro/messages/${pid}/${sent.conversationId}/messages/${sent.messageId}/attachments/${i}`, { token: other.token })).status).toBe(404);
    }
    expect((await tc.request('POST', `/api/pro/messages/${pid}/${sent.conversationId}/end`, { token: other.token })).status).toBe(404);
    expect((await post(`/api/pro/messages/${pid}/${sent.conversationId}/reply`, other.token, { text: 'x' })).status).toBe(404);
    // another patient
    expect((await get(`/api/messages/${sent.conversationId}`, stranger.token)).status).toBe(404);
    expect((await tc.request('GET', `/api/messages/${sent.conversationId}/messages/${sent.messageId}/attachments/0`, { token: stranger.token })).status).toBe(403);
    expect((await post(`/api/messages/${sent.conversationId}/messages/${sent.messageId}/attachments/0/file`, stranger.token, {})).status).toBe(403);
    expect((await post(`/api/messages/${sent.conversationId}/reply`, stranger.token, { text: 'x' })).status).toBe(404);
    const draft = await post(`/api/messages/${sent.conversationId}/reply`, patient.token, { text: 'brouillon', draft: true });
    for (const [m, u] of [['PUT', `/api/messages/drafts/${draft.body.messageId}`], ['POST', `/api/messages/drafts/${draft.body.messageId}/send`], ['DELETE', `/api/messages/drafts/${draft.body.messageId}`]] as const) {
      expect((await tc.request(m, u, { token: stranger.token, json: { text: 'x' }, headers: { 'content-type': 'application/json' } })).status).toBe(404);
    }
    // someone acting for a profile they do not hold
    expect((await get('/api/messages', stranger.token, { 'x-acting-for': pid })).body.code).toBe('acting-for.forbidden');
    // the writer cannot send as another's mailbox
    expect((await post('/api/pro/messages', writer.token, { ins: pid === patient.patientId ? patient.nir : '', subject: 's', text: 't', from: other.address })).body.code).toBe('messages.not-your-mailbox');
  });

  it("a document of another record is not attached, even by someone who reads both records", async () => {
    const doctor = await proWithMailbox(tc);
    const mine = await activePatient(tc);
    const theirs = await activePatient(tc);
    for (const p of [mine, theirs]) expect((await post(`/api/pro/patients/${p.patientId}/access`, doctor.token, { basis: 'care-team' })).status).toBe(201);
    const dep = await tc
      .request('POST', `/api/pro/patients/${theirs.patientId}/documents?title=CR&typeCode=11488-4`, { token: doctor.token, body: pdfBytes('CR', 1) as unknown as string, headers: { 'content-type': 'application/pdf' } })
      .then(json);
    expect(dep.status).toBe(201);
    const res = await post('/api/pro/messages', doctor.token, { ins: mine.nir, subject: 'x', text: 'y', attachments: [{ kind: 'document', documentId: dep.body.id }] });
    expect(res).toMatchObject({ status: 404, body: { code: 'messages.document-unknown' } });
    // a parent holding both profiles does not attach the child's document to their own message
    const adult = await insuredPatient(tc, { state: 'active' });
    const parent = await tc.user({ role: 'patient', patientId: adult.patientId, represents: [{ patientId: adult.patientId, relation: 'self' }, { patientId: theirs.patientId, relation: 'parent' }] });
    const conv = await proWrites(doctor, adult.nir);
    const acting = await post(`/api/messages/${conv.conversationId}/reply`, parent, { text: 'x', attachments: [{ kind: 'document', documentId: dep.body.id }] }, { 'x-acting-for': adult.patientId });
    expect([403, 404]).toContain(acting.status);
    expect(await post(`/api/messages/${conv.conversationId}/reply`, parent, { text: 'x', attachments: [{ kind: 'document', documentId: dep.body.id }] })).toMatchObject({ status: 404, body: { code: 'messages.document-unknown' } });
  });

  it('is no open relay, and refuses a patient-side sender; header injection through subjects and file names does not reach the envelope', async () => {
    const doctor = await proWithMailbox(tc);
    const patient = await activePatient(tc);
    const t = relay();
    const refused = (p: Promise<unknown>) => p.then(() => 250, (e: { responseCode?: number }) => e.responseCode);
    expect(await refused(t.sendMail({ from: doctor.address, to: 'someone@webmail.example', subject: 'x', text: 'y' }))).toBe(550);
    expect(await refused(t.sendMail({ from: 'x@untrusted.example', to: patient.address, subject: 'x', text: 'y' }))).toBe(550);
    expect(await refused(t.sendMail({ envelope: { from: doctor.address, to: [patient.address] }, from: patient.address, to: patient.address, subject: 'x', text: 'y' }))).toBe(550);
    expect(await refused(t.sendMail({ envelope: { from: '', to: [patient.address] }, from: doctor.address, to: patient.address, subject: 'x', text: 'y' }))).toBe(550);

    const conv = await proWrites(doctor, patient.nir, { subject: 'Bonjour\r\nBcc: injected@evil.example' });
    const att = await upload(patient.token, Buffer.from('ok'), '/api/messages/uploads', 'a.txt');
    const res = await post(`/api/messages/${conv.conversationId}/reply`, patient.token, { text: 'x', attachments: [{ ...att, filename: 'a.txt"\r\nBcc: injected2@evil.example\r\nX-Evil: 1' }] });
    expect(res.status).toBe(201);
    await tc.carnet.jobs.runNow();
    const mail = await sink.waitFor((m) => m.from === patient.address && m.subject.startsWith('Re: Bonjour'));
    expect(mail.envelope.to).toEqual([doctor.address]);
    expect(mail.parsed.headers.get('x-evil')).toBeUndefined();
    expect(mail.parsed.headers.get('bcc')).toBeUndefined();
  });

  it('an operator reads no message: not the outbox content, not the mailboxes', async () => {
    const doctor = await proWithMailbox(tc);
    const patient = await activePatient(tc);
    const conv = await proWrites(doctor, patient.nir, { subject: 'Sérologie positive' });
    expect((await post(`/api/messages/${conv.conversationId}/reply`, patient.token, { text: 'Que dois-je faire pour ma sérologie ?' })).status).toBe(201);
    const operator = await tc.user({ role: 'operator' });
    const outbox = await get('/api/admin/outbox?limit=1000', operator);
    expect(outbox.status).toBe(200);
    expect(JSON.stringify(outbox.body)).not.toMatch(/sérologie|Sérologie/);
    expect((await get('/api/messages', operator)).status).toBe(403);
    expect((await get('/api/pro/messages', operator)).status).toBe(403);
    expect((await get(`/fhir/Communication/${conv.messageId}`, operator)).status).toBe(403);
  });

  it('chat: a non-member learns nothing of a room; every new route answers malformed input without a 500', async () => {
    const a = await proWithMailbox(tc);
    const b = await proWithMailbox(tc);
    const c = await proWithMailbox(tc);
    const patient = await activePatient(tc);
    const room = await post('/api/chat/rooms', a.token, { title: 'Avis', members: [b.practitionerId] });
    expect(room.status).toBe(201);
    expect(await get(`/api/chat/rooms/${room.body.id}/messages`, c.token)).toMatchObject({ status: 404, body: { code: 'chat.room-unknown' } });
    expect((await post(`/api/chat/rooms/${room.body.id}/messages`, c.token, { body: 'x' })).status).toBe(404);
    expect((await post(`/api/chat/rooms/${room.body.id}/members`, c.token, { members: [c.practitionerId + 'x'] })).status).toBe(404);
    expect((await get(`/api/chat/rooms/${room.body.id}/messages`, patient.token)).status).toBe(403);

    const conv = await proWrites(a, patient.nir);
    const routes: [string, string, string][] = [
      ['POST', '/api/messages', patient.token],
      ['POST', `/api/messages/${conv.conversationId}/reply`, patient.token],
      ['POST', `/api/messages/${conv.conversationId}/messages/${conv.messageId}/attachments/0/file`, patient.token],
      ['POST', '/api/pro/messages', a.token],
      ['POST', `/api/pro/messages/${patient.patientId}/${conv.conversationId}/reply`, a.token],
      ['POST', '/api/pro/messages/colleagues', a.token],
      ['POST', '/api/pro/messages/credentials', a.token],
      ['POST', '/api/chat/rooms', a.token],
      ['POST', `/api/chat/rooms/${room.body.id}/read`, a.token],
    ];
    const bodies = [
      '{bad json',
      '[]',
      '"text"',
      'null',
      JSON.stringify({ text: 1e400, subject: { a: 1 }, to: ['x'], attachments: [null, 1, 'x', { kind: 'upload' }] }),
      JSON.stringify({ ins: 12345, patientId: ['a'], subject: 'x', text: 'y', end: 'yes', entry: 1e308, seq: 1e300 }),
      JSON.stringify({ text: '\ud83d', subject: '\udfff', title: '\ud800', members: ['\u0000'] }),
      JSON.stringify({ to: Array(30).fill('a@b.example'), subject: 's', text: 't'.repeat(100_001) }),
    ];
    const problems: unknown[] = [];
    for (const [method, url, token] of routes) {
      for (const body of bodies) {
        const res = await tc.request(method, url, { token, body, headers: { 'content-type': 'application/json' } });
        const type = res.headers.get('content-type') ?? '';
        if (res.status >= 500 || (res.status >= 400 && !type.includes('problem+json'))) problems.push([method, url, body.slice(0, 30), res.status, await res.text()]);
      }
    }
    expect(problems).toEqual([]);
  });
});
