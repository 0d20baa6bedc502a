import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/index.js';
import { isCareRole, type CareRole } from '../../domain/access/index.js';
import { badRequest, notFound } from '../../errors.js';
import type { Repository } from '../../repo/index.js';
import { accessStatusById, accessStatusByIns, declareAccess, practitionerOf } from '../../services/care/access.js';
import { findByTraits } from '../../services/care/lookup.js';
import {
  addProfessional,
  clearRole,
  listProfessionals,
  removeProfessional,
  setAdministrator,
  setBlocked,
  setRole,
} from '../../services/care/relations.js';
import { ownActivity, tracesOf } from '../../services/care/traces.js';
import { materializePractitioner } from '../../services/directory/fhir.js';
import { actingPatient, contextOf, type AuthDeps } from '../auth.js';
import { objectBody } from './body.js';

export interface CareRouteDeps extends AuthDeps {
  db: Db;
  repo: Repository;
  fhirBase: string;
  rateLimitPerMinute: number;
}

/** A directory identifier (IdNat_PS) in a path: 404 for anything else. */
function practitionerParam(id: string): string {
  if (!/^[0-9A-Za-z]{2,20}$/.test(id)) throw notFound('No such professional').withCode('care.unknown-professional');
  return id;
}

function roleParam(role: string): CareRole {
  if (!isCareRole(role)) throw notFound(`'${role}' is not a role (medecin-traitant, sage-femme-referente, pharmacien-correspondant)`).withCode('care.unknown-role');
  return role;
}

/**
 * The patient's professionals (their list, roles, administrator, blocks, traces) under /api/professionals,
 * and the professional's side under /api/pro (patient look-up, access status, consent, own activity).
 * Contract: docs/professionals.md.
 */
