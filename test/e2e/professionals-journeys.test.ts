import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfBytes } from '../support/mhd-bundles.js';
import { makeNir } from '../../src/domain/ins/index.js';
import { PATIENTS, patientId } from '../../src/services/demo/world.js';
import { startAccounts, type AccountsCarnet } from '../support/accounts.js';
import { demoDirectory, demoIdNat, insertDirectory, uniqueIdNat, type FixturePractitioner } from '../support/directory-fixture.js';
import { chromiumAvailable, expectAccessible, useBrowser, withPage } from './support/browser.js';
import { signInPatient, signInProfessional } from './support/sign-in.js';

/**
 * The professionals' journeys in a real browser (Debian's Chromium), on the built web app served by a real
 * Carnet with the demo world, every page checked with axe: a professional signs in with Pro Santé Connect
 * (the demo's test IdP), finds a patient by INS, records consent and reads the record; the patient blocks
 * them on "Mes professionnels de santé" and they are refused; a patient adds pharmacists from the directory
 * and moves the role of pharmacien correspondant from one to the other.
 *
 * The tests of this file run in order: the second uses the consent the first records.
 */
const FETCH_ERRORS = [/status of 4\d\d/];

const LOUIS = PATIENTS.find((p) => p.key === 'louis.bernard')!;
const LOUIS_NIR = makeNir(LOUIS.nir);
const LOUIS_ID = patientId('louis.bernard');
/** As the professional sees him: given names, then the birth name in capitals. */
const LOUIS_NAME = 'Louis Henri BERNARD';

/** The same NIR with another key (the last two digits): well formed, but not a valid INS. */
function withWrongKey(nir: string): string {
  const key = Number(nir.slice(13));
  return nir.slice(0, 13) + String(key === 97 ? 1 : key + 1).padStart(2, '0');
}

/** Eleven pharmacists and one doctor named LEROYER: a search for pharmacists named "leroyer" takes two pages. */
function leroyers(): FixturePractitioner[] {
  const org = { id: 'e2e-pharmacie-gare', name: 'Pharmacie de la Gare', city: 'Paris', postalCode: '75010' };
  const given = ['Anne', 'Bruno', 'Chloé', 'David', 'Emma', 'Fabien', 'Gaëlle', 'Hugo', 'Inès', 'Jules', 'Karine'];
  return [
    ...given.map((g) => ({
      idNat: uniqueIdNat(),
      family: 'LEROYER',
      given: g,
      roles: [{ professionCode: '21', professionLabel: 'Pharmacien', organization: org }],
    })),
    {
      idNat: uniqueIdNat(),
      family: 'LEROYER',
      given: 'Marc',
      practiceCivilityCode: 'DR',
      roles: [{ professionCode: '10', professionLabel: 'Médecin', organization: org }],
    },
  ];
}

