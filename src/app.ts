import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { packagePath } from './package-root.js';
import { migrate, openDb, type Db } from './db/index.js';
import { buildServer } from './http/server.js';
import { Repository } from './repo/index.js';
import { loadOrCreateSigningKey, type SigningKey } from './services/auth/keys.js';
import { seedDemoWorld, type SeedReport } from './services/demo/seed.js';
import { seedDemoAccounts } from './services/demo/accounts.js';
import { seedDemoDocuments } from './services/demo/documents.js';
import { seedDemoMessages } from './services/demo/messages.js';
import { FhirRouter } from './services/fhir/router.js';
import { warmUpValidator } from './fhir/validate.js';
import { warmUpSearchParams } from './fhir/search/definitions.js';
import { reindexIfNeeded } from './repo/reindex.js';
import type { AccountsDeps } from './services/accounts/context.js';
import { SignIn } from './services/accounts/signin.js';
import { fallBackToLetter } from './services/accounts/notices.js';
import { Authenticator } from './services/auth/authenticator.js';
import { Clock } from './services/clock.js';
import { Jobs } from './services/jobs/scheduler.js';
import { Mailer } from './services/mail/mailer.js';
import { ClientRegistry, createProvider, DEMO_PRACTICE_SOFTWARE, issuerOf } from './services/oidc/provider.js';
import { createProSignIn } from './services/pro-auth/index.js';
import { serverSecret } from './services/secrets.js';
import { FileBlobStore, type BlobStore } from './repo/blob-store.js';
import { documentHooks, type DmpDeps } from './services/dmp/index.js';
import { loadMatrix } from './services/dmp/matrix.js';
import type { MessagingDeps } from './services/messaging/deps.js';
import type { ProfileDeps } from './services/profile/deps.js';
import { loadShippedReferenceData } from './services/reference/load.js';
import { loadShippedQuestionnaires } from './services/prevention/questionnaires/load.js';
import { seedDemoProfile } from './services/demo/profile.js';
import { seedDemoMeasures } from './services/demo/measures.js';
import { seedDemoAgenda } from './services/demo/agenda.js';
import { seedDemoDirectives } from './services/demo/directives.js';
import { seedDemoPrevention } from './services/demo/prevention.js';
import { SmtpGateway } from './services/messaging/smtp-gateway.js';
import { notify } from './services/accounts/notifications.js';

export interface Carnet {
  config: Config;
  db: Db;
  repo: Repository;
  key: SigningKey;
  router: FhirRouter;
  server: FastifyInstance;
  clock: Clock;
  mailer: Mailer;
  accounts: AccountsDeps;
  /** The shared medical record's services (documents, their bytes, the habilitation matrix). */
  dmp: DmpDeps;
  /** The secure messaging's services, and its SMTP gateway (not listening until `smtp.listen`). */
  messaging: MessagingDeps;
  profile: ProfileDeps;
  smtp: SmtpGateway;
  blobs: BlobStore;
  jobs: Jobs;
  seed?: SeedReport;
  close(): Promise<void>;
}

export interface CreateOptions {
  /** An already open database (tests); otherwise opened from the config. */
  db?: Db;
  /** Seed the demo world when in demo mode (default true). */
  seed?: boolean;
  syntheaDir?: string;
  /** The clock (tests move it); the system clock by default. */
  clock?: Clock;
  /** Where the built web app is; dist/web by default. */
  webDir?: string;
}

export function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
}

/** Where the built web app is (npm run build writes it to dist/web). */
export function webDir(): string {
  return packagePath('dist', 'web');
}

export function openConfiguredDb(config: Config): Promise<Db> {
  return openDb(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { pgliteDir: path.join(config.dataDir, 'pglite') });
}

