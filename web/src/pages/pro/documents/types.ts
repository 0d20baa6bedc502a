/** The shapes of the professional's side of the shared medical record (src/http/api/dmp-routes.ts). */

export { CATEGORIES, type Category, type DocumentView, type HistoryItem, type HistoryPage as History } from '../../../dmp-types';
import type { Category, DocumentView } from '../../../dmp-types';

export type EmergencyPurpose = 'BTG' | 'ETREAT';

/** An emergency access in progress (POST /api/pro/patients/:id/emergency; `emergency` of the documents list). */
export interface EmergencyGrant {
  id: string;
  purpose: EmergencyPurpose;
  startedAt: string;
  endsAt: string;
}

/** GET /api/pro/patients/:id/documents. */
export interface ProDocuments {
  documents: DocumentView[];
  emergency?: EmergencyGrant;
}

/** GET /api/document-types: the types a professional deposits, with their category. */
export interface DocumentType {
  code: string;
  label: string;
  classCode: string;
  category: Category;
}

export interface DocumentTypes {
  categories: Category[];
  types: DocumentType[];
}

/** The visibility codes a professional sets at deposit (TRE_A07). */
export type Visibility = 'INVISIBLE_PATIENT' | 'MASQUE_PS';
