import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import websocket from '@fastify/websocket';
import type Provider from 'oidc-provider';
import { AppError } from '../errors.js';
import { parseJsonBody } from '../fhir/json.js';
import { operationOutcome } from '../fhir/outcome.js';
import type { Db } from '../db/index.js';
import type { AccountsDeps } from '../services/accounts/context.js';
import type { SignIn } from '../services/accounts/signin.js';
import type { Authenticator } from '../services/auth/authenticator.js';
import type { Clock } from '../services/clock.js';
import type { FhirRouter } from '../services/fhir/router.js';
import type { Jobs } from '../services/jobs/scheduler.js';
import { apiRoutes } from './api-routes.js';
import type { DmpDeps } from '../services/dmp/deps.js';
import type { MessagingDeps } from '../services/messaging/deps.js';
import type { ProfileDeps } from '../services/profile/deps.js';
import { oidcRoutes } from './oidc-routes.js';
// professional sign-in (Pro Santé Connect) and the demo's test IdP
import { proAuthRoutes } from './pro-auth-routes.js';
import type { ProSignIn } from '../services/pro-auth/pro-signin.js';
import type { TestIdp } from '../services/pro-auth/test-idp.js';
import { webRoutes } from './web-routes.js';
import { problem, toAppError } from './errors.js';
import { FHIR_JSON, fhirRoutes } from './fhir-routes.js';

export interface ServerDeps {
  db: Db;
  auth: Authenticator;
  clock: Clock;
  router: FhirRouter;
  accounts: AccountsDeps;
  /** The shared medical record's services. */
  dmp: DmpDeps;
  messaging: MessagingDeps;
  /** The medical profile, measures, agenda and reference data (docs/profile.md). */
  profile: ProfileDeps;
  provider: Provider;
  signIn: SignIn;
  jobs: Jobs;
  demo: boolean;
  webDir: string;
  maxBodyBytes: number;
  logLevel: string;
  rateLimitPerMinute: number;
  trustProxy: boolean | string[];
  // professional sign-in: the service, and the test IdP (demo mode without PSC_ISSUER only)
  proSignIn: ProSignIn;
  testIdp: TestIdp | undefined;
}

function parseJson(_req: FastifyRequest, body: string, done: (err: Error | null, value?: unknown) => void): void {
  if (body.trim() === '') return done(null, undefined);
  try {
    done(null, parseJsonBody(body));
  } catch (err) {
    const error = err instanceof AppError ? err : new AppError(400, 'structure', `The body is not valid JSON: ${(err as Error).message}`);
    done(error.code ? error : error.withCode('request.invalid'));
  }
}

/** The HTTP server: one error mapping (OperationOutcome on /fhir, problem+json elsewhere). */
export function buildServer(deps: ServerDeps): FastifyInstance {
  const app = Fastify({
    logger: { level: deps.logLevel },
    bodyLimit: deps.maxBodyBytes,
    routerOptions: { maxParamLength: 500 },
    trustProxy: deps.trustProxy,
    // errors Fastify raises before routing (a malformed URL) go through the same mapping
    frameworkErrors: (err, req, reply) => sendError(err, req, reply),
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['application/fhir+json', 'application/json'], { parseAs: 'string' }, parseJson);
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, new URLSearchParams(body as string));
  });

  app.addHook('onSend', async (_req, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
  // per-route limits only (config.rateLimit on the public account routes)
  void app.register(rateLimit, {
    global: false,
    errorResponseBuilder: () => new AppError(429, 'throttled', 'Too many requests: slow down').withCode('rate.limited'),
  });

  // WebSockets (the professionals' chat, src/http/api/chat-routes.ts): small frames only, the server sends
  void app.register(websocket, { options: { maxPayload: 4096 } });

  app.setErrorHandler((err, req, reply) => sendError(err, req, reply));

  function sendError(err: unknown, req: FastifyRequest, reply: FastifyReply) {
    const { error, unexpected } = toAppError(err);
    if (unexpected) req.log.error({ err }, 'unexpected error');
    if (error.status === 401) reply.header('www-authenticate', 'Bearer realm="carnet"');
    if (req.url.startsWith('/fhir')) {
      return reply.code(error.status).header('content-type', FHIR_JSON).send(JSON.stringify(operationOutcome(error.issues)));
    }
    return reply.code(error.status).header('content-type', 'application/problem+json').send(JSON.stringify(problem(error.status, error.issues, error.code)));
  }

  app.setNotFoundHandler((req, reply) => {
    const message = `Nothing at ${req.method} ${req.url.split('?')[0]}`;
    if (req.url.startsWith('/fhir')) {
      return reply.code(404).header('content-type', FHIR_JSON).send(JSON.stringify(operationOutcome([{ severity: 'error', code: 'not-found', diagnostics: message }])));
    }
    return reply.code(404).header('content-type', 'application/problem+json').send(JSON.stringify(problem(404, [{ severity: 'error', code: 'not-found', diagnostics: message }])));
  });

  app.get('/healthz', async () => ({ status: 'ok', database: deps.db.kind }));
  fhirRoutes(app, deps);
  apiRoutes(app, deps);
  oidcRoutes(app, deps);
  proAuthRoutes(app, deps);
  webRoutes(app, deps.webDir);
  return app;
}
