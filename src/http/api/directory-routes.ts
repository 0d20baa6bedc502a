import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/index.js';
import { notFound } from '../../errors.js';
import { directoryOptions, getPractitioner, parseDirectoryQuery, searchDirectory } from '../../services/directory/search.js';
import { contextOf, type AuthDeps } from '../auth.js';

/** What the directory routes need: the authentication, and the database the directory is in. */
export type DirectoryRoutesDeps = AuthDeps & { accounts: { db: Db } };

/**
 * The national directory for any signed-in user (docs/directory.md#search): search practice situations by
 * name, city, profession and specialty, read a professional, and the choices a search form offers.
 */
export function directoryRoutes(app: FastifyInstance, deps: DirectoryRoutesDeps): void {
  const db = deps.accounts.db;

  app.get('/api/directory', async (req) => {
    await contextOf(req, deps);
    return searchDirectory(db, parseDirectoryQuery(req.query as Record<string, unknown>));
  });

  app.get('/api/directory/options', async (req) => {
    await contextOf(req, deps);
    return directoryOptions(db);
  });

  app.get<{ Params: { id: string } }>('/api/directory/practitioners/:id', async (req) => {
    await contextOf(req, deps);
    const practitioner = /^[A-Za-z0-9\-.]{1,64}$/.test(req.params.id) ? await getPractitioner(db, req.params.id) : undefined;
    if (!practitioner) throw notFound(`The directory has no professional ${req.params.id}`).withCode('directory.not-found');
    return practitioner;
  });
}
