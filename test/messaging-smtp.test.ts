import { execFile } from 'node:child_process';
import { randomUUID, X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../src/domain/messaging/index.js';
import { createCredential, listCredentials, revokeCredential, verifyCredential } from '../src/services/messaging/credentials.js';
import { MSS_EXTENSION } from '../src/services/messaging/deps.js';
import { SmtpGateway } from '../src/services/messaging/smtp-gateway.js';
import { selfSignedCertificate } from '../src/services/messaging/tls-certificate.js';
import { startCarnet, type TestCarnet } from './support/carnet.js';
import { insuredPatient, professional, type TestPatient, type TestPro } from './support/care.js';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';
import { cdaDocument, pdfDocument, xdmPackage } from './support/xdm.js';

/**
 * The SMTP gateway over real SMTP (issue 7, docs/messaging-smtp.md): Debian's swaks and nodemailer as the
 * clients, a pharmacist of the trusted demo operator (demo.mssante.fr) writing to patients'
 * `<INS>@patient.carnet.test` mailboxes, relaying, bounces and alerts delivered to a test SMTP sink.
 */

const PHARMACIST = 'antoine.leroy@demo.mssante.fr';
const DOCTOR = 'claire.durand@demo.mssante.fr';
const QUOTA = 1024 * 1024;

interface SwaksResult {
  exit: number;
  out: string;
}

describe('messaging: the SMTP gateway', () => {
  let tc: TestCarnet;
  let sink: SmtpSink;
  let pharmacist: TestPro;
  let doctor: TestPro;
  let password: string;
  let tmp: string;
  const addressOf = (p: TestPatient) => `${p.nir}@patient.carnet.test`;

  beforeAll(async () => {
    sink = await startSmtpSink();
    tc = await startCarnet({ smtp: true, env: { SMTP_URL: sink.url, MAIL_QUOTA_BYTES: String(QUOTA), MAIL_TRUSTED_DOMAINS: 'demo.mssante.fr' } });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-smtp-'));
    pharmacist = await professional(tc, { family: 'Leroy', given: 'Antoine', profession: '21' });
    doctor = await professional(tc, { family: 'Durand', given: 'Claire', profession: '10' });
    for (const [address, pro] of [[PHARMACIST, pharmacist], [DOCTOR, doctor]] as const) {
      await tc.db.query(`INSERT INTO directory_mailbox (address, kind, practitioner_id, active, updated_at) VALUES ($1, 'PER', $2, true, now())`, [address, pro.practitionerId]);
    }
    ({ password } = await createCredential(tc.db, { address: PHARMACIST, practitionerId: pharmacist.practitionerId, label: 'Logiciel officine' }));
  });
  afterAll(async () => {
    await tc?.close();
    await sink?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** An active profile whose holder has a verified e-mail address (for the alerts). */
  async function activePatient(state = 'active'): Promise<TestPatient & { email: string }> {
    const p = await insuredPatient(tc, { state });
    const email = `patient.${p.nir}@exemple.fr`;
    await tc.db.query(`UPDATE app_user SET email = $2, email_verified_at = now() WHERE patient_id = $1`, [p.patientId, email]);
    return { ...p, email };
  }

  function swaks(args: string[], server = `127.0.0.1:${tc.smtpPort}`): Promise<SwaksResult> {
    return new Promise((resolve) =>
      execFile('swaks', ['--server', server, '--helo', 'mta.demo.mssante.fr', '--timeout', '30', ...args], { timeout: 60_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) =>
        resolve({ exit: err ? Number((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }),
      ),
    );
  }

  function file(name: string, content: Uint8Array | string): string {
    const dir = fs.mkdtempSync(path.join(tmp, 'f-'));
    const p = path.join(dir, name);
    fs.writeFileSync(p, content);
    return p;
  }

  function transport(auth?: { user: string; pass: string }) {
    return nodemailer.createTransport({ host: '127.0.0.1', port: tc.smtpPort!, secure: false, ignoreTLS: true, ...(auth ? { auth } : {}) });
  }

  async function communications(p: TestPatient): Promise<any[]> {
    const res = await tc.request('GET', `/fhir/Communication?patient=${p.patientId}&_count=50`, { token: p.token });
    expect(res.status).toBe(200);
    return ((await res.json()).entry ?? []).map((e: any) => e.resource);
  }

  const messageRows = async (p: TestPatient) =>
    (await tc.db.query<{ message_id: string; conversation_id: string }>('SELECT message_id, conversation_id FROM mss_message WHERE patient_id = $1', [p.patientId])).rows;

  it('accepts a pharmacist of a trusted operator (swaks, no authentication) and files the message with its attachment; the alert carries no health content', async () => {
    const p = await activePatient();
    const pdf = file('ordonnance.pdf', pdfDocument().content);
    const r = await swaks([
      '--from', PHARMACIST,
      '--to', addressOf(p),
      '--header', 'Subject: Votre traitement par metformine',
      '--header', 'Message-Id: <swaks-1@demo.mssante.fr>',
      '--add-header', 'X-MSS-NIL: logiciel-officine-1.0',
      '--body', 'Bonjour, votre ordonnance de metformine est prête.',
      '--attach-type', 'application/pdf',
      '--attach', `@${pdf}`,
    ]);
    expect(r.out).toMatch(/<-\s+250 2\.6\.0 Message accepted/);
    expect(r.exit).toBe(0);

    const [c] = await communications(p);
    expect(c).toMatchObject({
      resourceType: 'Communication',
      status: 'completed',
      subject: { reference: `Patient/${p.patientId}` },
      topic: { text: 'Votre traitement par metformine' },
      identifier: [{ value: 'swaks-1@demo.mssante.fr' }],
      sender: { reference: `Practitioner/${pharmacist.practitionerId}` },
    });
    expect(c.payload[0].contentString).toContain('ordonnance de metformine');
    expect(c.payload[1].contentAttachment).toMatchObject({ contentType: 'application/pdf', title: 'ordonnance.pdf', size: pdfDocument().content.length });
    expect(c.extension).toContainEqual({ url: MSS_EXTENSION.from, valueString: PHARMACIST });

    await tc.carnet.jobs.runNow();
    const alert = await sink.waitFor((m) => m.to.includes(p.email));
    expect(`${alert.subject}\n${alert.text}`).not.toMatch(/metformine|ordonnance|Leroy/i);
    expect(alert.attachments).toEqual([]);
  });

  it('accepts an authenticated submission (nodemailer, AUTH PLAIN and LOGIN with a credential) from the pharmacist', async () => {
    const p = await activePatient();
    for (const method of ['PLAIN', 'LOGIN']) {
      const t = nodemailer.createTransport({ host: '127.0.0.1', port: tc.smtpPort!, secure: false, ignoreTLS: true, auth: { user: PHARMACIST, pass: password, method } });
      const info = await t.sendMail({ from: { name: 'Antoine Leroy', address: PHARMACIST }, to: addressOf(p), subject: `Par ${method}`, text: 'Bonjour', messageId: `<auth-${method}@demo.mssante.fr>` });
      t.close();
      expect(info.response).toMatch(/^250 2\.6\.0/);
    }
    const list = await communications(p);
    expect(list.map((c) => c.topic.text).sort()).toEqual(['Par LOGIN', 'Par PLAIN']);
    const [cred] = await listCredentials(tc.db, { practitionerId: pharmacist.practitionerId });
    expect(cred!.lastUsedAt).not.toBeNull();
  });

  it('offers STARTTLS with a certificate made at start (swaks --tls), and authenticates inside it', async () => {
    const p = await activePatient();
    const r = await swaks(['--tls', '--auth', 'PLAIN', '--auth-user', PHARMACIST, '--auth-password', password, '--from', PHARMACIST, '--to', addressOf(p), '--header', 'Subject: Sous TLS']);
    expect(r.out).toMatch(/STARTTLS/);
    expect(r.out).toMatch(/TLS started/i);
    expect(r.out).toMatch(/235 Authentication successful/);
    expect(r.out).toMatch(/<~\s+250 2\.6\.0 Message accepted/);
    expect((await communications(p)).map((c) => c.topic.text)).toEqual(['Sous TLS']);
  });

  it('refuses an unknown recipient (550 5.1.1) and a closed profile (550 5.2.1) at RCPT, with the reason', async () => {
    const unknown = await swaks(['--from', PHARMACIST, '--to', '180017512345600@patient.carnet.test']);
    expect(unknown.out).toMatch(/<\*\*\s+550 5\.1\.1 No active patient profile has this address/);
    expect(unknown.exit).not.toBe(0);
    const opened = await activePatient('open'); // has not activated their profile: no mailbox yet
    expect((await swaks(['--from', PHARMACIST, '--to', addressOf(opened)])).out).toMatch(/550 5\.1\.1/);
    const closed = await activePatient('closed');
    const r = await swaks(['--from', PHARMACIST, '--to', addressOf(closed)]);
    expect(r.out).toMatch(/<\*\*\s+550 5\.2\.1 This patient profile is closed: it receives no messages/);
  });

  it('is no open relay: an untrusted sender without authentication is denied, and a trusted one only writes to patients', async () => {
    const p = await activePatient();
    const untrusted = await swaks(['--from', 'someone@spam.example', '--to', addressOf(p)]);
    expect(untrusted.out).toMatch(/<\*\*\s+550 5\.7\.1 Relay denied: the domain spam\.example is not on the trust list/);
    const outward = await swaks(['--from', PHARMACIST, '--to', 'friend@gmail.example']);
    expect(outward.out).toMatch(/<\*\*\s+550 5\.7\.1 Relay denied/);
    const nullSender = await swaks(['--from', '<>', '--to', addressOf(p)]);
    expect(nullSender.out).toMatch(/550 5\.7\.1 Relay denied/);
    // a spoofed From header in a trusted envelope
    const spoofed = await swaks(['--from', PHARMACIST, '--to', addressOf(p), '--header', 'From: <someone@spam.example>']);
    expect(spoofed.out).toMatch(/<\*\*\s+550 5\.7\.1 The From address is not in a domain of the trust list/);
    expect(await communications(p)).toEqual([]);
  });

  it('refuses a wrong password (535), a revoked credential, and a sender address that is not the authenticated mailbox (553)', async () => {
    const p = await activePatient();
    const wrong = await swaks(['--auth', 'PLAIN', '--auth-user', PHARMACIST, '--auth-password', 'not-the-password', '--from', PHARMACIST, '--to', addressOf(p)]);
    expect(wrong.out).toMatch(/<\*\*\s+535 5\.7\.8 Authentication failed/);
    await expect(transport({ user: PHARMACIST, pass: `${password}x` }).sendMail({ from: PHARMACIST, to: addressOf(p), text: 'x' })).rejects.toMatchObject({ responseCode: 535 });

    const other = await swaks(['--auth', 'PLAIN', '--auth-user', PHARMACIST, '--auth-password', password, '--from', DOCTOR, '--to', addressOf(p)]);
    expect(other.out).toMatch(/<\*\*\s+553 5\.7\.1 Sender address rejected/);
    const header = await swaks(['--auth', 'PLAIN', '--auth-user', PHARMACIST, '--auth-password', password, '--from', PHARMACIST, '--header', `From: <${DOCTOR}>`, '--to', addressOf(p)]);
    expect(header.out).toMatch(/<\*\*\s+553 5\.7\.1 From: claire\.durand@demo\.mssante\.fr is not your mailbox/);

    const made = await createCredential(tc.db, { address: DOCTOR, practitionerId: doctor.practitionerId, label: 'Poste du cabinet' });
    expect(made.password.length).toBeGreaterThanOrEqual(24);
    expect(await verifyCredential(tc.db, DOCTOR, made.password)).toMatchObject({ mailbox: { address: DOCTOR } });
    await revokeCredential(tc.db, { id: made.credential.id, practitionerId: doctor.practitionerId });
    expect(await verifyCredential(tc.db, DOCTOR, made.password)).toBeUndefined();
    const revoked = await swaks(['--auth', 'LOGIN', '--auth-user', DOCTOR, '--auth-password', made.password, '--from', DOCTOR, '--to', addressOf(p)]);
    expect(revoked.out).toMatch(/535 5\.7\.8/);
    // nobody makes a credential for somebody else's mailbox
    await expect(createCredential(tc.db, { address: DOCTOR, practitionerId: pharmacist.practitionerId, label: 'x' })).rejects.toMatchObject({ status: 403, code: 'messages.not-your-mailbox' });
    await expect(createCredential(tc.db, { address: 'nobody@demo.mssante.fr', practitionerId: pharmacist.practitionerId, label: 'x' })).rejects.toMatchObject({ status: 404 });
    expect(await communications(p)).toEqual([]);
  });

  it(`refuses a message over ${LIMITS.maxMessageBytes} bytes (552 5.3.4)`, async () => {
    const p = await activePatient();
    const big = Buffer.alloc(LIMITS.maxMessageBytes, 7);
    // nodemailer announces the size (MAIL FROM SIZE=): refused before DATA
    const err = await transport({ user: PHARMACIST, pass: password })
      .sendMail({ from: PHARMACIST, to: addressOf(p), subject: 'Trop gros', text: 'x', attachments: [{ filename: 'big.bin', content: big }] })
      .catch((e: unknown) => e as { responseCode?: number; response?: string });
    expect(err).toMatchObject({ responseCode: 552 });
    // swaks does not: refused after DATA
    const r = await swaks(['--from', PHARMACIST, '--to', addressOf(p), '--attach', `@${file('big.bin', big)}`]);
    expect(r.out).toMatch(/<\*\*\s+552 5\.3\.4 Message too large/);
    expect(await communications(p)).toEqual([]);
  });

  it("refuses what would exceed the mailbox's quota (552 5.2.2)", async () => {
    const p = await activePatient();
    const t = transport({ user: PHARMACIST, pass: password });
    const part = () => Buffer.from(randomUUID().repeat(Math.ceil((0.6 * QUOTA) / 36))).subarray(0, Math.floor(0.6 * QUOTA));
    await t.sendMail({ from: PHARMACIST, to: addressOf(p), subject: 'Premier', text: 'x', attachments: [{ filename: 'a.bin', content: part() }] });
    const err = await t.sendMail({ from: PHARMACIST, to: addressOf(p), subject: 'Second', text: 'x', attachments: [{ filename: 'b.bin', content: part() }] }).catch((e: unknown) => e);
    t.close();
    expect(err).toMatchObject({ responseCode: 552 });
    expect((err as { response: string }).response).toMatch(/^552 5\.2\.2 The mailbox is full/);
    expect((await communications(p)).map((c) => c.topic.text)).toEqual(['Premier']);
  });

  it('X-MSS-MES: FIN ends the conversation', async () => {
    const p = await activePatient();
    const r = await swaks(['--from', PHARMACIST, '--to', addressOf(p), '--header', 'Subject: Fin du suivi', '--add-header', 'X-MSS-MES: FIN']);
    expect(r.exit).toBe(0);
    const { rows } = await tc.db.query<{ closed_at: Date | null; closed_by: string | null }>('SELECT closed_at, closed_by FROM mss_conversation WHERE patient_id = $1', [p.patientId]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.closed_at).not.toBeNull();
    expect(rows[0]!.closed_by).toBe(PHARMACIST);
    const [c] = await communications(p);
    expect(c.extension).toContainEqual({ url: MSS_EXTENSION.ends, valueBoolean: true });
  });

  it("accepts an IHE_XDM.ZIP about the mailbox's owner: the attachment lists the XDM documents", async () => {
    const p = await activePatient();
    const zip = file('IHE_XDM.ZIP', xdmPackage({ patientIns: p.nir, documents: [cdaDocument({ ins: p.nir }), pdfDocument()] }));
    const r = await swaks([
      '--from', DOCTOR, '--to', addressOf(p), '--header', 'Subject: Compte rendu',
      '--add-header', 'X-MSS-CODECDA: 11488-4', '--add-header', 'X-MSS-INS: O',
      '--attach-type', 'application/zip', '--attach', `@${zip}`,
    ]);
    expect(r.out).toMatch(/250 2\.6\.0 Message accepted/);
    const [c] = await communications(p);
    const att = c.payload.find((x: any) => x.contentAttachment)?.contentAttachment;
    expect(att).toMatchObject({ title: 'IHE_XDM.ZIP', contentType: 'application/zip' });
    const xdm = JSON.parse(att.extension.find((e: any) => e.url === MSS_EXTENSION.xdm).valueString);
    expect(xdm).toEqual([
      expect.objectContaining({ path: 'IHE_XDM/SUBSET01/DOC0001.XML', mimeType: 'text/xml', typeCode: '11488-4', title: 'Compte rendu de consultation', date: '2025-03-14' }),
      expect.objectContaining({ path: 'IHE_XDM/SUBSET01/DOC0002.PDF', mimeType: 'application/pdf' }),
    ]);
  });

  it('refuses an IHE_XDM.ZIP about another patient (550 5.7.1) and an unreadable one (554 5.6.0), with the reason', async () => {
    const p = await activePatient();
    const other = await activePatient();
    const zip = file('IHE_XDM.ZIP', xdmPackage({ patientIns: other.nir, documents: [cdaDocument({ ins: other.nir })] }));
    const r = await swaks(['--from', DOCTOR, '--to', addressOf(p), '--attach-type', 'application/zip', '--attach', `@${zip}`]);
    expect(r.out).toMatch(/<\*\*\s+550 5\.7\.1 The IHE XDM package is about another patient than the mailbox's owner/);
    const broken = file('IHE_XDM.ZIP', 'this is no zip');
    const b = await swaks(['--from', DOCTOR, '--to', addressOf(p), '--attach', `@${broken}`]);
    expect(b.out).toMatch(/<\*\*\s+554 5\.6\.0 The IHE_XDM\.ZIP attachment cannot be read/);
    expect(await communications(p)).toEqual([]);
  });

  it('refuses a malformed MIME message (554 5.6.0) and a zip bomb in IHE_XDM.ZIP, with the reason, storing nothing', async () => {
    const p = await activePatient();
    const truncated = file(
      'truncated.eml',
      `From: <${DOCTOR}>\r\nTo: <${addressOf(p)}>\r\nSubject: Coupé\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nLe début seulement\r\n`,
    );
    const t = await swaks(['--from', DOCTOR, '--to', addressOf(p), '--data', `@${truncated}`]);
    expect(t.out).toMatch(/<\*\*\s+554 5\.6\.0 Malformed MIME: the multipart body is never closed/);
    const headless = file('headless.eml', 'just some words without any header\r\n');
    expect((await swaks(['--from', DOCTOR, '--to', addressOf(p), '--data', `@${headless}`])).out).toMatch(/554 5\.6\.0 Malformed message/);
    const bomb = file('IHE_XDM.ZIP', xdmPackage({ patientIns: p.nir, documents: [cdaDocument({ ins: p.nir })], extra: { 'IHE_XDM/SUBSET01/ZEROS.BIN': new Uint8Array(51 * 1024 * 1024) } }));
    const b = await swaks(['--from', DOCTOR, '--to', addressOf(p), '--attach-type', 'application/zip', '--attach', `@${bomb}`]);
    expect(b.out).toMatch(/<\*\*\s+554 5\.6\.0 The IHE_XDM\.ZIP attachment cannot be read: .*50 MB/);
    expect(await communications(p)).toEqual([]);
  });

  it('accepts a message for several patients when only some can take it, and sends the sender a report for the others', async () => {
    const a = await activePatient();
    const b = await activePatient();
    const zip = file('IHE_XDM.ZIP', xdmPackage({ patientIns: a.nir, documents: [cdaDocument({ ins: a.nir })] }));
    const r = await swaks(['--from', DOCTOR, '--to', `${addressOf(a)},${addressOf(b)}`, '--header', 'Subject: Résultats', '--header', 'Message-Id: <partial-1@demo.mssante.fr>', '--attach', `@${zip}`]);
    expect(r.out).toMatch(/250 2\.6\.0 Message accepted for 1 of 2 recipients: a report follows/);
    expect(await communications(a)).toHaveLength(1);
    expect(await communications(b)).toEqual([]);
    await tc.carnet.jobs.runNow();
    const report = await sink.waitFor((m) => m.to.includes(DOCTOR) && m.text.includes('partial-1@demo.mssante.fr'));
    expect(report.from).toBe('mailer-daemon@carnet.test');
    expect(report.text).toContain(`Final-Recipient: rfc822; ${addressOf(b)}`);
    expect(report.text).toContain('Status: 5.7.1');
    expect(report.text).not.toContain(`Final-Recipient: rfc822; ${addressOf(a)}`);
    expect(report.parsed.inReplyTo).toBe('<partial-1@demo.mssante.fr>');
  });

  it('stores a message re-sent with the same Message-ID once', async () => {
    const p = await activePatient();
    const t = transport();
    for (let i = 0; i < 2; i++) {
      const info = await t.sendMail({ from: PHARMACIST, to: addressOf(p), subject: 'Relance', text: 'x', messageId: '<dup-1@demo.mssante.fr>' });
      expect(info.response).toMatch(/^250/);
    }
    // without a Message-ID, the same bytes are the same message too
    const raw = `From: <${PHARMACIST}>\r\nTo: <${addressOf(p)}>\r\nSubject: Sans identifiant\r\nDate: Mon, 3 Mar 2025 10:00:00 +0100\r\n\r\nBonjour\r\n`;
    for (let i = 0; i < 2; i++) await t.sendMail({ envelope: { from: PHARMACIST, to: [addressOf(p)] }, raw });
    t.close();
    const rows = await messageRows(p);
    expect(rows.filter((r) => r.message_id === 'dup-1@demo.mssante.fr')).toHaveLength(1);
    expect(rows).toHaveLength(2);
    expect(await communications(p)).toHaveLength(2);
  });

  it('answers a database failure with 451 4.3.0, never 5xx; the retry is delivered', async () => {
    const p = await activePatient();
    const db = tc.carnet.messaging.db;
    const query = db.query.bind(db);
    let fail = true;
    db.query = (async (text: string, params?: unknown[]) => {
      if (fail && /FROM mss_message/.test(text)) throw new Error('connection terminated unexpectedly');
      return query(text, params);
    }) as typeof db.query;
    try {
      const err = await transport().sendMail({ from: PHARMACIST, to: addressOf(p), subject: 'Transitoire', text: 'x', messageId: '<transient-1@demo.mssante.fr>' }).catch((e: unknown) => e);
      expect(err).toMatchObject({ responseCode: 451 });
      expect((err as { response: string }).response).toMatch(/^451 4\.3\.0/);
    } finally {
      fail = false;
      db.query = query;
    }
    await transport().sendMail({ from: PHARMACIST, to: addressOf(p), subject: 'Transitoire', text: 'x', messageId: '<transient-1@demo.mssante.fr>' });
    expect(await communications(p)).toHaveLength(1);
  });

  it('relays an authenticated professional’s message to a mailbox outside Carnet through SMTP_URL', async () => {
    const p = await activePatient();
    const outside = 'secretariat@ch-exemple.mssante.fr';
    const t = transport({ user: PHARMACIST, pass: password });
    await t.sendMail({
      from: { name: 'Antoine Leroy', address: PHARMACIST },
      to: [outside, addressOf(p)],
      subject: 'Dispensation',
      text: 'Délivrance effectuée.',
      messageId: '<relay-1@demo.mssante.fr>',
      headers: { 'X-MSS-NIL': 'logiciel-officine-1.0', 'X-MSS-MES': 'FIN' },
      attachments: [{ filename: 'bon.pdf', contentType: 'application/pdf', content: Buffer.from(pdfDocument().content) }],
    });
    t.close();
    expect(await communications(p)).toHaveLength(1);
    await tc.carnet.jobs.runNow();
    const relayed = await sink.waitFor((m) => m.to.includes(outside));
    expect(relayed.envelope).toEqual({ from: PHARMACIST, to: [outside] });
    expect(relayed.subject).toBe('Dispensation');
    expect(relayed.text).toContain('Délivrance effectuée.');
    expect(relayed.parsed.messageId).toBe('<relay-1@demo.mssante.fr>');
    expect(relayed.parsed.headers.get('x-mss-nil')).toBe('logiciel-officine-1.0');
    expect(relayed.parsed.headers.get('x-mss-mes')).toBe('FIN');
    expect(relayed.attachments).toHaveLength(1);
    expect(relayed.attachments[0]).toMatchObject({ filename: 'bon.pdf', contentType: 'application/pdf' });
    expect(Buffer.compare(relayed.attachments[0]!.content, Buffer.from(pdfDocument().content))).toBe(0);
  });
  it('makes a valid self-signed certificate when none is configured', () => {
    const { key, cert } = selfSignedCertificate('smtp.carnet.test', ['localhost', '127.0.0.1']);
    const x = new X509Certificate(cert);
    expect(x.verify(createPublicKey(createPrivateKey(key)))).toBe(true);
    expect(x.subject).toBe('CN=smtp.carnet.test');
    expect(x.subjectAltName).toBe('DNS:smtp.carnet.test, DNS:localhost, IP Address:127.0.0.1');
    expect(new Date(x.validTo).getTime()).toBeGreaterThan(Date.now() + 300 * 86_400_000);
  });

  const external = Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
  it.skipIf(!external)('takes AUTH from a client off loopback only inside STARTTLS (538 5.7.11 before)', async () => {
    const gateway = new SmtpGateway(tc.carnet.messaging, { info: () => undefined, warn: () => undefined, error: () => undefined });
    const port = await gateway.listen(0, external!);
    try {
      const p = await activePatient();
      const auth = ['--auth', 'PLAIN', '--auth-user', PHARMACIST, '--auth-password', password, '--from', PHARMACIST, '--to', addressOf(p)];
      const clear = await swaks(auth, `${external}:${port}`);
      expect(clear.out).toMatch(/<\*\*\s+538 5\.7\.11 Encryption required/);
      const tls = await swaks(['--tls', ...auth], `${external}:${port}`);
      expect(tls.out).toMatch(/<~\s+235 Authentication successful/);
      expect(tls.out).toMatch(/<~\s+250 2\.6\.0 Message accepted/);
    } finally {
      await gateway.close();
    }
  });
});
