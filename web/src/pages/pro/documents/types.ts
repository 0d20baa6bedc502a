/** The shapes of the professional's side of the shared medical record (src/http/api/dmp-routes.ts). */

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

/** A document as the professional space shows it (src/services/dmp/views.ts DocumentView). */
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
  /** current, superseded… */
  status: string;
  archived: boolean;
  hiddenFromProfessionals: boolean;
  hiddenFromPatient: boolean;
  hiddenFromRepresentatives: boolean;
  replaces?: string;
}

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

/** One line of the record's access history (src/services/dmp/history.ts HistoryItem). */
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

export interface History {
  items: HistoryItem[];
  more: boolean;
}

/** The visibility codes a professional sets at deposit (TRE_A07). */
export type Visibility = 'INVISIBLE_PATIENT' | 'MASQUE_PS';
