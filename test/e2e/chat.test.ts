import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAccounts, type AccountsCarnet } from '../support/accounts.js';
import { professional, type TestPro } from '../support/care.js';
import { chromiumAvailable, expectAccessible, useBrowser, withPage } from './support/browser.js';

/**
 * The professionals' instant messaging in a real browser (Debian's Chromium) on the built web app, every
 * screen checked with axe: two professionals, each in their own browser page (one desktop, one phone), open a
 * discussion by picking each other in the directory and chat in real time — messages appear without reload,
 * are announced by a polite live region, and the unread count follows.
 *
 * The professionals are builders' ones (test/support/care.ts): the browser is given their Carnet token as a
 * Pro Santé Connect sign-in leaves it (sessionStorage), and the page is opened from there.
 */
describe.skipIf(!chromiumAvailable())('instant messaging between professionals', () => {
  const browser = useBrowser();
  let c: AccountsCarnet;
  let claire: TestPro;
  let paul: TestPro;

  beforeAll(async () => {
    c = await startAccounts({ seed: false });
    claire = await professional(c, { family: 'Durand', given: 'Claire' });
    paul = await professional(c, { family: 'Leroy', given: 'Paul', profession: '21' });
  });
  afterAll(async () => {
    expect(c?.serverErrors ?? []).toEqual([]);
    await c?.close();
  });

  async function openChat(page: Page, pro: TestPro): Promise<void> {
    await page.goto(`${c.baseUrl}/pro`);
    await page.evaluate((token) => sessionStorage.setItem('carnet.accessToken', token), pro.token);
    await page.goto(`${c.baseUrl}/pro/discussions`);
    await page.getByRole('heading', { level: 1, name: 'Discussions' }).waitFor();
    await page.getByText('Connecté : les nouveaux messages s’affichent en direct.').waitFor();
  }

  const messageList = (page: Page) => page.getByRole('list', { name: 'Messages' });

  it('two professionals chat in real time in two browser pages', () =>
    withPage(browser(), ({ page: a }) =>
      withPage(
        browser(),
        async ({ page: b }) => {
          // Claire opens a discussion with Paul, found in the directory
          await openChat(a, claire);
          await a.getByText('Vous n’avez encore aucune discussion.').waitFor();
          await expectAccessible(a, 'discussions, none yet');
          const form = a.getByRole('form', { name: 'Nouvelle discussion' });
          await form.getByRole('button', { name: 'Créer la discussion' }).click();
          await a.locator('#chat-new-title-error').getByText('Saisissez le sujet de la discussion.').waitFor();
          await expectAccessible(a, 'new discussion form with errors');
          await form.getByLabel('Sujet de la discussion').fill('Patient diabétique : adaptation');
          await form.getByLabel('Rechercher un professionnel par son nom').fill('Leroy');
          await form.getByRole('button', { name: 'Rechercher', exact: true }).click();
          await form.getByRole('button', { name: 'Ajouter Paul Leroy' }).click();
          await form.getByRole('list', { name: 'Professionnels choisis' }).getByText('Paul Leroy', { exact: true }).waitFor();
          await expectAccessible(a, 'new discussion form filled');
          await form.getByRole('button', { name: 'Créer la discussion' }).click();
          await a.getByRole('heading', { level: 1, name: 'Patient diabétique : adaptation' }).waitFor();
          await a.getByText('Aucun message pour l’instant. Écrivez le premier.').waitFor();
          await a.getByText('Connecté : les nouveaux messages s’affichent en direct.').waitFor();
          await expectAccessible(a, 'an empty discussion');

          // Paul, on his phone, finds it in his list and opens it
          await openChat(b, paul);
          const link = b.getByRole('link', { name: 'Patient diabétique : adaptation' });
          await link.waitFor();
          await expectAccessible(b, 'discussions list on a phone');
          await link.click();
          await b.getByRole('heading', { level: 1, name: 'Patient diabétique : adaptation' }).waitFor();
          await b.getByText('Connecté : les nouveaux messages s’affichent en direct.').waitFor();

          // Claire writes: Paul sees it without reloading, and it is announced politely
          await a.getByLabel('Votre message').fill('Bonjour Paul, pouvez-vous vérifier la posologie ?');
          await a.getByRole('button', { name: 'Envoyer' }).click();
          await messageList(a).getByText('Bonjour Paul, pouvez-vous vérifier la posologie ?').waitFor();
          expect(await a.getByLabel('Votre message').inputValue()).toBe('');
          await messageList(b).getByText('Bonjour Paul, pouvez-vous vérifier la posologie ?').waitFor({ timeout: 15_000 });
          const announcer = b.locator('[aria-live="polite"][data-testid="chat-announcer"]');
          await expect
            .poll(() => announcer.textContent())
            .toBe('Nouveau message de Dr Claire Durand : Bonjour Paul, pouvez-vous vérifier la posologie ?');
          await expectAccessible(b, 'a discussion on a phone, with a message');

          // Paul answers: Claire sees it live
          await b.getByLabel('Votre message').fill('Bien sûr,\nje regarde cela tout de suite.');
          await b.getByRole('button', { name: 'Envoyer' }).click();
          await messageList(a).getByText('je regarde cela tout de suite.', { exact: false }).waitFor({ timeout: 15_000 });
          expect(await messageList(a).getByRole('listitem').count()).toBe(2);
          await expect.poll(() => a.locator('[data-testid="chat-announcer"]').textContent()).toMatch(/^Nouveau message de Paul Leroy : Bien sûr,/);
          await expectAccessible(a, 'a discussion with two messages');

          // Paul goes back to his list; Claire writes again: his unread count shows it, live
          await b.getByRole('link', { name: 'Toutes les discussions' }).click();
          await b.getByRole('heading', { level: 1, name: 'Discussions' }).waitFor();
          await a.getByLabel('Votre message').fill('Merci !');
          await a.getByRole('button', { name: 'Envoyer' }).click();
          await b.getByText('1 message non lu').waitFor({ timeout: 15_000 });
          await expectAccessible(b, 'discussions list with an unread message');
          // opening the room reads it
          await b.getByRole('link', { name: 'Patient diabétique : adaptation' }).click();
          await messageList(b).getByText('Merci !').waitFor();
          await expect.poll(async () => (await (await c.api('GET', '/api/chat/rooms', { token: paul.token })).json()).rooms[0].unread).toBe(0);
        },
        { device: 'phone' },
      ),
    ));
});