/** Opens the store, applies the migrations, seeds the demo world and builds the HTTP server (not listening). */
export async function createCarnet(config: Config, opts: CreateOptions = {}): Promise<Carnet> {
  const db = opts.db ?? (await openConfiguredDb(config));
  try {
    await migrate(db);
    const key = await loadOrCreateSigningKey(config.dataDir);
    warmUpValidator();
    warmUpSearchParams();
    const fhirBase = `${config.baseUrl}/fhir`;
    await reindexIfNeeded(db, fhirBase);
    const repo = new Repository(db, fhirBase, config.readAuditCommit === 'async', () => loadMatrix(db));
    const clock = opts.clock ?? new Clock();
    const mailer = new Mailer(db, clock, { smtpUrl: config.smtpUrl, from: config.mailFrom, operatorName: config.operatorName, baseUrl: config.baseUrl });
    const blobs = new FileBlobStore({
      dir: path.join(config.dataDir, 'blobs'),
      key: config.blobKey ?? Buffer.from(await serverSecret(db, 'blob-key'), 'base64url'),
      maxBytes: config.documentMaxBytes,
    });
    const dmp: DmpDeps = { db, repo, blobs, mailer, fhirBase, maxDocumentBytes: config.documentMaxBytes, samuStructures: config.samuStructures };
    mailer.blobReader = (key) => blobs.read(key);
    const messaging: MessagingDeps = { db, repo, mailer, blobs, clock, fhirBase, config: config.messaging, operatorName: config.operatorName, dmp };
    const profile: ProfileDeps = { db, repo, blobs, mailer, clock, fhirBase, baseUrl: config.baseUrl, operatorName: config.operatorName, dmp };
    await loadShippedReferenceData(profile);
    await loadShippedQuestionnaires(repo);
    const router = new FhirRouter(
      repo,
      {
        fhirBase,
        version: packageVersion(),
        defaultCount: config.defaultCount,
        maxCount: config.maxCount,
        maxBundleEntries: config.maxBundleEntries,
        startedAt: new Date().toISOString(),
      },
      documentHooks(dmp),
    );
    const accounts: AccountsDeps = { db, repo, clock, mailer, config, pepper: await serverSecret(db, 'code-pepper') };
    mailer.onGiveUp = async (template, params) => {
      if (template === 'optout-notice' && typeof params.insuredId === 'string') await fallBackToLetter(accounts, params.insuredId);
      // a patient's message that could not be relayed: the patient is told in their space
      if (template === 'mss-relay' && typeof params.patientId === 'string') {
        await notify(db, mailer, [{ patientId: params.patientId, category: 'messages', type: 'message-undelivered', params: { to: params.to } }], clock.now());
      }
    };
    const seed =
      config.demo && opts.seed !== false
        ? await seedDemoWorld(db, repo, opts.syntheaDir ? { syntheaDir: opts.syntheaDir } : {})
        : undefined;
    if (seed?.seeded) {
      await seedDemoAccounts(accounts);
      await seedDemoDocuments(dmp, clock.now());
      await seedDemoMessages(messaging, clock.now());
      await seedDemoProfile(profile, clock.now());
      await seedDemoMeasures(profile, clock.now());
      await seedDemoAgenda(profile, clock.now());
      await seedDemoDirectives(profile, clock.now());
      await seedDemoPrevention(profile, clock.now());
    }
    // practice software: OAUTH_CLIENTS, and in demo mode the demo's own (unless OAUTH_CLIENTS redefines it)
    const clients = new ClientRegistry([
      ...config.oauthClients,
      ...(config.demo && !config.oauthClients.some((c) => c.clientId === DEMO_PRACTICE_SOFTWARE.clientId) ? [DEMO_PRACTICE_SOFTWARE] : []),
    ]);
    const provider = createProvider(db, {
      baseUrl: config.baseUrl,
      clients,
      jwk: key.jwk,
      cookieKeys: [await serverSecret(db, 'oidc-cookie-key')],
      accessTokenTtlSeconds: 3600,
      trustProxy: config.trustProxy !== false,
    });
    // professional sign-in through Pro Santé Connect (or the demo's test IdP)
    const { proSignIn, testIdp } = await createProSignIn(db, accounts, provider, clients, config);
    const auth = new Authenticator(db, key, { issuers: ['urn:carnet', issuerOf(config.baseUrl)], idleMinutes: config.sessionIdleMinutes, clock });
    let server: FastifyInstance | undefined;
    const smtp = new SmtpGateway(messaging, {
      info: (obj, msg) => server?.log.info(obj, msg),
      warn: (obj, msg) => server?.log.warn(obj, msg),
      error: (obj, msg) => server?.log.error(obj, msg),
    });
    const jobs = new Jobs(accounts, { error: (obj, msg) => server?.log.error(obj, msg) });
    server = buildServer({
      db,
      auth,
      clock,
      router,
      accounts,
      dmp,
      messaging,
      profile,
      provider,
      signIn: new SignIn(accounts, provider),
      jobs,
      demo: config.demo,
      webDir: opts.webDir ?? webDir(),
      maxBodyBytes: config.maxBodyBytes,
      logLevel: config.logLevel,
      rateLimitPerMinute: config.rateLimitPerMinute,
      trustProxy: config.trustProxy,
      proSignIn,
      testIdp,
    });
    return {
      config,
      db,
      repo,
      key,
      router,
      server,
      clock,
      mailer,
      accounts,
      dmp,
      messaging,
      profile,
      smtp,
      blobs,
      jobs,
      ...(seed ? { seed } : {}),
      async close() {
        await jobs.stop();
        await smtp.close();
        await server!.close();
        mailer.close();
        await db.close();
      },
    };
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
}
