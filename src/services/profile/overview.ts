import type { ProfileOverview } from '../../contract/profile.js';
import { ageOn, MAJORITY_AGE } from '../../domain/ins/age.js';
import { LIST_SECTIONS, SECTIONS, sectionTagToken, UNCONCERNED_SECTIONS, isUnconcernedSection, type Json } from '../../domain/profile/sections/index.js';
import { bloodGroupFromFhir } from '../../domain/profile/sections/blood-group.js';
import { PROFILE_CATEGORY_SYSTEM } from '../../domain/profile/systems.js';
import type { RequestContext } from '../../repo/index.js';
import type { ProfileDeps } from './deps.js';
import { assertActsFor, search } from './sections.js';
import { closedSections } from './settings.js';
import { currentBloodGroup, currentOrganDonation } from './singles.js';
import { findDeclarations } from './unconcerned.js';

/** The patient of a record as the profile shows it. */
export function patientSummary(patient: Json, patientId: string, now: Date): ProfileOverview['patient'] {
  const name = ((patient.name as Json[] | undefined)?.[0] ?? {}) as { given?: string[]; family?: string; text?: string };
  const birthDate = typeof patient.birthDate === 'string' ? patient.birthDate : undefined;
  const gender = patient.gender;
  let minor = false;
  if (birthDate && /^\d{4}-\d{2}-\d{2}$/.test(birthDate)) {
    try {
      minor = ageOn(birthDate, now) < MAJORITY_AGE;
    } catch {
      minor = false;
    }
  }
  return {
    id: patientId,
    name: name.text ?? [...(name.given ?? []).slice(0, 1), name.family ?? ''].join(' ').trim(),
    ...(birthDate ? { birthDate } : {}),
    ...(gender === 'male' || gender === 'female' || gender === 'other' || gender === 'unknown' ? { sex: gender } : {}),
    minor,
  };
}

/** GET /api/profile: what the profile holds, section by section (counts), and its settings. */
export async function profileOverview(deps: ProfileDeps, ctx: RequestContext, patientId: string): Promise<ProfileOverview> {
  assertActsFor(ctx, patientId);
  return deps.repo.run(
    ctx,
    async (ops) => {
      const patient = JSON.parse((await ops.read('Patient', patientId)).content!) as Json;
      const declared = await findDeclarations(ops, deps.fhirBase, patientId, UNCONCERNED_SECTIONS);
      const sections: ProfileOverview['sections'] = [];
      for (const section of LIST_SECTIONS) {
        const m = SECTIONS[section];
        const found = await search(ops, deps.fhirBase, m.resourceType, { patient: patientId, _summary: 'count', ...(m.wholeType ? {} : { _tag: sectionTagToken(section) }) });
        const d = isUnconcernedSection(section) ? declared.get(section) : undefined;
        sections.push({ section, count: found.total ?? 0, unconcerned: d ? { declaredAt: d.declaredAt } : null });
      }
      const blood = await currentBloodGroup(ops, deps.fhirBase, patientId);
      const organ = await currentOrganDonation(ops, deps.fhirBase, patientId);
      const directives = await search(ops, deps.fhirBase, 'Consent', { patient: patientId, category: `${PROFILE_CATEGORY_SYSTEM}|advance-directive`, status: 'active', _summary: 'count' });
      return {
        patient: patientSummary(patient, patientId, ctx.now()),
        sections,
        bloodGroup: blood ? (bloodGroupFromFhir(JSON.parse(blood.content!) as Json) ?? null) : null,
        organDonation: organ !== undefined,
        advanceDirective: (directives.total ?? 0) > 0,
        closed: await ops.withTables((q) => closedSections(q, patientId)),
      };
    },
    { readOnly: true },
  );
}
