import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../../src/services/demo/accounts.js';
import { expectAccessible } from './browser.js';

/**
 * Sign-in steps in the web app, for the browser journeys: a patient (identifier, password, then the one-time
 * code read in the outbox) and a professional (the /pro space's Pro Santé Connect button, the demo's test
 * IdP, then the choice of practice situation).
 */

export interface SignInCheck {
  /** Runs axe on every page of the sign-in (they have their own tests: once per file is enough). */
  checkAccessibility?: boolean;
}

/** Signs the demo operator in from the home page (the same steps as a patient); ends in the operator space. */
export async function signInOperator(page: Page, o: { baseUrl: string; otp: () => Promise<string> }): Promise<void> {
  await signInPatient(page, { ...o, login: 'admin', space: /\/admin/ });
}

/** Signs a patient in from the home page; ends in the patient space (or `space`). */
export async function signInPatient(
  page: Page,
  o: { baseUrl: string; login: string; otp: () => Promise<string>; password?: string; space?: RegExp } & SignInCheck,
): Promise<void> {
  await page.goto(`${o.baseUrl}/`);
  await page.getByRole('main').getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(/\/interaction\//);
  await page.getByLabel('Identifiant', { exact: true }).waitFor();
  if (o.checkAccessibility) await expectAccessible(page, 'patient sign-in');
  await page.getByLabel('Identifiant', { exact: true }).fill(o.login);
  await page.getByLabel('Mot de passe', { exact: true }).fill(o.password ?? DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Continuer' }).click();
  await page.getByLabel('Code reçu par e-mail').waitFor();
  await page.getByLabel('Code reçu par e-mail').fill(await o.otp());
  await page.getByRole('button', { name: 'Valider le code' }).click();
  await page.waitForURL(o.space ?? /\/patient/);
}

/**
 * Signs a professional in from /pro: "Se connecter avec Pro Santé Connect", Carnet's interaction page, the
 * test IdP's card (`card` matches its label), then the practice situation (`situation` matches its label)
 * when the professional has several; ends on /pro.
 */
export async function signInProfessional(
  page: Page,
  o: { baseUrl: string; card: RegExp; situation?: RegExp } & SignInCheck,
): Promise<void> {
  await page.goto(`${o.baseUrl}/pro`);
  await page.getByRole('heading', { level: 1, name: 'Espace professionnel' }).waitFor();
  if (o.checkAccessibility) await expectAccessible(page, 'professional space, signed out');
  await page.getByRole('main').getByRole('button', { name: 'Se connecter avec Pro Santé Connect' }).click();
  await page.waitForURL(/\/interaction\/[^/?]+$/);
  const toIdp = page.getByRole('link', { name: 'Se connecter avec Pro Santé Connect' });
  await toIdp.waitFor();
  if (o.checkAccessibility) await expectAccessible(page, 'professional interaction');
  await toIdp.click();
  await page.waitForURL(/\/test-idp\/interaction\//);
  if (o.checkAccessibility) await expectAccessible(page, 'test IdP');
  await page.getByLabel(o.card).check();
  await page.getByRole('button', { name: 'Se connecter avec cette carte' }).click();
  if (o.situation) {
    await page.getByRole('heading', { name: 'Choisissez votre situation d’exercice' }).waitFor();
    if (o.checkAccessibility) await expectAccessible(page, 'practice situation');
    await page.getByLabel(o.situation).check();
    await page.getByRole('button', { name: 'Continuer' }).click();
  }
  await page.waitForURL(new RegExp(`${o.baseUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/pro$`));
}
