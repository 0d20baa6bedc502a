import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, expectAccessible, useBrowser, withPage } from './support/browser.js';

/** Proves the browser harness itself: Chromium starts, a click works, and the accessibility check can fail. */

const head = (title: string) => `<!doctype html><html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>`;

const PAGES: Record<string, string> = {
  '/ok': `${head('Rendez-vous')}<body><main>
  <h1>Prendre rendez-vous</h1>
  <form id="f">
    <label for="name">Nom</label> <input id="name" name="name" autocomplete="family-name">
    <label for="date">Date</label> <input id="date" name="date" type="date">
    <button type="submit">Envoyer</button>
  </form>
  <p id="status" role="status"></p>
  <p id="tz"></p>
</main>
<script src="/app.js"></script></body></html>`,
  '/app.js': `document.getElementById('f').addEventListener('submit', (e) => {
  e.preventDefault();
  document.getElementById('status').textContent = 'Merci ' + document.getElementById('name').value;
});
document.getElementById('tz').textContent = new Date(Date.UTC(2025, 6, 14, 10)).toLocaleString() + ' ' + innerWidth;`,
  '/bad': `${head('Inaccessible')}<body><main>
  <h1>Formulaire</h1>
  <input id="name" name="name">
  <img src="/x.png">
  <button></button>
</main></body></html>`,
  '/throws': `${head('Erreur')}<body><main><h1>Erreur</h1></main>
<script src="/throws.js"></script></body></html>`,
  '/throws.js': `console.error('boom in the console'); setTimeout(() => { throw new Error('boom uncaught'); });`,
};

describe.skipIf(!chromiumAvailable())('browser harness (Chromium)', () => {
  const browser = useBrowser();
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const body = PAGES[req.url ?? ''];
      if (req.url === '/favicon.ico') {
        res.writeHead(204).end(); // Chromium asks for it by itself; a 404 would be logged as a console error
        return;
      }
      if (body === undefined) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      const type = req.url!.endsWith('.js') ? 'text/javascript' : 'text/html; charset=utf-8';
      res.writeHead(200, { 'content-type': type, 'content-security-policy': "default-src 'self'" }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('runs a French, Paris-time page; a click submits the form; axe passes on an accessible page', () =>
    withPage(browser(), async ({ page, errors }) => {
      await page.goto(`${base}/ok`);
      expect(await page.evaluate(() => navigator.language)).toBe('fr-FR');
      await expect.poll(() => page.textContent('#tz')).toBe('14/07/2025 12:00:00 1280');
      await page.getByLabel('Nom').fill('Dupont');
      await page.getByRole('button', { name: 'Envoyer' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toBe('Merci Dupont');
      await expectAccessible(page, 'the accessible form'); // under a strict CSP, too
      expect(errors).toEqual([]);
    }));

  it('axe fails on an inaccessible page, listing the rules and the elements', () =>
    withPage(
      browser(),
      async ({ page }) => {
        await page.goto(`${base}/bad`);
        const err = await expectAccessible(page, 'the bad form').then(
          () => undefined,
          (e: unknown) => e as Error,
        );
        expect(err).toBeInstanceOf(Error);
        expect(err!.message).toMatch(/violation\(s\) on the bad form/);
        expect(err!.message).toMatch(/\[critical\] label: Form elements must have labels\n\s+at #name\n/);
        expect(err!.message).toMatch(/\[critical\] image-alt: .*\n\s+at img\n/);
        expect(err!.message).toMatch(/\[critical\] button-name: /);
      },
      { allowErrors: ['404'] }, // the missing /x.png
    ));

  it('a phone context is 390 px wide, touch and mobile', () =>
    withPage(
      browser(),
      async ({ page }) => {
        await page.goto(`${base}/ok`);
        await expect.poll(() => page.textContent('#tz')).toMatch(/ 390$/);
        expect(await page.evaluate(() => [matchMedia('(pointer: coarse)').matches, navigator.maxTouchPoints > 0, /Mobile/.test(navigator.userAgent)])).toEqual([true, true, true]);
        await page.getByRole('button', { name: 'Envoyer' }).tap();
        await expect.poll(() => page.getByRole('status').textContent()).toBe('Merci ');
        await expectAccessible(page, 'the form on a phone');
      },
      { device: 'phone' },
    ));

  it('withPage fails on console errors and uncaught exceptions, with a screenshot', async () => {
    const err = await withPage(
      browser(),
      async ({ page, errors }) => {
        await page.goto(`${base}/throws`);
        await expect.poll(() => errors.length).toBe(2);
      },
      { name: 'deliberate failure (browser-smoke)' },
    ).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toMatch(/the page logged 2 error\(s\)/);
    expect(err?.message).toMatch(/console\.error: boom in the console \(http:\/\/127\.0\.0\.1:\d+\/throws\.js:0\)/);
    expect(err?.message).toMatch(/pageerror: Error: boom uncaught/);
    const shot = /screenshot: (.+\.png)/.exec(err?.message ?? '')?.[1];
    expect(shot && fs.statSync(shot).size).toBeGreaterThan(0);
    fs.rmSync(shot!);

    // tolerated errors pass
    await withPage(
      browser(),
      async ({ page, errors }) => {
        await page.goto(`${base}/throws`);
        await expect.poll(() => errors.length).toBe(2);
      },
      { allowErrors: ['boom in the console', /boom uncaught/] },
    );
  });
});
