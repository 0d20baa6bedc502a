import type { Db } from '../../db/index.js';
import type { Repository } from '../../repo/index.js';
import type { BlobStore } from '../../repo/blob-store.js';
import type { Clock } from '../clock.js';
import type { DmpDeps } from '../dmp/deps.js';
import type { Mailer } from '../mail/mailer.js';

/** What the medical profile, measures, agenda and reference-data services need (docs/profile.md). */
export interface ProfileDeps {
  db: Db;
  repo: Repository;
  blobs: BlobStore;
  mailer: Mailer;
  clock: Clock;
  fhirBase: string;
  /** The public address of Carnet (calendar feed URLs). */
  baseUrl: string;
  operatorName: string;
  /** Filing PDFs (summary, advance directives) into the documents goes through the DMP services. */
  dmp: DmpDeps;
}
