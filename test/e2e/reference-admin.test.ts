import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInOperator as signIn } from './support/sign-in.js';
import { startAccounts, type AccountsCarnet } from '../support/accounts.js';
import { chromiumAvailable, expectAccessible, useBrowser, withPage, type Device } from './support/browser.js';

/**
 * The operator's reference data page (issue 8) in a real browser: the operator signs in, opens
 * /admin/referentiels, sees the shipped datasets (drugs, vaccines) with their provenance, loads a new vaccine
 * list, is told why a malformed BDPM file is refused (with its line) and that nothing was replaced; axe on
 * each state, at desktop size and on a phone.
 */

/** The browser logs the 4xx answer of the refused upload. */
const FETCH_ERRORS = [/status of 4\d\d/];

describe.skipIf(!chromiumAvailable())("the operator's reference data page in the browser", () => {
  const browser = useBrowser();
  let c: AccountsCarnet;

  beforeAll(async () => {
    c = await startAccounts({ seed: true });
  });
  afterAll(() => c?.close());

  const signInOperator = (page: Page) => signIn(page, { baseUrl: c.baseUrl, otp: () => c.otpFor('operatrice@example.fr') });

  async function journey(page: Page, device: Device) {
    await signInOperator(page);
    if (device === 'desktop') {
      await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Référentiels' }).click();
    } else {
      await page.goto(`${c.baseUrl}/admin/referentiels`);
    }
    await page.getByRole('heading', { level: 1, name: 'Référentiels' }).waitFor();
    const drugs = page.getByRole('row').filter({ hasText: 'Médicaments (BDPM)' });
    await drugs.waitFor();
    expect(await drugs.innerText()).toMatch(/Base de données publique des médicaments/);
    const vaccines = page.getByRole('row').filter({ hasText: 'Vaccins' });
    await vaccines.waitFor();
    await expectAccessible(page, `reference page (${device})`);

    // a new vaccine list: the first five vaccines of the shipped one, as a newer version
    const shipped = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../data/reference/vaccines.json'), 'utf8'));
    const version = device === 'desktop' ? '2026-03-01' : '2026-03-02';
    const list = { ...shipped, source: `Liste de test ${device}`, version, vaccines: shipped.vaccines.slice(0, 5) };
    await page.getByLabel('Fichier de la liste des vaccins (JSON)').setInputFiles({
      name: 'vaccins.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(list)),
    });
    await page.getByRole('button', { name: 'Charger la liste des vaccins' }).click();
    await page.getByRole('status').filter({ hasText: `Liste des vaccins chargée : 5 vaccins, version du ${version}.` }).waitFor();
    await vaccines.filter({ hasText: `Liste de test ${device}` }).waitFor();
    expect(await vaccines.innerText()).toContain(version);
    await expectAccessible(page, `vaccines loaded (${device})`);

    // a malformed BDPM file: refused with its line, nothing replaced
    await page.getByLabel('CIS_bdpm.txt : les spécialités').check();
    await page.getByLabel('Fichier de la BDPM', { exact: true }).setInputFiles({ name: 'CIS_bdpm.txt', mimeType: 'text/plain', buffer: Buffer.from('123\tcassé\n', 'latin1') });
    await page.getByRole('button', { name: 'Charger le fichier' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Le fichier de la BDPM est mal formé' });
    await alert.waitFor();
    expect(await alert.innerText()).toContain('CIS_bdpm.txt, line 1');
    expect(await drugs.innerText()).toContain('Carnet (fichier livré)');
    await expectAccessible(page, `bdpm refused (${device})`);

    // restore the shipped list for the other device
    const res = await c.request('PUT', '/api/admin/reference/vaccines', { token: c.operatorToken, json: shipped, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(200);

    if (device === 'phone') {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    }
  }

  it('the operator sees the datasets, loads a vaccine list, is told why a BDPM file is refused (desktop)', () =>
    withPage(browser(), ({ page }) => journey(page, 'desktop'), { allowErrors: FETCH_ERRORS }));

  it('the same on a phone', () => withPage(browser(), ({ page }) => journey(page, 'phone'), { device: 'phone', allowErrors: FETCH_ERRORS }));
});
