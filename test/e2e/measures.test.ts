import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCarnet, type TestCarnet } from '../support/carnet.js';
import { insuredPatient, type TestPatient } from '../support/care.js';
import { chromiumAvailable, expectAccessible, useBrowser, withPage } from './support/browser.js';
import { openSignedIn } from './support/session.js';

/**
 * The patient's measures in a real browser (Debian's Chromium), on the built web app: weights recorded over a
 * year (some through the API with past dates, one through the form) appear on the weight curve and in its
 * table, the period choice shows the older one; a weight of 900 kg is refused with the message at the field and
 * nothing is stored; on a phone the curve fits the screen. A parent acting for a child sees the growth chart
 * with the reference named, and switches the BMI to the IOTF cut-offs. Axe checks every screen.
 */

/** The browser logs the 4xx answers of refused requests (the implausible weight). */
const ALLOWED_ERRORS = [/status of 4\d\d/];
const DAY = 86_400_000;

describe.skipIf(!chromiumAvailable())('measures and growth curves in the browser', () => {
  const browser = useBrowser();
  let tc: TestCarnet;
  let patient: TestPatient;

  async function postMeasure(token: string, body: Record<string, unknown>, actingFor?: string): Promise<void> {
    const res = await tc.request('POST', '/api/profile/measures', {
      token,
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...(actingFor ? { 'x-acting-for': actingFor } : {}) },
    });
    expect(res.status, await res.clone().text()).toBe(201);
  }

  const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();

  beforeAll(async () => {
    tc = await startCarnet({ env: { RATE_LIMIT_PER_MINUTE: '10000' } });
    patient = await insuredPatient(tc, { given: 'Élodie' });
    // four weights within the last year, one older than a year
    for (const [days, kg] of [
      [400, 78.2],
      [330, 77.1],
      [240, 75.6],
      [150, 74.0],
      [60, 72.8],
    ] as const) {
      await postMeasure(patient.token, { code: 'WEIGHT', value: kg, unit: 'kg', date: daysAgo(days) });
    }
  });
  afterAll(() => tc?.close());

  const chartPoints = (page: Page) => page.locator('figure.line-chart svg circle.line-chart__point');
  const tableRows = (page: Page, name: RegExp) => page.getByRole('table', { name }).locator('tbody tr');

  it('weights recorded over a year appear on the curve and in its table; 900 kg is refused at the field', () =>
    withPage(
      browser(),
      async ({ page }) => {
        await openSignedIn(page, `${tc.baseUrl}/patient/mesures`, patient.token);
        await page.getByRole('heading', { level: 1, name: 'Mes mesures' }).waitFor();
        await page.getByRole('heading', { name: 'Tableau de bord', exact: true }).waitFor();
        await expectAccessible(page, 'measures dashboard');

        // one weight through the form (now, by default)
        const record = page.getByRole('region', { name: 'Enregistrer une mesure' });
        await record.getByLabel('Mesure', { exact: true }).selectOption({ label: 'Poids' });
        await record.getByLabel('Valeur', { exact: true }).fill('71,4');
        expect(await record.getByLabel('Unité').inputValue()).toBe('kg');
        expect(await record.getByLabel('Date et heure de la mesure').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
        await record.getByRole('button', { name: 'Enregistrer la mesure' }).click();
        await page.getByRole('status').filter({ hasText: /Poids : 71,4 kg enregistré le/ }).waitFor();

        // the curve of the last 12 months: the four of the year and the one just recorded
        await page.getByRole('region', { name: 'Toutes les mesures' }).getByRole('link', { name: 'Poids', exact: true }).click();
        await page.getByRole('heading', { level: 1, name: 'Poids' }).waitFor();
        const chart = page.getByRole('img', { name: /^Poids : 5 valeurs du .* dernière valeur 71,4 kg/ });
        await chart.waitFor();
        await expect.poll(() => chartPoints(page).count()).toBe(5);
        expect(await tableRows(page, /^Valeurs : Poids/).count()).toBe(5);
        await tableRows(page, /^Valeurs : Poids/).filter({ hasText: '71,4 kg' }).getByText('Saisie par', { exact: false }).waitFor();
        expect(await chartPoints(page).last().locator('title').textContent()).toMatch(/71,4 kg$/);
        await expectAccessible(page, 'weight curve');

        // everything: the older weight too
        await page.getByLabel('Tout', { exact: true }).check();
        await expect.poll(() => chartPoints(page).count()).toBe(6);
        expect(await tableRows(page, /^Valeurs : Poids/).count()).toBe(6);
        await tableRows(page, /^Valeurs : Poids/).filter({ hasText: '78,2 kg' }).waitFor();

        // a target draws a band and shows on the curve's summary
        const target = page.getByRole('region', { name: 'Objectif' });
        await target.getByLabel('Valeur basse (kg)').fill('68');
        await target.getByLabel('Valeur haute (kg)').fill('74');
        await target.getByRole('button', { name: 'Enregistrer l’objectif' }).click();
        await page.getByRole('status').filter({ hasText: 'L’objectif est enregistré : Poids.' }).waitFor();
        await page.locator('.line-chart__band rect').waitFor();
        await page.getByRole('img', { name: /Objectif : entre 68 et 74 kg/ }).waitFor();

        // 900 kg: refused by the server, the message at the field, nothing stored
        const form = page.getByRole('region', { name: 'Enregistrer une valeur : Poids' });
        await form.getByLabel('Valeur', { exact: true }).fill('900');
        await form.getByRole('button', { name: 'Enregistrer la mesure' }).click();
        const fieldError = form.locator('#measure-value-error');
        await fieldError.getByText(/n’est pas plausible/).waitFor();
        expect(await form.getByLabel('Valeur', { exact: true }).getAttribute('aria-invalid')).toBe('true');
        await form.getByRole('alert').getByRole('link', { name: /n’est pas plausible/ }).waitFor();
        await expectAccessible(page, 'weight refused');
        const series = await (await tc.request('GET', '/api/profile/measures?code=WEIGHT', { token: patient.token })).json();
        expect(series.measures).toHaveLength(6);
        expect(series.measures.some((m: { value: number }) => m.value === 900)).toBe(false);
        expect(await chartPoints(page).count()).toBe(6);

        // deleting a value
        const row = tableRows(page, /^Valeurs : Poids/).filter({ hasText: '78,2 kg' });
        await row.getByRole('button', { name: /Supprimer la valeur 78,2 kg/ }).click();
        await page.getByRole('button', { name: 'Supprimer la valeur', exact: true }).click();
        await page.getByRole('status').filter({ hasText: /La valeur 78,2 kg du .* est supprimée/ }).waitFor();
        await expect.poll(() => chartPoints(page).count()).toBe(5);
      },
      { allowErrors: ALLOWED_ERRORS },
    ));

  it('on a phone: the weight curve fits the screen, with its table', () =>
    withPage(
      browser(),
      async ({ page }) => {
        await openSignedIn(page, `${tc.baseUrl}/patient/mesures/weight`, patient.token);
        await page.getByRole('heading', { level: 1, name: 'Poids' }).waitFor();
        await expect.poll(() => chartPoints(page).count()).toBe(5);
        expect(await tableRows(page, /^Valeurs : Poids/).count()).toBe(5);
        await expectAccessible(page, 'weight curve on a phone');
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
        const svgWidth = await page.locator('figure.line-chart svg').evaluate((el) => el.getBoundingClientRect().width);
        expect(svgWidth).toBeLessThanOrEqual(390);
      },
      { device: 'phone' },
    ));

  it('a parent sees the child’s growth chart with the reference named', async () => {
    const parent = await insuredPatient(tc, { given: 'Camille' });
    const birth = new Date(Date.now() - 700 * DAY);
    const birthDate = birth.toISOString().slice(0, 10);
    const child = await insuredPatient(tc, { given: 'Léa', sex: 'F', birthDate });
    const parentToken = await tc.user({
      role: 'patient',
      patientId: parent.patientId,
      represents: [
        { patientId: parent.patientId, relation: 'self' },
        { patientId: child.patientId, relation: 'parent' },
      ],
    });
    // the child's weights at about 1, 6, 12 and 18 months, recorded by the parent acting for her
    for (const [months, kg] of [
      [1, 4.2],
      [6, 7.3],
      [12, 8.9],
      [18, 10.2],
    ] as const) {
      await postMeasure(parentToken, { code: 'WEIGHT', value: kg, unit: 'kg', date: new Date(birth.getTime() + months * 30.44 * DAY).toISOString() }, child.patientId);
    }

    await withPage(
      browser(),
      async ({ page }) => {
        await openSignedIn(page, `${tc.baseUrl}/patient/mesures`, parentToken, child.patientId);
        await page.getByText(/Vous agissez pour/).filter({ hasText: 'Léa' }).first().waitFor();
        await page.getByRole('link', { name: /Voir les courbes de croissance de/ }).click();
        await page.getByRole('heading', { level: 1, name: 'Courbes de croissance' }).waitFor();
        expect(await page.getByRole('tab', { name: 'Poids' }).getAttribute('aria-selected')).toBe('true');
        const panel = page.getByRole('tabpanel');
        await panel.getByText('Références : OMS 2006/2007').waitFor();
        await panel.getByRole('img', { name: /Poids de .* sur les courbes de référence OMS 2006\/2007 : 4 valeurs/ }).waitFor();
        expect(await chartPoints(page).count()).toBe(4);
        expect(await panel.locator('.line-chart__series--reference').count()).toBeGreaterThanOrEqual(3);
        expect(await panel.locator('.line-chart__end-label--emphasis').count()).toBeGreaterThanOrEqual(1);
        expect(await panel.getByRole('table', { name: /Poids de .* : valeurs mesurées/ }).locator('tbody tr').count()).toBe(4);
        await expectAccessible(page, 'growth chart');

        // the BMI: a choice between the references, IOTF named once chosen
        await page.getByRole('tab', { name: 'Poids' }).focus();
        await page.keyboard.press('End');
        expect(await page.getByRole('tab', { name: 'IMC' }).getAttribute('aria-selected')).toBe('true');
        const iotf = panel.getByLabel('IOTF (Cole et Lobstein 2012)');
        await iotf.check();
        await panel.getByText('Références : IOTF (Cole et Lobstein 2012)').waitFor();
        await expectAccessible(page, 'growth chart, BMI');
      },
      { allowErrors: ALLOWED_ERRORS },
    );
  });
});
