import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PSC_CALLBACK_PATH, TEST_IDP_PATH, type ProSignIn, type TestIdp } from '../services/pro-auth/index.js';
import { htmlPage, PAGE_CSP } from '../services/pro-auth/html.js';
import { objectBody } from './api/body.js';

/**
 * The professionals' sign-in (services/pro-auth/pro-signin.ts) and, in demo mode, the test IdP.
 *
 * PSC's redirect comes back to `/auth/psc/callback`: under the embedded provider's `/auth`, but a static
 * route, which Fastify's router prefers to the provider's `/auth/*` catch-all (oidc-routes.ts).
 */

export function proAuthRoutes(app: FastifyInstance, deps: { proSignIn: ProSignIn; testIdp: TestIdp | undefined; rateLimitPerMinute: number }): void {
  const limit = { config: { rateLimit: { max: deps.rateLimitPerMinute, timeWindow: '1 minute' } } };
  const html = (reply: FastifyReply, status: number, body: string) =>
    reply.code(status).header('content-security-policy', PAGE_CSP).type('text/html; charset=utf-8').send(body);

  app.get<{ Params: { uid: string } }>('/interaction/:uid/pro/start', limit, async (req, reply) => {
    const location = await deps.proSignIn.start(req.raw, reply.raw, req.params.uid, req.log);
    return reply.redirect(location, 302);
  });

  app.get(PSC_CALLBACK_PATH, limit, async (req, reply) => {
    const query = new URLSearchParams(req.url.split('?')[1] ?? '');
    const outcome = await deps.proSignIn.callback(query, req.log);
    if ('redirect' in outcome) return reply.redirect(outcome.redirect, 302);
    req.log.warn({ state: query.get('state') }, 'professional sign-in: callback with an unknown or used state');
    return html(
      reply,
      400,
      htmlPage({
        title: 'Cette connexion ne peut pas aboutir',
        banner: 'Carnet — connexion des professionnels',
        body: `<p>Cette réponse de Pro Santé Connect ne correspond à aucune connexion en cours : elle a expiré, a déjà servi, ou ne vient pas de ce navigateur.</p>
<p><a href="/connexion?espace=pro">Recommencer la connexion</a></p>`,
      }),
    );
  });

  app.get<{ Params: { uid: string }; Querystring: { state?: string } }>('/interaction/:uid/pro/situations', async (req, reply) =>
    deps.proSignIn.situations(req.raw, reply.raw, req.params.uid, req.query.state),
  );
  app.post<{ Params: { uid: string } }>('/interaction/:uid/pro/situation', limit, async (req, reply) =>
    deps.proSignIn.choose(req.raw, reply.raw, req.params.uid, objectBody(req.body)),
  );

  const testIdp = deps.testIdp;
  if (!testIdp) return;
  // the test IdP's own OpenID Provider (its Koa app reads the raw request, body included)
  const callback = testIdp.provider.callback();
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
    const handler = (req: FastifyRequest, reply: FastifyReply) => {
      reply.hijack();
      const raw = req.raw as typeof req.raw & { originalUrl?: string };
      const url = raw.url ?? TEST_IDP_PATH;
      raw.originalUrl = url;
      raw.url = url.slice(TEST_IDP_PATH.length) || '/';
      void callback(raw, reply.raw);
    };
    scope.all(TEST_IDP_PATH, handler);
    scope.all(`${TEST_IDP_PATH}/*`, handler);
  });
  // its sign-in page (static routes win over the catch-all above)
  app.get<{ Params: { uid: string } }>(`${TEST_IDP_PATH}/interaction/:uid`, async (req, reply) => {
    const page = await testIdp.page(req.raw, reply.raw, req.params.uid);
    return html(reply, page.status, page.html);
  });
  app.post<{ Params: { uid: string } }>(`${TEST_IDP_PATH}/interaction/:uid`, limit, async (req, reply) => {
    const form = req.body instanceof URLSearchParams ? req.body : new URLSearchParams();
    reply.hijack();
    const page = await testIdp.submit(req.raw, reply.raw, req.params.uid, form).catch((err: unknown) => {
      req.log.error({ err }, 'test IdP: sign-in failed');
      return { status: 500, html: htmlPage({ title: 'Erreur du simulateur', banner: 'Simulateur Pro Santé Connect', body: '<p>La connexion a échoué. Recommencez.</p>' }) };
    });
    // interactionFinished answered (a redirect) unless a page is to be shown
    if (page && !reply.raw.headersSent) {
      reply.raw.writeHead(page.status, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': PAGE_CSP, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      reply.raw.end(page.html);
    }
  });
}
