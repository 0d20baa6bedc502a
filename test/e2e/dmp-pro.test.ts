import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAccounts, type AccountsCarnet } from '../support/accounts.js';
import { insuredPatient, professional, type TestPatient, type TestPro } from '../support/care.js';
import { pdfBytes } from '../support/mhd-bundles.js';
import { chromiumAvailable, expectAccessible, useBrowser, withPage } from './support/browser.js';

/**
 * The shared medical record from the professional space, in a real browser (Debian's Chromium) on the built
 * web app, every screen checked with axe: a professional of the care team deposits PDFs with the form, views
 * one, makes one visible to the patient and deletes another; a professional without access breaks the glass
 * (on a phone) and reads the record under the emergency banner, and is refused on the record of a patient who
 * objected; the médecin traitant is offered the record's history, the others are not.
 *
 * The professionals are builders' ones (test/support/care.ts), not the test IdP's cards: the browser is given
 * their Carnet token as a Pro Santé Connect sign-in leaves it (sessionStorage), and the page is opened from
 * there. The tests of this file run in order: each uses the record the previous ones filled.
 */
const FETCH_ERRORS = [/status of 4\d\d/];

describe.skipIf(!chromiumAvailable())('the shared medical record in the professional space', () => {
  const browser = useBrowser();
  let c: AccountsCarnet;
  let patient: TestPatient;
  let careTeam: TestPro;
  let urgentist: TestPro;
  let medecinTraitant: TestPro;
  let depositedId = '';

  beforeAll(async () => {
    c = await startAccounts({ seed: false });
    patient = await insuredPatient(c);
    careTeam = await professional(c, { family: 'Moreau', given: 'Claire' });
    urgentist = await professional(c, { family: 'Urgence', given: 'Paul' });
    medecinTraitant = await professional(c, { family: 'Traitant', given: 'Marie' });
    const declared = await c.api('POST', `/api/pro/patients/${patient.patientId}/access`, { token: careTeam.token, json: { basis: 'care-team' } });
    expect(declared.status).toBe(201);
  });
  afterAll(async () => {
    expect(c?.serverErrors ?? []).toEqual([]);
    await c?.close();
  });

  /** The browser signed in as this professional (their token where the sign-in leaves it), on the patient's page. */
  async function openRecord(page: Page, pro: TestPro, p: TestPatient = patient): Promise<void> {
    await page.goto(`${c.baseUrl}/pro`);
    await page.evaluate((token) => sessionStorage.setItem('carnet.accessToken', token), pro.token);
    await page.goto(`${c.baseUrl}/pro/patients/${p.patientId}`);
    await page.getByRole('heading', { level: 1, name: /^Profil de / }).waitFor();
  }

  const documentsTable = (page: Page) => page.getByRole('table', { name: 'Documents, du plus récent au plus ancien' });

  it('a professional of the care team deposits PDFs with the form, views one, makes one visible to the patient and deletes another', () =>
    withPage(
      browser(),
      async ({ page }) => {
        await openRecord(page, careTeam);
        await page.getByText("Accès autorisé : vous êtes membre de l'équipe de soins depuis le", { exact: false }).waitFor();
        await page.getByText('Aucun document de ce dossier ne vous est accessible.').waitFor();
        const form = page.getByRole('form', { name: 'Déposer un document' });
        await form.getByLabel('Type de document').waitFor();
        await expectAccessible(page, 'patient record with the deposit form');

        // nothing filled: each error next to its field
        await form.getByLabel('Titre').fill('');
        await form.getByRole('button', { name: 'Déposer le document' }).click();
        await expect.poll(() => page.locator('#deposit-file-error').textContent()).toMatch(/Choisissez le fichier PDF/);
        expect(await page.locator('#deposit-type-error').textContent()).toMatch(/Choisissez le type de document/);
        expect(await page.locator('#deposit-title-error').textContent()).toMatch(/Saisissez le titre/);
        expect(await form.getByLabel('Titre').getAttribute('aria-invalid')).toBe('true');
        await expectAccessible(page, 'deposit form with errors');

        // not a PDF, whatever its name says
        await form.getByLabel('Fichier PDF').setInputFiles({ name: 'faux.pdf', mimeType: 'application/pdf', buffer: Buffer.from('pas un PDF') });
        await form.getByRole('button', { name: 'Déposer le document' }).click();
        await expect.poll(() => page.locator('#deposit-file-error').textContent()).toMatch(/n'est pas un PDF/);

        // the types come grouped by category, in French
        const types = form.getByLabel('Type de document');
        expect(await types.locator('optgroup[label="Résultats de biologie"] option', { hasText: "CR d'examens biologiques" }).count()).toBe(1);

        await form.getByLabel('Fichier PDF').setInputFiles({ name: 'bilan.pdf', mimeType: 'application/pdf', buffer: pdfBytes('Bilan sanguin', 2) });
        await types.selectOption({ label: "CR d'examens biologiques" });
        await form.getByLabel('Titre').fill('Bilan sanguin');
        await form.getByLabel("Date de l'acte").fill('2025-03-14');
        await form.getByRole('button', { name: 'Déposer le document' }).click();
        await page.getByRole('status').filter({ hasText: '« Bilan sanguin » est déposé dans le dossier du patient.' }).waitFor();
        const row = documentsTable(page).getByRole('row').filter({ hasText: 'Bilan sanguin' });
        await row.getByText('Déposé par vous').waitFor();
        await row.getByText('Résultats de biologie').waitFor();
        await row.getByText('14 mars 2025').waitFor();
        expect(await row.getByText('Non visible par le patient').count()).toBe(0);
        await expectAccessible(page, 'patient record with a deposited document');

        // the patient sees it, and was told
        const mine = await (await c.api('GET', '/api/documents', { token: patient.token })).json();
        const deposited = mine.documents.find((d: { title: string }) => d.title === 'Bilan sanguin');
        expect(deposited).toMatchObject({ category: 'BIOLOGIE', depositor: 'professional' });
        expect(deposited.depositorIds).toContain(`Practitioner/${careTeam.practitionerId}`);
        depositedId = deposited.id;
        const notifications = await (await c.api('GET', '/api/notifications', { token: patient.token })).json();
        expect(notifications.items.some((n: { type: string; params: { documentId?: string } }) => n.type === 'AJOUT_DOCUMENT' && n.params.documentId === depositedId)).toBe(true);

        // the viewer: a dialog that takes the focus, the PDF in a titled frame, Escape gives the focus back
        const viewButton = row.getByRole('button', { name: 'Afficher : Bilan sanguin' });
        await viewButton.click();
        const viewer = page.getByRole('dialog', { name: 'Bilan sanguin' });
        await viewer.waitFor();
        await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Bilan sanguin');
        const frame = viewer.locator('iframe[title="Contenu du document « Bilan sanguin »"]');
        await frame.waitFor();
        expect(await frame.getAttribute('src')).toMatch(/^blob:/);
        await expect.poll(() => page.frames().some((f) => f.url().startsWith('blob:'))).toBe(true);
        await viewer.getByRole('button', { name: 'Télécharger : Bilan sanguin' }).waitFor();
        await expectAccessible(page, 'document viewer');
        await page.keyboard.press('Escape');
        await viewer.waitFor({ state: 'hidden' });
        await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe(`doc-view-${depositedId}`);

        // replaced by a corrected version: the same form, filled from the document it replaces
        await row.getByRole('button', { name: 'Remplacer : Bilan sanguin' }).click();
        const replacing = page.getByRole('form', { name: 'Remplacer « Bilan sanguin »' });
        await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Remplacer « Bilan sanguin »');
        expect(await replacing.getByLabel('Titre').inputValue()).toBe('Bilan sanguin');
        expect(await replacing.getByLabel("Date de l'acte").inputValue()).toBe('2025-03-14');
        await expectAccessible(page, 'replacement form');
        await replacing.getByLabel('Fichier PDF').setInputFiles({ name: 'bilan-v2.pdf', mimeType: 'application/pdf', buffer: pdfBytes('Bilan sanguin corrigé') });
        await replacing.getByRole('button', { name: 'Remplacer le document' }).click();
        await page.getByRole('status').filter({ hasText: '« Bilan sanguin » remplace le document précédent.' }).waitFor();
        await expect.poll(async () => (await c.api('GET', '/api/documents', { token: patient.token }).then((r) => r.json())).documents.find((d: { title: string }) => d.title === 'Bilan sanguin')?.replaces).toBe(depositedId);
        expect(await documentsTable(page).getByRole('row').filter({ hasText: 'Bilan sanguin' }).count()).toBe(1);

        // a result held back until the consultation d'annonce, then made visible
        await form.getByLabel('Fichier PDF').setInputFiles({ name: 'anapath.pdf', mimeType: 'application/pdf', buffer: pdfBytes('Anatomopathologie') });
        await types.selectOption({ label: "CR d'examens biologiques" });
        await form.getByLabel('Titre').fill('Résultat à annoncer');
        await form.getByLabel("Non visible par le patient jusqu'à la consultation d'annonce").check();
        await form.getByRole('button', { name: 'Déposer le document' }).click();
        const held = documentsTable(page).getByRole('row').filter({ hasText: 'Résultat à annoncer' });
        await held.getByText('Non visible par le patient').waitFor();
        const titles = async () => (await (await c.api('GET', '/api/documents', { token: patient.token })).json()).documents.map((d: { title: string }) => d.title);
        expect(await titles()).not.toContain('Résultat à annoncer');
        await held.getByRole('button', { name: 'Rendre visible au patient : Résultat à annoncer' }).click();
        await page.getByRole('status').filter({ hasText: '« Résultat à annoncer » est désormais visible par le patient' }).waitFor();
        await expect.poll(() => held.getByText('Non visible par le patient').count()).toBe(0);
        expect(await titles()).toContain('Résultat à annoncer');

        // archived: out of the list, back with the archived and replaced documents (the replaced report too)
        await held.getByRole('button', { name: 'Archiver : Résultat à annoncer' }).click();
        await page.getByRole('status').filter({ hasText: '« Résultat à annoncer » est archivé.' }).waitFor();
        await expect.poll(() => held.count()).toBe(0);
        await page.getByLabel('Afficher aussi les documents archivés ou remplacés').check();
        await held.getByText('Archivé', { exact: true }).waitFor();
        await documentsTable(page).getByRole('row').filter({ hasText: 'Bilan sanguin' }).filter({ hasText: 'Remplacé' }).waitFor();

        // deleted after a confirmation
        await held.getByRole('button', { name: 'Supprimer : Résultat à annoncer' }).click();
        const confirm = page.getByRole('group', { name: 'Supprimer « Résultat à annoncer » ?' });
        await confirm.getByText(/retiré du dossier du patient, qui en est informé/).waitFor();
        await expectAccessible(page, 'deletion confirmation');
        await confirm.getByRole('button', { name: 'Oui, supprimer' }).click();
        await page.getByRole('status').filter({ hasText: '« Résultat à annoncer » est supprimé.' }).waitFor();
        await expect.poll(() => documentsTable(page).getByRole('row').filter({ hasText: 'Résultat à annoncer' }).count()).toBe(0);
        expect(await titles()).not.toContain('Résultat à annoncer');

        await page.getByLabel('Afficher aussi les documents archivés ou remplacés').uncheck();

        // the category filter
        await page.getByLabel('Catégorie').selectOption({ label: 'Comptes rendus (0)' });
        await page.getByText('Aucun document dans cette catégorie.').waitFor();
        await page.getByLabel('Catégorie').selectOption({ label: 'Résultats de biologie (1)' });
        await documentsTable(page).getByRole('row').filter({ hasText: 'Bilan sanguin' }).waitFor();

        // not the médecin traitant: the record's history is not offered
        expect(await page.getByRole('heading', { name: 'Historique du dossier' }).count()).toBe(0);
      },
      { allowErrors: FETCH_ERRORS },
    ));

  it('on a phone, a professional without access breaks the glass with a reason and reads the record under the emergency banner', () =>
    withPage(
      browser(),
      async ({ page }) => {
        await openRecord(page, urgentist);
        await page.getByText('Consentement nécessaire', { exact: true }).waitFor();
        expect(await page.getByRole('heading', { name: 'Documents' }).count()).toBe(0);
        const emergency = page.getByRole('region', { name: 'Accès en urgence' });
        await emergency.getByRole('button', { name: 'Accès en urgence (bris de glace)' }).click();
        const form = page.getByRole('form', { name: /^Accès en urgence au dossier de / });
        await form.getByText('Le patient et son médecin traitant en sont informés.').waitFor();
        await form.getByText(/chacune de vos actions sont tracés/).waitFor();
        // a doctor may also act as the SAMU's regulating doctor
        await form.getByLabel(/^Régulation médicale/).waitFor();
        expect(await form.getByLabel(/^Bris de glace/).isChecked()).toBe(true);
        await expectAccessible(page, 'emergency access form on a phone');

        await form.getByLabel("Motif de l'accès en urgence").fill('Court');
        await form.getByRole('button', { name: 'Accéder au dossier en urgence' }).click();
        await expect.poll(() => page.locator('#emergency-reason-error').textContent()).toMatch(/de 10 à 500 caractères/);
        await expectAccessible(page, 'emergency access form with an error, on a phone');

        await form.getByLabel("Motif de l'accès en urgence").fill('Patient inconscient aux urgences, antécédents inconnus');
        await form.getByRole('button', { name: 'Accéder au dossier en urgence' }).click();
        const banner = page.locator('#emergency-banner');
        await banner.getByText(/^Accès en urgence jusqu'à \d{2}:\d{2}$/).waitFor();
        await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('emergency-banner');
        await page.getByText('Accès en urgence en cours', { exact: true }).waitFor();
        await documentsTable(page).getByRole('row').filter({ hasText: 'Bilan sanguin' }).waitFor();
        expect(await page.getByRole('region', { name: 'Accès en urgence' }).count()).toBe(0);
        await expectAccessible(page, 'record under emergency access, on a phone');
        // nothing wider than the screen but the tables' own scrolling regions
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

        // the patient's history has the emergency access, and they were told
        const history = await (await c.api('GET', '/api/dmp/history', { token: patient.token })).json();
        // (the builders' professionals are named by their login)
        expect(history.items.some((i: { emergency: boolean; agent: string }) => i.emergency && i.agent === `pro-${urgentist.rpps}`)).toBe(true);
        const notifications = await (await c.api('GET', '/api/notifications', { token: patient.token })).json();
        expect(notifications.items.map((n: { type: string }) => n.type)).toContain('ACCES_BRIS_GLACE');
      },
      { device: 'phone', allowErrors: FETCH_ERRORS },
    ));

  it('the emergency access is refused, readably, on the record of a patient who objected to it', async () => {
    const objecting = await insuredPatient(c);
    expect((await c.api('PUT', '/api/dmp/settings', { token: objecting.token, json: { breakGlass: false } })).status).toBe(200);
    await withPage(
      browser(),
      async ({ page }) => {
        await openRecord(page, urgentist, objecting);
        await page.getByRole('button', { name: 'Accès en urgence (bris de glace)' }).click();
        await page.getByLabel("Motif de l'accès en urgence").fill('Patient inconscient aux urgences');
        await page.getByRole('button', { name: 'Accéder au dossier en urgence' }).click();
        await page.getByRole('alert').filter({ hasText: "le patient s'est opposé à l'accès en urgence à son dossier" }).waitFor();
        expect(await page.locator('#emergency-banner').count()).toBe(0);
        expect(await page.getByRole('heading', { name: 'Documents' }).count()).toBe(0);
        await expectAccessible(page, 'emergency access refused');
      },
      { allowErrors: FETCH_ERRORS },
    );
  });

  it('the médecin traitant the patient declared is offered the record history, emergency accesses marked', async () => {
    expect((await c.api('POST', '/api/professionals', { token: patient.token, json: { practitionerId: medecinTraitant.practitionerId } })).status).toBe(201);
    const role = await c.api('PUT', `/api/professionals/${medecinTraitant.practitionerId}/roles/medecin-traitant`, { token: patient.token, json: {} });
    expect(role.status, await role.clone().text()).toBe(200);
    await withPage(
      browser(),
      async ({ page }) => {
        await openRecord(page, medecinTraitant);
        await page.getByText('Accès autorisé : vous êtes son médecin traitant', { exact: true }).waitFor();
        const section = page.getByRole('region', { name: 'Historique du dossier' });
        await section.getByRole('button', { name: "Afficher l'historique" }).click();
        const table = section.getByRole('table', { name: /^Historique du dossier, du plus récent au plus ancien/ });
        await table.waitFor();
        await table.getByRole('row').filter({ hasText: 'Urgence' }).filter({ hasText: `pro-${urgentist.rpps}` }).first().waitFor();
        await table.getByRole('row').filter({ hasText: 'Bilan sanguin' }).first().waitFor();
        await expectAccessible(page, "the médecin traitant's record history");
      },
      { allowErrors: FETCH_ERRORS },
    );
  });
});
