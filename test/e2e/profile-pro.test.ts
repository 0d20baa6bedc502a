import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAccounts, type AccountsCarnet } from '../support/accounts.js';
import { insuredPatient, professional, type TestPatient, type TestPro } from '../support/care.js';
import { chromiumAvailable, expectAccessible, useBrowser, withPage } from './support/browser.js';

/**
 * The medical profile from the professional space, in a real browser on the built web app, every screen checked
 * with axe: the médecin traitant sees the patient's vaccinations (with who entered each) and "entourage et
 * volontés", not the diseases; records a vaccination with the form (on a phone), which the patient then sees as
 * entered by a professional; once the patient closes "entourage et volontés", the page says so.
 *
 * The professional is a builders' one (test/support/care.ts): the browser is given their Carnet token as a Pro
 * Santé Connect sign-in leaves it (sessionStorage), as in dmp-pro.test.ts. The tests run in order.
 */
describe.skipIf(!chromiumAvailable())('the medical profile in the professional space', () => {
  const browser = useBrowser();
  let c: AccountsCarnet;
  let patient: TestPatient;
  let doctor: TestPro;

  const asPatient = async (method: string, url: string, json?: unknown) => {
    const res = await c.api(method, url, { token: patient.token, ...(json !== undefined ? { json } : {}) });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
    return res.json();
  };

  beforeAll(async () => {
    c = await startAccounts({ seed: false });
    patient = await insuredPatient(c);
    doctor = await professional(c, { family: 'Durand', given: 'Claire' });
    expect((await c.api('PUT', `/api/professionals/${doctor.practitionerId}/roles/medecin-traitant`, { token: patient.token })).status).toBe(200);
    await asPatient('POST', '/api/profile/sections/vaccinations', { vaccineRefId: 'vaxigrip-tetra', date: '2025-10-15', administration: 'IMMUNIZ', lotNumber: 'VX-77' });
    await asPatient('POST', '/api/profile/sections/diseases', { name: 'Maladie de Crohn', start: { year: 2012 } });
    await asPatient('POST', '/api/profile/sections/allergies', { name: 'Arachide' });
    await asPatient('POST', '/api/profile/sections/contacts', { kind: 'TRUSTED_CONTACT', relation: 'SPOUSE', firstName: 'Paul', lastName: 'Lambert', phone: '06 12 34 56 78' });
    await asPatient('PUT', '/api/profile/organ-donation', { position: 'DONOR', informedRelatives: true });
  });
  afterAll(async () => {
    expect(c?.serverErrors ?? []).toEqual([]);
    await c?.close();
  });

  async function openRecord(page: Page): Promise<void> {
    await page.goto(`${c.baseUrl}/pro`);
    await page.evaluate((token) => sessionStorage.setItem('carnet.accessToken', token), doctor.token);
    await page.goto(`${c.baseUrl}/pro/patients/${patient.patientId}`);
    await page.getByRole('heading', { level: 1, name: /^Profil de / }).waitFor();
  }

  const vaccinationsTable = (page: Page) => page.getByRole('table', { name: 'Vaccinations, de la plus récente à la plus ancienne' });

  it('the médecin traitant sees the vaccinations and the entourage, not the diseases', () =>
    withPage(browser(), async ({ page }) => {
      await openRecord(page);
      await page.getByRole('heading', { level: 2, name: 'Profil médical' }).waitFor();
      const row = vaccinationsTable(page).getByRole('row').filter({ hasText: 'Vaxigrip Tetra' });
      await row.waitFor();
      expect(await row.textContent()).toContain('Le patient ou son entourage');
      expect(await row.textContent()).toContain('VX-77');
      await page.getByRole('heading', { name: 'Entourage et volontés' }).waitFor();
      await page.getByText('Paul Lambert').waitFor();
      await page.getByText('Le patient accepte le don de ses organes et tissus.').waitFor();
      // nothing else of the profile
      expect(await page.getByText('Maladie de Crohn').count()).toBe(0);
      expect(await page.getByText('Arachide').count()).toBe(0);
      await expectAccessible(page, 'patient record with the medical profile');
    }));

  it('records a vaccination on a phone; the patient sees it as entered by a professional', async () => {
    await withPage(
      browser(),
      async ({ page }) => {
        await openRecord(page);
        const form = page.getByRole('form', { name: 'Enregistrer une vaccination' });
        await form.getByRole('button', { name: 'Enregistrer la vaccination' }).click();
        await form.getByText('Choisissez le vaccin.').first().waitFor();
        await expectAccessible(page, 'vaccination form with an error, on a phone');

        await form.getByLabel('Rechercher un vaccin').fill('boostrix');
        const select = form.getByLabel('Vaccin', { exact: true });
        await expect.poll(async () => select.locator('option').count()).toBe(2);
        await select.selectOption('boostrixtetra');
        await form.getByLabel('Date de la vaccination').fill('2026-01-12');
        await form.getByLabel('Type d’administration').selectOption('BOOSTER');
        await form.getByLabel('Numéro de lot (facultatif)').fill('BX-2026');
        await form.getByRole('button', { name: 'Enregistrer la vaccination' }).click();
        await page.getByRole('status').filter({ hasText: /La vaccination Boostrixtetra du 12 janvier 2026 est enregistrée\./ }).waitFor();
        const row = vaccinationsTable(page).getByRole('row').filter({ hasText: 'Boostrixtetra' });
        await row.waitFor();
        expect(await row.textContent()).toContain('Professionnel de santé');
        expect(await row.textContent()).toContain('Rappel');
        await expectAccessible(page, 'vaccination recorded, on a phone');
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      },
      { device: 'phone' },
    );
    const list = await asPatient('GET', '/api/profile/sections/vaccinations');
    expect(list.entries.find((v: { label: string }) => v.label === 'Boostrixtetra')).toMatchObject({ authoredByPatient: false, source: { kind: 'professional' }, lotNumber: 'BX-2026' });
  });

  it('once the patient closes "entourage et volontés", the page says so', async () => {
    await asPatient('PUT', '/api/profile/settings', { closed: ['entourage'] });
    await withPage(browser(), async ({ page }) => {
      await openRecord(page);
      await page.getByText('Le patient a fermé cette rubrique aux professionnels.').waitFor();
      expect(await page.getByText('Paul Lambert').count()).toBe(0);
      await vaccinationsTable(page).getByRole('row').filter({ hasText: 'Vaxigrip Tetra' }).waitFor();
      await expectAccessible(page, 'entourage closed');
    });
  });
});