describe.skipIf(!chromiumAvailable())('professionals journeys in the browser', () => {
  const browser = useBrowser();
  let c: AccountsCarnet;
  beforeAll(async () => {
    c = await startAccounts({ env: {}, seed: true });
    // the demo professionals in the directory, where the demo seeding does not list them already
    const { rows } = await c.db.query('SELECT 1 FROM directory_practitioner WHERE id = $1', [demoIdNat('dr.durand')]);
    await insertDirectory(c.db, [...(rows.length === 0 ? demoDirectory() : []), ...leroyers()]);
    // a document in Louis Bernard's record, for the professional's documents list: deposited by the radiologist
    // of his care team from the professional space (the ITI-65 path)
    const petit = await c.tokenFor('dr.petit');
    expect((await c.api('POST', `/api/pro/patients/${LOUIS_ID}/access`, { token: petit, json: { basis: 'care-team' } })).status).toBe(201);
    const params = new URLSearchParams({ typeCode: '11488-4', title: 'Compte rendu de consultation' });
    const res = await fetch(`${c.baseUrl}/api/pro/patients/${LOUIS_ID}/documents?${params}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${petit}`, 'content-type': 'application/pdf' },
      body: new Uint8Array(pdfBytes("Consultation de suivi.")),
    });
    expect(res.status, await res.clone().text()).toBe(201);
  });
  afterAll(() => c?.close());

  const nav = (page: Page) => page.getByRole('navigation', { name: 'Navigation principale' });

  /** Searches Louis Bernard by INS (INS-NIR-TEST) on /pro; returns his result. */
  async function searchLouis(page: Page) {
    await page.getByLabel('Matricule INS').fill(LOUIS_NIR);
    await page.getByLabel("Type d'INS").selectOption({ label: 'INS-NIR-TEST' });
    await page.getByRole('button', { name: 'Rechercher par INS' }).click();
    const result = page.getByRole('article', { name: LOUIS_NAME });
    await result.waitFor();
    return result;
  }

  it('a doctor signs in with Pro Santé Connect, finds Louis Bernard by INS, records his consent and reads his record', () =>
    withPage(
      browser(),
      async ({ page }) => {
        await signInProfessional(page, {
          baseUrl: c.baseUrl,
          card: /Dr Claire DURAND/,
          situation: /Maison de santé pluriprofessionnelle de Belleville/,
          checkAccessibility: true,
        });
        const practice = page.getByRole('region', { name: 'Votre connexion' });
        await practice.getByText(/^Connecté\(e\) : .*Durand/i).waitFor();
        await practice.getByText('Maison de santé pluriprofessionnelle de Belleville').waitFor();
        expect(await practice.getByText('Centre hospitalier Paris-Est', { exact: false }).count()).toBe(0);
        await expectAccessible(page, 'professional home');

        // a wrong key: the API's answer, in French, next to the field
        await page.getByLabel('Matricule INS').fill(withWrongKey(LOUIS_NIR));
        await page.getByRole('button', { name: 'Rechercher par INS' }).click();
        await expect.poll(() => page.locator('#pro-ins-error').textContent()).toMatch(/Ce matricule INS n'est pas valide/);
        expect(await page.getByLabel('Matricule INS').getAttribute('aria-invalid')).toBe('true');
        await expectAccessible(page, 'INS with a wrong key');

        const result = await searchLouis(page);
        expect(await page.locator('#pro-ins-error').count()).toBe(0);
        await result.getByText('Consentement nécessaire', { exact: true }).waitFor();
        await result.getByText(LOUIS_NIR).waitFor();
        expect(await result.getByRole('link', { name: /Ouvrir le profil/ }).count()).toBe(0);
        await expectAccessible(page, 'search result: consent needed');

        await result.getByRole('button', { name: /^J'ai recueilli le consentement du patient/ }).click();
        const confirm = result.getByRole('group', { name: 'Confirmer le recueil du consentement' });
        await confirm.getByText(/R1111-46/).waitFor();
        await expectAccessible(page, 'consent confirmation');
        await confirm.getByRole('button', { name: 'Confirmer' }).click();
        await result.getByText(/^Accès autorisé avec le consentement du patient recueilli le \d{1,2} \S+ \d{4}$/).waitFor();

        await result.getByRole('link', { name: `Ouvrir le profil de ${LOUIS_NAME}` }).click();
        await page.getByRole('heading', { level: 1, name: `Profil de ${LOUIS_NAME}` }).waitFor();
        const documents = page.getByRole('table', { name: 'Documents, du plus récent au plus ancien' });
        await documents.getByRole('row').filter({ hasText: 'Compte rendu de consultation' }).filter({ hasText: 'Dr Julien Petit' }).waitFor();
        const vaccinations = page.getByRole('table', { name: 'Vaccinations, de la plus récente à la plus ancienne' });
        await vaccinations.waitFor();
        expect(await vaccinations.getByRole('row').count()).toBeGreaterThan(1);
        await page.getByRole('heading', { name: 'Messagerie' }).waitFor();
        await expectAccessible(page, 'patient record');

        await nav(page).getByRole('link', { name: 'Mon activité' }).click();
        const activity = page.getByRole('table', { name: 'Mes dernières actions' });
        await activity.waitFor();
        expect(await activity.getByRole('row').filter({ hasText: 'Création : consentement' }).filter({ hasText: 'BERNARD' }).count()).toBe(1);
        expect(await activity.getByRole('row').filter({ hasText: "Vérification d'accès" }).count()).toBeGreaterThan(0);
        expect(await activity.getByRole('row').filter({ hasText: 'Recherche : documents' }).count()).toBeGreaterThan(0);
        await expectAccessible(page, 'professional activity');

        // Jade Martin, found by traits: Dr Durand is her médecin traitant
        await nav(page).getByRole('link', { name: 'Accueil et recherche' }).click();
        await page.getByLabel('Nom de naissance').fill('Martin');
        await page.getByLabel('Premier prénom').fill('Jade');
        await page.getByLabel('Date de naissance').fill('2021-09-20');
        await page.getByLabel('Sexe').selectOption({ label: 'Féminin' });
        await page.getByRole('button', { name: 'Rechercher par traits' }).click();
        const jade = page.getByRole('article', { name: 'Jade MARTIN' });
        await jade.getByText('Accès autorisé : vous êtes son médecin traitant', { exact: true }).waitFor();
        await jade.getByRole('link', { name: 'Ouvrir le profil de Jade MARTIN' }).waitFor();
        expect(await jade.getByRole('button').count()).toBe(0);
      },
      { allowErrors: FETCH_ERRORS },
    ));

  it('the professional space on a phone, as a pharmacist: search by INS and by traits, care-team declaration, consent on the record page, activity', () =>
    withPage(
      browser(),
      async ({ page }) => {
        // Antoine Leroy has one practice situation: no choice to make
        await signInProfessional(page, { baseUrl: c.baseUrl, card: /Antoine LEROY/i });
        await page.getByRole('region', { name: 'Votre connexion' }).getByText('Pharmacie du Marché').waitFor();
        await expectAccessible(page, 'professional home on a phone');
        const louis = await searchLouis(page);
        await louis.getByText('Consentement nécessaire', { exact: true }).waitFor();
        await expectAccessible(page, 'search result on a phone');

        // by traits: Jade Martin, whose care team the pharmacist declares joining
        await page.getByLabel('Nom de naissance').fill('martin');
        await page.getByLabel('Premier prénom').fill('JADE');
        await page.getByLabel('Date de naissance').fill('2021-09-20');
        await page.getByRole('button', { name: 'Rechercher par traits' }).click();
        await page.getByRole('status').filter({ hasText: '1 patient correspond à ces traits.' }).waitFor();
        const jade = page.getByRole('article', { name: 'Jade MARTIN' });
        await jade.getByText('Consentement nécessaire', { exact: true }).waitFor();
        await jade.getByRole('button', { name: /^Je fais partie de l'équipe de soins/ }).click();
        await jade.getByRole('group', { name: "Confirmer votre appartenance à l'équipe de soins" }).getByText(/L1110-12/).waitFor();
        await expectAccessible(page, 'care-team confirmation on a phone');
        await jade.getByRole('button', { name: 'Confirmer' }).click();
        await jade.getByText(/^Accès autorisé : vous êtes membre de l'équipe de soins depuis le/).waitFor();
        await jade.getByRole('link', { name: 'Ouvrir le profil de Jade MARTIN' }).click();
        await page.getByRole('table', { name: 'Vaccinations, de la plus récente à la plus ancienne' }).waitFor();
        await expectAccessible(page, 'patient record on a phone');
        // nothing wider than the screen but the tables' own scrolling regions
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

        // straight to a record where consent is needed: Léo Martin's; consent recorded on the record's page
        await page.goto(`${c.baseUrl}/pro/patients/${patientId('leo.martin')}`);
        await page.getByRole('heading', { level: 1, name: 'Profil de Léo MARTIN' }).waitFor();
        await page.getByText('Consentement nécessaire', { exact: true }).waitFor();
        expect(await page.getByRole('heading', { name: 'Documents' }).count()).toBe(0);
        await expectAccessible(page, 'record where consent is needed, on a phone');
        await page.getByRole('button', { name: /^J'ai recueilli le consentement du patient/ }).click();
        await page.getByRole('button', { name: 'Confirmer' }).click();
        await page.getByText(/^Accès autorisé avec le consentement du patient recueilli le/).waitFor();
        await page.getByRole('heading', { name: 'Documents' }).waitFor();
        await page.getByRole('heading', { name: 'Vaccinations' }).waitFor();

        await nav(page).getByRole('link', { name: 'Mon activité' }).click();
        const activity = page.getByRole('table', { name: 'Mes dernières actions' });
        await activity.getByRole('row').filter({ hasText: 'Léo' }).first().waitFor();
        await expectAccessible(page, 'professional activity on a phone');
      },
      { device: 'phone', allowErrors: FETCH_ERRORS },
    ));

  it('the patient blocks that professional on a phone; the professional is then refused and sees no data', async () => {
    await withPage(
      browser(),
      async ({ page }) => {
        await signInPatient(page, { baseUrl: c.baseUrl, login: 'louis.bernard', otp: () => c.otpFor('louis.bernard@example.fr') });
        await nav(page).getByRole('link', { name: 'Mes professionnels de santé' }).click();
        await page.getByRole('heading', { level: 1, name: 'Mes professionnels de santé' }).waitFor();
        const card = page.getByRole('article', { name: 'Dr Claire DURAND' });
        await card.getByText(/^Accès autorisé avec votre consentement depuis le \d{1,2} \S+ \d{4}$/).waitFor();
        await expectAccessible(page, 'my professionals on a phone');

        // the accesses, loaded on demand
        await card.getByRole('button', { name: /^Voir l'historique des accès/ }).click();
        const accesses = card.getByRole('table', { name: 'Accès de Dr Claire DURAND (les 50 derniers)' });
        await accesses.waitFor();
        expect(await accesses.getByRole('row').filter({ hasText: 'Recherche : documents' }).count()).toBeGreaterThan(0);
        expect(await accesses.getByRole('row').filter({ hasText: 'Création : consentement' }).count()).toBe(1);
        await expectAccessible(page, 'accesses of a professional on a phone');

        await card.getByRole('button', { name: /^Bloquer/ }).click();
        const confirm = card.getByRole('group', { name: 'Bloquer Dr Claire DURAND ?' });
        await confirm.getByText(/ne pourra plus accéder à vos documents, vaccinations, histoire de santé/).waitFor();
        await expectAccessible(page, 'block confirmation on a phone');
        await confirm.getByRole('button', { name: 'Oui, bloquer' }).click();
        await card.getByText(/^Bloqué depuis le \d{1,2} \S+ \d{4}$/).waitFor();
        await page.getByRole('status').filter({ hasText: 'Dr Claire DURAND est bloqué' }).waitFor();
        await card.getByRole('button', { name: /^Débloquer/ }).waitFor();
        await card.getByRole('button', { name: /^Voir l'historique des changements/ }).click();
        await card.getByRole('list', { name: /Historique des changements/ }).getByText(/: bloqué$/).waitFor();
        await expectAccessible(page, 'blocked professional on a phone');
      },
      { device: 'phone', allowErrors: FETCH_ERRORS },
    );

    await withPage(
      browser(),
      async ({ page }) => {
        await signInProfessional(page, { baseUrl: c.baseUrl, card: /Dr Claire DURAND/, situation: /Belleville/ });
        await page.getByLabel('Matricule INS').fill(LOUIS_NIR);
        await page.getByLabel("Type d'INS").selectOption({ label: 'INS-NIR-TEST' });
        await page.getByRole('button', { name: 'Rechercher par INS' }).click();
        // a blocked professional gets the status only: not even the identity
        const result = page.getByRole('region', { name: 'Résultat de la recherche' }).getByRole('listitem');
        await result.getByText('Ce patient vous a bloqué : accès refusé', { exact: true }).waitFor();
        expect(await result.getByText(/BERNARD/).count()).toBe(0);
        expect(await result.getByRole('link', { name: /Ouvrir le profil/ }).count()).toBe(0);
        expect(await result.getByRole('button', { name: /consentement|équipe de soins/ }).count()).toBe(0);
        expect(await result.getByText(/Vérifiez le matricule/).count()).toBe(0);
        await expectAccessible(page, 'search result: blocked');

        await page.goto(`${c.baseUrl}/pro/patients/${LOUIS_ID}`);
        await page.getByRole('alert').filter({ hasText: 'Ce patient vous a bloqué : accès refusé' }).waitFor();
        await page.getByRole('heading', { level: 1, name: 'Profil patient' }).waitFor();
        for (const heading of ['Documents', 'Vaccinations', 'Identité et accès']) {
          expect(await page.getByRole('heading', { name: heading }).count()).toBe(0);
        }
        expect(await page.getByText(LOUIS_NIR).count()).toBe(0);
        await expectAccessible(page, 'patient record: blocked');
        // the API refuses the record's data too
        const status = await page.evaluate(async (id) => {
          const token = sessionStorage.getItem('carnet.accessToken');
          return (await fetch(`/fhir/Immunization?patient=${id}`, { headers: { Authorization: `Bearer ${token}` } })).status;
        }, LOUIS_ID);
        expect(status).toBe(403);

        await nav(page).getByRole('link', { name: 'Mon activité' }).click();
        const activity = page.getByRole('table', { name: 'Mes dernières actions' });
        await activity.getByRole('row').filter({ hasText: 'Refusé' }).first().waitFor();
        await expectAccessible(page, 'professional activity with refusals');
      },
      { allowErrors: FETCH_ERRORS },
    );
  });

  it('a patient adds two pharmacists from the directory; the second becomes pharmacien correspondant in place of the first', () =>
    withPage(
      browser(),
      async ({ page }) => {
        await signInPatient(page, { baseUrl: c.baseUrl, login: 'camille.martin', otp: () => c.otpFor('camille.martin@example.fr'), checkAccessibility: true });
        await nav(page).getByRole('link', { name: 'Mes professionnels de santé' }).click();
        // her médecin traitant, declared in the demo world
        const durand = page.getByRole('article', { name: 'Dr Claire DURAND' });
        await durand.getByText('Accès autorisé : médecin traitant', { exact: true }).waitFor();
        await durand.getByRole('button', { name: 'Retirer le rôle de médecin traitant : Dr Claire DURAND' }).waitFor();
        await expectAccessible(page, 'my professionals');

        const search = page.getByRole('search', { name: 'Ajouter un professionnel' });
        // neither name nor city: said next to the name field
        await search.getByRole('button', { name: 'Rechercher' }).click();
        await expect.poll(() => page.locator('#directory-name-error').textContent()).toMatch(/Saisissez un nom/);
        await expectAccessible(page, 'directory search without criteria');

        // paging: pharmacists named LEROYER fill more than a page (the doctor among them is filtered out)
        await search.getByLabel('Nom du professionnel').fill('leroyer');
        await search.getByLabel('Profession', { exact: true }).selectOption({ label: 'Pharmacien' });
        await search.getByRole('button', { name: 'Rechercher' }).click();
        const results = page.getByRole('list', { name: 'Résultats de la recherche' });
        const announced = page.getByRole('status').filter({ hasText: /trouvés? \(page \d+\)/ });
        await expect.poll(() => announced.textContent()).toMatch(/^10 professionnels trouvés \(page 1\)\. D'autres résultats suivent/);
        expect(await results.getByRole('listitem').count()).toBe(10);
        expect(await results.getByRole('heading', { name: /Marc LEROYER/ }).count()).toBe(0);
        await expectAccessible(page, 'directory results, page 1');
        const pages = page.getByRole('navigation', { name: 'Pages de résultats' });
        expect(await pages.getByRole('button', { name: 'Précédent' }).count()).toBe(0);
        await pages.getByRole('button', { name: 'Suivant' }).click();
        await expect.poll(() => announced.textContent()).toMatch(/professionnels? trouvés? \(page 2\)\./);
        await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('directory-results-title');
        expect(await results.getByRole('heading', { name: /Marc LEROYER/ }).count()).toBe(0);
        await expectAccessible(page, 'directory results, page 2');
        await pages.getByRole('button', { name: 'Précédent' }).click();
        await expect.poll(() => announced.textContent()).toMatch(/\(page 1\)/);

        await search.getByLabel('Nom du professionnel').fill('leroy antoine');
        await search.getByRole('button', { name: 'Rechercher' }).click();
        await results.getByRole('button', { name: 'Ajouter à mes professionnels : Antoine LEROY' }).first().click();
        await page.getByRole('status').filter({ hasText: 'Antoine LEROY est ajouté à votre liste.' }).waitFor();
        await results.getByRole('listitem').filter({ hasText: 'Antoine LEROY' }).first().getByText('Déjà dans votre liste').waitFor();
        const leroy = page.getByRole('article', { name: 'Antoine LEROY' });
        await leroy.getByText(/^Accès autorisé : ajouté à votre liste le/).waitFor();
        await leroy.getByRole('button', { name: 'Désigner comme pharmacien correspondant : Antoine LEROY' }).click();
        await page.getByRole('status').filter({ hasText: 'Antoine LEROY est désormais votre pharmacien correspondant.' }).waitFor();
        await leroy.getByText('Rôles : pharmacien correspondant').waitFor();
        await leroy.getByText('Accès autorisé : pharmacien correspondant', { exact: true }).waitFor();

        // (the laboratory of the demo world, Dr Isabelle ROUX, is already in her list: it deposited her biology report as her care team)
        await search.getByLabel('Nom du professionnel').fill('leroyer karine');
        await search.getByRole('button', { name: 'Rechercher' }).click();
        await results.getByRole('button', { name: 'Ajouter à mes professionnels : Karine LEROYER' }).first().click();
        const roux = page.getByRole('article', { name: 'Karine LEROYER' });
        await roux.waitFor();
        await roux.getByRole('button', { name: 'Désigner comme pharmacien correspondant : Karine LEROYER' }).click();
        const confirm = roux.getByRole('group', { name: 'Changer de pharmacien correspondant ?' });
        await confirm.getByText('Antoine LEROY est déjà votre pharmacien correspondant. Le remplacer par Karine LEROYER ?').waitFor();
        await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Changer de pharmacien correspondant ?');
        await expectAccessible(page, 'replacing the pharmacien correspondant');
        await confirm.getByRole('button', { name: 'Oui, remplacer' }).click();
        await page
          .getByRole('status')
          .filter({ hasText: 'Karine LEROYER est désormais votre pharmacien correspondant, à la place de Antoine LEROY.' })
          .waitFor();
        await roux.getByText('Rôles : pharmacien correspondant').waitFor();
        await leroy.getByText('Rôles : aucun').waitFor();
        await leroy.getByRole('button', { name: 'Désigner comme pharmacien correspondant : Antoine LEROY' }).waitFor();
        await leroy.getByRole('button', { name: /^Voir l'historique des changements/ }).click();
        await leroy.getByText(/: rôle de pharmacien correspondant retiré$/).waitFor();
        await expectAccessible(page, 'my professionals after the replacement');

        // the API agrees: one holder of the role
        const list = await (await c.api('GET', '/api/professionals', { token: await c.tokenFor('camille.martin') })).json();
        const holders = list.professionals.filter((p: { roles: string[] }) => p.roles.includes('pharmacien-correspondant'));
        expect(holders.map((p: { family: string }) => p.family.toUpperCase())).toEqual(['LEROYER']);
      },
      { allowErrors: FETCH_ERRORS },
    ));
});
