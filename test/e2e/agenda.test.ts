import ICAL from 'ical.js';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCarnet, type TestCarnet } from '../support/carnet.js';
import { insuredPatient, type TestPatient } from '../support/care.js';
import { chromiumAvailable, expectAccessible, useBrowser, withPage } from './support/browser.js';

/**
 * The agenda in a real browser (Debian's Chromium), on the built web app: the patient adds an appointment from
 * the month view, finds it in the list view, creates a private calendar link, and the appointment is in the
 * iCalendar feed fetched from that address (parsed with ical.js, an independent iCalendar library); the link is
 * revoked and the address answers 410. On a phone the month is a list of days. Axe checks every screen.
 */

/** The browser logs the 4xx answers of refused requests. */
const ALLOWED_ERRORS = [/status of 4\d\d/];

const parisMonth = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit' });

/** The month after the current one in Paris (YYYY-MM): its 15th is always in the future. */
function nextMonth(): string {
  const [y, m] = parisMonth.format(new Date()).split('-').map(Number);
  const next = new Date(Date.UTC(y!, m!, 1));
  return `${next.getUTCFullYear()}-${String(next.getUTCMonth() + 1).padStart(2, '0')}`;
}

describe.skipIf(!chromiumAvailable())('the agenda in the browser', () => {
  const browser = useBrowser();
  let tc: TestCarnet;
  let patient: TestPatient;
  const month = nextMonth();
  const day = `${month}-15`;

  beforeAll(async () => {
    tc = await startCarnet({ env: { RATE_LIMIT_PER_MINUTE: '10000' } });
    patient = await insuredPatient(tc, { given: 'Élodie' });
  });
  afterAll(() => tc?.close());

  async function open(page: Page, path: string): Promise<void> {
    await page.addInitScript((token) => sessionStorage.setItem('carnet.accessToken', token), patient.token);
    await page.goto(`${tc.baseUrl}${path}`);
  }

  const longDay = new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(`${day}T12:00:00Z`));

  it('an appointment added in the month view is in the list and in the iCalendar feed; the revoked link answers 410', () =>
    withPage(
      browser(),
      async ({ page }) => {
        await open(page, '/patient/agenda');
        await page.getByRole('heading', { level: 1, name: 'Mon agenda' }).waitFor();
        await expectAccessible(page, 'agenda, month view');

        // next month, the 15th: "+" opens the form with the date filled in
        await page.getByRole('button', { name: 'Mois suivant' }).click();
        await page.getByRole('button', { name: `Ajouter un rendez-vous le ${longDay}` }).click();
        const form = page.getByRole('region', { name: 'Nouveau rendez-vous' });
        await form.waitFor();
        expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Nouveau rendez-vous');
        expect(await form.getByLabel('Date', { exact: true }).inputValue()).toBe(day);
        await form.getByLabel('Motif du rendez-vous').fill('Consultation de suivi');
        await form.getByLabel('Nom du professionnel de santé').fill('Dr Anne Dupont');
        await form.getByLabel('Spécialité').fill('Cardiologie');
        await form.getByLabel('Adresse').fill('3 rue de Rivoli, 75001 Paris');
        await form.getByLabel('Heure', { exact: true }).fill('14:30');
        await form.getByLabel('Heure de fin (facultatif)').fill('15:00');
        await expectAccessible(page, 'agenda, appointment form');
        await form.getByRole('button', { name: 'Ajouter le rendez-vous' }).click();
        await page.getByRole('status').filter({ hasText: '« Consultation de suivi » est ajouté à votre agenda' }).waitFor();
        const grid = page.getByRole('table', { name: /^Calendrier de/ });
        await grid.getByText('Consultation de suivi').waitFor();
        await grid.getByRole('button', { name: new RegExp(`^${longDay}, 1 entrée`) }).click();
        const detail = page.getByRole('region', { name: longDay });
        await detail.getByRole('article', { name: 'Consultation de suivi' }).getByText('Avec : Dr Anne Dupont (Cardiologie)').waitFor();
        await expectAccessible(page, 'agenda, day detail');

        // the list view: to come
        await page.getByRole('button', { name: 'Liste', exact: true }).click();
        const future = page.getByRole('region', { name: 'À venir' });
        const item = future.getByRole('article', { name: 'Consultation de suivi' });
        await item.getByText('Avec : Dr Anne Dupont (Cardiologie)').waitFor();
        await item.getByText('Adresse : 3 rue de Rivoli, 75001 Paris').waitFor();
        await item.getByText('Statut : Confirmé').waitFor();
        await item.getByText(/14:30 – 15:00/).waitFor();
        await expectAccessible(page, 'agenda, list view');

        // a private calendar link, shown once with its webcal:// form
        const feeds = page.getByRole('region', { name: 'Voir mon agenda dans le calendrier de mon téléphone' });
        await feeds.getByLabel('Nom du lien (facultatif)').fill('Mon téléphone');
        await feeds.getByRole('button', { name: 'Créer un lien privé' }).click();
        const created = feeds.getByRole('group', { name: 'Votre lien « Mon téléphone » est créé' });
        await created.waitFor();
        const url = await created.getByLabel('Adresse de l’abonnement').inputValue();
        expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/agenda\/[^/]+\.ics$/);
        expect(await created.getByLabel('Adresse pour les téléphones (webcal)').inputValue()).toBe(url.replace(/^http:/, 'webcal:'));
        expect(await created.getByRole('link', { name: 'Ouvrir dans le calendrier du téléphone' }).getAttribute('href')).toBe(url.replace(/^http:/, 'webcal:'));
        await feeds.getByText('Mon téléphone', { exact: true }).waitFor();
        await expectAccessible(page, 'agenda, link created');

        // the feed, parsed by an independent iCalendar library
        const answer = await fetch(url);
        expect(answer.status).toBe(200);
        expect(answer.headers.get('content-type')).toMatch(/^text\/calendar/);
        const calendar = new ICAL.Component(ICAL.parse(await answer.text()));
        const events = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
        const event = events.find((e) => e.summary.includes('Consultation de suivi'));
        expect(event, events.map((e) => e.summary).join(', ')).toBeDefined();
        const entries = (await (await tc.request('GET', '/api/agenda?when=future', { token: patient.token })).json()).entries as { title: string; start: string; end?: string }[];
        const stored = entries.find((e) => e.title === 'Consultation de suivi')!;
        expect(event!.startDate.toJSDate().getTime()).toBe(Date.parse(stored.start));
        expect(event!.endDate.toJSDate().getTime()).toBe(Date.parse(stored.end!));
        expect(event!.location).toContain('3 rue de Rivoli');
        // 14:30 in Paris that day
        expect(new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' }).format(event!.startDate.toJSDate())).toBe('14:30');

        // revoked: the address answers 410
        await created.getByRole('button', { name: 'J’ai copié le lien' }).click();
        await feeds.getByRole('button', { name: 'Révoquer : Mon téléphone' }).click();
        await feeds.getByRole('group', { name: 'Révoquer le lien « Mon téléphone » ?' }).getByRole('button', { name: 'Révoquer le lien' }).click();
        await page.getByRole('status').filter({ hasText: 'Le lien « Mon téléphone » est révoqué.' }).waitFor();
        await feeds.getByText('Vous n’avez pas de lien d’abonnement.').waitFor();
        expect((await fetch(url)).status).toBe(410);
        await expectAccessible(page, 'agenda, link revoked');
      },
      { allowErrors: ALLOWED_ERRORS },
    ));

  it('the patient changes the appointment; the reminder delay is saved', async () => {
    await withPage(
      browser(),
      async ({ page }) => {
        await open(page, '/patient/agenda?vue=liste');
        const future = page.getByRole('region', { name: 'À venir' });
        const item = future.getByRole('article', { name: 'Consultation de suivi' });
        await item.waitFor();
        // the patient's own: editable; changing it moves it to 16:00
        await item.getByRole('button', { name: 'Modifier : Consultation de suivi' }).click();
        const form = page.getByRole('region', { name: 'Modifier le rendez-vous « Consultation de suivi »' });
        await form.getByLabel('Heure', { exact: true }).fill('16:00');
        await form.getByLabel('Heure de fin (facultatif)').fill('16:30');
        // a control character the form lets through but the server refuses (agenda.invalid, field with.name):
        // the message shows at the professional's name, and in the summary linked to it
        const name = form.getByLabel('Nom du professionnel de santé');
        await name.fill('Dr Anne\u0007Dupont');
        await form.getByRole('button', { name: 'Enregistrer les modifications' }).click();
        const invalid = 'Une information du rendez-vous ou du rappel est invalide : vérifiez les champs.';
        await expect.poll(() => page.locator('#agenda-with-name-error').textContent()).toContain(invalid);
        expect(await name.getAttribute('aria-invalid')).toBe('true');
        expect(await form.getByRole('alert').getByRole('link', { name: invalid }).getAttribute('href')).toBe('#agenda-with-name');
        expect(await page.locator('#agenda-title-error').count()).toBe(0);
        await name.fill('Dr Anne Dupont');
        await form.getByRole('button', { name: 'Enregistrer les modifications' }).click();
        await page.getByRole('status').filter({ hasText: '« Consultation de suivi » est modifié' }).waitFor();
        await item.getByText(/16:00 – 16:30/).waitFor();

        const reminder = page.getByRole('region', { name: 'Notifications de rappel' });
        await reminder.getByLabel('Me prévenir').selectOption({ label: '2 jours avant' });
        await reminder.getByRole('button', { name: 'Enregistrer' }).click();
        await page.getByRole('status').filter({ hasText: 'Vous serez prévenu(e) 2 jours avant.' }).waitFor();
        const settings = await (await tc.request('GET', '/api/agenda/settings', { token: patient.token })).json();
        expect(settings.reminderMinutes).toBe(2880);
      },
      { allowErrors: ALLOWED_ERRORS },
    );
  });

  it('on a phone: the month is a list of days with their entries', () =>
    withPage(
      browser(),
      async ({ page }) => {
        await open(page, `/patient/agenda?mois=${month}`);
        await page.getByRole('heading', { level: 3, name: new RegExp(longDay, 'i') }).waitFor();
        await page.getByRole('article', { name: 'Consultation de suivi' }).getByText('Avec : Dr Anne Dupont (Cardiologie)').waitFor();
        expect(await page.getByRole('table').count()).toBe(0);
        await expectAccessible(page, 'agenda on a phone');
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      },
      { device: 'phone' },
    ));
});
