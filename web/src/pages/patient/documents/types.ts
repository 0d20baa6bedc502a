/** Shapes of the shared medical record API for the patient (src/http/api/dmp-routes.ts). */

export const CATEGORIES = [
  'SYNTHESE',
  'ORD_SOIN',
  'RADIO_SC',
  'BIOLOGIE',
  'CPT_REND',
  'DEPISTAG',
  'CERT_MED',
  'AUTR_DOC',
  'DOC_ADM',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const isCategory = (value: string): value is Category => (CATEGORIES as readonly string[]).includes(value);

/** A document as the API shows it (src/services/dmp/views.ts DocumentView). */
export interface DocumentView {
  id: string;
  title: string;
  category: Category;
  typeCode?: string;
  typeLabel?: string;
  classCode?: string;
  /** When the act took place, else when the document was written. */
  date?: string;
  depositedAt: string;
  author: string;
  depositor: 'professional' | 'patient' | 'carnet';
  depositorIds: string[];
  contentType: string;
  size?: number;
  status: string;
  archived: boolean;
  hiddenFromProfessionals: boolean;
  hiddenFromPatient: boolean;
  hiddenFromRepresentatives: boolean;
  replaces?: string;
  pinned?: boolean;
  folderId?: string | null;
}

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

/** One line of the access history (src/services/dmp/history.ts HistoryItem). */
export interface HistoryItem {
  at: string;
  interaction: string;
  what: string;
  outcome: 'success' | 'refused';
  detail?: string;
  patientId?: string;
  basis?: string;
  agent: string;
  actorType: 'professional' | 'patient' | 'system' | 'other';
  emergency: boolean;
  documentId?: string;
  documentTitle?: string;
}

export interface HistoryPage {
  items: HistoryItem[];
  more: boolean;
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
