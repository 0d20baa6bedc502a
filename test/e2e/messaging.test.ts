import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCarnet, type TestCarnet } from '../support/carnet.js';
import { insuredPatient, professional, type TestPatient, type TestPro } from '../support/care.js';
import { pdfBytes } from '../support/mhd-bundles.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { pdfDocument, xdmPackage } from '../support/xdm.js';
import { chromiumAvailable, expectAccessible, useBrowser, withPage, type Device } from './support/browser.js';

/**
 * The secure messaging in a real browser (Debian's Chromium) on the built web app, with mail coming from
 * outside the code base: Debian's swaks writes to the test Carnet's SMTP gateway as a pharmacist and a doctor
 * of the trusted demo operator; what patients send is relayed to a test SMTP sink.
 *
 * - the patient reads a pharmacist's message, files its PDF into "Mes documents", saves a reply as a draft,
 *   edits and sends it; the sink receives it (To the pharmacist, In-Reply-To his message);
 * - an IHE_XDM.ZIP attachment: its document is filed with one click and shows in "Mes documents";
 * - a doctor ends the exchange (X-MSS-MES: FIN): no reply form, the explanation; the API refuses a reply;
 * - the patient writes to a pharmacy they used (a dispensation row); a doctor who never wrote is neither
 *   offered nor accepted by the API (403 messages.recipient-not-allowed);
 * - a doctor writes to a patient from the professional inbox, the patient reads it; an SMTP password for
 *   the doctor's mail client is created and revoked;
 * - axe on every screen, at desktop size and on a phone.
 *
 * The tests run in order: each uses the mailbox the previous ones filled.
 */

const PHARMACIST = 'antoine.leroy@demo.mssante.fr';
const DOCTOR = 'claire.durand@demo.mssante.fr';
const STRANGER = 'jean.petit@demo.mssante.fr';
const PHARMACY_ORG = 'PHARMA-MARCHE';

/** The browser logs the 4xx answers of refused fetches. */
const FETCH_ERRORS = [/status of 4\d\d/];

interface SwaksResult {
  exit: number;
  out: string;
}

