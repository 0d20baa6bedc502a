/** The reference-data shapes of the application API (mirrors src/contract/profile.ts: Drug, VaccineRef, ReferenceDataset). */
export interface Drug {
  cis: string;
  name: string;
  form: string;
  marketed: boolean;
  presentations: { cip13: string; label: string; marketed: boolean }[];
}

export interface VaccineRef {
  id: string;
  label: string;
  cis?: string;
  cip13: string[];
  atcCode: string;
  atcLabel: string;
  diseases: string[];
}

export type ReferenceDatasetId = 'bdpm' | 'vaccines';

export interface ReferenceDataset {
  id: ReferenceDatasetId;
  source: string;
  version: string;
  loadedAt: string;
  loadedBy: string;
  rowCount: number;
}
