import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';

/**
 * Real browser tests: Debian's Chromium (never a downloaded one) driven by playwright-core.
 *
 *   const browser = useBrowser();                         // one Chromium per test file
 *   describe.skipIf(!chromiumAvailable())('...', () => {   // fails in CI when Chromium is missing
 *     it('...', () => withPage(browser(), async ({ page, errors }) => {
 *       await page.goto(`${baseUrl}/`);
 *       await expectAccessible(page, 'home');
 *     }));                                                 // asserts `errors` is empty, screenshots on failure
 *   });
 */

const require = createRequire(import.meta.url);

/** The Chromium binary: $CHROMIUM_PATH, else Debian's /usr/bin/chromium. */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

let availability: boolean | undefined;

/**
 * Whether Chromium can be run. When it cannot: in CI (CI set) this throws, so that the test file fails
 * rather than silently skipping; locally it warns once and returns false, for `describe.skipIf(!chromiumAvailable())`.
 */
export function chromiumAvailable(): boolean {
  if (availability !== undefined) return availability;
  const exe = chromiumPath();
  try {
    fs.accessSync(exe, fs.constants.X_OK);
    availability = true;
  } catch {
    const why = `Chromium not found at ${exe}: install Debian's package (apt-get install chromium) or set CHROMIUM_PATH.`;
    const inCi = !!process.env.CI && !/^(0|false)$/i.test(process.env.CI);
    if (inCi) throw new Error(`${why} Browser tests cannot be skipped in CI.`);
    console.warn(`[e2e] skipping browser tests. ${why}`);
    availability = false;
  }
  return availability;
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Starts a headless Chromium (playwright's own headless mode). One per test file: see useBrowser(). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
}

/**
 * Registers beforeAll/afterAll hooks that launch one Chromium for the test file and close it; returns a getter.
 * Launches nothing when Chromium is unavailable locally (the tests are then skipped by chromiumAvailable()).
 */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    if (chromiumAvailable()) browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    browser = undefined;
    removeEmptyArtifactsDirectory();
  });
  return () => {
    if (!browser) throw new Error('no browser: call useBrowser() at the top of the test file, and use the getter inside tests');
    return browser;
  };
}

/** The options every context gets: French locale, Paris time, light scheme, no animations. */
export const DESKTOP: BrowserContextOptions = {
  locale: 'fr-FR',
  timezoneId: 'Europe/Paris',
  viewport: { width: 1280, height: 800 },
  colorScheme: 'light',
  reducedMotion: 'reduce',
};

/** A phone: 390×844 CSS pixels, touch, mobile viewport handling. */
export const PHONE: BrowserContextOptions = {
  ...DESKTOP,
  viewport: { width: 390, height: 844 },
  screen: { width: 390, height: 844 },
  deviceScaleFactor: 3,
  isMobile: true,
  hasTouch: true,
};

export type Device = 'desktop' | 'phone';

function prepare(context: BrowserContext): BrowserContext {
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  return context;
}

/** A fresh context (cookies, storage) with the desktop options; `options` override them (e.g. baseURL). */
export async function newContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  return prepare(await browser.newContext({ ...DESKTOP, ...options }));
}

/** A fresh phone-sized context (390×844, isMobile, hasTouch, an Android Chrome user agent). */
export async function newPhoneContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const major = browser.version().split('.')[0];
  const userAgent = `Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Mobile Safari/537.36`;
  return prepare(await browser.newContext({ ...PHONE, userAgent, ...options }));
}

/**
 * Collects the page's console errors and uncaught exceptions into the returned array (live), as
 * `console.error: <text> (<url>:<line>)` and `pageerror: <message>`.
 */
export function trackErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const loc = msg.location();
    errors.push(`console.error: ${msg.text()}${loc.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.stack ?? err.message}`));
  return errors;
}

let artifactsDir: string | undefined;

/** Where failure screenshots go: $E2E_ARTIFACTS_DIR, else a fresh temporary directory (one per process). */
export function artifactsDirectory(): string {
  if (!artifactsDir) {
    const fromEnv = process.env.E2E_ARTIFACTS_DIR;
    if (fromEnv) fs.mkdirSync(fromEnv, { recursive: true });
    artifactsDir = fromEnv ?? fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-e2e-'));
  }
  return artifactsDir;
}

/** Removes the temporary screenshot directory if no screenshot was kept in it (useBrowser does it after all tests). */
export function removeEmptyArtifactsDirectory(): void {
  if (!artifactsDir || process.env.E2E_ARTIFACTS_DIR) return;
  try {
    fs.rmdirSync(artifactsDir); // fails, and keeps it, when it holds screenshots
    artifactsDir = undefined;
  } catch {
    /* kept */
  }
}

/** Saves a full-page screenshot under artifactsDirectory(); returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  const safe = name.replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(0, 120) || 'page';
  const file = path.join(artifactsDirectory(), `${safe}-${Date.now()}.png`);
  await page.screenshot({ path: file, fullPage: true, timeout: 5_000 });
  return file;
}

export interface PageFixture {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught exceptions so far (see trackErrors). */
  errors: string[];
}

