/** The reference-data shapes of the application API: the contract's (src/contract/profile.ts), re-exported. */
import type { ReferenceDataset } from '../../contract/profile.js';

export type { Drug, ReferenceDataset, VaccineRef } from '../../contract/profile.js';

export type ReferenceDatasetId = ReferenceDataset['id'];
