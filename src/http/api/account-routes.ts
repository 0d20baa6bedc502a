import type { FastifyInstance, FastifyRequest } from 'fastify';
import { forbidden } from '../../errors.js';
import { accountOf, assertOwnAccount, profilesOf, changePassword, closeProfile, confirmEmailChange, requestEmailChange } from '../../services/accounts/account.js';
import type { AccountsDeps } from '../../services/accounts/context.js';
import { answerInvitation, inviteCarer, inviteSecondParent, listDelegations, listFamily, revokeDelegation } from '../../services/accounts/delegations.js';
import { exportRecord } from '../../services/accounts/export.js';
import { deleteNotification, getPreferences, listNotifications, markRead, setPreferences } from '../../services/accounts/notifications.js';
import { endSessions } from '../../services/auth/sessions.js';
import { isUuid } from '../../services/ids.js';
import { actingPatient, contextOf, type AuthDeps } from '../auth.js';
import { objectBody } from './body.js';

/** The signed-in patient's account: who they are, their profiles, notifications, contacts, family, carers. */
export function accountRoutes(app: FastifyInstance, deps: AuthDeps & { accounts: AccountsDeps; rateLimitPerMinute: number }): void {
  const a = deps.accounts;
  // the look-ups of a person by NIR and traits, and the password checks, are limited like the public routes
  const limited = { config: { rateLimit: { max: deps.rateLimitPerMinute, timeWindow: '1 minute' } } };

  const acting = (req: FastifyRequest) => actingPatient(req, deps);

  app.get('/api/me', async (req) => {
    const p = (await contextOf(req, deps)).principal;
    const { email, profiles } = await profilesOf(a, p);
    return {
      id: p.userId,
      login: p.login,
      role: p.role,
      displayName: p.displayName,
      email,
      ...(p.patientId ? { patient: `Patient/${p.patientId}` } : {}),
      ...(p.practitionerId ? { practitioner: `Practitioner/${p.practitionerId}` } : {}),
      ...(p.practice ? { practice: p.practice } : {}),
      records: p.represents.map((r) => ({ patient: `Patient/${r.patientId}`, relation: r.relation })),
      profiles,
    };
  });

  app.post('/api/session/end', async (req, reply) => {
    const ctx = await contextOf(req, deps);
    if (ctx.sid) await endSessions(a.db, { sid: ctx.sid }, a.clock.now());
    return reply.code(204).send();
  });

  app.get('/api/notifications', async (req) => {
    const { patientId } = await acting(req);
    return listNotifications(a.db, patientId);
  });
  app.post<{ Params: { id: string } }>('/api/notifications/:id/read', async (req, reply) => {
    const { patientId } = await acting(req);
    await markRead(a.db, patientId, uuidParam(req.params.id), a.clock.now());
    return reply.code(204).send();
  });
  app.delete<{ Params: { id: string } }>('/api/notifications/:id', async (req, reply) => {
    const { patientId } = await acting(req);
    await deleteNotification(a.db, patientId, uuidParam(req.params.id), a.clock.now());
    return reply.code(204).send();
  });
  app.get('/api/notifications/preferences', async (req) => getPreferences(a.db, (await acting(req)).patientId));
  app.put('/api/notifications/preferences', async (req, reply) => {
    const { ctx, patientId } = await acting(req);
    assertOwnAccount(ctx);
    const b = objectBody(req.body);
    const prefs: Record<string, boolean> = {};
    for (const [k, v] of Object.entries(b)) if (typeof v === 'boolean') prefs[k] = v;
    await setPreferences(a.db, patientId, prefs);
    return reply.code(204).send();
  });

  app.post('/api/account/email', limited, async (req) => {
    const ctx = await contextOf(req, deps);
    assertOwnAccount(ctx);
    return requestEmailChange(a, ctx.principal.userId, objectBody(req.body));
  });
  app.post('/api/account/email/verify', async (req, reply) => {
    const ctx = await contextOf(req, deps);
    assertOwnAccount(ctx);
    await confirmEmailChange(a, ctx.principal.userId, objectBody(req.body));
    return reply.code(204).send();
  });
  app.post('/api/account/password', limited, async (req, reply) => {
    const ctx = await contextOf(req, deps);
    assertOwnAccount(ctx);
    await changePassword(a, ctx.principal.userId, objectBody(req.body), ctx.sid);
    return reply.code(204).send();
  });
  app.post('/api/account/close', limited, async (req, reply) => {
    const ctx = await contextOf(req, deps);
    assertOwnAccount(ctx);
    // closing acts on the person's own profile: never while the request says it acts for a child's
    const only = ctx.principal.represents;
    if (only.length === 1 && only[0]!.relation !== 'self') {
      throw forbidden('Only your own profile can be closed, not one you act for').withCode('close.own-profile-only');
    }
    await closeProfile(a, ctx.principal.userId, objectBody(req.body));
    return reply.code(204).send();
  });
  app.get('/api/account/export', async (req, reply) => {
    const { ctx, patientId } = await acting(req);
    assertOwnAccount(ctx);
    await accountOf(a, ctx.principal.userId);
    // the acting profile's record only: never the other profiles the person holds (children, people helped)
    const zip = await exportRecord(a, { ...ctx, principal: { ...ctx.principal, represents: [ctx.principal.represents[0]!] } });
    return reply
      .header('content-type', 'application/zip')
      .header('content-disposition', `attachment; filename="carnet-${patientId}.zip"`)
      .send(Buffer.from(zip));
  });

  app.get('/api/family', async (req) => {
    const ctx = await contextOf(req, deps);
    return listFamily(a, ctx.principal.userId);
  });
  app.post<{ Params: { patientId: string } }>('/api/family/:patientId/second-parent', limited, async (req, reply) => {
    const ctx = await contextOf(req, deps);
    assertOwnAccount(ctx);
    return reply.code(201).send(await inviteSecondParent(a, ctx.principal.userId, req.params.patientId, objectBody(req.body)));
  });

  app.get('/api/delegations', async (req) => listDelegations(a, (await contextOf(req, deps)).principal.userId));
  app.post('/api/delegations/carers', limited, async (req, reply) => {
    const ctx = await contextOf(req, deps);
    assertOwnAccount(ctx);
    if (ctx.principal.represents.length === 1 && ctx.principal.represents[0]!.relation !== 'self') {
      throw forbidden('A carer is invited by the person themself, from their own profile').withCode('carer.forbidden');
    }
    return reply.code(201).send(await inviteCarer(a, ctx.principal.userId, objectBody(req.body)));
  });
  app.post<{ Params: { id: string } }>('/api/delegations/:id/accept', async (req, reply) => {
    await answerInvitation(a, (await contextOf(req, deps)).principal.userId, req.params.id, true);
    return reply.code(204).send();
  });
  app.post<{ Params: { id: string } }>('/api/delegations/:id/refuse', async (req, reply) => {
    await answerInvitation(a, (await contextOf(req, deps)).principal.userId, req.params.id, false);
    return reply.code(204).send();
  });
  app.delete<{ Params: { id: string } }>('/api/delegations/:id', async (req, reply) => {
    await revokeDelegation(a, (await contextOf(req, deps)).principal.userId, req.params.id);
    return reply.code(204).send();
  });
}

/** A notification id from the URL; anything that is not a uuid names no notification (404 from the service). */
function uuidParam(id: string): string {
  return isUuid(id) ? id : '00000000-0000-0000-0000-000000000000';
}
