import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvOf, person, startAccounts, type AccountsCarnet } from '../support/accounts.js';
import { bornAgo } from '../support/prevention.js';
import { chromiumAvailable, expectAccessible, useBrowser, withPage } from './support/browser.js';
import { signInPatient } from './support/sign-in.js';

/**
 * The key-age questionnaire ("Mon bilan prévention") in a real browser (Debian's Chromium), on the built web app:
 * a 20-year-old activated from a population file signs in, opens Prévention, the key-age check-up and its
 * questionnaire; answers (a conditional question appears, another comes and goes), saves a draft, finds it after
 * a reload, meets a stale save (the latest version is reloaded), tries to finalise with questions left (each
 * listed and linked), finalises, downloads and files the PDF, finds it in "Mes documents", and finds the habits
 * pre-filled in "Habitudes de vie". On a phone: the player fits the screen. Axe checks every screen.
 */

/** The browser logs the 4xx answers of refused requests (the questions left, the stale save). */
const FETCH_ERRORS = [/status of 4\d\d/];

describe.skipIf(!chromiumAvailable())('the key-age questionnaire in the browser', () => {
  const browser = useBrowser();
  let c: AccountsCarnet;

  beforeAll(async () => {
    c = await startAccounts();
  });
  afterAll(() => c?.close());

  /** A person who is 20 today (Carnet's clock), imported, activated and able to sign in. */
  async function twentyYearOld(given: string) {
    const p = person({ birthDate: bornAgo(c, { years: 20 }), sex: 'F', given });
    await c.importCsv(csvOf([p]));
    const account = await c.activate(p);
    const { id } = await c.insured(p.nir);
    const token = await c.signIn(account.login, account.password, p.email!);
    return { ...account, email: p.email!, patientId: id as string, token };
  }

  const status = (page: Page, text: string | RegExp) => page.getByRole('status').filter({ hasText: text }).first().waitFor();
  const nav = (page: Page) => page.getByRole('navigation', { name: 'Navigation principale' });
  /** A question of the player (a fieldset named by its legend). */
  const question = (page: Page, text: RegExp) => page.getByRole('group', { name: text });

  async function openQuestionnaire(page: Page) {
    await nav(page).getByRole('link', { name: 'Prévention' }).click();
    await page.getByRole('heading', { level: 1, name: 'Prévention' }).waitFor();
    await page.getByRole('link', { name: 'Préparer ce bilan avec le questionnaire' }).first().click();
    await page.getByRole('heading', { level: 1, name: /^Mon bilan prévention 18-25 ans/ }).waitFor();
  }

  it(
    'a 20-year-old answers, saves a draft, finalises, files the PDF; the habits are pre-filled in the profile',
    () =>
      withPage(
        browser(),
        async ({ page }) => {
          const me = await twentyYearOld('Inès');
          await signInPatient(page, { baseUrl: c.baseUrl, login: me.login, password: me.password, otp: () => c.otpFor(me.email) });
          await openQuestionnaire(page);
          await page.getByText('Vous n’avez pas encore commencé ce questionnaire.').waitFor();
          await page.getByText(/^Version \d{4}\.\d+ · Pour les personnes de 18 à 25 ans\.$/).waitFor();
          await expectAccessible(page, 'questionnaire, not started');

          // start: the draft's questions, by group
          await page.getByRole('button', { name: 'Commencer le questionnaire' }).click();
          await status(page, 'Le questionnaire est commencé.');
          await page.getByRole('heading', { level: 2, name: 'Mes réponses (brouillon)' }).waitFor();
          expect(await page.getByRole('button', { name: 'Commencer le questionnaire' }).count()).toBe(0);
          const habits = page.getByRole('group', { name: 'Mes habitudes de vie' });
          await habits.getByRole('heading', { level: 3, name: 'Mes habitudes de vie' }).waitFor();
          await question(page, /^Comment décririez-vous votre alimentation \? \(obligatoire\)$/).getByLabel(/^Équilibrée et variée/).check();

          // a conditional question appears once its condition holds, announced politely
          const perDay = question(page, /^Combien de cigarettes par jour \?/);
          expect(await perDay.count()).toBe(0);
          await question(page, /^Fumez-vous/).getByLabel('Oui, tous les jours').check();
          await perDay.waitFor();
          await page.locator('[aria-live="polite"]').filter({ hasText: 'Combien de cigarettes par jour ?' }).waitFor();
          await perDay.getByLabel('De 10 à 20').check();
          // a checkbox question shown by a radio answer
          await question(page, /^Utilisez-vous un moyen de contraception/).getByLabel('Oui').check();
          const methods = question(page, /^Lequel ou lesquels \?/);
          await methods.getByLabel('Pilule').check();
          await methods.getByLabel('Préservatif').check();
          await page.getByLabel(/^Y a-t-il un sujet dont vous aimeriez parler lors du bilan \?/).fill('Le sommeil pendant les examens.');
          // an optional radio answer can be cleared (a required one cannot: it has no such button)
          const stress = question(page, /^Vous sentez-vous souvent stressé\(e\) ou anxieux\(se\) \? \(facultatif\)$/);
          const clearStress = stress.getByRole('button', { name: /^Effacer la réponse : Vous sentez-vous souvent stressé/ });
          expect(await clearStress.count()).toBe(0);
          await stress.getByLabel('Parfois').check();
          await expectAccessible(page, 'questionnaire, answering');
          await clearStress.click();
          await expect.poll(() => stress.getByRole('radio', { checked: true }).count()).toBe(0);
          await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('id'))).toBe(await stress.getByLabel('Non', { exact: true }).getAttribute('id'));
          expect(await clearStress.count()).toBe(0);
          expect(await question(page, /^Comment décririez-vous votre alimentation/).getByRole('button', { name: /^Effacer la réponse/ }).count()).toBe(0);
          // a text answer holds at most 2 000 characters, as the server says
          expect(await page.getByLabel(/^Y a-t-il un sujet/).getAttribute('maxlength')).toBe('2000');

          await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
          await status(page, 'Votre brouillon est enregistré.');
          let drafts = await listResponses(me.token);
          expect(drafts).toHaveLength(1);
          expect(drafts[0].status).toBe('draft');
          expect(drafts[0].answers).toMatchObject({ food: 'balanced', tobacco: 'daily', 'tobacco-per-day': '10-20', contraception: 'yes', topics: 'Le sommeil pendant les examens.' });
          expect([...drafts[0].answers['contraception-method']].sort()).toEqual(['condom', 'pill']);
          expect(drafts[0].answers.stress).toBeUndefined();

          // after a reload, the draft is there with its answers
          await page.reload();
          await page.getByRole('heading', { level: 2, name: 'Mes réponses (brouillon)' }).waitFor();
          await page.getByRole('heading', { level: 3, name: /^Brouillon, enregistré le / }).waitFor();
          expect(await question(page, /^Fumez-vous/).getByLabel('Oui, tous les jours').isChecked()).toBe(true);
          expect(await question(page, /^Combien de cigarettes par jour \?/).getByLabel('De 10 à 20').isChecked()).toBe(true);
          expect(await question(page, /^Lequel ou lesquels \?/).getByLabel('Pilule').isChecked()).toBe(true);
          expect(await page.getByLabel(/^Y a-t-il un sujet/).inputValue()).toBe('Le sommeil pendant les examens.');

          // saved meanwhile elsewhere (another device): the stale save is refused, the latest version comes back
          const elsewhere = await c.api('PUT', `/api/prevention/questionnaire-responses/${drafts[0].id}`, {
            token: me.token,
            json: { answers: { ...drafts[0].answers, drugs: 'no' }, versionId: drafts[0].versionId },
          });
          expect(elsewhere.status, await elsewhere.clone().text()).toBe(200);
          await question(page, /^Comment dormez-vous/).getByLabel('Mal, je dors trop peu ou je me réveille fatigué(e)').check();
          await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
          await page.getByRole('alert').filter({ hasText: 'Vos réponses ont été modifiées ailleurs entre-temps' }).waitFor();
          await expect.poll(() => question(page, /^Avez-vous consommé du cannabis/).getByLabel('Non', { exact: true }).isChecked()).toBe(true);
          expect(await question(page, /^Comment dormez-vous/).getByLabel('Mal, je dors trop peu ou je me réveille fatigué(e)').isChecked()).toBe(false);
          await expectAccessible(page, 'questionnaire, stale save');

          // finalising with required questions left: each listed and linked to its question
          await page.getByRole('button', { name: 'Finaliser', exact: true }).click();
          await page.getByRole('heading', { name: 'Finaliser le questionnaire ?' }).waitFor();
          await page.getByRole('button', { name: 'Finaliser le questionnaire' }).click();
          const summary = page.getByRole('alert').filter({ hasText: 'Veuillez corriger les points suivants' });
          await summary.getByRole('link', { name: 'Répondez à la question « Comment dormez-vous ? ».' }).waitFor();
          await summary.getByRole('link', { name: /^Répondez à la question « Au cours des deux dernières semaines/ }).waitFor();
          expect(await summary.getByRole('link', { name: /Comment décririez-vous votre alimentation/ }).count()).toBe(0);
          await summary.getByRole('link', { name: 'Répondez à la question « Comment dormez-vous ? ».' }).click();
          await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('id'))).toBe('qr-sleep-0');
          const sleep = question(page, /^Comment dormez-vous/);
          await sleep.getByText('Répondez à cette question.').waitFor();
          expect(await sleep.getByLabel('Bien, je me sens reposé(e) au réveil').getAttribute('aria-invalid')).toBe('true');
          expect((await listResponses(me.token))[0].status).toBe('draft');
          await expectAccessible(page, 'questionnaire, questions left');

          // a conditional question comes and goes with its condition
          const alcohol = question(page, /^À quelle fréquence buvez-vous de l’alcool/);
          const binge = question(page, /^Vous arrive-t-il de boire six verres/);
          await alcohol.getByLabel('Une ou plusieurs fois par semaine').check();
          await binge.waitFor();
          await alcohol.getByLabel('Jamais').check();
          await expect.poll(() => binge.count()).toBe(0);
          await page.locator('[aria-live="polite"]').filter({ hasText: 'Une question n’est plus posée' }).waitFor();

          await sleep.getByLabel('Bien, je me sens reposé(e) au réveil').check();
          await question(page, /^Combien de temps êtes-vous physiquement actif/).getByLabel('Plus de deux heures et demie').check();
          await question(page, /^Combien de temps passez-vous chaque jour devant un écran/).getByLabel('De deux à quatre heures').check();
          await question(page, /^Au cours des deux dernières semaines/).getByLabel('Quelques jours').check();
          await page.getByRole('button', { name: 'Finaliser', exact: true }).click();
          await page.getByRole('button', { name: 'Finaliser le questionnaire' }).click();
          await status(page, 'Le questionnaire est finalisé.');

          // read-only once final
          await page.getByRole('heading', { level: 2, name: /^Mes réponses \(finalisé le / }).waitFor();
          expect(await page.getByRole('main').getByRole('radio').count()).toBe(0);
          expect(await page.getByRole('main').getByRole('textbox').count()).toBe(0);
          expect(await page.getByRole('button', { name: 'Enregistrer le brouillon' }).count()).toBe(0);
          await page.getByRole('definition').filter({ hasText: /^Équilibrée et variée/ }).waitFor();
          await page.getByRole('definition').filter({ hasText: 'Pilule, Préservatif' }).waitFor();
          expect(await page.getByRole('term').filter({ hasText: /^Vous arrive-t-il de boire six verres/ }).count()).toBe(0);
          const final = (await listResponses(me.token))[0];
          expect(final.status).toBe('final');
          expect(final.answers).toMatchObject({ alcohol: 'never', drugs: 'no', sleep: 'well' });
          expect(final.answers['alcohol-binge']).toBeUndefined();
          await page.getByRole('button', { name: 'Remplir à nouveau le questionnaire' }).waitFor();
          await expectAccessible(page, 'questionnaire, final');

          // the PDF: downloaded, then filed in the documents
          const download = page.waitForEvent('download');
          await page.getByRole('button', { name: /^Télécharger le PDF du questionnaire finalisé le / }).click();
          expect(fs.readFileSync((await (await download).path())!).subarray(0, 5).toString('latin1')).toBe('%PDF-');
          await status(page, 'Le PDF est téléchargé.');
          await page.getByRole('button', { name: /^Classer en PDF dans mes documents du questionnaire finalisé le / }).click();
          await status(page, 'Le questionnaire est classé dans vos documents.');
          const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: /^Finalisé le / }) });
          await card.getByText('Classé dans vos documents').waitFor();
          expect(await card.getByRole('button', { name: /^Classer en PDF/ }).count()).toBe(0);
          expect((await listResponses(me.token))[0].documentId).toEqual(expect.any(String));
          await expectAccessible(page, 'questionnaire, filed');
          await card.getByRole('link', { name: 'Voir mes documents' }).click();
          await page.getByRole('heading', { level: 1, name: 'Mes documents' }).waitFor();
          await page.getByRole('article', { name: /bilan prévention/i }).waitFor();

          // "Habitudes de vie" pre-filled from the answers
          await nav(page).getByRole('link', { name: 'Profil médical' }).click();
          await page.getByRole('link', { name: 'Habitudes de vie' }).click();
          await page.getByRole('heading', { level: 1, name: 'Habitudes de vie' }).waitFor();
          await page.getByText(/Équilibrée et variée/).first().waitFor();
          await page.getByText(/Oui, tous les jours/).first().waitFor();
          // each pre-filled entry says where it comes from
          const entries = page.getByRole('region', { name: 'Ce que vous avez renseigné' }).getByRole('article');
          const prefilled = entries.filter({ hasText: 'Pré-rempli depuis Mon bilan prévention' });
          await prefilled.first().waitFor();
          expect(await prefilled.count()).toBe(await entries.count());
          await expectAccessible(page, 'habits pre-filled');
        },
        { allowErrors: FETCH_ERRORS },
      ),
    240_000,
  );

  it(
    'on a phone: the player fits the screen, a conditional question appears',
    () =>
      withPage(
        browser(),
        async ({ page }) => {
          const fits = async () => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
          const me = await twentyYearOld('Léna');
          await signInPatient(page, { baseUrl: c.baseUrl, login: me.login, password: me.password, otp: () => c.otpFor(me.email) });
          await page.goto(`${c.baseUrl}/patient/prevention/questionnaire/18-25`);
          await page.getByRole('heading', { level: 1, name: /^Mon bilan prévention 18-25 ans/ }).waitFor();
          await expectAccessible(page, 'questionnaire on a phone');
          await fits();
          await page.getByRole('button', { name: 'Commencer le questionnaire' }).click();
          await page.getByRole('heading', { level: 2, name: 'Mes réponses (brouillon)' }).waitFor();
          await question(page, /^Au cours des deux dernières semaines/).getByLabel('Presque tous les jours').check();
          await question(page, /^Souhaitez-vous en parler avec le professionnel/).waitFor();
          await expectAccessible(page, 'questionnaire answering on a phone');
          await fits();
          // a band that is not this profile's: said plainly, nothing to start
          await page.goto(`${c.baseUrl}/patient/prevention/questionnaire/60-65`);
          await page.getByRole('heading', { level: 1, name: /^Mon bilan prévention 60-65 ans/ }).waitFor();
          await page.getByText('Ce questionnaire n’est pas proposé pour ce profil : il est prévu pour une autre tranche d’âge.').waitFor();
          expect(await page.getByRole('button', { name: 'Commencer le questionnaire' }).count()).toBe(0);
          await expectAccessible(page, 'questionnaire not offered, on a phone');
          // and a band that does not exist
          await page.goto(`${c.baseUrl}/patient/prevention/questionnaire/30-35`);
          await page.getByRole('alert').filter({ hasText: 'Ce questionnaire n’existe pas.' }).waitFor();
        },
        { device: 'phone', allowErrors: FETCH_ERRORS },
      ),
    120_000,
  );

  async function listResponses(token: string): Promise<any[]> {
    const res = await c.api('GET', '/api/prevention/questionnaires', { token });
    expect(res.status, await res.clone().text()).toBe(200);
    const body = await res.json();
    const band = body.questionnaires.find((q: { band: string }) => q.band === '18-25');
    return [...(band?.responses ?? [])].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }
});
