import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInOperator as signIn } from './support/sign-in.js';
import { startAccounts, type AccountsCarnet } from '../support/accounts.js';
import { professional } from '../support/care.js';
import { chromiumAvailable, expectAccessible, useBrowser, withPage, type Device } from './support/browser.js';

/**
 * The operator's page of professional mailboxes (issue 7) in a real browser (Debian's Chromium), on the built
 * web app served by a real Carnet with the demo world: the operator signs in, opens /admin/boites, is told
 * what is missing, creates an application (APP) mailbox for a structure of the directory, finds it in the
 * list, is told that the address is taken when creating it again, deactivates it; axe on each state, at
 * desktop size and on a phone.
 */

/** The browser logs the 4xx answers of refused fetches (the duplicate creation). */
const FETCH_ERRORS = [/status of 4\d\d/];

describe.skipIf(!chromiumAvailable())("the operator's mailboxes page in the browser", () => {
  const browser = useBrowser();
  let c: AccountsCarnet;
  const orgId = `CH-E2E-${process.pid}`;

  beforeAll(async () => {
    c = await startAccounts({ seed: true });
    // a structure of the directory, with a professional practising in it
    await professional(c, { organization: { id: orgId, name: 'Centre hospitalier de Test', city: 'Lille' } });
  });
  afterAll(() => c?.close());

  const signInOperator = (page: Page) => signIn(page, { baseUrl: c.baseUrl, otp: () => c.otpFor('operatrice@example.fr') });

  const apiMailbox = async (address: string) => {
    const res = await c.request('GET', `/api/admin/mailboxes?q=${encodeURIComponent(address)}`, { token: c.operatorToken });
    expect(res.status).toBe(200);
    return (await res.json()).items.find((m: { address: string }) => m.address === address);
  };

  async function journey(page: Page, device: Device) {
    const address = `dpi.${device}.${process.pid}@ch-test.mssante.fr`;
    await signInOperator(page);
    if (device === 'desktop') {
      await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Boîtes aux lettres' }).click();
    } else {
      await page.goto(`${c.baseUrl}/admin/boites`);
    }
    await page.getByRole('heading', { level: 1, name: 'Boîtes aux lettres des professionnels' }).waitFor();
    await expect.poll(() => page.title()).toMatch(/^Boîtes aux lettres des professionnels/);
    await expectAccessible(page, `mailboxes page (${device})`);

    // an empty form: each missing field is named in the summary, which links to it
    await page.getByRole('button', { name: 'Créer la boîte aux lettres' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'Veuillez corriger les points suivants' });
    await summary.waitFor();
    await expect.poll(() => summary.getByRole('link').count()).toBe(3);
    await expectAccessible(page, `mailboxes form errors (${device})`);
    await summary.getByRole('link', { name: /adresse e-mail valide/ }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('mbx-address');

    // an APP mailbox of the structure: the owner field asks for the structure's id
    await page.getByLabel('Type de boîte').selectOption('APP');
    await page.getByLabel('Identifiant de la structure').waitFor();
    await page.getByLabel('Adresse de la boîte').fill(address);
    await page.getByLabel('Nom affiché').fill('Dossier patient informatisé');
    await page.getByLabel('Identifiant de la structure').fill(orgId);
    await page.getByRole('button', { name: 'Créer la boîte aux lettres' }).click();
    await page.getByRole('status').filter({ hasText: `La boîte aux lettres ${address} est créée et active.` }).waitFor();
    const row = page.getByRole('row').filter({ hasText: address });
    await row.waitFor();
    expect((await row.getByRole('cell').allInnerTexts()).slice(0, 5)).toEqual(['Applicative (APP)', 'Dossier patient informatisé', `Structure ${orgId}`, 'Non', 'Active']);
    // the form is empty again
    expect(await page.getByLabel('Adresse de la boîte').inputValue()).toBe('');
    await expectAccessible(page, `mailbox created (${device})`);
    expect(await apiMailbox(address)).toMatchObject({ kind: 'APP', organizationId: orgId, active: true });

    // the same address again: the API's refusal, in French, next to the address
    await page.getByLabel('Type de boîte').selectOption('APP');
    await page.getByLabel('Adresse de la boîte').fill(address);
    await page.getByLabel('Nom affiché').fill('Doublon');
    await page.getByLabel('Identifiant de la structure').fill(orgId);
    await page.getByRole('button', { name: 'Créer la boîte aux lettres' }).click();
    await page.getByRole('alert').filter({ hasText: 'Cette adresse est déjà une boîte aux lettres' }).first().waitFor();
    expect(await page.getByLabel('Adresse de la boîte').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, `mailbox taken (${device})`);

    // found by the search
    await page.getByLabel('Adresse ou nom').fill(`dpi.${device}`);
    await page.getByRole('search', { name: 'Rechercher une boîte' }).getByRole('button', { name: 'Rechercher' }).click();
    await page.getByRole('status').filter({ hasText: `1 boîte aux lettres pour « dpi.${device} »` }).waitFor();
    await expect.poll(() => page.getByRole('table').getByRole('row').count()).toBe(2);

    // deactivated from its row
    await row.getByRole('button', { name: `Désactiver ${address}` }).click();
    await page.getByRole('status').filter({ hasText: `La boîte aux lettres ${address} est désactivée` }).waitFor();
    await row.getByRole('cell', { name: 'Désactivée' }).waitFor();
    await row.getByRole('button', { name: `Activer ${address}` }).waitFor();
    expect(await apiMailbox(address)).toMatchObject({ active: false });
    await expectAccessible(page, `mailbox deactivated (${device})`);

    if (device === 'phone') {
      // the page itself does not scroll sideways (the table scrolls in its own region)
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    }
  }

  it('the operator creates an APP mailbox, finds it, deactivates it (desktop)', () =>
    withPage(browser(), ({ page }) => journey(page, 'desktop'), { allowErrors: FETCH_ERRORS }));

  it('the same on a phone', () => withPage(browser(), ({ page }) => journey(page, 'phone'), { device: 'phone', allowErrors: FETCH_ERRORS }));
});
