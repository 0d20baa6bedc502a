import type { Db } from '../../db/index.js';
import type { Repository } from '../../repo/index.js';
import type { BlobStore } from '../../repo/blob-store.js';
import type { Mailer } from '../mail/mailer.js';

/** What the shared medical record's services need. */
export interface DmpDeps {
  db: Db;
  repo: Repository;
  blobs: BlobStore;
  mailer: Mailer;
  fhirBase: string;
  /** Largest document accepted, in bytes (DOCUMENT_MAX_BYTES). */
  maxDocumentBytes: number;
  /** The structures whose doctors regulate SAMU calls (SAMU_STRUCTURES): only they access as ETREAT. */
  samuStructures?: readonly string[];
}

/** R1111-53: the patient is told after two weeks that a document waits; it is released after one month. */
export const HOLD_NOTICE_DAYS = 14;
export const HOLD_RELEASE_MONTHS = 1;

/** The date one calendar month after a date (the 31st gives the last day of a shorter month). */
export function addMonths(at: Date, months: number): Date {
  const d = new Date(at);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}
