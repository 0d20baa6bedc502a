import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import type { FhirResponse, FhirRouter } from '../services/fhir/router.js';
import { contextOf, type AuthDeps } from './auth.js';

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

const JSON_TYPES = /^(application\/(fhir\+)?json|json)$/i;

/** Refuses a response format other than JSON (Accept or _format); FHIR XML and Turtle are not offered. */
function checkFormat(req: FastifyRequest): void {
  const format = (req.query as Record<string, unknown>)._format;
  if (typeof format === 'string' && !JSON_TYPES.test(format.trim())) {
    throw new AppError(406, 'not-supported', `_format ${format} is not supported; Carnet answers in application/fhir+json`);
  }
  const accept = req.headers.accept;
  if (!accept) return;
  const ok = accept.split(',').some((part) => {
    const type = part.split(';')[0]!.trim().toLowerCase();
    return type === '*/*' || type === 'application/*' || JSON_TYPES.test(type);
  });
  if (!ok) throw new AppError(406, 'not-supported', `Accept: ${accept} cannot be satisfied; Carnet answers in application/fhir+json`);
}

export async function send(reply: FastifyReply, res: FhirResponse): Promise<FastifyReply> {
  reply.code(res.status).headers(res.headers);
  if (res.stream) {
    // a document's bytes, in its own type; never sniffed by the browser as something else
    reply
      .header('content-type', res.stream.contentType)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "sandbox; default-src 'none'");
    if (res.stream.size !== undefined) reply.header('content-length', String(res.stream.size));
    return reply.send(await res.stream.open());
  }
  if (res.body === undefined) return reply.send();
  reply.header('content-type', FHIR_JSON);
  return reply.send(typeof res.body === 'string' ? res.body : JSON.stringify(res.body));
}

/** /fhir: the FHIR R4 API. Everything but the CapabilityStatement needs a bearer token. */
export function fhirRoutes(app: FastifyInstance, deps: AuthDeps & { router: FhirRouter }): void {
  app.get('/fhir/metadata', async (req, reply) => {
    checkFormat(req);
    return send(reply, deps.router.metadata());
  });

  const methods = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;
  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    // a document's bytes are answered in their own type (ITI-68): Accept is the client's choice there
    if (!(req.method === 'GET' && /^\/fhir\/Binary\/[^/?]+(\?|$)/.test(req.url))) checkFormat(req);
    const ctx = await contextOf(req, deps);
    const url = new URL(req.url, 'http://carnet.invalid');
    const res = await deps.router.handle(
      {
        method: req.method,
        path: url.pathname.slice('/fhir'.length),
        query: url.searchParams,
        body: req.body,
        ...header(req, 'if-match', 'ifMatch'),
        ...header(req, 'if-none-exist', 'ifNoneExist'),
        ...header(req, 'prefer', 'prefer'),
        ...header(req, 'accept', 'accept'),
      },
      ctx,
    );
    return send(reply, res);
  };
  // the base itself is where batch and transaction Bundles are posted
  app.route({ method: [...methods], url: '/fhir', handler });
  app.route({ method: [...methods], url: '/fhir/*', handler });
}

function header<K extends string>(req: FastifyRequest, name: string, key: K): Partial<Record<K, string>> {
  const v = req.headers[name];
  return typeof v === 'string' ? ({ [key]: v } as Record<K, string>) : {};
}
