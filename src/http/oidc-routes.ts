import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { SignIn } from '../services/accounts/signin.js';
import { objectBody } from './api/body.js';

/**
 * The embedded OpenID Provider under /auth (its own Koa app, handed the raw request before Fastify parses
 * the body), and the sign-in interaction's endpoints under /interaction/:uid (the provider's interaction
 * cookie is scoped to that path). Static routes registered elsewhere under /auth win over the catch-all
 * below (Fastify's router prefers static segments to wildcards): the Pro Santé Connect callback
 * `/auth/psc/callback` is one (pro-auth-routes.ts), and the professionals' interaction endpoints are there too.
 */
export function oidcRoutes(app: FastifyInstance, deps: { provider: Provider; signIn: SignIn; rateLimitPerMinute: number }): void {
  const callback = deps.provider.callback();
  void app.register(async (scope) => {
    // leave the body unread: the provider parses it itself
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
    const handler = (req: FastifyRequest, reply: FastifyReply) => {
      reply.hijack();
      const raw = req.raw as typeof req.raw & { originalUrl?: string };
      const url = raw.url ?? '/auth';
      raw.originalUrl = url;
      raw.url = url.slice('/auth'.length) || '/';
      void callback(raw, reply.raw);
    };
    scope.all('/auth', handler);
    scope.all('/auth/*', handler);
  });

  const limit = { rateLimit: { max: deps.rateLimitPerMinute, timeWindow: '1 minute' } };
  app.get<{ Params: { uid: string } }>('/interaction/:uid/details', async (req, reply) => deps.signIn.details(req.raw, reply.raw));
  app.post<{ Params: { uid: string } }>('/interaction/:uid/password', { config: limit }, async (req, reply) =>
    deps.signIn.password(req.raw, reply.raw, objectBody(req.body), req.ip),
  );
  app.post<{ Params: { uid: string } }>('/interaction/:uid/otp', { config: limit }, async (req, reply) =>
    deps.signIn.otp(req.raw, reply.raw, objectBody(req.body), req.ip),
  );
}
