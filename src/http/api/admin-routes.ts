import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { badRequest, forbidden, notFound } from '../../errors.js';
import { adminLookup, suspendProfile } from '../../services/accounts/admin.js';
import type { AccountsDeps } from '../../services/accounts/context.js';
import { printLetters } from '../../services/accounts/notices.js';
import { objectByPhone } from '../../services/accounts/optout.js';
import { importPopulation, listImports, populationStats } from '../../services/accounts/population.js';
import { DAY_MS } from '../../services/clock.js';
import { isUuid } from '../../services/ids.js';
import { noticeLetters } from '../../services/documents/index.js';
import type { Jobs } from '../../services/jobs/scheduler.js';
import { contextOf, type AuthDeps } from '../auth.js';
import { objectBody } from './body.js';

/**
 * The operator space's API: the population, notices, objections by phone, suspensions. Administrative data
 * only: operators never read health data. The mail catcher and the clock are demo-only.
 */
export function adminRoutes(app: FastifyInstance, deps: AuthDeps & { accounts: AccountsDeps; jobs: Jobs; demo: boolean }): void {
  const a = deps.accounts;
  const operator = async (req: FastifyRequest) => {
    const ctx = await contextOf(req, deps);
    if (ctx.principal.role !== 'operator') throw forbidden('This is for operators').withCode('operator.only');
    return ctx;
  };
  const demoOnly = () => {
    if (!deps.demo) throw notFound('Only in demo mode');
  };

  // the population file arrives as text/csv; kept as a stream, never parsed as a whole
  void app.register(async (scope) => {
    scope.addContentTypeParser(['text/csv', 'text/plain', 'application/octet-stream'], (_req, payload, done) => done(null, payload));
    scope.post<{ Querystring: { file?: string } }>('/api/admin/population/imports', { bodyLimit: 2 * 1024 * 1024 * 1024 }, async (req, reply) => {
      const ctx = await operator(req);
      if (!(req.body instanceof Readable)) throw badRequest('Send the population file as text/csv').withCode('population.not-csv');
      const report = await importPopulation(a, req.body as AsyncIterable<Buffer>, {
        fileName: String(req.query.file ?? 'population.csv').slice(0, 200),
        actor: `user:${ctx.principal.userId}`,
      });
      return reply.code(201).send(report);
    });
  });

  app.get('/api/admin/population/imports', async (req) => {
    await operator(req);
    return { items: await listImports(a) };
  });
  app.get('/api/admin/population/stats', async (req) => {
    await operator(req);
    return populationStats(a);
  });
  app.get<{ Querystring: { nir?: string } }>('/api/admin/insured', async (req) => {
    await operator(req);
    return adminLookup(a, req.query.nir);
  });
  app.post<{ Params: { id: string } }>('/api/admin/insured/:id/objection', async (req, reply) => {
    const ctx = await operator(req);
    const o = await objectByPhone(a, uuid(req.params.id), `user:${ctx.principal.userId}`);
    return reply.code(201).send({ reference: o.reference, objectedAt: o.objectedAt, proofUrl: `/api/optout/objection/${o.reference}/proof.pdf?k=${o.proofKey}` });
  });
  app.post<{ Params: { id: string } }>('/api/admin/insured/:id/suspend', async (req, reply) => {
    const ctx = await operator(req);
    await suspendProfile(a, uuid(req.params.id), `user:${ctx.principal.userId}`, objectBody(req.body).reason);
    return reply.code(204).send();
  });
  app.get('/api/admin/notices/letters.pdf', async (req, reply) => {
    await operator(req);
    const letters = await printLetters(a);
    if (letters.length === 0) return reply.code(204).send();
    const pdf = await noticeLetters({ operatorName: a.config.operatorName, baseUrl: a.config.baseUrl, letters });
    return reply.header('content-type', 'application/pdf').header('content-disposition', 'attachment; filename="courriers.pdf"').send(Buffer.from(pdf));
  });

  app.get<{ Querystring: { to?: string; limit?: string } }>('/api/admin/outbox', async (req) => {
    demoOnly();
    await operator(req);
    const limit = Math.min(Math.max(Number(req.query.limit ?? 100) || 100, 1), 1000);
    return { items: await a.mailer.list(limit, req.query.to) };
  });
  app.post('/api/admin/clock', async (req) => {
    demoOnly();
    await operator(req);
    const days = Number(objectBody(req.body).advanceDays);
    if (!Number.isFinite(days) || days < 0 || days > 3650) throw badRequest('advanceDays must be a number of days between 0 and 3650').withCode('clock.invalid');
    a.clock.advance(days * DAY_MS);
    const jobs = await deps.jobs.runNow();
    return { now: a.clock.now().toISOString(), jobs };
  });
}

function uuid(id: string): string {
  if (!isUuid(id)) throw notFound('No such insured person').withCode('insured.not-found');
  return id;
}
