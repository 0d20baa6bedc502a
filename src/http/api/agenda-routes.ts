import type { FastifyInstance } from 'fastify';
import type { ProfileDeps } from '../../services/profile/deps.js';
import type { AuthDeps } from '../auth.js';

/** See docs/profile.md. */
export function agendaRoutes(_app: FastifyInstance, _deps: AuthDeps & { profile: ProfileDeps }): void {}
