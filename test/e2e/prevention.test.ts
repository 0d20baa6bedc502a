import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCarnet, type TestCarnet } from '../support/carnet.js';
import { insuredPatient, type TestPatient } from '../support/care.js';
import { addOffset } from '../../src/domain/prevention/dates.js';
import { bornAgo, dayFrom, mark, prevention, recordVaccination, todayOf } from '../support/prevention.js';
import { chromiumAvailable, expectAccessible, useBrowser, withPage } from './support/browser.js';
import { openSignedIn } from './support/session.js';

/**
 * Prevention in a real browser (Debian's Chromium), on the built web app, against the real API: a parent
 * switches to their baby's profile and marks the 9-month examination done, and the next thing to do moves on;
 * a 52-year-old woman sees her breast and colorectal screenings due and her dTP booster of 45 overdue, on a
 * phone, and in the vaccination calendar; the agenda shows a due item next to an appointment; a done date in the
 * future is refused with the server's message at the date field, and nothing changes. Axe checks every screen.
 */

/** The browser logs the 4xx answers of refused requests (the date in the future). */
const ALLOWED_ERRORS = [/status of 4\d\d/];

type Json = Record<string, any>;

const civil = new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', dateStyle: 'long' });
/** A civil date as the page writes it: "12 mars 2026". */
const french = (date: string): string => civil.format(new Date(`${date}T12:00:00Z`));
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The element id of an item in the page's timelines (screening rounds share their title: the code tells them apart). */
const listId = (code: string): string => `list-${code.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
const listItem = (code: string): string => `[id="${listId(code)}"]`;

describe.skipIf(!chromiumAvailable())('prevention in the browser', () => {
  const browser = useBrowser();
  let tc: TestCarnet;

  beforeAll(async () => {
    tc = await startCarnet({ env: { RATE_LIMIT_PER_MINUTE: '10000' } });
  });
  afterAll(() => tc?.close());

  /** A woman of 52 and 3 months, with nothing recorded. */
  async function womanOf52(given: string): Promise<TestPatient> {
    return insuredPatient(tc, { given, sex: 'F', birthDate: bornAgo(tc, { years: 52, months: 3 }) });
  }

  /** The paragraphs of a card, in order (what a reader meets first). */
  const linesOf = (card: Locator): Promise<string[]> => card.locator(':scope > p').allInnerTexts();

  const itemOf = (view: Json, predicate: (i: Json) => boolean): Json => {
    const found = view.items.find(predicate);
    expect(found, JSON.stringify(view.items.map((i: Json) => [i.code, i.status]))).toBeDefined();
    return found;
  };

  it('a parent switches to the baby’s profile, marks the 9-month examination done, and the next thing to do moves on', async () => {
    const parent = await insuredPatient(tc, { given: 'Camille', sex: 'F', birthDate: '1990-05-04' });
    // born 8 months and 10 days ago: the 9th month (from 8 months to the day before 9) is open today
    const baby = await insuredPatient(tc, { given: 'Lina', sex: 'F', birthDate: bornAgo(tc, { months: 8, days: 10 }) });
    const token = await tc.user({
      role: 'patient',
      patientId: parent.patientId,
      represents: [
        { patientId: parent.patientId, relation: 'self' },
        { patientId: baby.patientId, relation: 'parent' },
      ],
    });
    const forBaby = { 'x-acting-for': baby.patientId };
    // what came before (the first examinations, the vaccinations of 2 to 6 months) is marked done, so that the
    // 9-month examination is the first thing to do
    const today = todayOf(tc);
    let view = await prevention(tc, token, forBaby);
    for (let n = 0; view.next && view.next !== 'exam-09' && n < 60; n++) {
      const next = itemOf(view, (i) => i.code === view.next);
      view = await mark(tc, token, next.code, { mark: 'done', date: next.window.end < today ? next.window.end : today }, forBaby);
    }
    expect(view.next).toBe('exam-09');
    const exam9 = itemOf(view, (i) => i.code === 'exam-09');
    expect(exam9).toMatchObject({ status: 'due', level: 'mandatory', certificate: 'CS9' });

    await withPage(
      browser(),
      async ({ page }) => {
        // the parent's own profile first, then the baby's through the profile switcher
        await openSignedIn(page, `${tc.baseUrl}/patient/prevention`, token);
        await page.getByRole('heading', { level: 1, name: 'Prévention' }).waitFor();
        await page.getByRole('heading', { level: 2, name: /À faire en priorité|Prochaine étape/ }).waitFor();
        expect(await page.getByRole('region', { name: 'Examens de l’enfant' }).count()).toBe(0);
        const options = await page.getByLabel('Profil', { exact: true }).locator('option').allTextContents();
        await page.getByLabel('Profil', { exact: true }).selectOption({ index: options.findIndex((o) => o.includes('Lina')) });
        await page.getByRole('button', { name: 'Changer de profil' }).click();
        await expect.poll(() => page.getByText(/Vous agissez pour/).first().textContent()).toMatch(/Lina/);

        // the 9-month examination is the first thing to do: window, level, status in words, certificate
        const next = page.getByRole('region', { name: 'À faire en priorité' });
        const card = next.getByRole('article', { name: exam9.title });
        await card.waitFor();
        await card.getByText('Statut : À faire').waitFor();
        await card.getByText('Obligatoire', { exact: true }).waitFor();
        await card.getByText(new RegExp(`^Période : du .* au ${escape(french(exam9.window.end))}$`)).waitFor();
        await card.getByText(/certificat de santé CS9/).waitFor();
        // the examinations are a timeline of 20
        const exams = page.getByRole('region', { name: 'Examens de l’enfant' });
        await expect.poll(() => exams.getByRole('article').count()).toBe(20);
        await exams.getByRole('article', { name: exam9.title }).getByText('Statut : À faire').waitFor();
        await expectAccessible(page, 'prevention, baby');

        // marked done today from the "next" block
        await card.getByRole('button', { name: `Indiquer où j’en suis : ${exam9.title}` }).click();
        const form = card.getByRole('form', { name: `Où en êtes-vous : ${exam9.title} ?` });
        await form.getByLabel('C’est fait', { exact: true }).check();
        await form.getByLabel('Date à laquelle c’est fait').fill(today);
        await expectAccessible(page, 'prevention, mark form');
        await form.getByRole('button', { name: 'Enregistrer' }).click();
        await page.getByRole('status').filter({ hasText: `« ${exam9.title} » : indiqué fait le ${french(today)}.` }).waitFor();

        // the next item moved up: the one the API now gives (due or overdue), else the first one to come
        const after = await prevention(tc, token, forBaby);
        const following = after.next ? itemOf(after, (i) => i.code === after.next) : itemOf(after, (i) => i.status === 'to-plan');
        expect(following.code).not.toBe('exam-09');
        const block = page.getByRole('region', { name: after.next ? 'À faire en priorité' : 'Prochaine étape' });
        await block.getByRole('article', { name: following.title }).waitFor();
        expect(await block.getByRole('article', { name: exam9.title }).count()).toBe(0);
        // the focus is on the block's heading; the examination in the timeline says done, with its date
        expect(await page.evaluate(() => document.activeElement?.id)).toBe('prevention-next-title');
        const done = exams.getByRole('article', { name: exam9.title });
        await done.getByText('Statut : Fait').waitFor();
        await done.getByText(`Fait le ${french(today)}`).waitFor();
        expect(itemOf(after, (i) => i.code === 'exam-09')).toMatchObject({ status: 'done', doneOn: today });
        await expectAccessible(page, 'prevention, after the mark');
      },
      { allowErrors: ALLOWED_ERRORS },
    );
  });

  it('on a phone: a 52-year-old woman’s breast and colorectal screenings are due, her dTP booster of 45 overdue', async () => {
    const woman = await womanOf52('Nadia');
    const view = await prevention(tc, woman.token);
    const breast = itemOf(view, (i) => i.ref === 'breast');
    const colorectal = itemOf(view, (i) => i.ref === 'colorectal');
    const dtp45 = itemOf(view, (i) => i.code === 'vac:dtp-45y:1');
    expect([breast.status, colorectal.status, dtp45.status]).toEqual(['due', 'due', 'overdue']);

    await withPage(
      browser(),
      async ({ page }) => {
        await openSignedIn(page, `${tc.baseUrl}/patient/prevention`, woman.token);
        const screenings = page.getByRole('region', { name: 'Dépistages des cancers' });
        for (const item of [breast, colorectal]) {
          const card = screenings.locator(listItem(item.code)).getByRole('article', { name: new RegExp(`^${escape(item.title)}`) });
          await card.getByText('Statut : À faire').waitFor();
          await card.getByText('Recommandé', { exact: true }).waitFor();
          await card.getByText(`Période : du ${french(item.window.start).replace(/ \d{4}$/, '')}`, { exact: false }).first().waitFor();
        }
        const vaccinations = page.getByRole('region', { name: 'Vaccinations', exact: true });
        const booster = vaccinations.getByRole('article', { name: dtp45.title });
        await booster.getByText('Statut : En retard').waitFor();
        await booster.getByText(`Rattrapage possible jusqu’au ${french(dtp45.catchUpUntil)}.`).first().waitFor();
        // its window, closed years ago, comes after the catch-up, as when it was due
        await booster.getByText(`Prévu à l’âge de 45 ans : du ${french(dtp45.window.start)} au ${french(dtp45.window.end)}.`).waitFor();
        const lines = await linesOf(booster);
        expect(lines.findIndex((l) => l.startsWith('Rattrapage possible'))).toBeLessThan(lines.findIndex((l) => l.startsWith('Prévu à l’âge de 45 ans')));
        // why: the reasons, translated
        await booster.getByText('Pourquoi').click();
        await booster.getByText(/À faire à partir de l’âge de 45 ans et avant 46 ans\./).waitFor();
        // a filter shows one type
        await page.getByRole('group', { name: 'Afficher' }).getByRole('button', { name: 'Dépistages des cancers' }).click();
        await expect.poll(() => page.getByRole('region', { name: 'Vaccinations', exact: true }).count()).toBe(0);
        await screenings.locator(listItem(breast.code)).waitFor();
        await page.getByRole('group', { name: 'Afficher' }).getByRole('button', { name: 'Tout' }).click();
        await page.getByRole('region', { name: 'Sources des calendriers' }).getByText(/version/).first().waitFor();
        await expectAccessible(page, 'prevention on a phone');
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

        // the vaccination calendar: the booster of 45 is missing
        await page.getByRole('link', { name: 'Voir le calendrier des vaccinations' }).click();
        await page.getByRole('heading', { level: 1, name: 'Calendrier des vaccinations' }).waitFor();
        const missing = page.getByRole('region', { name: 'Ce qui manque' });
        await missing.getByRole('link', { name: new RegExp(`\\(En retard\\)$`) }).first().waitFor();
        const schedule = page.locator('#vaccine-dtp-45y');
        await schedule.getByText('En retard', { exact: true }).waitFor();
        // a link of "Ce qui manque" moves the focus to its vaccine's heading
        await missing.locator('a[href="#vaccine-dtp-45y"]').first().click();
        await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('vaccine-dtp-45y-title');
        expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H3');
        expect(await page.getByRole('link', { name: 'Ajouter une vaccination dans le profil médical' }).getAttribute('href')).toBe('/patient/profil/vaccinations');
        await page.getByText(/^Calendrier : .*, version /).waitFor();
        await expectAccessible(page, 'vaccination calendar on a phone');
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      },
      { device: 'phone' },
    );
  });

  it('the agenda shows a due prevention item next to an appointment, linking to it', async () => {
    const woman = await womanOf52('Sophie');
    const breast = itemOf(await prevention(tc, woman.token), (i) => i.ref === 'breast');
    // an appointment tomorrow at 10:00 (Paris, in summer or winter time: 08:00 or 09:00 UTC is still that day)
    const day = dayFrom(tc, 1);
    const res = await tc.request('POST', '/api/agenda', {
      token: woman.token,
      body: JSON.stringify({ kind: 'appointment', title: 'Consultation de gynécologie', start: `${day}T09:00:00Z`, with: { type: 'PRACTITIONER', name: 'Dr Anne Dupont' } }),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    // the colorectal screening planned that day: a chip in the month grid, next to the appointment
    const colorectal = itemOf(await prevention(tc, woman.token), (i) => i.ref === 'colorectal' && i.status === 'due');
    await mark(tc, woman.token, colorectal.code, { mark: 'planned', date: day });

    await withPage(
      browser(),
      async ({ page }) => {
        // the month of the appointment: the prevention block above the grid, the appointment in it
        await openSignedIn(page, `${tc.baseUrl}/patient/agenda?mois=${day.slice(0, 7)}`, woman.token);
        await page.getByRole('heading', { level: 1, name: 'Mon agenda' }).waitFor();
        const grid = page.getByRole('table', { name: /^Calendrier de/ });
        await grid.getByText('Consultation de gynécologie').waitFor();
        const cell = grid.getByRole('cell').filter({ hasText: 'Consultation de gynécologie' });
        const chip = cell.getByRole('link', { name: `Prévention ${colorectal.title}` });
        await chip.waitFor();
        expect(await chip.getAttribute('href')).toBe(`/patient/prevention#${listId(colorectal.code)}`);
        const monthBlock = page.getByRole('region', { name: 'Prévention' });
        await monthBlock.getByRole('link', { name: breast.title }).waitFor();
        await monthBlock.getByText(new RegExp(`À faire, du .* au ${escape(french(breast.window.end))}`)).first().waitFor();
        await expectAccessible(page, 'agenda with prevention, month');

        // the list: prevention, then the appointments to come
        await page.getByRole('button', { name: 'Liste', exact: true }).click();
        const future = page.getByRole('region', { name: 'À venir' });
        await future.getByRole('article', { name: 'Consultation de gynécologie' }).waitFor();
        const listBlock = page.getByRole('region', { name: 'Prévention' });
        const link = listBlock.getByRole('link', { name: breast.title });
        await link.waitFor();
        await expectAccessible(page, 'agenda with prevention, list');

        // the link opens the prevention page on that item
        await link.click();
        await page.getByRole('heading', { level: 1, name: 'Prévention' }).waitFor();
        await expect.poll(() => page.evaluate(() => document.activeElement?.closest('li')?.id)).toBe(listId(breast.code));
        expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H3');
      },
      { allowErrors: ALLOWED_ERRORS },
    );
  });

  it('a 68-year-old: an overdue catch-up without limit says “À rattraper”, a recorded dose links to the vaccinations, a mark keeps its comment', async () => {
    const born = bornAgo(tc, { years: 68, months: 2 });
    const person = await insuredPatient(tc, { given: 'Odile', sex: 'F', birthDate: born });
    // the dTP booster of 65, recorded at 65 and a half: proven by the record
    await recordVaccination(tc, person.token, 'boostrixtetra', addOffset(born, { years: 65, months: 6 }));
    const view = await prevention(tc, person.token);
    const pneumo = itemOf(view, (i) => i.ref === 'pneumococcal-adult');
    expect(pneumo).toMatchObject({ status: 'overdue' });
    expect(pneumo.catchUpUntil).toBeUndefined();
    expect(pneumo.reasons.map((r: Json) => r.code)).toContain('catch-up-now');
    const dtp65 = itemOf(view, (i) => i.ref === 'dtp-65y-then-10y' && i.status === 'done');
    expect(dtp65.evidence).toBe('vaccination');
    const zoster = itemOf(view, (i) => i.ref === 'zoster' && i.status === 'overdue');
    const comment = 'Avec mon médecin traitant,\nen janvier.';

    await withPage(browser(), async ({ page }) => {
      await openSignedIn(page, `${tc.baseUrl}/patient/prevention?type=vaccination`, person.token);
      const vaccinations = page.getByRole('region', { name: 'Vaccinations', exact: true });

      // overdue, no limit: "À rattraper" first, then the window of 65 years, then why
      const card = vaccinations.locator(listItem(pneumo.code)).getByRole('article');
      await card.getByText('Statut : En retard').waitFor();
      await card.getByText('À rattraper.', { exact: true }).waitFor();
      await card.getByText(`Prévu à l’âge de 65 ans : du ${french(pneumo.window.start)} au ${french(pneumo.window.end)}.`).waitFor();
      const lines = await linesOf(card);
      expect(lines.indexOf('À rattraper.')).toBeGreaterThan(0);
      expect(lines.indexOf('À rattraper.')).toBeLessThan(lines.findIndex((l) => l.startsWith('Prévu à l’âge de 65 ans')));
      expect(lines.some((l) => l.startsWith('Rattrapage possible'))).toBe(false);
      await card.getByText('Pourquoi').click();
      await card.getByText('La période prévue est passée : ce rattrapage peut encore être fait, sans limite d’âge.').waitFor();

      // proven by a recorded vaccination: nothing to mark, a link to the vaccinations
      const recorded = vaccinations.locator(listItem(dtp65.code)).getByRole('article');
      await recorded.getByText('Statut : Fait').waitFor();
      await recorded.getByText(`Fait le ${french(dtp65.doneOn)}`).waitFor();
      expect(await recorded.getByRole('link', { name: 'Enregistrée dans vos vaccinations' }).getAttribute('href')).toBe('/patient/profil/vaccinations');
      expect(await recorded.getByRole('button', { name: /^Indiquer où j’en suis/ }).count()).toBe(0);
      await expectAccessible(page, 'prevention, overdue catch-ups and a recorded dose');

      // planned with a comment: the card shows it, the API keeps it, the form brings it back
      const planned = vaccinations.locator(listItem(zoster.code)).getByRole('article');
      await planned.getByRole('button', { name: /^Indiquer où j’en suis/ }).click();
      const form = planned.getByRole('form', { name: /^Où en êtes-vous : / });
      await form.getByLabel('C’est prévu', { exact: true }).check();
      const field = form.getByLabel('Commentaire (facultatif)');
      expect(await field.getAttribute('maxlength')).toBe('500');
      await form.getByText(/500 caractères au plus/).waitFor();
      await field.fill(comment);
      await expectAccessible(page, 'prevention, mark form with a comment');
      await form.getByRole('button', { name: 'Enregistrer' }).click();
      await page.getByRole('status').filter({ hasText: `« ${zoster.title} » : indiqué prévu.` }).waitFor();
      await planned.getByText('Commentaire : Avec mon médecin traitant,').waitFor();
      expect(itemOf(await prevention(tc, person.token), (i) => i.code === zoster.code)).toMatchObject({ planned: {}, comment });
      await planned.getByRole('button', { name: /^Indiquer où j’en suis/ }).click();
      expect(await planned.getByLabel('Commentaire (facultatif)').inputValue()).toBe(comment);
    });
  });

  it('a done date in the future is refused with the server’s message at the date field, and nothing changes', async () => {
    const woman = await womanOf52('Inès');
    const before = await prevention(tc, woman.token);
    const breast = itemOf(before, (i) => i.ref === 'breast');
    const future = dayFrom(tc, 30);

    await withPage(
      browser(),
      async ({ page }) => {
        await openSignedIn(page, `${tc.baseUrl}/patient/prevention?type=screening`, woman.token);
        const card = page.getByRole('region', { name: 'Dépistages des cancers' }).locator(listItem(breast.code));
        await card.getByRole('button', { name: new RegExp(`^Indiquer où j’en suis : ${escape(breast.title)}`) }).click();
        const form = card.getByRole('form', { name: /^Où en êtes-vous : / });
        await form.getByLabel('C’est fait', { exact: true }).check();
        // no date: the form asks for one
        await form.getByRole('button', { name: 'Enregistrer' }).click();
        await form.getByRole('alert').getByRole('link', { name: 'Saisissez la date à laquelle c’est fait.' }).waitFor();
        // a date in the future: the server's refusal, at the field and in the summary linked to it
        const date = form.getByLabel('Date à laquelle c’est fait');
        await date.fill(future);
        await form.getByRole('button', { name: 'Enregistrer' }).click();
        const message = 'La date à laquelle c’est fait ne peut pas être dans le futur.';
        const dateId = await date.getAttribute('id');
        await expect.poll(() => page.locator(`[id="${dateId}-error"]`).textContent()).toContain(message);
        expect(await date.getAttribute('aria-invalid')).toBe('true');
        expect(await form.getByRole('alert').getByRole('link', { name: message }).getAttribute('href')).toBe(`#${dateId}`);
        await card.getByText('Statut : À faire').waitFor();
        await expectAccessible(page, 'prevention, date refused');
      },
      { allowErrors: ALLOWED_ERRORS },
    );

    // nothing changed
    const after = await prevention(tc, woman.token);
    expect(itemOf(after, (i) => i.code === breast.code)).toEqual(breast);
    expect(after.items).toEqual(before.items);
  });
});
