import type { FastifyInstance } from 'fastify';
import type { ProfileDeps } from '../../services/profile/deps.js';
import { dashboard, deleteMeasure, deleteTarget, growth, measureCatalogue, measureSeries, putDashboard, putTarget, recordMeasure } from '../../services/measures/measures.js';
import { actingPatient, type AuthDeps } from '../auth.js';
import { objectBody } from './body.js';

/**
 * The patient's measures (docs/measures.md; shapes in src/contract/profile.ts, "measures"): for the profile the
 * request acts for (the person's own, or X-Acting-For a child's).
 */
export function measureRoutes(app: FastifyInstance, deps: AuthDeps & { profile: ProfileDeps }): void {
  const p = deps.profile;

  app.get('/api/profile/measures/catalogue', async (req) => {
    await actingPatient(req, deps);
    return measureCatalogue();
  });

  app.get<{ Querystring: Record<string, unknown> }>('/api/profile/measures', async (req) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    return measureSeries(p, ctx, patientId, req.query);
  });

  app.post('/api/profile/measures', async (req, reply) => {
    const { ctx, patientId, relation } = await actingPatient(req, deps);
    const measure = await recordMeasure(p, ctx, { patientId, relation, name: ctx.principal.displayName }, objectBody(req.body));
    return reply.code(201).send(measure);
  });

  app.delete<{ Params: { id: string } }>('/api/profile/measures/:id', async (req, reply) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    await deleteMeasure(p, ctx, patientId, req.params.id);
    return reply.code(204).send();
  });

  app.put<{ Params: { code: string } }>('/api/profile/measures/targets/:code', async (req) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    return putTarget(p, ctx, patientId, req.params.code, objectBody(req.body));
  });

  app.delete<{ Params: { code: string } }>('/api/profile/measures/targets/:code', async (req, reply) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    await deleteTarget(p, ctx, patientId, req.params.code);
    return reply.code(204).send();
  });

  app.get('/api/profile/measures/dashboard', async (req) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    return dashboard(p, ctx, patientId);
  });

  app.put('/api/profile/measures/dashboard', async (req) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    return putDashboard(p, ctx, patientId, objectBody(req.body));
  });

  app.get<{ Querystring: Record<string, unknown> }>('/api/profile/growth', async (req) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    return growth(p, ctx, patientId, req.query);
  });
}
