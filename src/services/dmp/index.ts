import type { DocumentHooks } from '../fhir/router.js';
import type { DmpDeps } from './deps.js';
import { deleteDocument, retrieve, updateMetadata } from './documents.js';
import { provideDocuments } from './provide.js';

export type { DmpDeps } from './deps.js';

/** The FHIR router's document paths (ITI-65, ITI-68, metadata update, deletion), bound to their dependencies. */
export function documentHooks(deps: DmpDeps): DocumentHooks {
  return {
    provide: (bundle, ctx) => provideDocuments(deps, ctx, bundle),
    retrieve: (ops, id, asResource) => retrieve(deps, ops, id, asResource),
    update: (ops, resource, ifMatch) => updateMetadata(deps, ops, resource, ifMatch),
    remove: (ops, id) => deleteDocument(deps, ops, id),
  };
}
