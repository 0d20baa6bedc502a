import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/index.js';
import type { SigningKey } from '../services/auth/keys.js';
import { contextOf } from './auth.js';

/** /api: the application API for the web app's workflows (JSON, errors as problem+json). */
export function apiRoutes(app: FastifyInstance, deps: { db: Db; key: SigningKey }): void {
  /** Who the token belongs to and whose records they may act on. */
  app.get('/api/me', async (req) => {
    const { principal } = await contextOf(req, deps.db, deps.key);
    return {
      id: principal.userId,
      login: principal.login,
      role: principal.role,
      displayName: principal.displayName,
      ...(principal.patientId ? { patient: `Patient/${principal.patientId}` } : {}),
      ...(principal.practitionerId ? { practitioner: `Practitioner/${principal.practitionerId}` } : {}),
      records: principal.represents.map((r) => ({ patient: `Patient/${r.patientId}`, relation: r.relation })),
    };
  });
}
