import type { FastifyInstance } from 'fastify';
import { parseAgendaInput, parseFeedLabel, parseReminderMinutes } from '../../domain/agenda/index.js';
import {
  createEntry,
  createFeed,
  deleteEntry,
  feedCalendar,
  getAgendaSettings,
  listEntries,
  listFeeds,
  parseListQuery,
  revokeFeed,
  setAgendaSettings,
  updateEntry,
} from '../../services/agenda/index.js';
import type { ProfileDeps } from '../../services/profile/deps.js';
import { actingPatient, type AuthDeps } from '../auth.js';
import { objectBody } from './body.js';

/**
 * The patient's agenda (docs/agenda.md; shapes in src/contract/profile.ts, "agenda"): entries, the reminder
 * delay, the private calendar links, and the calendar itself at /agenda/<token>.ics (no session: the token is
 * the key; errors as problem+json like /api).
 */
export function agendaRoutes(app: FastifyInstance, deps: AuthDeps & { profile: ProfileDeps; rateLimitPerMinute?: number }): void {
  const p = deps.profile;

  app.get<{ Querystring: Record<string, unknown> }>('/api/agenda', async (req) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    return listEntries(p, ctx, patientId, parseListQuery(req.query));
  });

  app.post('/api/agenda', async (req, reply) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    return reply.code(201).send(await createEntry(p, ctx, patientId, parseAgendaInput(objectBody(req.body))));
  });

  app.get('/api/agenda/settings', async (req) => {
    const { patientId } = await actingPatient(req, deps);
    return getAgendaSettings(p, patientId);
  });

  app.put('/api/agenda/settings', async (req) => {
    const { patientId } = await actingPatient(req, deps);
    return setAgendaSettings(p, patientId, parseReminderMinutes(objectBody(req.body).reminderMinutes));
  });

  app.get('/api/agenda/feeds', async (req) => {
    const { patientId } = await actingPatient(req, deps);
    return listFeeds(p, patientId);
  });

  app.post('/api/agenda/feeds', async (req, reply) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    const feed = await createFeed(p, ctx, patientId, parseFeedLabel(objectBody(req.body).label));
    return reply.code(201).header('cache-control', 'no-store').send(feed);
  });

  app.delete<{ Params: { id: string } }>('/api/agenda/feeds/:id', async (req, reply) => {
    const { patientId } = await actingPatient(req, deps);
    await revokeFeed(p, patientId, req.params.id);
    return reply.code(204).send();
  });

  app.put<{ Params: { id: string } }>('/api/agenda/:id', async (req) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    return updateEntry(p, ctx, patientId, req.params.id, parseAgendaInput(objectBody(req.body)));
  });

  app.delete<{ Params: { id: string } }>('/api/agenda/:id', async (req, reply) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    await deleteEntry(p, ctx, patientId, req.params.id);
    return reply.code(204).send();
  });

  // the calendar apps' side: no session, the token is the key; limited like the other routes open to anyone
  const limited = deps.rateLimitPerMinute ? { config: { rateLimit: { max: deps.rateLimitPerMinute, timeWindow: '1 minute' } } } : {};
  app.get<{ Params: { token: string } }>('/agenda/:token.ics', limited, async (req, reply) => {
    const ics = await feedCalendar(p, req.params.token, { requestId: req.id, source: req.ip });
    return reply
      .header('content-type', 'text/calendar; charset=utf-8')
      .header('cache-control', 'private, max-age=300')
      .header('content-disposition', 'inline; filename="agenda.ics"')
      .send(ics);
  });
}
