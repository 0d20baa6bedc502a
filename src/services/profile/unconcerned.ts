import { isUnconcernedSection, type Json, type UnconcernedSection } from '../../domain/profile/sections/index.js';
import { PROFILE_CATEGORY_SYSTEM, TERMINOLOGY } from '../../domain/profile/systems.js';
import { AppError } from '../../errors.js';
import type { FhirOperations, RequestContext, StoredVersion } from '../../repo/index.js';
import type { ProfileDeps } from './deps.js';
import { assertActsFor, search, sectionResources } from './sections.js';

/**
 * "Non concerné" (domain.md §4.1: unconcerned(section) → declarationDate): a List of the record whose code is
 * the section (profile-section code system), empty with emptyReason nilknown, dated when declared. Declared
 * only on an empty section (409 profile.section-not-empty); adding an entry withdraws it in the same unit.
 */

export function declarationResource(patientId: string, section: UnconcernedSection, at: Date): Json {
  return {
    resourceType: 'List',
    meta: { tag: [{ system: PROFILE_CATEGORY_SYSTEM, code: section }] },
    status: 'current',
    mode: 'snapshot',
    title: 'Non concerné',
    code: { coding: [{ system: PROFILE_CATEGORY_SYSTEM, code: section }], text: `Non concerné : ${section}` },
    subject: { reference: `Patient/${patientId}` },
    date: at.toISOString(),
    emptyReason: { coding: [{ system: TERMINOLOGY.listEmptyReason, code: 'nilknown', display: 'Nil Known' }], text: 'Non concerné' },
  };
}

async function declarations(ops: FhirOperations, fhirBase: string, patientId: string, sections: readonly UnconcernedSection[]): Promise<StoredVersion[]> {
  const found = await search(ops, fhirBase, 'List', { patient: patientId, code: sections.map((s) => `${PROFILE_CATEGORY_SYSTEM}|${s}`).join(',') });
  return found.versions.filter((v) => {
    const r = JSON.parse(v.content!) as Json;
    return r.status === 'current' && ((r.emptyReason as Json | undefined)?.coding as Json[] | undefined)?.some((c) => c.code === 'nilknown');
  });
}

function sectionOf(v: StoredVersion): UnconcernedSection | undefined {
  const r = JSON.parse(v.content!) as Json;
  const code = ((r.code as Json | undefined)?.coding as Json[] | undefined)?.find((c) => c.system === PROFILE_CATEGORY_SYSTEM)?.code;
  return isUnconcernedSection(code) ? code : undefined;
}

/** The declarations of these sections in a record, by section (the earliest when there are several). */
export async function findDeclarations(ops: FhirOperations, fhirBase: string, patientId: string, sections: readonly UnconcernedSection[]): Promise<Map<UnconcernedSection, { id: string; declaredAt: string }>> {
  const out = new Map<UnconcernedSection, { id: string; declaredAt: string }>();
  for (const v of await declarations(ops, fhirBase, patientId, sections)) {
    const section = sectionOf(v);
    if (!section) continue;
    const declaredAt = String((JSON.parse(v.content!) as Json).date ?? v.lastUpdated);
    const known = out.get(section);
    if (!known || declaredAt < known.declaredAt) out.set(section, { id: v.id, declaredAt });
  }
  return out;
}

export async function findDeclaration(ops: FhirOperations, fhirBase: string, patientId: string, section: UnconcernedSection) {
  return (await findDeclarations(ops, fhirBase, patientId, [section])).get(section);
}

/** Deletes the section's declarations, if any (in the caller's unit). */
export async function withdrawDeclaration(ops: FhirOperations, fhirBase: string, patientId: string, section: UnconcernedSection): Promise<void> {
  for (const v of await declarations(ops, fhirBase, patientId, [section])) {
    if (sectionOf(v) === section) await ops.delete('List', v.id);
  }
}

/** PUT /api/profile/sections/:section/unconcerned: declared now (or kept as declared). */
export async function declareUnconcerned(deps: ProfileDeps, ctx: RequestContext, patientId: string, section: UnconcernedSection): Promise<{ declaredAt: string }> {
  assertActsFor(ctx, patientId);
  return deps.repo.run(ctx, async (ops) => {
    // two declarations at once: one of them only
    await ops.withTables((q) => q.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`unconcerned/${patientId}/${section}`]));
    if ((await sectionResources(ops, deps.fhirBase, patientId, section)).length > 0) {
      throw new AppError(409, 'conflict', `The section ${section} has entries: delete them before declaring it "non concerné"`, ['section']).withCode('profile.section-not-empty');
    }
    const existing = await findDeclaration(ops, deps.fhirBase, patientId, section);
    if (existing) return { declaredAt: existing.declaredAt };
    const at = ctx.now();
    await ops.create(declarationResource(patientId, section, at));
    return { declaredAt: at.toISOString() };
  });
}

/** DELETE /api/profile/sections/:section/unconcerned */
export async function withdrawUnconcerned(deps: ProfileDeps, ctx: RequestContext, patientId: string, section: UnconcernedSection): Promise<void> {
  assertActsFor(ctx, patientId);
  await deps.repo.run(ctx, (ops) => withdrawDeclaration(ops, deps.fhirBase, patientId, section));
}
