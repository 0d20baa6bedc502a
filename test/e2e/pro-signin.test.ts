import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCarnet, type TestCarnet } from '../support/carnet.js';
import { demoDirectory, insertDirectory } from '../support/directory-fixture.js';
import { chromiumAvailable, expectAccessible, useBrowser, withPage } from './support/browser.js';

/**
 * The professional sign-in in a real browser (Debian's Chromium), on the built web app served by a demo-mode
 * Carnet: the professionals' sign-in start, the demo's test IdP page (server-rendered), the choice of practice
 * situation, and the /pro space, each checked with axe.
 */
describe.skipIf(!chromiumAvailable())('professional sign-in in the browser', () => {
  const browser = useBrowser();
  let c: TestCarnet;
  beforeAll(async () => {
    c = await startCarnet({ seed: true, env: { RATE_LIMIT_PER_MINUTE: '10000' } });
    // the demo seeding lists the demo professionals in the directory; the fixture stands in when it does not
    const { rows } = await c.db.query('SELECT 1 FROM directory_practitioner WHERE id = $1', [demoDirectory()[0]!.idNat]);
    if (!rows.length) await insertDirectory(c.db, demoDirectory());
  });
  afterAll(() => c?.close());

  it('a doctor with two practice situations signs in through the test IdP and lands in /pro', () =>
    withPage(browser(), async ({ page }) => {
      // the /pro space, signed out: its button starts the authorization with space=pro
      await page.goto(`${c.baseUrl}/pro`);
      await page.getByRole('main').getByRole('button', { name: /Pro Santé Connect/ }).click();

      // Carnet's interaction page offers Pro Santé Connect only
      await page.waitForURL(/\/interaction\/[^/?]+$/);
      await page.getByRole('heading', { level: 1, name: 'Connexion des professionnels de santé' }).waitFor();
      expect(await page.getByLabel('Identifiant', { exact: true }).count()).toBe(0);
      await expectAccessible(page, 'professional interaction');
      await page.getByRole('link', { name: 'Se connecter avec Pro Santé Connect' }).click();

      // the test IdP's page: a list of test CPS cards
      await page.waitForURL(/\/test-idp\/interaction\//);
      expect(await page.title()).toBe('Simulateur Pro Santé Connect — carte CPS de test');
      expect(await page.getAttribute('html', 'lang')).toBe('fr');
      await expectAccessible(page, 'test IdP');
      // keyboard: the first Tab reaches the cards, and the focus is visible (the page's own outline)
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLInputElement;
        const style = getComputedStyle(el);
        return { name: el.name, outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}` };
      });
      expect(focused).toEqual({ name: 'idnat', outline: 'solid 3px rgb(10, 118, 246)' });
      await page.getByLabel(/Dr Claire DURAND/).check();
      await page.getByRole('button', { name: 'Se connecter avec cette carte' }).click();

      // back at Carnet: two situations to choose from
      await page.getByRole('heading', { name: 'Choisissez votre situation d’exercice' }).waitFor();
      await expectAccessible(page, 'practice situation');
      // submitting without a choice says what to do
      await page.getByRole('button', { name: 'Continuer' }).click();
      await page.getByRole('alert').filter({ hasText: 'Choisissez une situation d’exercice.' }).first().waitFor();
      await expectAccessible(page, 'practice situation, error');
      await page.getByLabel(/Centre hospitalier Paris-Est/).check();
      await page.getByRole('button', { name: 'Continuer' }).click();

      // the web app gets its token and goes to the professional space
      await page.waitForURL(`${c.baseUrl}/pro`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.waitForLoadState('networkidle');
      await expectAccessible(page, 'professional space');
      const me = await page.evaluate(async () => {
        const token = sessionStorage.getItem('carnet.accessToken');
        const res = await fetch('/api/me', { headers: { Authorization: `Bearer ${token}` } });
        return (await res.json()) as { role: string; practitioner?: string };
      });
      expect(me).toMatchObject({ role: 'professional', practitioner: `Practitioner/${demoDirectory()[0]!.idNat}` });
      const { rows } = await c.db.query<{ practice: { organizationName: string } }>(
        `SELECT s.practice FROM app_session s JOIN app_user u ON u.id = s.user_id WHERE u.practitioner_id = $1 ORDER BY s.created_at DESC LIMIT 1`,
        [demoDirectory()[0]!.idNat],
      );
      expect(rows[0]!.practice.organizationName).toMatch(/Paris-Est/);
    }));

  it('a pharmacist with a single situation goes straight on to /pro (from the sign-in start page)', () =>
    withPage(browser(), async ({ page }) => {
      await page.goto(`${c.baseUrl}/connexion?espace=pro`);
      await page.getByRole('heading', { level: 1, name: 'Connexion à l’espace professionnel' }).waitFor();
      await expectAccessible(page, 'professional sign-in start');
      await page.getByRole('button', { name: 'Se connecter avec Pro Santé Connect' }).click();
      await page.getByRole('link', { name: 'Se connecter avec Pro Santé Connect' }).click();
      await page.waitForURL(/\/test-idp\/interaction\//);
      await page.getByLabel(/Antoine LEROY/).check();
      await page.getByRole('button', { name: 'Se connecter avec cette carte' }).click();
      await page.waitForURL(`${c.baseUrl}/pro`);
      await page.getByRole('heading', { level: 1 }).waitFor();
    }));

  it('a professional unknown to the directory is told so, in French', () =>
    withPage(browser(), async ({ page }) => {
      await page.goto(`${c.baseUrl}/connexion?espace=pro`);
      await page.getByRole('button', { name: 'Se connecter avec Pro Santé Connect' }).click();
      await page.getByRole('link', { name: 'Se connecter avec Pro Santé Connect' }).click();
      await page.waitForURL(/\/test-idp\/interaction\//);
      await page.getByLabel(/Professionnel inconnu de l'annuaire/).check();
      await page.getByRole('button', { name: 'Se connecter avec cette carte' }).click();
      await page.waitForURL(/pro_error=pro\.unknown/);
      await page.getByRole('alert').filter({ hasText: 'annuaire national' }).waitFor();
      await expectAccessible(page, 'professional sign-in refused');
    }));
});
