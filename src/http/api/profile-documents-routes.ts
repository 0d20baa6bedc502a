import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { badRequest } from '../../errors.js';
import { getAdvanceDirectives, saveDirectivesFile, saveDirectivesForm } from '../../services/profile-documents/directives.js';
import { fileSummary, parseSummarySections, summaryFileName, summaryPdf } from '../../services/profile-documents/summary.js';
import type { ProfileDeps } from '../../services/profile/deps.js';
import { sendAttachment } from '../attachment.js';
import { actingPatient, type AuthDeps } from '../auth.js';
import { objectBody } from './body.js';

/** The raw bodies an advance-directives upload may come with (the content decides: PDF only). */
const RAW_TYPES = ['application/pdf', 'application/octet-stream'];

/**
 * The profile's documents (docs/profile-documents.md, src/contract/profile.ts): the summary PDF of the
 * sections chosen (downloaded or filed into the documents), and the advance directives (online form or
 * uploaded PDF; a new version supersedes the current one; not for minors). The acting profile's only.
 */
export function profileDocumentRoutes(app: FastifyInstance, deps: AuthDeps & { profile: ProfileDeps }): void {
  const p = deps.profile;

  app.post('/api/profile/summary', async (req, reply) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    const body = objectBody(req.body);
    const sections = parseSummarySections(body.sections);
    const action = body.action;
    if (action !== 'download' && action !== 'file') throw badRequest("action is 'download' or 'file'", ['action']).withCode('summary.action');
    if (action === 'file') return reply.code(201).send(await fileSummary(p, ctx, patientId, sections));
    const pdf = await summaryPdf(p, ctx, patientId, sections);
    return sendAttachment(reply, summaryFileName(p.clock.now()), pdf, 'application/pdf');
  });

  app.get('/api/profile/advance-directives', async (req) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    return getAdvanceDirectives(p, ctx, patientId);
  });

  app.post('/api/profile/advance-directives/form', async (req, reply) => {
    const { ctx, patientId } = await actingPatient(req, deps);
    return reply.code(201).send(await saveDirectivesForm(p, ctx, patientId, objectBody(req.body)));
  });

  void app.register(async (scope) => {
    scope.addContentTypeParser(RAW_TYPES, (_req, payload, done) => done(null, payload));
    const raw = (req: FastifyRequest): Readable => {
      if (!(req.body instanceof Readable)) throw badRequest('Send the PDF itself as the body, with Content-Type application/pdf', ['file']).withCode('upload.format');
      return req.body;
    };
    scope.post<{ Querystring: Record<string, unknown> }>('/api/profile/advance-directives/file', { bodyLimit: p.dmp.maxDocumentBytes + 1024 }, async (req, reply) => {
      const { ctx, patientId } = await actingPatient(req, deps);
      const title = req.query.title;
      if (title !== undefined && typeof title !== 'string') throw badRequest('title is a text', ['title']).withCode('upload.title');
      const view = await saveDirectivesFile(p, ctx, patientId, { body: raw(req), title, mimeType: req.headers['content-type'] });
      return reply.code(201).send(view);
    });
  });
}