describe.skipIf(!chromiumAvailable())('the secure messaging in the browser', () => {
  const browser = useBrowser();
  let tc: TestCarnet;
  let sink: SmtpSink;
  let pharmacist: TestPro;
  let doctor: TestPro;
  let stranger: TestPro;
  let patient: TestPatient;
  let tmp: string;
  const address = () => `${patient.nir}@patient.carnet.test`;

  beforeAll(async () => {
    sink = await startSmtpSink();
    tc = await startCarnet({ smtp: true, env: { SMTP_URL: sink.url, MAIL_TRUSTED_DOMAINS: 'demo.mssante.fr', RATE_LIMIT_PER_MINUTE: '10000' } });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-msg-e2e-'));
    pharmacist = await professional(tc, {
      family: 'Leroy',
      given: 'Antoine',
      profession: '21',
      organization: { id: PHARMACY_ORG, name: 'Pharmacie du Marché', city: 'Lyon' },
    });
    // an officine's pharmacist (section A of the Ordre): patients may write to the pharmacy
    await tc.db.query(`UPDATE directory_role SET pharmacist_section_code = 'A' WHERE practitioner_id = $1`, [pharmacist.practitionerId]);
    doctor = await professional(tc, { family: 'Durand', given: 'Claire', profession: '10' });
    stranger = await professional(tc, { family: 'Petit', given: 'Jean', profession: '10' });
    for (const [mailbox, pro] of [[PHARMACIST, pharmacist], [DOCTOR, doctor], [STRANGER, stranger]] as const) {
      await tc.db.query(`INSERT INTO directory_mailbox (address, kind, practitioner_id, active, updated_at) VALUES ($1, 'PER', $2, true, now())`, [mailbox, pro.practitionerId]);
    }
    patient = await insuredPatient(tc, { given: 'Margaux', state: 'active' });
  });
  afterAll(async () => {
    await tc?.close();
    await sink?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  function swaks(args: string[]): Promise<SwaksResult> {
    return new Promise((resolve) =>
      execFile(
        'swaks',
        ['--server', `127.0.0.1:${tc.smtpPort}`, '--helo', 'mta.demo.mssante.fr', '--timeout', '30', ...args],
        { timeout: 60_000, maxBuffer: 64 << 20 },
        (err, stdout, stderr) => resolve({ exit: err ? Number((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }),
      ),
    );
  }

  async function mailIn(args: string[]): Promise<void> {
    const r = await swaks(args);
    expect(r.out).toMatch(/<-\s+250 /);
    expect(r.exit, r.out).toBe(0);
  }

  function file(name: string, content: Uint8Array | string): string {
    const dir = fs.mkdtempSync(path.join(tmp, 'f-'));
    const p = path.join(dir, name);
    fs.writeFileSync(p, content);
    return p;
  }

  /** Opens the patient space with the patient's token, as the web app keeps it after sign-in (sessionStorage). */
  async function openAsPatient(page: Page, where: string): Promise<void> {
    await page.addInitScript((token) => {
      if (window.top !== window) return;
      sessionStorage.setItem('carnet.accessToken', token);
    }, patient.token);
    await page.goto(`${tc.baseUrl}${where}`);
  }

  async function openAsPro(page: Page, pro: TestPro, where: string): Promise<void> {
    await page.goto(`${tc.baseUrl}/pro`);
    await page.evaluate((token) => sessionStorage.setItem('carnet.accessToken', token), pro.token);
    await page.goto(`${tc.baseUrl}${where}`);
  }

  const inboxHeading = (page: Page) => page.getByRole('heading', { level: 1, name: 'Messagerie' });
  const conversationLink = (page: Page, subject: string) => page.getByRole('article', { name: subject }).getByRole('link', { name: subject });

  it('a pharmacist writes by SMTP; the patient reads, files the PDF, drafts a reply, edits and sends it; the sink gets it', () =>
    withPage(
      browser(),
      async ({ page }) => {
        const pdf = file('ordonnance.pdf', pdfBytes('Ordonnance', 10));
        await mailIn([
          '--from', PHARMACIST,
          '--to', address(),
          '--header', 'Subject: Votre traitement est prêt',
          '--header', 'Message-Id: <e2e-1@demo.mssante.fr>',
          '--body', 'Bonjour,\nvotre traitement est prêt.\nBonne journée.',
          '--attach-type', 'application/pdf',
          '--attach', `@${pdf}`,
        ]);

        await openAsPatient(page, '/patient/messages');
        await inboxHeading(page).waitFor();
        await page.getByText(address(), { exact: true }).waitFor();
        const row = page.getByRole('article', { name: 'Votre traitement est prêt' });
        await row.getByText('1 message non lu', { exact: true }).waitFor();
        await page.getByRole('button', { name: 'Boîte de réception (1 non lu)' }).waitFor();
        await expectAccessible(page, 'patient inbox');

        await conversationLink(page, 'Votre traitement est prêt').click();
        await page.getByRole('heading', { level: 2, name: 'Votre traitement est prêt' }).waitFor();
        const message = page.getByRole('article', { name: 'Message de Antoine Leroy' });
        await message.getByText('votre traitement est prêt.', { exact: false }).waitFor();
        // the line breaks are kept
        expect(await message.locator('.msg-text').evaluate((el) => getComputedStyle(el).whiteSpace)).toBe('pre-wrap');
        expect(await message.locator('.msg-text').textContent()).toBe('Bonjour,\nvotre traitement est prêt.\nBonne journée.');
        await message.getByText('ordonnance.pdf', { exact: true }).waitFor();
        await expectAccessible(page, 'patient conversation');

        // the download
        const download = page.waitForEvent('download');
        await message.getByRole('button', { name: 'Télécharger : ordonnance.pdf' }).click();
        expect((await download).suggestedFilename()).toBe('ordonnance.pdf');

        // filed into "Mes documents" with a title and a category
        await message.getByRole('button', { name: 'Ajouter à mes documents : ordonnance.pdf' }).click();
        const fileForm = message.getByRole('form', { name: 'Ajouter ordonnance.pdf à mes documents' });
        await fileForm.getByLabel('Titre du document').fill('Ordonnance de la pharmacie');
        await fileForm.getByLabel('Catégorie').selectOption({ label: 'Ordonnances et soins' });
        await expectAccessible(page, 'filing an attachment');
        await fileForm.getByRole('button', { name: 'Enregistrer dans mes documents' }).click();
        await page.getByRole('status').filter({ hasText: '« Ordonnance de la pharmacie » est ajouté à vos documents, dans « Ordonnances et soins ».' }).waitFor();

        // a reply kept as a draft, then edited and sent
        const reply = page.getByRole('region', { name: 'Répondre' });
        await reply.getByLabel('Message', { exact: true }).fill('Merci, je passe demain.');
        await reply.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
        await page.getByRole('status').filter({ hasText: 'Votre brouillon est enregistré.' }).waitFor();
        const draft = page.getByRole('article', { name: 'Brouillon' });
        await draft.getByText('Merci, je passe demain.').waitFor();
        await expectAccessible(page, 'conversation with a draft');
        await draft.getByRole('button', { name: 'Modifier et envoyer le brouillon' }).click();
        await draft.getByLabel('Message', { exact: true }).fill('Merci, je passe demain matin.\nMargaux');
        await draft.getByRole('button', { name: 'Envoyer le brouillon', exact: true }).click();
        await page.getByRole('status').filter({ hasText: 'Votre message est envoyé.' }).waitFor();
        const sent = page.getByRole('article', { name: /^Votre message/ });
        await sent.getByText('Merci, je passe demain matin.', { exact: false }).waitFor();
        expect(await page.getByRole('article', { name: 'Brouillon' }).count()).toBe(0);

        await tc.carnet.jobs.runNow();
        const out = await sink.waitFor((m) => m.to.includes(PHARMACIST), 15_000);
        expect(out.subject).toMatch(/Votre traitement est prêt/);
        expect(out.text).toContain('Merci, je passe demain matin.');
        expect(out.parsed.inReplyTo).toBe('<e2e-1@demo.mssante.fr>');

        // the filed document in "Mes documents"
        await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Mes documents' }).click();
        await page.getByRole('region', { name: /^Ordonnances et soins/ }).getByRole('article', { name: 'Ordonnance de la pharmacie' }).waitFor();
      },
      { allowErrors: FETCH_ERRORS },
    ));

  it('an IHE_XDM.ZIP attachment: its document is filed with one click and shows in "Mes documents"', () =>
    withPage(
      browser(),
      async ({ page }) => {
        const zip = file('IHE_XDM.ZIP', xdmPackage({ patientIns: patient.nir, documents: [pdfDocument({ title: 'Compte rendu de biologie' })] }));
        await mailIn([
          '--from', DOCTOR,
          '--to', address(),
          '--header', 'Subject: Vos résultats',
          '--body', 'Voici vos résultats.',
          '--attach-type', 'application/zip',
          '--attach-name', 'IHE_XDM.ZIP',
          '--attach', `@${zip}`,
        ]);
        await openAsPatient(page, '/patient/messages');
        await conversationLink(page, 'Vos résultats').click();
        const message = page.getByRole('article', { name: 'Message de Claire Durand' });
        await message.getByText('IHE_XDM.ZIP', { exact: true }).waitFor();
        await message.getByText('Compte rendu de biologie', { exact: true }).waitFor();
        await expectAccessible(page, 'conversation with an XDM attachment');
        await message.getByRole('button', { name: 'Ajouter à mes documents : Compte rendu de biologie' }).click();
        await page.getByRole('status').filter({ hasText: 'est ajouté à vos documents.' }).waitFor();
        await message.getByText('Ajouté à vos documents.').waitFor();

        await page.goto(`${tc.baseUrl}/patient/documents`);
        await page.getByRole('heading', { level: 1, name: 'Mes documents' }).waitFor();
        await page.getByRole('article', { name: 'Compte rendu de biologie' }).waitFor();
      },
      { allowErrors: FETCH_ERRORS },
    ));

  it('a doctor ends the exchange (X-MSS-MES: FIN): no reply form, the explanation; the API refuses a reply', () =>
    withPage(
      browser(),
      async ({ page }) => {
        await mailIn([
          '--from', DOCTOR,
          '--to', address(),
          '--header', 'Subject: Fin de votre suivi',
          '--add-header', 'X-MSS-MES: FIN',
          '--body', 'Votre suivi est terminé.',
        ]);
        await openAsPatient(page, '/patient/messages');
        const row = page.getByRole('article', { name: 'Fin de votre suivi' });
        await row.getByText('Échange terminé', { exact: true }).waitFor();
        await conversationLink(page, 'Fin de votre suivi').click();
        await page.getByRole('heading', { level: 2, name: 'Fin de votre suivi' }).waitFor();
        await page.locator('#msg-closed').getByText('Claire Durand a mis fin à vos échanges.').waitFor();
        await page.getByText('Vous ne pouvez plus répondre dans cette conversation.', { exact: false }).waitFor();
        expect(await page.getByRole('region', { name: 'Répondre' }).count()).toBe(0);
        expect(await page.getByRole('button', { name: 'Envoyer' }).count()).toBe(0);
        await expectAccessible(page, 'ended conversation');

        const conversationId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
        const res = await tc.request('POST', `/api/messages/${conversationId}/reply`, {
          token: patient.token,
          body: JSON.stringify({ text: 'Encore une question' }),
          headers: { 'content-type': 'application/json' },
        });
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect((await res.json()).code).toBe('messages.conversation-ended');
      },
      { allowErrors: FETCH_ERRORS },
    ));

  it('the patient writes to a pharmacy they used; a doctor who never wrote is neither offered nor accepted', () =>
    withPage(
      browser(),
      async ({ page }) => {
        const day = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
        await tc.db.query(`INSERT INTO pharmacy_dispensation (patient_id, organization_id, dispensed_on, source) VALUES ($1, $2, $3, 'reimbursement')`, [
          patient.patientId,
          PHARMACY_ORG,
          day,
        ]);

        // the API refuses a doctor who never wrote
        const refused = await tc.request('POST', '/api/messages', {
          token: patient.token,
          body: JSON.stringify({ to: STRANGER, subject: 'Rendez-vous', text: 'Bonjour' }),
          headers: { 'content-type': 'application/json' },
        });
        expect(refused.status).toBe(403);
        expect((await refused.json()).code).toBe('messages.recipient-not-allowed');

        await openAsPatient(page, '/patient/messages');
        await inboxHeading(page).waitFor();
        await page.getByRole('button', { name: 'Nouveau message' }).click();
        const panel = page.getByRole('region', { name: 'Nouveau message' });
        await expectAccessible(page, 'new message');

        // the pharmacy used last month is suggested, the doctor is not
        const suggested = panel.getByRole('group', { name: 'Destinataires proposés' });
        await suggested.getByRole('radio', { name: /Pharmacie du Marché/ }).waitFor();
        expect(await suggested.getByText(STRANGER).count()).toBe(0);

        // the directory's pharmacies
        await panel.getByLabel('Nom de la pharmacie').fill('pharmacie du');
        await panel.getByRole('button', { name: 'Rechercher' }).click();
        const results = panel.getByRole('group', { name: /1 pharmacie trouvée/ });
        await results.getByRole('radio', { name: /Pharmacie du Marché/ }).waitFor();
        expect(await results.getByText(STRANGER).count()).toBe(0);

        await results.getByRole('radio', { name: /Pharmacie du Marché/ }).check();
        const compose = panel.getByRole('form', { name: 'Votre message à Pharmacie du Marché' });
        await compose.getByLabel('Objet').fill('Renouvellement');
        await compose.getByLabel('Message', { exact: true }).fill('Bonjour,\npouvez-vous préparer mon renouvellement ?');
        await compose.getByLabel('Joindre des fichiers de votre appareil').setInputFiles({ name: 'ordonnance-scan.pdf', mimeType: 'application/pdf', buffer: pdfBytes('Scan', 5) });
        await compose.getByRole('status').filter({ hasText: 'ordonnance-scan.pdf est joint au message.' }).waitFor();
        // the medical profile's summary, of the sections chosen: all but the measures and the disabilities
        await compose.getByRole('button', { name: 'Joindre la synthèse de mon profil médical' }).click();
        const summarySections = compose.getByRole('group', { name: /Rubriques de la synthèse à joindre/ });
        expect(await summarySections.getByRole('checkbox', { checked: true }).count()).toBe(12);
        await summarySections.getByLabel('Mesures', { exact: true }).uncheck();
        await summarySections.getByLabel('Handicaps', { exact: true }).uncheck();
        await expectAccessible(page, 'new message, choosing the summary sections');
        await compose.getByRole('button', { name: 'Joindre la synthèse de ces rubriques' }).click();
        await compose.getByRole('status').filter({ hasText: 'Synthèse du profil médical (PDF, 10 rubriques) est joint au message.' }).waitFor();
        await compose.getByRole('button', { name: 'Retirer : Synthèse du profil médical (PDF, 10 rubriques)' }).waitFor();
        await expectAccessible(page, 'new message with an attachment');
        const sent = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/messages');
        await compose.getByRole('button', { name: 'Envoyer' }).click();
        const summary = ((await sent).postDataJSON() as { attachments: { kind: string; sections?: string[] }[] }).attachments.find((a) => a.kind === 'medical-profile');
        expect(summary?.sections).toHaveLength(10);
        expect(summary?.sections).not.toContain('MEASURES');
        expect(summary?.sections).not.toContain('DISABILITIES');
        await page.getByRole('heading', { level: 2, name: 'Renouvellement' }).waitFor();
        await page.getByRole('status').filter({ hasText: 'Votre message est envoyé.' }).waitFor();
        await page.getByRole('article', { name: /^Votre message/ }).getByText('ordonnance-scan.pdf', { exact: true }).waitFor();

        await tc.carnet.jobs.runNow();
        const out = await sink.waitFor((m) => m.to.includes(PHARMACIST) && /Renouvellement/.test(m.subject), 15_000);
        expect(out.attachments.map((a) => a.filename)).toContain('ordonnance-scan.pdf');
        expect(out.attachments).toHaveLength(2);

        // a name typed with its accent finds the pharmacy too
        const accented = await tc.request('GET', `/api/messages/contacts/search?q=${encodeURIComponent('marché')}`, { token: patient.token });
        expect(((await accented.json()).items ?? []).map((p: { address: string }) => p.address)).toEqual([PHARMACIST]);

        // the suggestions: the pharmacy used in the last 12 months, and the doctor, who ended one exchange but
        // wrote in another they did not end (the XDM one); never the professional who never wrote
        const contacts = await tc.request('GET', '/api/messages/contacts', { token: patient.token });
        const offered = await contacts.json();
        expect(contacts.status, JSON.stringify(offered)).toBe(200);
        expect(offered.pharmacies.map((p: { address: string }) => p.address)).toEqual([PHARMACIST]);
        expect(JSON.stringify(offered)).not.toContain(STRANGER);
        await page.getByRole('link', { name: 'Retour à la liste des conversations' }).click();
        await page.getByRole('button', { name: 'Nouveau message' }).click();
        const suggestions = page.getByRole('region', { name: 'Nouveau message' }).getByRole('group', { name: 'Destinataires proposés' });
        await suggestions.getByRole('radio', { name: /Pharmacie du Marché/ }).waitFor();
        expect(await suggestions.getByText(STRANGER).count()).toBe(0);
        expect(await suggestions.getByText(DOCTOR).count()).toBe(1);
        expect(await suggestions.getByText(STRANGER).count()).toBe(0);
        expect(offered.professionals.map((p: { address: string }) => p.address).sort()).toEqual([PHARMACIST, DOCTOR].sort());
      },
      { allowErrors: FETCH_ERRORS },
    ));

  it('a doctor writes to a patient from the professional inbox; the patient reads it; an SMTP password is created and revoked', () =>
    withPage(
      browser(),
      async ({ page }) => {
        await openAsPro(page, doctor, '/pro/messages');
        await page.getByRole('heading', { level: 1, name: 'Messagerie sécurisée' }).waitFor();
        await page.getByText(DOCTOR, { exact: true }).waitFor();
        const list = page.getByRole('region', { name: 'Conversations avec vos patients' });
        await list.getByRole('article', { name: 'Vos résultats' }).waitFor();
        await expectAccessible(page, 'professional inbox');

        const write = page.getByRole('region', { name: 'Écrire à un patient' });
        await write.getByLabel('Matricule INS').fill(patient.nir);
        await write.getByRole('button', { name: 'Rechercher le patient' }).click();
        const form = write.getByRole('form', { name: /^Votre message à Margaux/ });
        await form.getByLabel('Objet').fill('Contrôle dans un mois');
        await form.getByLabel('Message', { exact: true }).fill('Bonjour,\nprenez rendez-vous pour un contrôle dans un mois.');
        await expectAccessible(page, 'writing to a patient');
        await form.getByRole('button', { name: 'Envoyer' }).click();
        await page.getByRole('heading', { level: 2, name: 'Contrôle dans un mois' }).waitFor();
        await page.getByRole('status').filter({ hasText: 'Votre message est envoyé.' }).waitFor();
        await page.getByRole('region', { name: 'Répondre' }).waitFor();
        await page.getByRole('button', { name: "Mettre fin à l'échange" }).waitFor();
        await expectAccessible(page, 'professional conversation');

        // a password for the mail client: shown once, then revoked
        await page.goto(`${tc.baseUrl}/pro/messages`);
        const creds = page.getByRole('region', { name: 'Messagerie sur mon logiciel' });
        await creds.getByLabel('Nom du logiciel ou du poste').fill('Poste du cabinet');
        await creds.getByRole('button', { name: 'Créer le mot de passe' }).click();
        const created = creds.getByRole('group', { name: 'Mot de passe « Poste du cabinet » créé' });
        await created.waitFor();
        expect((await created.locator('.msg-cred-password').textContent())!.length).toBeGreaterThanOrEqual(12);
        await creds.getByRole('table').getByRole('rowheader', { name: 'Poste du cabinet' }).waitFor();
        await expectAccessible(page, 'SMTP password created');
        await creds.getByRole('button', { name: 'Révoquer : Poste du cabinet' }).click();
        await creds.getByRole('button', { name: 'Oui, révoquer' }).click();
        await creds.getByRole('status').filter({ hasText: 'Le mot de passe « Poste du cabinet » est révoqué.' }).waitFor();
        await creds.getByText('Aucun mot de passe de logiciel.').waitFor();
      },
      { allowErrors: FETCH_ERRORS },
    ));

  it('the patient reads the doctor\'s message', () =>
    withPage(
      browser(),
      async ({ page }) => {
        await openAsPatient(page, '/patient/messages');
        const row = page.getByRole('article', { name: 'Contrôle dans un mois' });
        await row.getByText('1 message non lu', { exact: true }).waitFor();
        await page.getByLabel('Afficher seulement les conversations non lues').check();
        await page.getByText('1 conversation non lue.').waitFor();
        await page.getByLabel('Afficher seulement les conversations non lues').uncheck();
        await conversationLink(page, 'Contrôle dans un mois').click();
        await page.getByRole('article', { name: 'Message de Claire Durand' }).getByText('prenez rendez-vous pour un contrôle', { exact: false }).waitFor();
        await page.getByRole('region', { name: 'Répondre' }).waitFor();

        // to the trash and back
        await page.getByRole('button', { name: 'Mettre à la corbeille' }).click();
        await page.getByRole('status').filter({ hasText: 'La conversation « Contrôle dans un mois » est dans la corbeille.' }).waitFor();
        await page.getByRole('button', { name: 'Corbeille', exact: true }).click();
        const trashed = page.getByRole('article', { name: 'Contrôle dans un mois' });
        await trashed.getByRole('button', { name: 'Restaurer : Contrôle dans un mois' }).click();
        await page.getByRole('status').filter({ hasText: 'est restaurée dans la boîte de réception.' }).waitFor();
        await page.getByText('La corbeille est vide.').waitFor();
        await expectAccessible(page, 'empty trash');
      },
      { allowErrors: FETCH_ERRORS },
    ));

  for (const device of ['phone'] as Device[]) {
    it(`on a ${device}: the inbox, a conversation, a new message, the professional inbox`, () =>
      withPage(
        browser(),
        async ({ page, context }) => {
          await openAsPatient(page, '/patient/messages');
          await inboxHeading(page).waitFor();
          await page.getByRole('article', { name: 'Votre traitement est prêt' }).waitFor();
          await expectAccessible(page, `patient inbox (${device})`);
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          expect(width).toBeLessThanOrEqual(390);
          await conversationLink(page, 'Votre traitement est prêt').click();
          await page.getByRole('heading', { level: 2, name: 'Votre traitement est prêt' }).waitFor();
          await expectAccessible(page, `patient conversation (${device})`);
          expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
          await page.getByRole('link', { name: 'Retour à la liste des conversations' }).click();
          await page.getByRole('button', { name: 'Nouveau message' }).click();
          const panel = page.getByRole('region', { name: 'Nouveau message' });
          await panel.getByLabel('Ville ou code postal').fill('Lyon');
          await panel.getByRole('button', { name: 'Rechercher' }).click();
          await panel.getByRole('group', { name: /1 pharmacie trouvée/ }).getByRole('radio', { name: /Pharmacie du Marché/ }).check();
          await expectAccessible(page, `new message (${device})`);
          expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

          const proPage = await context.newPage();
          await openAsPro(proPage, doctor, '/pro/messages');
          await proPage.getByRole('heading', { level: 1, name: 'Messagerie sécurisée' }).waitFor();
          await proPage.getByRole('region', { name: 'Conversations avec vos patients' }).getByRole('article', { name: 'Contrôle dans un mois' }).waitFor();
          await expectAccessible(proPage, `professional inbox (${device})`);
          expect(await proPage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
        },
        { device, allowErrors: FETCH_ERRORS },
      ));
  }
});
