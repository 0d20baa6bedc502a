/** Shapes of the shared medical record API for the patient (src/http/api/dmp-routes.ts). */

export { CATEGORIES, isCategory, type Category, type DocumentView, type HistoryItem, type HistoryPage } from '../../../dmp-types';
import type { Category, DocumentView } from '../../../dmp-types';

export interface Folder {
  id: string;
  name: string;
}

export interface DocumentList {
  documents: DocumentView[];
  counts: Record<Category, number>;
  folders: Folder[];
}

export interface DocumentFilters {
  category?: Category;
  author?: string;
  from?: string;
  to?: string;
}

/** The holder's settings over their record (src/services/dmp/settings.ts). */
export interface DmpSettings {
  maskNewDocuments: boolean;
  samuAccess: boolean;
  breakGlass: boolean;
  hiddenInEmergency: boolean;
}

/** What a patient may upload (src/domain/documents/upload.ts): extension → MIME type sent. */
export const UPLOAD_TYPES: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.txt': 'text/plain',
  '.rtf': 'application/rtf',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
};
export const UPLOAD_ACCEPT = '.pdf,.txt,.rtf,.jpg,.jpeg,.tif,.tiff';
export const UPLOAD_MAX_BYTES = 5 * 1024 * 1024;
