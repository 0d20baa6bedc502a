/** The shapes of the shared medical record API both spaces read (src/http/api/dmp-routes.ts). */

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
  /** For the patient side: the patient themselves, or who acted for them. */
  relation?: 'self' | 'parent' | 'legal-representative' | 'carer';
  emergency: boolean;
  documentId?: string;
  documentTitle?: string;
}

export interface HistoryPage {
  items: HistoryItem[];
  more: boolean;
}
