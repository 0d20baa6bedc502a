import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remindableOn } from '../../src/services/prevention/reminders.js';
import { csvOf, person, startAccounts, type AccountsCarnet, type Member } from '../support/accounts.js';
import { bornAgo, todayOf } from '../support/prevention.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { chromiumAvailable, expectAccessible, useBrowser, withPage, type Device } from './support/browser.js';
import { signInOperator as signIn } from './support/sign-in.js';

/**
 * The prevention reminders in a real browser (Debian's Chromium), on the built web app: a parent whose child
 * turns 16 months in 5 days (the 16-month examination and the second MMR dose open then) gets, over three runs
 * of the job (twice the same day, once the next day), exactly one e-mail per item over SMTP; the parent sees the
 * two notifications of the child's profile with their French texts; the operator sees the job's counts on
 * /admin/prevention, at desktop size and on a phone. Axe checks every screen.
 */

type Json = Record<string, any>;
const DAY_MS = 86_400_000;
const civil = new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', dateStyle: 'long' });
const frDate = (d: string) => civil.format(new Date(`${d}T00:00:00Z`));
const number = new Intl.NumberFormat('fr-FR');

describe.skipIf(!chromiumAvailable())('prevention reminders in the browser', () => {
  const browser = useBrowser();
  let sink: SmtpSink;
  let c: AccountsCarnet;
  let parent: Member;
  let childId: string;
  let parentToken: string;
  let items: Json[];

  beforeAll(async () => {
    sink = await startSmtpSink();
    c = await startAccounts({ seed: true, env: { SMTP_URL: sink.url, PREVENTION_REMINDERS: 'true' } });
    const p = person({ sex: 'F', given: 'Camille', birthDate: bornAgo(c, { years: 35, days: 100 }) });
    const child = person({ coveredBy: p, given: 'Léo', sex: 'M', birthDate: bornAgo(c, { months: 16, days: -5 }), email: null });
    await c.importCsv(csvOf([p, child]));
    parent = await c.enroll(p);
    childId = (await c.insured(child.nir)).id;
    parentToken = await c.scriptToken(parent);
    const view = await c.api('GET', '/api/prevention', { token: parentToken, actingFor: childId });
    expect(view.status).toBe(200);
    items = ((await view.json()).items as Json[]).filter((i) => remindableOn(i as never, todayOf(c)));
    // the premise: two items, both opening in the week
    expect(items.map((i) => i.code).sort()).toEqual(['exam-12', 'vac:mmr:2']);
    await c.carnet.mailer.deliverDue();
  });
  afterAll(async () => {
    await c?.close();
    await sink?.close();
  });

  const mailsToParent = () => sink.messages.filter((m) => m.to.includes(parent.person.email!) && m.subject.startsWith('Prévention'));

  it('the reminder job sends exactly one e-mail per due item over two runs', async () => {
    sink.clear();
    const first = await c.carnet.jobs.runNow();
    expect(first.preventionRemindersSent).toBeGreaterThanOrEqual(2);
    await c.carnet.jobs.runNow();
    c.carnet.clock.advance(DAY_MS);
    await c.carnet.jobs.runNow();
    await expect.poll(() => mailsToParent().length).toBe(2);
    for (const m of mailsToParent()) {
      expect(m.subject).toBe('Prévention : du nouveau dans votre espace santé');
      expect(m.text).toContain('(profil de Léo)');
    }
    // delivered, nothing left to send to the parent
    const outbox = (await c.carnet.mailer.list(100, parent.person.email!)).filter((m) => m.template === 'notification' && m.subject.startsWith('Prévention'));
    expect(outbox).toHaveLength(2);
    expect(outbox.every((m) => m.status === 'sent')).toBe(true);
  });

  async function openAsParent(page: Page, path: string): Promise<void> {
    await page.addInitScript(
      ([t, a]) => {
        sessionStorage.setItem('carnet.accessToken', t!);
        sessionStorage.setItem('carnet.actingFor', a!);
      },
      [parentToken, childId],
    );
    await page.goto(`${c.baseUrl}${path}`);
  }

  it("the parent reads the two reminders in the child's notifications, in French", () =>
    withPage(browser(), async ({ page }) => {
      await openAsParent(page, '/patient/notifications');
      await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
      const list = page.getByRole('list', { name: 'Liste des notifications' });
      const exam = items.find((i) => i.code === 'exam-12')!;
      const mmr = items.find((i) => i.code === 'vac:mmr:2')!;
      const examCard = list.getByRole('article', { name: /Examen de santé de l’enfant à prévoir/ });
      await examCard.waitFor();
      expect(await examCard.innerText()).toContain(
        `« ${exam.title} » est à faire entre le ${frDate(exam.window.start)} et le ${frDate(exam.window.end)}. Prenez rendez-vous avec votre médecin ou la PMI.`,
      );
      expect(await examCard.innerText()).toContain('Catégorie : Prévention');
      const mmrCard = list.getByRole('article', { name: /Vaccination à prévoir/ });
      expect(await mmrCard.innerText()).toContain(`« ${mmr.title} » est à faire entre le ${frDate(mmr.window.start)} et le ${frDate(mmr.window.end)}.`);
      expect(await list.getByRole('article', { name: /à prévoir/ }).count()).toBe(2);
      await expectAccessible(page, 'notifications with prevention reminders');
    }));

  async function indicators(page: Page, device: Device): Promise<void> {
    await signIn(page, { baseUrl: c.baseUrl, otp: () => c.otpFor('operatrice@example.fr') });
    if (device === 'desktop') {
      await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Rappels de prévention' }).click();
    } else {
      await page.goto(`${c.baseUrl}/admin/prevention`);
    }
    await page.getByRole('heading', { level: 1, name: 'Rappels de prévention' }).waitFor();
    const res = await c.api('GET', '/api/admin/prevention/indicators', { token: c.operatorToken });
    const api = (await res.json()) as Json;
    expect(api.runs).toHaveLength(2);
    expect(api.sentByType['child-exam']).toBeGreaterThanOrEqual(1);
    expect(api.sentByType.vaccination).toBeGreaterThanOrEqual(1);

    const totals = page.getByRole('table', { name: 'Rappels envoyés par type, depuis la première exécution' });
    await totals.waitFor();
    expect(await totals.getByRole('row', { name: /Examens de l’enfant/ }).innerText()).toContain(number.format(api.sentByType['child-exam']));
    expect(await totals.getByRole('row', { name: /Vaccinations/ }).innerText()).toContain(number.format(api.sentByType.vaccination));
    expect(await totals.getByRole('row', { name: /Total/ }).innerText()).toContain(number.format(api.sentTotal));
    const runs = page.getByRole('table', { name: 'Les 30 dernières exécutions du rappel quotidien' });
    const rows = runs.getByRole('row');
    // a header row and one per run, newest first
    expect(await rows.count()).toBe(3);
    const firstDay = runs.getByRole('row', { name: new RegExp(frDate(api.runs[1].day)) });
    const text = await firstDay.innerText();
    expect(text).toContain(number.format(api.runs[1].profiles));
    expect(text).toContain(number.format(api.runs[1].sent));
    // numbers only: no name, no profile
    expect(await page.getByRole('main').innerText()).not.toMatch(/Léo|Camille/);
    await expectAccessible(page, `prevention indicators (${device})`);
    if (device === 'phone') {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    }
  }

  it('the operator sees the counts of the runs (desktop)', () => withPage(browser(), ({ page }) => indicators(page, 'desktop')));

  it('the same on a phone', () => withPage(browser(), ({ page }) => indicators(page, 'phone'), { device: 'phone' }));
});
