import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/index.js';
import { unauthorized } from '../errors.js';
import { loadPrincipalCached, makeContext, type RequestContext } from '../repo/index.js';
import type { SigningKey } from '../services/auth/keys.js';
import { bearerToken, verifyToken } from '../services/auth/tokens.js';

/** Turns the request's bearer token into the repository's request context; 401 otherwise. */
export async function contextOf(req: FastifyRequest, db: Db, key: SigningKey): Promise<RequestContext> {
  const claims = await verifyToken(key, bearerToken(req.headers.authorization));
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(claims.sub)) {
    throw unauthorized('The token names no Carnet user');
  }
  const principal = await loadPrincipalCached(db, claims.sub);
  if (!principal) throw unauthorized('The token names a user who does not exist (any more)');
  return makeContext(principal, { requestId: req.id, source: req.ip });
}
