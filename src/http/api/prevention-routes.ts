import type { FastifyInstance } from 'fastify';
import type { ProfileDeps } from '../../services/profile/deps.js';
import { deleteMark, preventionView, putMark, vaccinationCalendarView } from '../../services/prevention/index.js';
import { actingPatient, type AuthDeps } from '../auth.js';
import { objectBody } from './body.js';

/**
 * Prevention (docs/prevention.md; shapes in src/contract/prevention.ts): the acting profile's items and marks,
 * and the vaccination calendar view (the key-age questionnaires are in questionnaire-routes.ts, the operators'
 * indicators in prevention-admin-routes.ts). For the profile the request acts for (the person's own, or
 * X-Acting-For a child's); professionals and operators are refused (403 patient.only).
 */
export function preventionRoutes(app: FastifyInstance, deps: AuthDeps & { profile: ProfileDeps }): void {
  const p = deps.profile;

  app.get('/api/prevention', async (req) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    return preventionView(p, ctx, patientId);
  });

  app.put<{ Params: { code: string } }>('/api/prevention/items/:code', async (req) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    return putMark(p, ctx, patientId, req.params.code, objectBody(req.body));
  });

  app.delete<{ Params: { code: string } }>('/api/prevention/items/:code', async (req) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    return deleteMark(p, ctx, patientId, req.params.code);
  });

  app.get('/api/prevention/vaccinations', async (req) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    return vaccinationCalendarView(p, ctx, patientId);
  });
}
