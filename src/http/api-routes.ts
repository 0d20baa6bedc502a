import type { FastifyInstance } from 'fastify';
import type { AccountsDeps } from '../services/accounts/context.js';
import type { Jobs } from '../services/jobs/scheduler.js';
import { accountRoutes } from './api/account-routes.js';
import { adminRoutes } from './api/admin-routes.js';
import { careRoutes } from './api/care-routes.js';
import { directoryRoutes } from './api/directory-routes.js';
import { dmpRoutes } from './api/dmp-routes.js';
import type { DmpDeps } from '../services/dmp/deps.js';
import type { MessagingDeps } from '../services/messaging/deps.js';
import { publicRoutes } from './api/public-routes.js';
import { messagingRoutes } from './api/messaging-routes.js';
import { chatRoutes } from './api/chat-routes.js';
import type { AuthDeps } from './auth.js';
import type { ProfileDeps } from '../services/profile/deps.js';
import { profileRoutes } from './api/profile-routes.js';
import { measureRoutes } from './api/measure-routes.js';
import { agendaRoutes } from './api/agenda-routes.js';
import { profileDocumentRoutes } from './api/profile-documents-routes.js';
import { referenceRoutes } from './api/reference-routes.js';
import { preventionRoutes } from './api/prevention-routes.js';
import { questionnaireRoutes } from './api/questionnaire-routes.js';
import { preventionAdminRoutes } from './api/prevention-admin-routes.js';

/** /api: the application API for the web app's workflows (JSON, errors as problem+json). See docs/accounts.md. */
export function apiRoutes(app: FastifyInstance, deps: AuthDeps & { accounts: AccountsDeps; dmp: DmpDeps; messaging: MessagingDeps; profile: ProfileDeps; jobs: Jobs; demo: boolean; rateLimitPerMinute: number }): void {
  publicRoutes(app, deps);
  accountRoutes(app, deps);
  adminRoutes(app, deps);
  directoryRoutes(app, deps);
  const { db, repo, config } = deps.accounts;
  careRoutes(app, { ...deps, db, repo, fhirBase: `${config.baseUrl}/fhir` });
  dmpRoutes(app, deps);
  messagingRoutes(app, deps);
  chatRoutes(app, deps);
  profileRoutes(app, deps);
  measureRoutes(app, deps);
  agendaRoutes(app, deps);
  profileDocumentRoutes(app, deps);
  referenceRoutes(app, deps);
  preventionRoutes(app, deps);
  questionnaireRoutes(app, deps);
  preventionAdminRoutes(app, deps);
}
