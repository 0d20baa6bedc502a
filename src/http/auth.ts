import type { FastifyRequest } from 'fastify';
import { forbidden } from '../errors.js';
import { makeContext, type RequestContext } from '../repo/index.js';
import type { Authenticator } from '../services/auth/authenticator.js';
import { bearerToken } from '../services/auth/tokens.js';
import type { Clock } from '../services/clock.js';

export interface AuthDeps {
  auth: Authenticator;
  clock: Clock;
}

/**
 * Turns the request's bearer token into the repository's request context; 401 otherwise. The header
 * `X-Acting-For: <patient id>` narrows the records the request may reach to that one profile, which must be
 * one the user holds (their own, a child's, a helped person's): 403 otherwise.
 */
export async function contextOf(req: FastifyRequest, deps: AuthDeps): Promise<RequestContext & { sid?: string }> {
  const { principal, sid } = await deps.auth.principalOf(req.headers.authorization, bearerToken);
  // third-party clients (practice software) hold SMART-scoped tokens for /fhir; /api is Carnet's own app's
  if (principal.scopes && req.url.startsWith('/api/')) {
    throw forbidden("This token is a third-party application's: it is for /fhir, within its scopes").withCode('token.scoped');
  }
  const actingFor = req.headers['x-acting-for'];
  let narrowed = principal;
  if (typeof actingFor === 'string' && actingFor !== '') {
    const id = actingFor.replace(/^Patient\//, '');
    const link = principal.represents.find((r) => r.patientId === id);
    if (!link) throw forbidden('You do not hold this profile').withCode('acting-for.forbidden');
    narrowed = { ...principal, represents: [link] };
  }
  return {
    ...makeContext(narrowed, { requestId: req.id, source: req.ip, now: () => deps.clock.now() }),
    ...(sid ? { sid } : {}),
  };
}

/** The request's context, and the one profile it acts for (X-Acting-For, or the person's own): patients only. */
export async function actingPatient(req: FastifyRequest, deps: AuthDeps) {
  const ctx = await contextOf(req, deps);
  const link = ctx.principal.represents[0];
  if (ctx.principal.role !== 'patient' || !link) throw forbidden('This is for patients and the people acting for them').withCode('patient.only');
  return { ctx, patientId: link.patientId, relation: link.relation };
}
