import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCarnet, type TestCarnet } from '../support/carnet.js';
import { insuredPatient, type TestPatient } from '../support/care.js';
import { chromiumAvailable, expectAccessible, useBrowser, withPage } from './support/browser.js';

/**
 * The patient's medical profile in a real browser (Debian's Chromium) on the built web app: the patient fills
 * three sections (a disease known by its month and year, an allergy, a treatment found by the drug's name in the
 * BDPM extract), declares one section "non concerné(e)", exports the summary PDF (downloaded, then filed) and
 * finds it in "Mes documents"; fills the advance-directive form and finds its PDF; closes "Entourage et volontés"
 * to professionals. Axe checks every screen, at desktop size and on a phone.
 *
 * The tests run in order: the phone test reads the profile the first one filled.
 */

/** The browser logs the 4xx answers of refused fetches. */
const FETCH_ERRORS = [/status of 4\d\d/];

describe.skipIf(!chromiumAvailable())('the medical profile in the browser', () => {
  const browser = useBrowser();
  let tc: TestCarnet;
  let patient: TestPatient;

  beforeAll(async () => {
    tc = await startCarnet({ env: { RATE_LIMIT_PER_MINUTE: '10000' } });
    patient = await insuredPatient(tc, { given: 'Camille', state: 'active' });
  });
  afterAll(() => tc?.close());

  /** Opens the patient space with the patient's token, as the web app keeps it after sign-in (sessionStorage). */
  async function openAsPatient(page: Page, path: string): Promise<void> {
    await page.addInitScript((token) => {
      if (window.top !== window) return;
      sessionStorage.setItem('carnet.accessToken', token);
    }, patient.token);
    await page.goto(`${tc.baseUrl}${path}`);
  }

  const api = async (path: string) => {
    const res = await tc.request('GET', path, { token: patient.token });
    expect(res.status, path).toBe(200);
    return res.json();
  };

  const status = (page: Page, text: string | RegExp) => page.getByRole('status').filter({ hasText: text }).first().waitFor();
  const nav = (page: Page) => page.getByRole('navigation', { name: 'Navigation principale' });
  const toOverview = async (page: Page) => {
    await page.getByRole('link', { name: 'Retour au profil médical' }).click();
    await page.getByRole('heading', { level: 1, name: 'Profil médical' }).waitFor();
  };

  it('three sections, "non concerné", the summary PDF filed in the documents, the advance directives, closing "Entourage et volontés"', () =>
    withPage(
      browser(),
      async ({ page }) => {
        await openAsPatient(page, '/patient');
        await nav(page).getByRole('link', { name: 'Profil médical' }).click();
        await page.getByRole('heading', { level: 1, name: 'Profil médical' }).waitFor();
        const diseasesCard = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'Maladies et sujets de santé' }) });
        await diseasesCard.getByText('Rien de renseigné').waitFor();
        await expectAccessible(page, 'profile overview');

        // a disease known by its month and year; the year is required and checked first
        await page.getByRole('link', { name: 'Maladies et sujets de santé' }).click();
        await page.getByRole('heading', { level: 1, name: 'Maladies et sujets de santé' }).waitFor();
        await page.getByRole('button', { name: 'Ajouter une maladie ou un sujet de santé' }).click();
        const addForm = page.getByRole('form', { name: 'Ajouter une maladie ou un sujet de santé' });
        await addForm.getByLabel('Maladie ou sujet de santé').fill('Asthme');
        const start = addForm.getByRole('group', { name: /Date de début/ });
        await start.getByLabel('Mois').selectOption({ label: 'mars' });
        await addForm.getByRole('button', { name: 'Enregistrer' }).click();
        const summary = page.getByRole('alert').filter({ hasText: 'Veuillez corriger les points suivants' });
        await summary.getByRole('link', { name: /Date de début.*renseignez au moins l’année/ }).waitFor();
        expect(await start.getByLabel('Année').getAttribute('aria-invalid')).toBe('true');
        await expectAccessible(page, 'disease form with an error');
        await start.getByLabel('Année').fill('2019');
        await addForm.getByRole('button', { name: 'Enregistrer' }).click();
        await status(page, '« Asthme » est ajouté à votre profil.');
        const asthma = page.getByRole('article', { name: 'Asthme' });
        await asthma.getByText('mars 2019').waitFor();
        await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Asthme');
        await expectAccessible(page, 'a disease added');

        // an allergy
        await toOverview(page);
        await page.getByRole('link', { name: 'Allergies' }).click();
        await page.getByRole('button', { name: 'Ajouter une allergie' }).click();
        await page.getByRole('textbox', { name: 'Allergie (obligatoire)' }).fill('Pénicilline');
        await page.getByLabel('Commentaire').fill('Urticaire en 2015');
        await page.getByRole('button', { name: 'Enregistrer' }).click();
        await status(page, '« Pénicilline » est ajouté à votre profil.');
        await page.getByRole('article', { name: 'Pénicilline' }).getByText('Urticaire en 2015').waitFor();

        // a treatment found by the drug's name, linked to the disease
        await toOverview(page);
        await page.getByRole('link', { name: 'Traitements' }).click();
        await page.getByRole('button', { name: 'Ajouter un traitement' }).click();
        await page.getByLabel('Rechercher un médicament').fill('doliprane');
        const results = page.getByRole('list', { name: 'Médicaments trouvés' });
        await results.waitFor();
        await status(page, /médicaments? trouvés?/);
        await expectAccessible(page, 'drug search');
        const choose = results.getByRole('button', { name: /^Choisir : DOLIPRANE 1000 mg, comprimé, plaquette/ }).first();
        await choose.click();
        await expect.poll(() => page.getByLabel('Nom du traitement').inputValue()).toMatch(/^DOLIPRANE/);
        const cip = await page.getByLabel('Code CIP').inputValue();
        expect(cip).toMatch(/^34009\d{8}$/);
        await page.getByLabel('Posologie').fill('1 comprimé si douleur');
        await page.getByRole('group', { name: /Maladies liées/ }).getByLabel('Asthme').check();
        await page.getByRole('button', { name: 'Enregistrer' }).click();
        await status(page, /« DOLIPRANE.* » est ajouté à votre profil\./);
        const treatment = page.getByRole('article', { name: /^DOLIPRANE/ });
        await treatment.getByText('1 comprimé si douleur').waitFor();
        await treatment.getByText('Asthme').waitFor();
        const treatments = await api('/api/profile/sections/treatments');
        expect(treatments.entries).toHaveLength(1);
        expect(treatments.entries[0].cip13).toBe(cip);
        expect(treatments.entries[0].cis).toMatch(/^\d{8}$/);
        await expectAccessible(page, 'a treatment added');

        // "non concerné(e)" by hospitalisations
        await toOverview(page);
        await page.getByRole('link', { name: 'Antécédents familiaux' }).click();
        await page.getByRole('button', { name: 'Je ne suis pas concerné(e)' }).click();
        await status(page, 'C’est noté : vous n’êtes pas concerné(e) par « Antécédents familiaux ».');
        await page.getByText(/Vous avez indiqué ne pas être concerné\(e\) par cette rubrique depuis le/).waitFor();
        await page.getByRole('button', { name: 'Retirer la mention « non concerné(e) »' }).waitFor();
        await expectAccessible(page, 'a section declared "non concerné"');

        await toOverview(page);
        await diseasesCard.getByText('1 élément renseigné').waitFor();
        const hospitalCard = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'Antécédents familiaux' }) });
        await hospitalCard.getByText(/^Non concerné\(e\) depuis le /).waitFor();

        // the summary PDF: downloaded, then filed in the documents
        await page.getByRole('link', { name: 'Exporter la synthèse PDF' }).click();
        await page.getByRole('heading', { level: 1, name: 'Synthèse de mon profil médical' }).waitFor();
        await expectAccessible(page, 'summary page');
        const sections = page.getByRole('group', { name: /Rubriques à inclure/ });
        expect(await sections.getByRole('checkbox', { checked: true }).count()).toBe(12);
        await page.getByRole('button', { name: 'Tout décocher' }).click();
        await page.getByRole('button', { name: 'Télécharger le PDF' }).click();
        await page.getByRole('alert').getByRole('link', { name: 'Cochez au moins une rubrique.' }).waitFor();
        await page.getByRole('button', { name: 'Tout cocher' }).click();
        const download = page.waitForEvent('download');
        await page.getByRole('button', { name: 'Télécharger le PDF' }).click();
        const file = await (await download).path();
        expect(fs.readFileSync(file!).subarray(0, 5).toString('latin1')).toBe('%PDF-');
        await status(page, 'La synthèse est téléchargée.');
        await page.getByRole('button', { name: 'Classer dans mes documents' }).click();
        await status(page, 'La synthèse est classée dans vos documents.');
        await page.getByRole('status').getByRole('link', { name: 'Voir mes documents' }).click();
        await page.getByRole('heading', { level: 1, name: 'Mes documents' }).waitFor();
        await page.getByRole('article', { name: 'Synthèse du profil médical' }).waitFor();

        // the advance directives: the online form becomes a PDF in the documents
        await page.goto(`${tc.baseUrl}/patient/profil`);
        await page.getByRole('link', { name: 'Mes directives anticipées' }).click();
        await page.getByRole('heading', { level: 1, name: 'Directives anticipées' }).waitFor();
        await page.getByText('Vous n’avez pas encore rédigé de directives anticipées.').waitFor();
        await expectAccessible(page, 'advance directives');
        const form = page.getByRole('form', { name: 'Remplir le formulaire en ligne' });
        await form.getByRole('button', { name: 'Enregistrer mes directives anticipées' }).click();
        await page.getByRole('alert').getByRole('link', { name: 'Choisissez un modèle.' }).waitFor();
        await form.getByLabel('Je pense être en bonne santé').check();
        await form.getByLabel(/^Mon contexte/).fill('Je vis seule, je randonne beaucoup.');
        await form.getByLabel(/^Si je ne peux plus exprimer ma volonté/).fill('Je ne veux pas d’acharnement thérapeutique.');
        await form.getByLabel(/^Sédation profonde/).fill('Je la demande si mes traitements sont arrêtés.');
        await form.getByLabel(/^Fait à/).fill('Lyon');
        await form.getByRole('button', { name: 'Enregistrer mes directives anticipées' }).click();
        await status(page, 'Vos directives anticipées sont enregistrées ; le PDF est classé dans vos documents.');
        const current = page.getByRole('region', { name: 'Version en vigueur' });
        await current.getByText(/^Formulaire « en bonne santé », du /).waitFor();
        await current.getByRole('button', { name: /^Télécharger le PDF : Formulaire « en bonne santé »/ }).waitFor();
        await expectAccessible(page, 'advance directives recorded');
        await current.getByRole('link', { name: 'Voir mes documents' }).click();
        await page.getByRole('article', { name: /^Mes directives anticipées du / }).waitFor();

        // "Entourage et volontés" closed to professionals
        await page.goto(`${tc.baseUrl}/patient/profil`);
        const entourage = page.getByRole('switch', { name: 'Fermer « Entourage et volontés » aux professionnels' });
        expect(await entourage.isChecked()).toBe(false);
        // the switch follows the server's answer: click, then wait for the announced change (check() would
        // demand the new state at once)
        await entourage.click();
        await status(page, '« Entourage et volontés » est désormais fermé aux professionnels.');
        expect(await entourage.isChecked()).toBe(true);
        expect((await api('/api/profile/settings')).closed).toEqual(['entourage']);
        await page.reload();
        await page.getByRole('switch', { name: 'Fermer « Entourage et volontés » aux professionnels' }).waitFor();
        expect(await page.getByRole('switch', { name: 'Fermer « Entourage et volontés » aux professionnels' }).isChecked()).toBe(true);
        expect(await page.getByRole('switch', { name: 'Fermer « Mon histoire de santé » aux professionnels' }).isChecked()).toBe(false);
        await expectAccessible(page, 'profile overview with a section closed');
      },
      { allowErrors: FETCH_ERRORS },
    ));

  it('on a phone: the overview, a section with its entries and its form, the summary and the directives', () =>
    withPage(
      browser(),
      async ({ page }) => {
        const fits = async () => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
        await openAsPatient(page, '/patient/profil');
        await page.getByRole('heading', { level: 1, name: 'Profil médical' }).waitFor();
        await page.getByText('1 élément renseigné').first().waitFor();
        await expectAccessible(page, 'profile overview on a phone');
        await fits();

        await page.getByRole('link', { name: 'Traitements' }).click();
        await page.getByRole('article', { name: /^DOLIPRANE/ }).waitFor();
        await page.getByRole('button', { name: /^Modifier : DOLIPRANE/ }).click();
        await page.getByRole('heading', { name: /^Modifier « DOLIPRANE/ }).waitFor();
        await page.getByLabel('Rechercher un médicament').fill('doliprane');
        await page.getByRole('list', { name: 'Médicaments trouvés' }).waitFor();
        await expectAccessible(page, 'treatment form on a phone');
        await fits();
        await page.getByRole('button', { name: 'Annuler' }).click();

        // deleting asks first, then the focus goes back to the list
        await page.getByRole('button', { name: /^Supprimer : DOLIPRANE/ }).click();
        await page.getByRole('heading', { name: /^Supprimer « DOLIPRANE/ }).waitFor();
        await expectAccessible(page, 'delete confirmation on a phone');
        await page.getByRole('button', { name: 'Supprimer définitivement' }).click();
        await status(page, /« DOLIPRANE.* » est supprimé de votre profil\./);
        await page.getByText('Aucun traitement renseigné.').waitFor();
        await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('pf-list-title');

        await page.goto(`${tc.baseUrl}/patient/profil/synthese`);
        await page.getByRole('heading', { level: 1, name: 'Synthèse de mon profil médical' }).waitFor();
        await expectAccessible(page, 'summary on a phone');
        await fits();

        await page.goto(`${tc.baseUrl}/patient/profil/directives`);
        await page.getByRole('region', { name: 'Version en vigueur' }).waitFor();
        await expectAccessible(page, 'advance directives on a phone');
        await fits();

        await page.goto(`${tc.baseUrl}/patient/profil/entourage`);
        await page.getByRole('heading', { level: 1, name: 'Entourage et volontés' }).waitFor();
        await page.getByRole('region', { name: 'Don d’organes' }).waitFor();
        await expectAccessible(page, 'entourage on a phone');
        await fits();
      },
      { device: 'phone', allowErrors: FETCH_ERRORS },
    ));
});
