import type { FastifyInstance } from 'fastify';
import {
  fileResponse,
  finaliseResponse,
  getResponse,
  listQuestionnaires,
  questionnaireOf,
  responsePdf,
  saveResponse,
  startResponse,
} from '../../services/prevention/questionnaires/responses.js';
import type { ProfileDeps } from '../../services/profile/deps.js';
import { sendAttachment } from '../attachment.js';
import { actingPatient, type AuthDeps } from '../auth.js';
import { objectBody } from './body.js';

/**
 * The key-age questionnaires ("Mon bilan prévention", docs/prevention.md; shapes in src/contract/prevention.ts):
 * the bands offered to the acting profile, a band's questionnaire, the profile's responses (draft, saved with
 * the versionId read, finalised), their PDF downloaded or filed into the documents. Patients and the people
 * acting for them only (X-Acting-For); professionals and operators are refused (403 patient.only).
 */
export function questionnaireRoutes(app: FastifyInstance, deps: AuthDeps & { profile: ProfileDeps }): void {
  const p = deps.profile;
  const actor = async (req: Parameters<typeof actingPatient>[0]) => {
    const { ctx, patientId, relation } = await actingPatient(req, deps);
    return { ctx, actor: { patientId, relation, name: ctx.principal.displayName } };
  };

  app.get('/api/prevention/questionnaires', async (req) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    return listQuestionnaires(p, ctx, patientId);
  });

  app.get<{ Params: { band: string }; Querystring: { version?: unknown } }>('/api/prevention/questionnaires/:band', async (req) => {
    await actingPatient(req, deps);
    return questionnaireOf(req.params.band, req.query.version);
  });

  app.post<{ Params: { band: string } }>('/api/prevention/questionnaires/:band/responses', async (req, reply) => {
    const { ctx, actor: who } = await actor(req);
    return reply.code(201).send(await startResponse(p, ctx, who, req.params.band, objectBody(req.body)));
  });

  app.get<{ Params: { id: string } }>('/api/prevention/questionnaire-responses/:id', async (req) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    return getResponse(p, ctx, patientId, req.params.id);
  });

  app.put<{ Params: { id: string } }>('/api/prevention/questionnaire-responses/:id', async (req) => {
    const { ctx, actor: who } = await actor(req);
    return saveResponse(p, ctx, who, req.params.id, objectBody(req.body));
  });

  app.post<{ Params: { id: string } }>('/api/prevention/questionnaire-responses/:id/finalise', async (req) => {
    const { ctx, actor: who } = await actor(req);
    return finaliseResponse(p, ctx, who, req.params.id, objectBody(req.body));
  });

  app.post<{ Params: { id: string } }>('/api/prevention/questionnaire-responses/:id/file', async (req, reply) => {
    const { ctx, actor: who } = await actor(req);
    const { documentId, created } = await fileResponse(p, ctx, who, req.params.id);
    return reply.code(created ? 201 : 200).send({ documentId });
  });

  app.get<{ Params: { id: string } }>('/api/prevention/questionnaire-responses/:id/pdf', async (req, reply) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    const { pdf, fileName } = await responsePdf(p, ctx, patientId, req.params.id);
    return sendAttachment(reply, fileName, pdf, 'application/pdf');
  });
}