export function careRoutes(app: FastifyInstance, deps: CareRouteDeps): void {
  const acting = async (req: Parameters<typeof actingPatient>[0]) => {
    const a = await actingPatient(req, deps);
    return { ...a, actor: { userId: a.ctx.principal.userId, now: a.ctx.now() } };
  };

  // --- the patient's side --------------------------------------------------------------------------
  app.get('/api/professionals', async (req) => {
    const { patientId } = await acting(req);
    return { professionals: await listProfessionals(deps.db, patientId) };
  });

  app.post('/api/professionals', async (req, reply) => {
    const { patientId, actor } = await acting(req);
    const body = objectBody(req.body);
    if (typeof body.practitionerId !== 'string') throw badRequest('practitionerId (the IdNat_PS of a professional of the directory) is required', ['practitionerId']).withCode('care.practitioner-missing');
    const { created } = await addProfessional(deps.db, patientId, practitionerParam(body.practitionerId), actor);
    await materializePractitioner(deps.repo, deps.db, body.practitionerId);
    const entry = (await listProfessionals(deps.db, patientId)).find((p) => p.practitionerId === body.practitionerId);
    return reply.code(created ? 201 : 200).send(entry);
  });

  app.delete<{ Params: { id: string } }>('/api/professionals/:id', async (req, reply) => {
    const { patientId, actor } = await acting(req);
    await removeProfessional(deps.db, patientId, practitionerParam(req.params.id), actor);
    return reply.code(204).send();
  });

  app.put<{ Params: { id: string; role: string } }>('/api/professionals/:id/roles/:role', async (req) => {
    const { patientId, actor } = await acting(req);
    const body = req.body === undefined || req.body === null ? {} : objectBody(req.body);
    if (body.replace !== undefined && typeof body.replace !== 'boolean') throw badRequest('replace must be true or false', ['replace']).withCode('care.replace');
    const result = await setRole(deps.db, patientId, practitionerParam(req.params.id), roleParam(req.params.role), { ...actor, replace: body.replace === true });
    await materializePractitioner(deps.repo, deps.db, req.params.id);
    return result;
  });

  app.delete<{ Params: { id: string; role: string } }>('/api/professionals/:id/roles/:role', async (req, reply) => {
    const { patientId, actor } = await acting(req);
    await clearRole(deps.db, patientId, practitionerParam(req.params.id), roleParam(req.params.role), actor);
    return reply.code(204).send();
  });

  for (const [path, set] of [
    ['administrator', setAdministrator],
    ['block', setBlocked],
  ] as const) {
    app.put<{ Params: { id: string } }>(`/api/professionals/:id/${path}`, async (req, reply) => {
      const { patientId, actor } = await acting(req);
      await set(deps.db, patientId, practitionerParam(req.params.id), true, actor);
      return reply.code(204).send();
    });
    app.delete<{ Params: { id: string } }>(`/api/professionals/:id/${path}`, async (req, reply) => {
      const { patientId, actor } = await acting(req);
      await set(deps.db, patientId, practitionerParam(req.params.id), false, actor);
      return reply.code(204).send();
    });
  }

  app.get<{ Params: { id: string } }>('/api/professionals/:id/accesses', async (req) => {
    const { ctx, patientId } = await acting(req);
    return { accesses: await tracesOf(deps.repo, ctx, deps.fhirBase, { patientId, practitionerId: practitionerParam(req.params.id) }) };
  });

  // --- the professional's side ---------------------------------------------------------------------
  const limited = { config: { rateLimit: { max: deps.rateLimitPerMinute * 4, timeWindow: '1 minute' } } };

  const pro = async (req: Parameters<typeof contextOf>[0]) => {
    const ctx = await contextOf(req, deps);
    practitionerOf(ctx);
    return ctx;
  };

  /** Who the professional is and the situation they act in. */
  app.get('/api/pro/me', async (req) => {
    const ctx = await pro(req);
    return { displayName: ctx.principal.displayName, practitionerId: ctx.principal.practitionerId, practice: ctx.principal.practice ?? null };
  });

  /** Patient look-up by INS ({ ins: { value, system? } }) with the access status, or by traits (identities only). */
  app.post('/api/pro/patients/search', limited, async (req) => {
    const ctx = await pro(req);
    const body = objectBody(req.body);
    if (body.ins !== undefined) {
      const ins = typeof body.ins === 'string' ? { value: body.ins } : objectBody(body.ins);
      if (typeof ins.value !== 'string' || (ins.system !== undefined && typeof ins.system !== 'string')) {
        throw badRequest('ins must be { value, system? } with text values', ['ins']).withCode('ins.invalid');
      }
      return { matches: [await accessStatusByIns(deps, ctx, { value: ins.value, ...(typeof ins.system === 'string' ? { system: ins.system } : {}) })] };
    }
    const text = (v: unknown) => (typeof v === 'string' ? v : '');
    if (body.sex !== undefined && typeof body.sex !== 'string') throw badRequest('sex must be M, F or I', ['sex']).withCode('traits.invalid');
    const found = await findByTraits(deps.db, {
      family: text(body.family),
      given: text(body.given),
      birthDate: text(body.birthDate),
      ...(typeof body.sex === 'string' ? { sex: body.sex } : {}),
    });
    const matches = [];
    for (const who of found) matches.push(await accessStatusByIns(deps, ctx, { value: who.nir, system: who.insOid }));
    return { matches: matches.filter((m) => m.status !== 'no-profile') };
  });

  app.get<{ Params: { id: string } }>('/api/pro/patients/:id/access', async (req) => {
    const ctx = await pro(req);
    return accessStatusById(deps, ctx, req.params.id);
  });

  /** Records the patient's consent, or declares care-team membership: { basis: 'consent' | 'care-team' }. */
  app.post<{ Params: { id: string } }>('/api/pro/patients/:id/access', async (req, reply) => {
    const ctx = await pro(req);
    const body = objectBody(req.body);
    const result = await declareAccess(deps, ctx, req.params.id, body.basis as 'consent' | 'care-team');
    return reply.code(201).send(result);
  });

  app.get('/api/pro/activity', async (req) => {
    const ctx = await pro(req);
    return { activity: await ownActivity(deps.db, practitionerOf(ctx)) };
  });
}
