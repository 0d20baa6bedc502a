export { Repository, type FhirOperations, type WriteResult, type HistoryPage, type StoredVersion } from './repository.js';
export { makeContext, type RequestContext } from './context.js';
export { loadPrincipal, loadPrincipalCached, upsertUser, findUserIdByLogin, bumpPrincipalGeneration, type NewUser } from './users.js';