export interface WithPageOptions {
  /** 'desktop' (default) or 'phone'. */
  device?: Device;
  /** Extra context options, e.g. { baseURL } so that page.goto('/') works. */
  context?: BrowserContextOptions;
  /**
   * Console errors/exceptions to tolerate (matched against the error lines), e.g. an expected 401 in the
   * console; `true` skips the check entirely. By default withPage fails the test if any was recorded.
   */
  allowErrors?: true | (string | RegExp)[];
  /** Names the screenshot; defaults to the current test's name. */
  name?: string;
}

/**
 * Runs `fn` with a page in a fresh context, then closes the context. If `fn` throws, saves a screenshot,
 * prints its path and appends it to the error. If it succeeds, fails when the page logged console errors
 * or threw (unless allowErrors says otherwise).
 */
export async function withPage<T>(browser: Browser, fn: (f: PageFixture) => Promise<T>, opts: WithPageOptions = {}): Promise<T> {
  const context = opts.device === 'phone' ? await newPhoneContext(browser, opts.context) : await newContext(browser, opts.context);
  try {
    const page = await context.newPage();
    const errors = trackErrors(page);
    let result: T;
    try {
      result = await fn({ page, context, errors });
      const allow = opts.allowErrors;
      if (allow !== true) {
        const unexpected = errors.filter((e) => !(allow ?? []).some((p) => (typeof p === 'string' ? e.includes(p) : p.test(e))));
        if (unexpected.length) throw new Error(`the page logged ${unexpected.length} error(s):\n${unexpected.map((e) => `  - ${e}`).join('\n')}`);
      }
    } catch (err) {
      const name = opts.name ?? expect.getState().currentTestName ?? 'e2e';
      let note: string;
      try {
        const file = await saveScreenshot(page, name);
        note = `screenshot: ${file}`;
      } catch (shotErr) {
        note = `no screenshot (${shotErr instanceof Error ? shotErr.message.split('\n')[0] : String(shotErr)})`;
      }
      console.error(`[e2e] ${name} failed at ${page.url()}; ${note}`);
      if (err instanceof Error) err.message += `\n[e2e] ${note}`;
      throw err;
    }
    return result;
  } finally {
    await context.close().catch(() => undefined);
  }
}

export interface AccessibilityOptions {
  /** WCAG tags to check; defaults to WCAG 2.0/2.1 A and AA. */
  tags?: string[];
  /** Limits the check to this selector (default: the whole document). */
  include?: string;
  /** Selectors to leave out. */
  exclude?: string[];
  /** Rule ids to turn off, each with a reason in the calling test. */
  disableRules?: string[];
  /** Impacts that fail the check; defaults to serious and critical. */
  failOn?: ('minor' | 'moderate' | 'serious' | 'critical')[];
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
let axeSource: string | undefined;

/**
 * Runs axe-core's WCAG 2.1 A/AA rules on the page and returns all violations. axe is injected with
 * page.evaluate rather than a <script> tag, so that a strict Content-Security-Policy (script-src 'self')
 * neither blocks it nor logs a console error.
 */
export async function axeViolations(page: Page, opts: AccessibilityOptions = {}): Promise<AxeViolation[]> {
  axeSource ??= fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const loaded = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe === 'object');
  if (!loaded) await page.evaluate(`${axeSource}\n;undefined`);
  const args = {
    tags: opts.tags ?? WCAG_AA,
    include: opts.include ?? null,
    exclude: opts.exclude ?? [],
    rules: Object.fromEntries((opts.disableRules ?? []).map((id) => [id, { enabled: false }])),
  };
  return page.evaluate(async (a) => {
    type Axe = { run(ctx: unknown, o: unknown): Promise<{ violations: AxeViolation[] }> };
    const axe = (globalThis as unknown as { axe: Axe }).axe;
    const doc = (globalThis as unknown as { document: unknown }).document;
    const context = a.include || a.exclude.length ? { include: a.include ? [a.include] : doc, exclude: a.exclude } : doc;
    const result = await axe.run(context, { runOnly: { type: 'tag', values: a.tags }, rules: a.rules, resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String), ...(n.failureSummary ? { failureSummary: n.failureSummary } : {}) })),
    }));
  }, args);
}

/** Formats violations as a readable list: rule id, impact, help, and the first offending selectors. */
export function formatViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => {
      const targets = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ');
      const more = v.nodes.length > 3 ? ` (+${v.nodes.length - 3} more)` : '';
      return `  - [${v.impact ?? 'n/a'}] ${v.id}: ${v.help}\n      at ${targets}${more}\n      ${v.helpUrl}`;
    })
    .join('\n');
}

/**
 * Fails (throws) when axe finds WCAG 2.1 A/AA violations of serious or critical impact on the page, with a
 * readable list; `label` names the screen in the message. Returns the lesser violations, for information.
 */
export async function expectAccessible(page: Page, label: string, opts: AccessibilityOptions = {}): Promise<AxeViolation[]> {
  const failOn = new Set<string>(opts.failOn ?? ['serious', 'critical']);
  const all = await axeViolations(page, opts);
  const failing = all.filter((v) => v.impact !== null && failOn.has(v.impact));
  if (failing.length) {
    throw new Error(`accessibility: ${failing.length} violation(s) on ${label} (${page.url()}):\n${formatViolations(failing)}`);
  }
  return all.filter((v) => !failing.includes(v));
}
