import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/services/demo/accounts.js';
import { csvOf, person, startAccounts, type AccountsCarnet } from '../support/accounts.js';
import { chromiumAvailable, expectAccessible, useBrowser, withPage } from './support/browser.js';

/**
 * The patients' accounts journeys in a real browser (Debian's Chromium), on the built web app served by a
 * real Carnet with the demo world, each page checked with axe.
 */
const FETCH_ERRORS = [/status of 4\d\d/];

describe.skipIf(!chromiumAvailable())('accounts journeys in the browser', () => {
  const browser = useBrowser();
  let c: AccountsCarnet;
  beforeAll(async () => {
    c = await startAccounts({ env: {}, seed: true });
  });
  afterAll(() => c?.close());

  /** Signs in through the web app: password, then the one-time code read from the outbox. */
  async function signIn(page: Page, login: string, email: string, password = DEMO_PASSWORD) {
    await page.goto(`${c.baseUrl}/`);
    await page.getByRole('main').getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(/\/interaction\//);
    await expectAccessible(page, 'sign-in');
    await page.getByLabel('Identifiant', { exact: true }).fill(login);
    await page.getByLabel('Mot de passe', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Continuer' }).click();
    await page.getByLabel('Code reçu par e-mail').waitFor();
    await page.getByLabel('Code reçu par e-mail').fill(await c.otpFor(email));
    await page.getByRole('button', { name: 'Valider le code' }).click();
    await page.waitForURL(/\/(patient|admin)/);
  }

  it('the operator imports a file, reads the notice in the mail catcher; the person objects and downloads the proof', () =>
    withPage(
      browser(),
      async ({ page }) => {
        const p = person();
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-e2e-')), 'population.csv');
        fs.writeFileSync(file, csvOf([p]));
        await signIn(page, 'admin', 'operatrice@example.fr');
        await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Import de population' }).click();
        await page.getByLabel('Fichier de population (CSV)').setInputFiles(file);
        await page.getByRole('button', { name: 'Importer le fichier' }).click();
        await expect.poll(() => page.getByRole('heading', { name: /Rapport d'import/ }).count()).toBe(1);
        await expectAccessible(page, 'import report');

        await page.getByRole('link', { name: 'Courriels' }).click();
        const notice = page.getByRole('listitem').filter({ hasText: p.email! }).first();
        await notice.waitFor();
        await expectAccessible(page, 'mail catcher');
        const code = /([2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4})/.exec((await notice.textContent()) ?? '')![1]!;

        await page.goto(`${c.baseUrl}/opposition`);
        await expectAccessible(page, 'objection form');
        await page.getByLabel('Numéro de sécurité sociale (NIR)').fill(p.nir);
        await page.getByLabel('Code provisoire').fill(code);
        await page.getByRole('button', { name: 'Confirmer mon opposition' }).click();
        await page.getByRole('heading', { name: 'Votre opposition est enregistrée' }).waitFor();
        await expectAccessible(page, 'objection done');
        const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: "Télécharger l'attestation d'opposition (PDF)" }).click()]);
        const pdf = fs.readFileSync((await download.path())!);
        expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      },
      { allowErrors: FETCH_ERRORS },
    ));

  it('after six weeks on the clock the person activates, then signs in with the one-time code', async () => {
    const p = person();
    await c.importCsv(csvOf([p]));
    const code = await c.codeFor(p.email!);
    await withPage(
      browser(),
      async ({ page }) => {
        await signIn(page, 'admin', 'operatrice@example.fr');
        await page.getByRole('link', { name: 'Horloge' }).click();
        await page.getByLabel('Nombre de jours').fill('42');
        await expectAccessible(page, 'demo clock');
        await page.getByRole('button', { name: "Avancer l'horloge" }).click();
        // 42 days later the operator's session has ended by itself: the app goes back to sign-in
        await page.waitForURL(/\/interaction\//);
      },
      { allowErrors: FETCH_ERRORS },
    );
    const admin = await (await c.request('GET', `/api/admin/insured?nir=${p.nir}`, { token: c.operatorToken })).json();
    expect(admin.state).toBe('open');

    await withPage(
      browser(),
      async ({ page }) => {
        await page.goto(`${c.baseUrl}/activation`);
        await expectAccessible(page, 'activation step 1');
        await page.getByLabel('Numéro de sécurité sociale (NIR)').fill(p.nir);
        await page.getByLabel('Numéro de série de la carte Vitale').fill(p.vitaleSerial!);
        await page.getByLabel('Code provisoire').fill(code);
        await page.getByRole('button', { name: 'Continuer' }).click();
        await page.getByLabel('Identifiant', { exact: true }).waitFor();
        await expectAccessible(page, 'activation step 2');
        const login = `e2e.${Date.now().toString(36)}`;
        await page.getByLabel('Identifiant', { exact: true }).fill(login);
        await page.getByLabel('Mot de passe', { exact: true }).fill('Velo-Rouge-42!');
        await page.getByLabel('Adresse e-mail').fill(p.email!);
        await page.getByLabel("J'ai lu et j'accepte les conditions générales d'utilisation de Carnet").check();
        await page.getByRole('button', { name: 'Créer mon compte' }).click();
        await page.getByLabel('Code reçu par e-mail').waitFor();
        await page.getByLabel('Code reçu par e-mail').fill(await c.otpFor(p.email!));
        await page.getByRole('button', { name: 'Valider' }).click();
        await page.getByRole('heading', { name: 'Votre profil est activé' }).waitFor();
        await expectAccessible(page, 'activation done');

        await signIn(page, login, p.email!, 'Velo-Rouge-42!');
        await page.getByRole('heading', { name: /^Bonjour/ }).waitFor();
        await expectAccessible(page, 'patient home');
      },
      { allowErrors: FETCH_ERRORS },
    );
  });

  it('a parent switches to a child’s profile, on a phone', () =>
    withPage(
      browser(),
      async ({ page }) => {
        await signIn(page, 'camille.martin', 'camille.martin@example.fr');
        await page.getByText(/Vous agissez pour/).waitFor();
        const options = await page.getByLabel('Profil', { exact: true }).locator('option').allTextContents();
        await page.getByLabel('Profil', { exact: true }).selectOption({ index: options.findIndex((o) => o.includes('Léo')) });
        await page.getByRole('button', { name: 'Changer de profil' }).click();
        await expect.poll(() => page.getByText(/Vous agissez pour/).textContent()).toMatch(/Léo/);
        await page.getByRole('link', { name: 'Notifications' }).first().click();
        await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
        await expectAccessible(page, 'child notifications on a phone');
      },
      { device: 'phone', allowErrors: FETCH_ERRORS },
    ));

  it('a person invites a carer, who accepts and then acts for them; the helped person revokes', () =>
    withPage(
      browser(),
      async ({ page, context }) => {
        const helped = person();
        const carer = person();
        await c.importCsv(csvOf([helped, carer]));
        const h = await c.activate(helped);
        const k = await c.activate(carer);

        await signIn(page, h.login, helped.email!, h.password);
        await page.getByRole('link', { name: 'Famille et aidants' }).first().click();
        await expectAccessible(page, 'family and carers');
        const form = page.getByRole('form', { name: 'Inviter un aidant' });
        await form.getByLabel('Matricule INS').fill(carer.nir);
        await form.getByLabel('Nom de naissance').fill(carer.traits.birthName);
        await form.getByLabel('Premier prénom').fill(carer.traits.firstGivenName);
        await form.getByLabel('Date de naissance').fill(carer.traits.birthDate);
        await form.getByRole('button', { name: "Envoyer l'invitation à l'aidant" }).click();
        await page.getByRole('heading', { name: 'Invitations envoyées' }).waitFor();
        await page.getByRole('button', { name: 'Se déconnecter' }).click();
        await page.waitForURL(`${c.baseUrl}/`);

        await signIn(page, k.login, carer.email!, k.password);
        await page.getByRole('link', { name: 'Famille et aidants' }).first().click();
        await page.getByRole('button', { name: /^Accepter/ }).click();
        await page.getByRole('button', { name: /^Révoquer/ }).waitFor();
        await page.goto(`${c.baseUrl}/patient`);
        await page.getByLabel('Profil', { exact: true }).selectOption({ index: 1 });
        await page.getByRole('button', { name: 'Changer de profil' }).click();
        await expect.poll(() => page.getByText(/Vous agissez pour/).textContent()).toContain(helped.traits.birthName);
        await expectAccessible(page, 'carer acting');
        await page.getByRole('button', { name: 'Se déconnecter' }).click();
        await page.waitForURL(`${c.baseUrl}/`);

        await signIn(page, h.login, helped.email!, h.password);
        await page.getByRole('link', { name: 'Famille et aidants' }).first().click();
        await page.getByRole('button', { name: /^Révoquer/ }).click();
        await expect.poll(() => page.getByRole('button', { name: /^Révoquer/ }).count()).toBe(0);
        const docs = await c.request('GET', `/fhir/DocumentReference?subject=Patient/${(await (await c.request('GET', `/api/admin/insured?nir=${helped.nir}`, { token: c.operatorToken })).json()).id}`, {
          token: await c.signIn(h.login, h.password, helped.email!),
        });
        expect((await docs.json()).total ?? (await docs.json()).entry?.length).toBeGreaterThanOrEqual(2);
        void context;
      },
      { allowErrors: FETCH_ERRORS },
    ));
});
