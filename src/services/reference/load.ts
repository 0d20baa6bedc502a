import fs from 'node:fs';
import path from 'node:path';
import { CIS_CIP_FILE, CIS_FILE, decodeBdpm, orphanPresentation, parseCisCipFile, parseCisFile } from '../../domain/reference/bdpm.js';
import { validateVaccineList } from '../../domain/reference/vaccines.js';
import { packagePath } from '../../package-root.js';
import type { ProfileDeps } from '../profile/deps.js';
import { BDPM_SOURCE, insertPresentations, insertProducts, insertVaccines, loadDatasetOnce } from './import.js';

/** The version (publication date) of the shipped BDPM extract: see data/reference/README.md. */
export const SHIPPED_BDPM_VERSION = '2026-05-29';

/** data/reference in the Carnet package. */
export function shippedReferenceDir(): string {
  return packagePath('data', 'reference');
}

/**
 * Loads the reference data shipped with Carnet (data/reference: the BDPM extract and the vaccine list) when the
 * database holds none yet; the operator's later files replace them (docs/reference-data.md). Each dataset loads
 * in one transaction with one multi-row INSERT per table; a shipped file that does not parse stops the start.
 */
export async function loadShippedReferenceData(deps: Pick<ProfileDeps, 'db' | 'clock'>, dir: string = shippedReferenceDir()): Promise<void> {
  const present = new Set((await deps.db.query<{ id: string }>(`SELECT id FROM reference_dataset`)).rows.map((r) => r.id));
  const loadedAt = deps.clock.now();
  if (!present.has('vaccines')) {
    const list = validateVaccineList(JSON.parse(fs.readFileSync(path.join(dir, 'vaccines.json'), 'utf8')));
    await loadDatasetOnce(deps.db, 'vaccines', { source: list.source, version: list.version, loadedBy: 'carnet', loadedAt }, async (q) => {
      await insertVaccines(q, list);
      return list.vaccines.length;
    });
  }
  if (!present.has('bdpm')) {
    const products = parseCisFile(decodeBdpm(fs.readFileSync(path.join(dir, CIS_FILE))));
    const presentations = parseCisCipFile(decodeBdpm(fs.readFileSync(path.join(dir, CIS_CIP_FILE))));
    const orphan = orphanPresentation(products, presentations);
    if (orphan) throw new Error(`${CIS_CIP_FILE}: CIP13 ${orphan.cip13} belongs to CIS ${orphan.cis}, which ${CIS_FILE} does not list`);
    await loadDatasetOnce(deps.db, 'bdpm', { source: BDPM_SOURCE, version: SHIPPED_BDPM_VERSION, loadedBy: 'carnet', loadedAt }, async (q) => {
      await insertProducts(q, products);
      await insertPresentations(q, presentations);
      return products.length;
    });
  }
}
