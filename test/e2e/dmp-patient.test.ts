import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCarnet, type TestCarnet } from '../support/carnet.js';
import { insuredPatient, professional, type TestPatient, type TestPro } from '../support/care.js';
import { pdfBytes } from '../support/mhd-bundles.js';
import { chromiumAvailable, expectAccessible, useBrowser, withPage } from './support/browser.js';

/**
 * The patient's shared medical record in a real browser (Debian's Chromium), on the built web app: a
 * professional deposits a biology report; the patient sees the notification, finds the report under
 * "Résultats de biologie", views it in the browser and hides it from professionals (another professional no
 * longer gets it, its author does); a document held back from the patient appears after a month with its
 * notification; the patient adds a PDF and a PNG is refused; the access history. Axe checks every screen,
 * at desktop size and once on a phone.
 *
 * The tests of this file run in order: the phone test reads the record the first one filled.
 */

/** The browser logs the 4xx answers of refused fetches (the refused upload). */
const ALLOWED_ERRORS = [/status of 4\d\d/];

describe.skipIf(!chromiumAvailable())('the patient\'s documents in the browser', () => {
  const browser = useBrowser();
  let tc: TestCarnet;
  let author: TestPro;
  let other: TestPro;
  let patient: TestPatient;

  const raw = (url: string, token: string, body: Buffer, contentType: string) =>
    tc.request('POST', url, { token, body: body as unknown as string, headers: { 'content-type': contentType } });

  async function deposit(q: Record<string, string>): Promise<string> {
    const params = new URLSearchParams({ typeCode: '11502-2', ...q });
    const res = await raw(`/api/pro/patients/${patient.patientId}/documents?${params}`, author.token, pdfBytes(q.title ?? 'Bilan', 20), 'application/pdf');
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(201);
    return body.id as string;
  }

  const proDocuments = async (pro: TestPro): Promise<string[]> => {
    const res = await tc.request('GET', `/api/pro/patients/${patient.patientId}/documents`, { token: pro.token });
    expect(res.status).toBe(200);
    return ((await res.json()).documents as { id: string }[]).map((d) => d.id);
  };

  beforeAll(async () => {
    tc = await startCarnet({ env: { RATE_LIMIT_PER_MINUTE: '10000' } });
    patient = await insuredPatient(tc, { given: 'Élodie' });
    author = await professional(tc);
    other = await professional(tc);
    for (const pro of [author, other]) {
      const res = await tc.request('POST', `/api/pro/patients/${patient.patientId}/access`, { token: pro.token, json: { basis: 'care-team' } });
      expect(res.status).toBe(201);
    }
  });
  afterAll(() => tc?.close());

  /** Opens the patient space with the patient's token, as the web app keeps it after sign-in (sessionStorage). */
  async function openAsPatient(page: Page, path: string): Promise<void> {
    await page.addInitScript((token) => {
      if (window.top !== window) return; // not in the viewer's frame
      sessionStorage.setItem('carnet.accessToken', token);
    }, patient.token);
    await page.goto(`${tc.baseUrl}${path}`);
  }

  const nav = (page: Page) => page.getByRole('navigation', { name: 'Navigation principale' });
  const biology = (page: Page) => page.getByRole('region', { name: /^Résultats de biologie/ });

  it('a deposited report: notification, "Résultats de biologie", viewer, hiding; a held document appears after a month; upload', () =>
    withPage(
      browser(),
      async ({ page }) => {
        const reportId = await deposit({ title: 'Bilan sanguin' });

        await openAsPatient(page, '/patient');
        await page.getByRole('link', { name: 'Vous avez 1 notification non lue.' }).waitFor();

        await nav(page).getByRole('link', { name: 'Mes documents' }).click();
        await page.getByRole('heading', { level: 1, name: 'Mes documents' }).waitFor();
        await page.getByRole('button', { name: 'Résultats de biologie (1)' }).waitFor();
        const report = biology(page).getByRole('article', { name: 'Bilan sanguin' });
        await report.waitFor();
        // the author as the professional signed in (the fixture's user is named by its login)
        await report.getByText(`Auteur : pro-${author.rpps}`).waitFor();
        expect(await report.getByText('Déposé par vous').count()).toBe(0);
        await expectAccessible(page, 'documents page');

        // the viewer: the PDF fetched with the token, shown through an object URL in an iframe
        const content = page.waitForResponse((r) => r.url().endsWith(`/api/documents/${reportId}/content`));
        await report.getByRole('button', { name: 'Afficher : Bilan sanguin' }).click();
        const answer = await content;
        expect(answer.status()).toBe(200);
        expect(answer.headers()['content-type']).toBe('application/pdf');
        const viewer = page.getByRole('dialog', { name: 'Bilan sanguin' });
        const frame = viewer.locator('iframe[title="Bilan sanguin"]');
        await frame.waitFor();
        expect(await frame.getAttribute('src')).toMatch(/^blob:/);
        await expectAccessible(page, 'document viewer', { exclude: ['iframe'] });
        await viewer.getByRole('button', { name: 'Fermer' }).click();
        await viewer.waitFor({ state: 'detached' });
        await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Afficher : Bilan sanguin');

        // hidden from professionals: another one with access no longer gets it, its author does
        expect(await proDocuments(other)).toEqual([reportId]);
        await report.getByRole('button', { name: 'Gérer ce document : Bilan sanguin' }).click();
        await report.getByText(/Il reste visible par le professionnel qui l'a déposé et par votre médecin administrateur/).waitFor();
        await report.getByRole('button', { name: 'Masquer aux professionnels : Bilan sanguin' }).click();
        await page.getByRole('status').filter({ hasText: '« Bilan sanguin » est masqué aux professionnels de santé.' }).waitFor();
        await report.getByText('Masqué aux professionnels', { exact: true }).waitFor();
        await report.getByRole('button', { name: 'Ne plus masquer aux professionnels : Bilan sanguin' }).waitFor();
        expect(await proDocuments(other)).toEqual([]);
        expect(await proDocuments(author)).toEqual([reportId]);
        await expectAccessible(page, 'document managed');

        // held back from the patient (INVISIBLE_PATIENT): not listed until a month has passed
        await deposit({ title: 'Caryotype', visibility: 'INVISIBLE_PATIENT' });
        await page.reload();
        await biology(page).getByRole('article', { name: 'Bilan sanguin' }).waitFor();
        expect(await page.getByRole('article', { name: 'Caryotype' }).count()).toBe(0);
        await page.getByRole('button', { name: 'Résultats de biologie (1)' }).waitFor();
        tc.carnet.clock.advance(32 * 86_400_000);
        await tc.carnet.jobs.runNow();
        await page.reload();
        await biology(page).getByRole('article', { name: 'Caryotype' }).waitFor();
        await page.getByRole('button', { name: 'Résultats de biologie (2)' }).waitFor();
        await nav(page).getByRole('link', { name: 'Notifications' }).click();
        const released = page.getByRole('article', { name: /Un document est désormais visible/ });
        await released.getByText(/déposé il y a un mois dans « Résultats de biologie »/).waitFor();
        await page.getByRole('article', { name: /Nouveau document/ }).waitFor();

        // the patient adds a PDF; a PNG is refused before it is sent
        await nav(page).getByRole('link', { name: 'Mes documents' }).click();
        const upload = page.getByRole('region', { name: 'Ajouter un document' });
        await upload.getByLabel('Fichier').setInputFiles({ name: 'ordonnance-kine.pdf', mimeType: 'application/pdf', buffer: pdfBytes('Ordonnance') });
        await expect.poll(() => upload.getByLabel('Titre du document').inputValue()).toBe('ordonnance-kine');
        await upload.getByLabel('Titre du document').fill('Ordonnance de kinésithérapie');
        await upload.getByLabel('Catégorie').selectOption({ label: 'Ordonnances et soins' });
        await upload.getByLabel('Date du document').fill('2026-03-02');
        await upload.getByRole('button', { name: 'Ajouter le document' }).click();
        await upload.getByRole('status').filter({ hasText: '« Ordonnance de kinésithérapie » est ajouté à vos documents, dans « Ordonnances et soins ».' }).waitFor();
        const mine = page.getByRole('region', { name: /^Ordonnances et soins/ }).getByRole('article', { name: 'Ordonnance de kinésithérapie' });
        await mine.getByText('Déposé par vous', { exact: true }).waitFor();
        await mine.getByText('2 mars 2026').waitFor();

        let posted = 0;
        page.on('request', (r) => {
          if (r.method() === 'POST' && r.url().includes('/api/documents')) posted++;
        });
        await upload.getByLabel('Fichier').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from('89504e470d0a1a0a', 'hex') });
        await upload.getByLabel('Titre du document').fill('Photo');
        await upload.getByRole('button', { name: 'Ajouter le document' }).click();
        await upload.locator('#upload-file-error').getByText(/« photo\.png » n'est pas dans un format accepté : ajoutez un fichier PDF, TXT, RTF, JPEG ou TIFF\./).waitFor();
        expect(await upload.getByLabel('Fichier').getAttribute('aria-invalid')).toBe('true');
        expect(posted).toBe(0);
        await expectAccessible(page, 'upload refused');

        // an emergency access, after a refused attempt
        const urgentist = await professional(tc);
        expect((await tc.request('GET', `/api/pro/patients/${patient.patientId}/documents`, { token: urgentist.token })).status).toBe(403);
        const btg = await tc.request('POST', `/api/pro/patients/${patient.patientId}/emergency`, {
          token: urgentist.token,
          json: { purpose: 'BTG', reason: 'Patiente inconsciente aux urgences' },
        });
        expect(btg.status).toBe(201);
        expect(await proDocuments(urgentist)).toHaveLength(2);

        // the access history: the deposits, the views, the patient's own actions, the emergency
        await nav(page).getByRole('link', { name: 'Historique des accès' }).click();
        const table = page.getByRole('table', { name: 'Historique des accès, du plus récent au plus ancien' });
        await table.waitFor();
        await table.getByRole('row').filter({ hasText: 'Dépôt' }).filter({ hasText: `pro-${author.rpps}` }).filter({ hasText: 'Bilan sanguin' }).first().waitFor();
        await table.getByRole('row').filter({ hasText: 'Équipe de soins' }).first().waitFor();
        await table.getByRole('row').filter({ hasText: 'vous ou votre représentant' }).filter({ hasText: 'Ordonnance de kinésithérapie' }).first().waitFor();
        const emergency = table.getByRole('row').filter({ hasText: `pro-${urgentist.rpps}` }).filter({ hasText: 'Accès en urgence' });
        await emergency.first().getByText('Urgence', { exact: true }).waitFor();
        await table.getByRole('row').filter({ hasText: `pro-${urgentist.rpps}` }).filter({ hasText: 'Refusé' }).first().waitFor();
        await expectAccessible(page, 'access history');
      },
      { allowErrors: ALLOWED_ERRORS },
    ));

  it('on a phone: the documents, the viewer and the history', () =>
    withPage(
      browser(),
      async ({ page }) => {
        await openAsPatient(page, '/patient/documents');
        const report = biology(page).getByRole('article', { name: 'Bilan sanguin' });
        await report.waitFor();
        await expectAccessible(page, 'documents page on a phone');
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

        await report.getByRole('button', { name: 'Afficher : Bilan sanguin' }).click();
        const viewer = page.getByRole('dialog', { name: 'Bilan sanguin' });
        await viewer.locator('iframe[title="Bilan sanguin"]').waitFor();
        await expectAccessible(page, 'document viewer on a phone', { exclude: ['iframe'] });
        await page.keyboard.press('Escape');
        await viewer.waitFor({ state: 'detached' });

        await page.goto(`${tc.baseUrl}/patient/historique`);
        const list = page.getByRole('list', { name: 'Historique des accès, du plus récent au plus ancien' });
        await list.getByRole('listitem').filter({ hasText: 'Dépôt' }).first().waitFor();
        await expectAccessible(page, 'access history on a phone');
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      },
      { device: 'phone', allowErrors: ALLOWED_ERRORS },
    ));
});
