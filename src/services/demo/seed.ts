import type { Db } from '../../db/index.js';
import { SYSTEM } from '../../domain/access/index.js';
import { isOfAge } from '../../domain/ins/age.js';
import { findUserIdByLogin, makeContext, upsertUser, type Repository } from '../../repo/index.js';
import { materializePractitioner } from '../directory/fhir.js';
import { setRole } from '../care/relations.js';
import { importDemoDirectory } from './directory.js';
import { clinicalFromSynthea, loadSyntheaBundles } from './synthea.js';
import { OPERATOR, PATIENTS, PRACTITIONERS, parentResource, patientId, patientResource, practitionerId, userId } from './world.js';

export interface SeedReport {
  seeded: boolean;
  resources: number;
  /** Set when the Synthea samples were not found, so the patients have no clinical data. */
  warning?: string;
}

/**
 * Seeds the demo world once (it does nothing when the demo operator exists already). The professionals come
 * from the demo directory extract, loaded by the directory import like the national one; their Practitioner,
 * PractitionerRole and Organization resources are then built from the directory. Everything else goes
 * through the repository as Carnet itself, so it is validated and audited like any other write.
 */
export async function seedDemoWorld(db: Db, repo: Repository, opts: { syntheaDir?: string; today?: Date } = {}): Promise<SeedReport> {
  if (await findUserIdByLogin(db, OPERATOR.login)) return { seeded: false, resources: 0 };
  const ctx = makeContext(SYSTEM);
  let resources = 0;
  const put = async (r: Record<string, unknown>) => {
    await repo.update(ctx, r);
    resources++;
  };

  await importDemoDirectory({ db });
  for (const p of PRACTITIONERS) resources += await materializePractitioner(repo, db, practitionerId(p.login));
  const gp = PRACTITIONERS[0]!;
  for (const p of PATIENTS) await put(patientResource(p));
  for (const parent of PATIENTS) {
    for (const r of parent.represents ?? []) await put(parentResource(PATIENTS.find((c) => c.key === r.key)!, parent));
  }

  let warning: string | undefined;
  let bundles: ReturnType<typeof loadSyntheaBundles> = [];
  try {
    bundles = loadSyntheaBundles(opts.syntheaDir);
  } catch (err) {
    warning = `Synthea samples not found (${(err as Error).message}): demo patients have no clinical data`;
  }
  const today = opts.today ?? new Date();
  const newestDate = new Date(today.getTime() - 7 * 86_400_000).toISOString().slice(0, 10);
  for (const p of PATIENTS) {
    const source = bundles.find((b) => b.file.startsWith(p.synthea));
    if (!source) continue;
    const clinical = clinicalFromSynthea(source.bundle, {
      patientId: patientId(p.key),
      practitionerRef: `Practitioner/${practitionerId(gp.login)}`,
      practitionerDisplay: `Dr ${gp.given} ${gp.family}`,
      limit: p.clinical,
      newestDate,
      // a child's growth curves show the measures seeded for them (demo/measures.ts): their Synthea sample's
      // weights and heights are off the WHO curves (Léo, 8: 114.5 cm, BMI 11.7)
      withoutBodyMeasures: !isOfAge(p.birthDate, today),
    });
    for (const r of clinical) {
      await repo.create(ctx, r);
      resources++;
    }
  }

  for (const p of PATIENTS.filter((x) => x.login)) {
    await upsertUser(db, {
      id: userId(p.login!),
      login: p.login!,
      role: 'patient',
      displayName: `${p.given[0]} ${p.family}`,
      patientId: patientId(p.key),
      represents: (p.represents ?? []).map((r) => ({ patientId: patientId(r.key), relation: r.relation })),
    });
  }
  for (const p of PRACTITIONERS) {
    await upsertUser(db, {
      id: userId(p.login),
      login: p.login,
      role: 'professional',
      displayName: `${p.prefix ? `${p.prefix} ` : ''}${p.given} ${p.family}`,
      practitionerId: practitionerId(p.login),
    });
  }
  await upsertUser(db, { id: userId(OPERATOR.login), login: OPERATOR.login, role: 'operator', displayName: OPERATOR.displayName });
  // the médecins traitants the demo patients declared (their care relation: they access the record)
  for (const p of PATIENTS.filter((x) => x.medecinTraitant)) {
    await setRole(db, patientId(p.key), practitionerId(p.medecinTraitant!), 'medecin-traitant', { userId: SYSTEM.userId, now: today, replace: false });
  }
  return { seeded: true, resources, ...(warning ? { warning } : {}) };
}
