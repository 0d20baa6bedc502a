import type { Page } from 'playwright-core';

/**
 * Opens a page of the web app as a signed-in user without the sign-in steps: the access token (and the acting
 * profile, for a parent acting for a child) are put in sessionStorage before the app starts, as the web app keeps
 * them after sign-in (web/src/session.ts), then `path` is loaded.
 *
 *   await openSignedIn(page, `${tc.baseUrl}/patient/prevention`, token, child.patientId);
 */
export async function openSignedIn(page: Page, url: string, token: string, actingFor?: string): Promise<void> {
  await page.addInitScript(
    ([t, a]) => {
      sessionStorage.setItem('carnet.accessToken', t!);
      if (a) sessionStorage.setItem('carnet.actingFor', a);
    },
    [token, actingFor ?? ''],
  );
  await page.goto(url);
}
