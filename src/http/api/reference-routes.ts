import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { BdpmFormatError, CIS_CIP_FILE, CIS_FILE, decodeBdpm, parseCisCipFile, parseCisFile } from '../../domain/reference/bdpm.js';
import { VaccineListError, validateVaccineList } from '../../domain/reference/vaccines.js';
import { badRequest, forbidden, refusal } from '../../errors.js';
import { searchDrugs } from '../../services/reference/drugs.js';
import { BDPM_SOURCE, listDatasets, replaceBdpm, replaceVaccines } from '../../services/reference/import.js';
import { searchVaccines } from '../../services/reference/vaccines.js';
import type { ProfileDeps } from '../../services/profile/deps.js';
import { contextOf, type AuthDeps } from '../auth.js';

/** The full official CIS_CIP_bdpm.txt is about 4 MB; leave room for growth. */
const MAX_BDPM_BYTES = 64 * 1024 * 1024;
const MAX_VACCINES_BYTES = 2 * 1024 * 1024;

/**
 * Reference data (docs/reference-data.md): the drug and vaccine look-ups for any signed-in user, and the
 * operator's view and replacement of the datasets. Shapes: src/contract/profile.ts (Drug, VaccineRef,
 * ReferenceDataset).
 */
export function referenceRoutes(app: FastifyInstance, deps: AuthDeps & { profile: ProfileDeps }): void {
  const { db, clock } = deps.profile;
  const operator = async (req: FastifyRequest) => {
    const ctx = await contextOf(req, deps);
    if (ctx.principal.role !== 'operator') throw forbidden('This is for operators').withCode('operator.only');
    return ctx;
  };
  const query = (q: unknown): string => {
    if (q === undefined) return '';
    if (typeof q !== 'string') throw badRequest('q: give one search text', ['q']).withCode('request.invalid');
    if (q.length > 200) throw badRequest('q: at most 200 characters', ['q']).withCode('request.invalid');
    return q;
  };

  app.get<{ Querystring: { q?: unknown } }>('/api/reference/drugs', async (req) => {
    await contextOf(req, deps);
    return { drugs: await searchDrugs(db, query(req.query.q)) };
  });

  app.get<{ Querystring: { q?: unknown } }>('/api/reference/vaccines', async (req) => {
    await contextOf(req, deps);
    return { vaccines: await searchVaccines(db, query(req.query.q)) };
  });

  app.get('/api/admin/reference', async (req) => {
    await operator(req);
    return { datasets: await listDatasets(db) };
  });

  app.put('/api/admin/reference/vaccines', { bodyLimit: MAX_VACCINES_BYTES }, async (req) => {
    const ctx = await operator(req);
    let list;
    try {
      list = validateVaccineList(req.body);
    } catch (err) {
      if (err instanceof VaccineListError) {
        const refused = refusal(422, 'reference.vaccines-invalid', err.message);
        refused.issues[0]!.expression = [err.field];
        throw refused;
      }
      throw err;
    }
    return replaceVaccines(db, list, { loadedBy: ctx.principal.login, loadedAt: clock.now() });
  });

  // the BDPM files arrive as they are published (Windows-1252 text); read whole, then parsed strictly
  void app.register(async (scope) => {
    scope.removeContentTypeParser(['text/plain']);
    scope.addContentTypeParser(['text/plain', 'text/tab-separated-values', 'application/octet-stream'], (_req, payload, done) => done(null, payload));
    scope.post<{ Querystring: { file?: unknown; version?: unknown } }>('/api/admin/reference/bdpm', { bodyLimit: MAX_BDPM_BYTES }, async (req, reply) => {
      const ctx = await operator(req);
      const file = req.query.file;
      if (file !== CIS_FILE && file !== CIS_CIP_FILE) {
        throw badRequest(`file: say which file this is, ${CIS_FILE} or ${CIS_CIP_FILE}`, ['file']).withCode('reference.bdpm-file');
      }
      const version = req.query.version === undefined ? clock.now().toISOString().slice(0, 10) : req.query.version;
      if (typeof version !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(version)) {
        throw badRequest('version: the date of the file, YYYY-MM-DD', ['version']).withCode('request.invalid');
      }
      if (!(req.body instanceof Readable)) throw badRequest('Send the file itself as the body (text/plain)').withCode('upload.format');
      const chunks: Buffer[] = [];
      for await (const chunk of req.body as AsyncIterable<Buffer>) chunks.push(chunk);
      const text = decodeBdpm(Buffer.concat(chunks));
      if (text.trim() === '') throw refusal(422, 'reference.bdpm-invalid', `${file} is empty`);
      let data;
      try {
        data = file === CIS_FILE ? { products: parseCisFile(text, file) } : { presentations: parseCisCipFile(text, file) };
      } catch (err) {
        if (err instanceof BdpmFormatError) throw refusal(422, 'reference.bdpm-invalid', err.message);
        throw err;
      }
      const report = await replaceBdpm(db, data, { source: BDPM_SOURCE, version, loadedBy: ctx.principal.login, loadedAt: clock.now() });
      return reply.code(200).send(report.dataset);
    });
  });
}
