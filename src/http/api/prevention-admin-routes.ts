import type { FastifyInstance } from 'fastify';
import { forbidden } from '../../errors.js';
import { preventionIndicators } from '../../services/prevention/reminders.js';
import type { ProfileDeps } from '../../services/profile/deps.js';
import { contextOf, type AuthDeps } from '../auth.js';

/**
 * The operators' view of prevention (docs/prevention.md, "Reminders"): what the daily reminder job did, in
 * numbers only (runs, profiles looked at, reminders sent by type). Operators never see who was reminded of what.
 */
export function preventionAdminRoutes(app: FastifyInstance, deps: AuthDeps & { profile: ProfileDeps }): void {
  app.get('/api/admin/prevention/indicators', async (req) => {
    const ctx = await contextOf(req, deps);
    if (ctx.principal.role !== 'operator') throw forbidden('This is for operators').withCode('operator.only');
    return preventionIndicators(deps.profile.db);
  });
}
