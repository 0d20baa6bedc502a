export { Repository, type WriteResult, type HistoryPage, type StoredVersion } from './repository.js';
export { makeContext, type RequestContext } from './context.js';
export { loadPrincipal, upsertUser, findUserIdByLogin, type NewUser } from './users.js';
