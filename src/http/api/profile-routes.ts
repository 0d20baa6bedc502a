import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isListSection, isUnconcernedSection, type ListSection, type UnconcernedSection } from '../../domain/profile/sections/index.js';
import { AppError, forbidden, notFound } from '../../errors.js';
import type { RequestContext } from '../../repo/index.js';
import type { ProfileDeps } from '../../services/profile/deps.js';
import { profileOverview } from '../../services/profile/overview.js';
import { proProfile } from '../../services/profile/pro.js';
import { createEntry, deleteEntry, listSection, recordVaccinationAsProfessional, updateEntry } from '../../services/profile/sections.js';
import { getProfileSettings, setProfileSettings } from '../../services/profile/settings.js';
import { createBloodGroup, deleteBloodGroup, deleteOrganDonation, getBloodGroup, getOrganDonation, putOrganDonation, updateBloodGroup } from '../../services/profile/singles.js';
import { declareUnconcerned, withdrawUnconcerned } from '../../services/profile/unconcerned.js';
import { actingPatient, contextOf, type AuthDeps } from '../auth.js';
import { objectBody } from './body.js';

function sectionParam(v: string): ListSection {
  if (!isListSection(v)) throw notFound(`No such section of the profile: ${v}`).withCode('profile.section-unknown');
  return v;
}

function unconcernedParam(v: string): UnconcernedSection {
  const section = sectionParam(v);
  if (!isUnconcernedSection(section)) {
    throw new AppError(400, 'invalid', `The section ${section} cannot be declared "non concerné"`, ['section']).withCode('profile.section-not-declarable');
  }
  return section;
}

/**
 * The medical profile's sections in the web app (docs/profile.md, src/contract/profile.ts): the acting
 * profile's overview, list sections with "non concerné", blood group, organ donation and settings under
 * /api/profile; the professional's view of a patient's profile and the vaccinations they record under
 * /api/pro/patients/:id.
 */
export function profileRoutes(app: FastifyInstance, deps: AuthDeps & { profile: ProfileDeps }): void {
  const d = deps.profile;
  const pro = async (req: FastifyRequest): Promise<RequestContext> => {
    const ctx = await contextOf(req, deps);
    if (ctx.principal.role !== 'professional' || !ctx.principal.practitionerId) throw forbidden('This is for health professionals').withCode('pro.only');
    return ctx;
  };

  app.get('/api/profile', async (req) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    return profileOverview(d, ctx, patientId);
  });

  app.get('/api/profile/settings', async (req) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    return getProfileSettings(d, ctx, patientId);
  });

  app.put('/api/profile/settings', async (req) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    return setProfileSettings(d, ctx, patientId, objectBody(req.body));
  });

  // --- list sections ----------------------------------------------------------------------------------------
  app.get<{ Params: { section: string } }>('/api/profile/sections/:section', async (req) => {
    const section = sectionParam(req.params.section);
    const { ctx, patientId } = await actingPatient(req, deps);
    return listSection(d, ctx, patientId, section);
  });

  app.post<{ Params: { section: string } }>('/api/profile/sections/:section', async (req, reply) => {
    const section = sectionParam(req.params.section);
    const { ctx, patientId } = await actingPatient(req, deps);
    return reply.code(201).send(await createEntry(d, ctx, patientId, section, objectBody(req.body)));
  });

  app.put<{ Params: { section: string } }>('/api/profile/sections/:section/unconcerned', async (req) => {
    const section = unconcernedParam(req.params.section);
    const { ctx, patientId } = await actingPatient(req, deps);
    return declareUnconcerned(d, ctx, patientId, section);
  });

  app.delete<{ Params: { section: string } }>('/api/profile/sections/:section/unconcerned', async (req, reply) => {
    const section = unconcernedParam(req.params.section);
    const { ctx, patientId } = await actingPatient(req, deps);
    await withdrawUnconcerned(d, ctx, patientId, section);
    return reply.code(204).send();
  });

  app.put<{ Params: { section: string; id: string } }>('/api/profile/sections/:section/:id', async (req) => {
    const section = sectionParam(req.params.section);
    const { ctx, patientId } = await actingPatient(req, deps);
    return updateEntry(d, ctx, patientId, section, req.params.id, objectBody(req.body));
  });

  app.delete<{ Params: { section: string; id: string } }>('/api/profile/sections/:section/:id', async (req, reply) => {
    const section = sectionParam(req.params.section);
    const { ctx, patientId } = await actingPatient(req, deps);
    await deleteEntry(d, ctx, patientId, section, req.params.id);
    return reply.code(204).send();
  });

  // --- blood group and organ donation -----------------------------------------------------------------------
  app.get('/api/profile/blood-group', async (req) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    return getBloodGroup(d, ctx, patientId);
  });

  app.post('/api/profile/blood-group', async (req, reply) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    return reply.code(201).send(await createBloodGroup(d, ctx, patientId, objectBody(req.body)));
  });

  app.put('/api/profile/blood-group', async (req) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    return updateBloodGroup(d, ctx, patientId, objectBody(req.body));
  });

  app.delete('/api/profile/blood-group', async (req, reply) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    await deleteBloodGroup(d, ctx, patientId);
    return reply.code(204).send();
  });

  app.get('/api/profile/organ-donation', async (req) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    return getOrganDonation(d, ctx, patientId);
  });

  app.put('/api/profile/organ-donation', async (req) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    return putOrganDonation(d, ctx, patientId, objectBody(req.body));
  });

  app.delete('/api/profile/organ-donation', async (req, reply) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    await deleteOrganDonation(d, ctx, patientId);
    return reply.code(204).send();
  });

  // --- the professional's view --------------------------------------------------------------------------------
  app.get<{ Params: { id: string } }>('/api/pro/patients/:id/profile', async (req) => {
    const ctx = await pro(req);
    return proProfile(d, ctx, patientIdParam(req.params.id));
  });

  app.post<{ Params: { id: string } }>('/api/pro/patients/:id/vaccinations', async (req, reply) => {
    const ctx = await pro(req);
    return reply.code(201).send(await recordVaccinationAsProfessional(d, ctx, patientIdParam(req.params.id), objectBody(req.body)));
  });
}

function patientIdParam(id: string): string {
  if (!/^[A-Za-z0-9\-.]{1,64}$/.test(id)) throw notFound('No such patient').withCode('patient.unknown');
  return id;
}
